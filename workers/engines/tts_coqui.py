"""Coqui TTS (VITS family) loaded from a local model directory named by SOUNDPATH_COQUI_MODEL_PATH."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workers.engines._voice_common import check_speed, shift_pitch
from workers.engines.base import (
    Availability,
    EngineError,
    ModelCard,
    local_model_files,
)
from workers.engines.capabilities import SpeechSynthesizer, Synthesis, Voice

ENV_VAR = "SOUNDPATH_COQUI_MODEL_PATH"
CHECKPOINT_NAMES = ("model.pth", "best_model.pth", "model_file.pth", "checkpoint.pth")
DEFAULT_VOICE = "default"


def find_checkpoint(folder: str | Path) -> Path | None:
    """The usual Coqui checkpoint names first, else the only .pth that is not a speakers file."""
    folder = Path(folder)
    for name in CHECKPOINT_NAMES:
        if (folder / name).is_file():
            return folder / name
    others = [p for p in sorted(folder.glob("*.pth")) if "speaker" not in p.name]
    return others[0] if len(others) == 1 else None


def coqui_model_availability(env_var: str) -> Availability:
    """Shared by the Coqui backends: the env var's folder must hold config.json and a checkpoint."""
    folder = local_model_files(env_var, ("config.json",), "TTS", "torch")
    if not folder.available:
        return folder
    checkpoint = find_checkpoint(folder.weights_path)
    if checkpoint is None:
        return Availability(False, f"{env_var}: no model .pth checkpoint in {folder.weights_path}")
    return Availability(True, f"weights in {checkpoint}", weights_path=str(checkpoint))


class CoquiSynthesizer(SpeechSynthesizer):
    """Any Coqui TTS model (VITS and friends) from a local folder: config.json + model .pth.

    Speed sets the model's length_scale where it has one (VITS); pitch is a phase-vocoder shift
    after synthesis. Multi-speaker models list their speakers as voices.
    """

    backend = "coqui"
    sample_rate = 22050  # typical; the Synthesis carries the model's own output rate
    uses_torch = True
    card = ModelCard(
        engine="Coqui TTS model from a local folder (e.g. VITS)",
        package="coqui-tts 0.28.0",
        weights=f"config.json + model .pth in ${ENV_VAR}",
        weights_bytes=None,
        licence="coqui-tts MPL-2.0; weights: the licence of the model you point it at",
        training_data="depends on the model (e.g. LJSpeech or VCTK for Coqui's released VITS models)",
        limits=(
            "Hub backend: nothing is downloaded, so a model must be placed locally first. "
            "pitch_semitones is a librosa phase-vocoder post-shift, not a model control."
        ),
        paper="https://arxiv.org/abs/2106.06103",
    )

    @classmethod
    def availability(cls) -> Availability:
        return coqui_model_availability(ENV_VAR)

    def _load(self) -> None:
        from TTS.utils.synthesizer import Synthesizer

        found = self.availability()
        if not found.available:
            raise EngineError(f"Coqui TTS is not available: {found.reason}")
        folder = Path(found.weights_path).parent
        speakers = folder / "speakers.pth"
        self._synth = Synthesizer(
            tts_checkpoint=found.weights_path,
            tts_config_path=folder / "config.json",
            tts_speakers_file=speakers if speakers.is_file() else None,
            use_cuda=self.device == "cuda",
        )
        self._model = self._synth.tts_model

    def voices(self) -> tuple[Voice, ...]:
        self.ensure_loaded()
        language = getattr(self._model.config, "phoneme_language", None) or "en"
        manager = getattr(self._model, "speaker_manager", None)
        if manager is not None and manager.num_speakers > 1:
            return tuple(Voice(id=name, name=name, language=language) for name in manager.speaker_names)
        return (Voice(id=DEFAULT_VOICE, name="the model's voice", language=language),)

    def synthesize(
        self, text: str, *, voice: str | None = None, speed: float = 1.0, pitch_semitones: float = 0.0
    ) -> Synthesis:
        check_speed(speed)
        known = {v.id for v in self.voices()}
        if voice and voice not in known:
            raise EngineError(f"Unknown voice '{voice}'. Known: {', '.join(sorted(known))}.")
        speaker = voice if voice and voice != DEFAULT_VOICE else None
        if speaker is None and DEFAULT_VOICE not in known:
            speaker = sorted(known)[0]
        audio = np.asarray(self._tts(text, speaker, speed), dtype=np.float32)
        rate = self._synth.output_sample_rate
        return Synthesis(
            audio=shift_pitch(audio, rate, pitch_semitones), sample_rate=rate, phonemes=self._phonemes(text)
        )

    def _tts(self, text: str, speaker: str | None, speed: float) -> list[float]:
        if not hasattr(self._model, "length_scale") and speed != 1.0:
            raise EngineError("This Coqui model has no speed control; use speed 1.")
        previous = getattr(self._model, "length_scale", None)
        try:
            if previous is not None:
                self._model.length_scale = previous / speed
            return self._synth.tts(text, speaker_name=speaker)
        finally:
            if previous is not None:
                self._model.length_scale = previous

    def _phonemes(self, text: str) -> str:
        tokenizer = getattr(self._model, "tokenizer", None)
        if tokenizer is None or tokenizer.phonemizer is None:
            return ""
        return tokenizer.phonemizer.phonemize(text, separator="")
