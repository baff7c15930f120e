"""The shipped mixtures and the references each separation method should be scored against.

A mixture is recognised by its samples (not its file name: Gradio copies examples to temporary
files), so an upload of the same file is scored too; a microphone recording never matches.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from demos.samples import (
    MUSIC_DRUMS,
    MUSIC_MELODY,
    MUSIC_MIX,
    MUSIC_VOCAL,
    SPEECH_EN,
    SPEECH_EN_F,
    TWO_SPEAKERS_MIX,
)

MATCH_TOLERANCE = 1e-3  # max sample difference after decoding and resampling the same file

PITCHED = "pitched (melody + vocal)"
ACCOMPANIMENT = "accompaniment (melody + drums)"
SPEAKER_A = "speaker A (male voice)"
SPEAKER_B = "speaker B (female voice)"


@dataclass(frozen=True)
class ShippedMixture:
    key: str
    mixture: Path
    sources: dict[str, Path]  # source name → its file (the mixture is their sum)
    targets: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # method → {column: sources}
    default_targets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def targets_for(self, method: str) -> dict[str, tuple[str, ...]]:
        return self.targets.get(method, self.default_targets)


MUSIC = ShippedMixture(
    key="music",
    mixture=MUSIC_MIX,
    sources={"melody": MUSIC_MELODY, "drums": MUSIC_DRUMS, "vocal": MUSIC_VOCAL},
    targets={
        "hpss": {PITCHED: ("melody", "vocal"), "drums": ("drums",)},
        "repet-sim": {"vocal": ("vocal",), ACCOMPANIMENT: ("melody", "drums")},
    },
    default_targets={PITCHED: ("melody", "vocal"), "drums": ("drums",)},
)
SPEAKERS = ShippedMixture(
    key="speakers",
    mixture=TWO_SPEAKERS_MIX,
    sources={SPEAKER_A: SPEECH_EN, SPEAKER_B: SPEECH_EN_F},
    default_targets={SPEAKER_A: (SPEAKER_A,), SPEAKER_B: (SPEAKER_B,)},
)
SHIPPED = (MUSIC, SPEAKERS)


def _read(path: Path, sample_rate: int, length: int | None = None) -> np.ndarray:
    from workers.audio_io import load_audio

    samples = load_audio(path, target_sr=sample_rate).samples.astype(np.float64)
    if length is None:
        return samples
    return np.pad(samples, (0, max(0, length - len(samples))))[:length]


def identify(samples: np.ndarray, sample_rate: int) -> ShippedMixture | None:
    """The shipped mixture these samples are (same decoded samples), or None."""
    for shipped in SHIPPED:
        mixture = _read(shipped.mixture, sample_rate)
        if len(mixture) == len(samples) and np.max(np.abs(mixture - samples)) < MATCH_TOLERANCE:
            return shipped
    return None


def target_signals(
    shipped: ShippedMixture, method: str, sample_rate: int, length: int
) -> dict[str, np.ndarray]:
    """Column name → the sum of its sources, at `sample_rate`, exactly `length` samples."""
    sources = {name: _read(path, sample_rate, length) for name, path in shipped.sources.items()}
    return {column: sum(sources[n] for n in names) for column, names in shipped.targets_for(method).items()}
