"""Real audio for engine tests: shipped clips, espeak-ng speech made on the fly (pyannote's sample clip is a root fixture)."""

import subprocess
from pathlib import Path

import numpy as np
import pytest

from demos.samples import SCALE_C_MAJOR, SPEECH_EN
from workers.audio_io import load_audio


def espeak(
    text: str, path: Path, *, voice: str = "en-us", speed: int = 150, pitch: int = 50, sr: int = 16000
) -> np.ndarray:
    """Speak `text` with espeak-ng (a real formant synthesiser) and return float32 mono at `sr`."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(raw), text], check=True
    )
    return load_audio(raw, target_sr=sr).samples


def add_noise(clean: np.ndarray, snr_db: float, seed: int = 0) -> np.ndarray:
    noise = np.random.default_rng(seed).standard_normal(len(clean)).astype(np.float32)
    scale = np.sqrt(np.mean(clean**2) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
    return (clean + scale * noise).astype(np.float32)


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    n = min(len(reference), len(estimate))
    reference, estimate = reference[:n] - reference[:n].mean(), estimate[:n] - estimate[:n].mean()
    target = np.dot(estimate, reference) / (np.dot(reference, reference) + 1e-12) * reference
    return float(10 * np.log10(np.sum(target**2) / (np.sum((estimate - target) ** 2) + 1e-12)))


@pytest.fixture(scope="session")
def speech_16k() -> np.ndarray:
    """The shipped 6.9 s espeak-ng sentence, 16 kHz."""
    return load_audio(SPEECH_EN, target_sr=16000).samples


@pytest.fixture(scope="session")
def scale_16k() -> np.ndarray:
    return load_audio(SCALE_C_MAJOR, target_sr=16000).samples
