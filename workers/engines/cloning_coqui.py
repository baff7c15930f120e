"""XTTS-v2 zero-shot voice cloning (Coqui TTS) from a local folder named by SOUNDPATH_XTTS_MODEL_PATH."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from workers.engines._voice_common import require_reference_speech
from workers.engines.base import (
    Availability,
    EngineError,
    ModelCard,
    ProgressFn,
    local_model_files,
    no_progress,
)
from workers.engines.capabilities import Synthesis, VoiceCloner

ENV_VAR = "SOUNDPATH_XTTS_MODEL_PATH"
REQUIRED_FILES = ("config.json", "model.pth", "vocab.json")
LANGUAGE = "en"


class XttsCloner(VoiceCloner):
    """GPT-style acoustic-token model conditioned on a reference clip, decoded by HiFi-GAN (24 kHz).

    Never a default: XTTS-v2's weights are under the Coqui Public Model Licence (non-commercial).
    The folder needs config.json, model.pth and vocab.json (speakers_xtts.pth optional).
    """

    backend = "coqui-xtts"
    sample_rate = 16000  # the reference is decoded at 16 kHz; the output is the model's 24 kHz
    uses_torch = True
    card = ModelCard(
        engine="XTTS-v2 (Coqui TTS)",
        package="coqui-tts 0.28.0",
        weights=f"config.json + model.pth + vocab.json in ${ENV_VAR} (about 1.9 GB for XTTS-v2)",
        weights_bytes=None,
        licence="code MPL-2.0; XTTS-v2 weights Coqui Public Model Licence 1.0.0: NON-COMMERCIAL use only",
        training_data="undisclosed multilingual speech (16 languages), per Coqui",
        limits=(
            "Non-commercial weights, so it is never picked by default; slow on CPU (RTF well above 1); "
            "needs ≥ 3 s of clean reference speech and may hallucinate on very short texts."
        ),
        paper="https://arxiv.org/abs/2406.04904",
    )

    @classmethod
    def availability(cls) -> Availability:
        return local_model_files(ENV_VAR, REQUIRED_FILES, "TTS", "torch")

    def _load(self) -> None:
        from TTS.tts.configs.xtts_config import XttsConfig
        from TTS.tts.models.xtts import Xtts

        found = self.availability()
        if not found.available:
            raise EngineError(f"XTTS is not available: {found.reason}")
        self._config = XttsConfig()
        self._config.load_json(os.path.join(found.weights_path, "config.json"))
        self._model = Xtts.init_from_config(self._config)
        self._model.load_checkpoint(self._config, checkpoint_dir=found.weights_path, eval=True)
        self._model.to(self.device)

    def clone(self, text: str, reference: np.ndarray, *, progress: ProgressFn = no_progress) -> Synthesis:
        import soundfile as sf

        require_reference_speech(reference, self.sample_rate)
        self.ensure_loaded()
        progress(0.1, "computing the reference's conditioning latents")
        with tempfile.TemporaryDirectory() as folder:  # XTTS reads references from files only
            path = Path(folder) / "reference.wav"
            sf.write(path, reference, self.sample_rate)
            latent, speaker = self._model.get_conditioning_latents(audio_path=[str(path)])
        progress(0.3, "generating speech tokens and decoding")
        out = self._model.inference(text, LANGUAGE, latent, speaker)
        audio = np.asarray(out["wav"], dtype=np.float32)
        progress(1.0, "done")
        return Synthesis(audio=audio, sample_rate=self._config.audio.output_sample_rate, phonemes="")
