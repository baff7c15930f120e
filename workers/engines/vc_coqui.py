"""FreeVC voice conversion (Coqui TTS) loaded from a local folder named by SOUNDPATH_FREEVC_MODEL_PATH."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from workers.engines._voice_common import resample
from workers.engines.base import Availability, EngineError, ModelCard, ProgressFn, no_progress
from workers.engines.capabilities import VoiceConverter
from workers.engines.tts_coqui import coqui_model_availability

ENV_VAR = "SOUNDPATH_FREEVC_MODEL_PATH"
WAVLM_FILE = "WavLM-Large.pt"  # FreeVC's content encoder; Coqui would download it at model init
MIN_SECONDS = 1.0


@contextlib.contextmanager
def local_wavlm(path: Path) -> Iterator[None]:
    """While FreeVC is built, make its WavLM loader read `path` instead of downloading."""
    import torch
    from TTS.vc.layers.freevc.wavlm import WavLM, WavLMConfig
    from TTS.vc.models import freevc

    def load(device: str = "cpu") -> WavLM:
        checkpoint = torch.load(path, map_location=device, weights_only=True)
        model = WavLM(WavLMConfig(checkpoint["cfg"])).to(device)
        model.load_state_dict(checkpoint["model"])
        return model.eval()

    original = freevc.get_wavlm
    freevc.get_wavlm = load
    try:
        yield
    finally:
        freevc.get_wavlm = original


class FreeVcConverter(VoiceConverter):
    """WavLM content features + a VITS-style decoder conditioned on the target's speaker vector.

    The folder needs config.json, the FreeVC checkpoint (.pth) and WavLM-Large.pt; only
    configs with use_spk=false (speaker encoder trained jointly, as in FreeVC-24) are accepted,
    because the other variant downloads a separate speaker encoder.
    """

    backend = "coqui-freevc"
    sample_rate = 16000
    uses_torch = True
    card = ModelCard(
        engine="FreeVC (Coqui TTS implementation)",
        package="coqui-tts 0.28.0",
        weights=f"config.json + FreeVC .pth + {WAVLM_FILE} in ${ENV_VAR}",
        weights_bytes=None,
        licence="coqui-tts MPL-2.0; FreeVC weights MIT; WavLM-Large MIT",
        training_data="VCTK (FreeVC); WavLM pre-trained on 94k h of English speech",
        limits=(
            "Hub backend: load only from a local folder. Converts timbre well between speakers "
            "similar to VCTK's; output is resampled to 16 kHz."
        ),
        paper="https://arxiv.org/abs/2210.15418",
    )

    @classmethod
    def availability(cls) -> Availability:
        found = coqui_model_availability(ENV_VAR)
        if not found.available:
            return found
        folder = Path(found.weights_path).parent
        if not (folder / WAVLM_FILE).is_file():
            return Availability(False, f"{ENV_VAR}: {WAVLM_FILE} is missing from {folder}")
        with open(folder / "config.json", encoding="utf-8") as handle:
            if json.load(handle).get("model_args", {}).get("use_spk", False):
                return Availability(False, "use_spk=true FreeVC configs need a downloaded speaker encoder")
        return found

    def _load(self) -> None:
        from TTS.utils.synthesizer import Synthesizer

        found = self.availability()
        if not found.available:
            raise EngineError(f"FreeVC is not available: {found.reason}")
        folder = Path(found.weights_path).parent
        with local_wavlm(folder / WAVLM_FILE):
            self._synth = Synthesizer(
                vc_checkpoint=found.weights_path,
                vc_config=os.fspath(folder / "config.json"),
                use_cuda=self.device == "cuda",
            )

    def convert(
        self, source: np.ndarray, target: np.ndarray, *, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        import torch

        for name, clip in (("source", source), ("target", target)):
            if len(clip) < MIN_SECONDS * self.sample_rate:
                raise EngineError(f"The {name} clip is too short: at least {MIN_SECONDS:.0f} s is needed.")
        self.ensure_loaded()
        progress(0.1, "extracting WavLM content and the target's speaker vector")
        model = self._synth.vc_model
        rate_in = model.config.audio.input_sample_rate
        as_tensor = [torch.from_numpy(resample(a, self.sample_rate, rate_in)) for a in (source, target)]
        audio = model.voice_conversion(as_tensor[0], [as_tensor[1]])
        progress(1.0, "done")
        return resample(np.asarray(audio, dtype=np.float32), self._synth.output_sample_rate, self.sample_rate)
