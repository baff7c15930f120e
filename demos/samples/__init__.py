"""Shipped sample clips (see README.md in this folder for how each was made)."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
SPEECH_EN = SAMPLES_DIR / "speech_en.wav"
SCALE_C_MAJOR = SAMPLES_DIR / "scale_c_major.wav"
