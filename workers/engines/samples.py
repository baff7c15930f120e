"""A sample request per capability, on the shipped clips: what `manage.py engines --check` runs."""

from pathlib import Path
from typing import Any

# The shipped clips live with the demos (demos/samples/); engines find them by path, not by
# importing demos, which sit above workers in the import order.
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "demos" / "samples"
SPEECH_EN = SAMPLES_DIR / "speech_en.wav"
SPEECH_EN_F = SAMPLES_DIR / "speech_en_f.wav"
SCALE_C_MAJOR = SAMPLES_DIR / "scale_c_major.wav"

SampleRequest = tuple[dict[str, Path], str, dict[str, Any]]  # (audio inputs, text, params)

SAMPLE_REQUESTS: dict[str, SampleRequest] = {
    "vad": ({"audio": SPEECH_EN}, "", {}),
    "asr": ({"audio": SPEECH_EN}, "", {}),
    "tts": ({}, "Soundpath turns sound into understanding.", {}),
    "speaker-embedding": ({"enrolment": SPEECH_EN, "test": SPEECH_EN_F}, "", {}),
    "diarization": ({"audio": SPEECH_EN}, "", {}),
    "enhancement": ({"audio": SPEECH_EN}, "", {}),
    "separation": ({"audio": SCALE_C_MAJOR}, "", {}),
    "voice-conversion": ({"source": SPEECH_EN, "target": SPEECH_EN_F}, "", {}),
    "voice-cloning": ({"reference": SPEECH_EN_F}, "This voice was borrowed with consent.", {}),
    "pitch": ({"audio": SCALE_C_MAJOR}, "", {}),
    "audio-to-midi": ({"audio": SCALE_C_MAJOR}, "", {}),
    "audio-tagging": ({"audio": SPEECH_EN}, "", {}),
    "keyword-spotting": ({"audio": SPEECH_EN}, "", {}),
    "music-generation": ({}, "", {"length_steps": 64, "seed": 1}),
    "sentence-embedding": (
        {},
        "",
        {"sentences": ["A spectrogram shows energy over time.", "Cats sleep a lot."]},
    ),
}
