"""Shipped sample clips (see README.md in this folder for how each was made)."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
SPEECH_EN = SAMPLES_DIR / "speech_en.wav"
SCALE_C_MAJOR = SAMPLES_DIR / "scale_c_major.wav"
SPEECH_EN_F = SAMPLES_DIR / "speech_en_f.wav"
SPEECH_EN_TEXT = (
    "Sound is a pressure wave. A spectrogram shows how its energy moves across frequency and time."
)
SPEECH_EN_F_TEXT = "Every voice has its own colour, shaped by the throat, the mouth and the way we move them."
SPEECH_PAUSES = SAMPLES_DIR / "speech_pauses.wav"
SPEECH_PAUSES_TEXT = "Is anyone there? I think I heard a voice in the next room. Let us listen again."
SPEAKERS_DIR = SAMPLES_DIR / "speakers"  # speaker-verification set: 6 espeak-ng voices × 4 sentences
