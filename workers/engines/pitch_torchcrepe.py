"""CREPE pitch tracking (the 'tiny' network shipped inside torchcrepe): a CNN over 64 ms waveform frames."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import require_audio
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import PitchTrack, PitchTracker

SAMPLE_RATE = 16000  # CREPE's native rate
HOP = 160  # 10 ms frames
FMIN, FMAX = 50.0, 1100.0  # voice and most melodic instruments
VOICED_PERIODICITY = 0.21  # torchcrepe's suggested threshold between voiced and unvoiced frames
SMOOTHING_FRAMES = 3  # median over 30 ms removes single-frame periodicity dips


class CrepePitchTracker(PitchTracker):
    backend = "torchcrepe"
    sample_rate = SAMPLE_RATE
    uses_torch = True
    card = ModelCard(
        engine="CREPE tiny (torchcrepe)",
        package="torchcrepe 0.0.24",
        weights="tiny.pth",
        weights_bytes=1_962_363,
        licence="MIT (code and weights)",
        training_data="MIR-1K, Bach10, RWC-Synth, MedleyDB, MDB-STEM-Synth and NSynth (pitch-annotated music and singing)",
        limits="Monophonic only: with chords or accompaniment it follows the strongest note; the tiny model "
        "is less accurate than 'full' on noisy or breathy voices.",
        paper="https://arxiv.org/abs/1802.06182",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("torchcrepe", "torch", "resampy")

    def _load(self) -> None:
        import torchcrepe

        torchcrepe.load.model(self.device, "tiny")
        self._torchcrepe = torchcrepe

    def track(self, audio: np.ndarray) -> PitchTrack:
        """16 kHz float32 in; one estimate per 10 ms, NaN where the periodicity is too low to call voiced."""
        import torch

        audio = require_audio(audio, self.sample_rate)
        self.ensure_loaded()
        tc = self._torchcrepe
        tensor = torch.from_numpy(audio).unsqueeze(0)
        f0, periodicity = tc.predict(
            tensor, SAMPLE_RATE, HOP, FMIN, FMAX, model="tiny", decoder=tc.decode.viterbi,
            return_periodicity=True, batch_size=2048, device=self.device,
        )  # fmt: skip
        periodicity = tc.filter.median(periodicity, SMOOTHING_FRAMES)[0].cpu().numpy()
        f0 = f0[0].cpu().numpy().astype(np.float64)
        f0[periodicity < VOICED_PERIODICITY] = np.nan
        times = np.arange(len(f0)) * HOP / SAMPLE_RATE
        return PitchTrack(times=times, f0_hz=f0, confidence=np.clip(periodicity, 0.0, 1.0))
