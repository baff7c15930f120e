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
# Separation demo (made by demos.separation.make_mixtures): each mixture is the exact sum of its references
MUSIC_MIX = SAMPLES_DIR / "music_mix.flac"  # 8 s at 120 BPM: melody + drums + vocal
MUSIC_MELODY = SAMPLES_DIR / "music_melody.flac"
MUSIC_DRUMS = SAMPLES_DIR / "music_drums.flac"  # also the music demo's 120 BPM drum loop
MUSIC_VOCAL = SAMPLES_DIR / "music_vocal.flac"
MUSIC_VOCAL_TEXT = "Sing me a song of the sea, of the wind and the waves and the long grey rain."
TWO_SPEAKERS_MIX = SAMPLES_DIR / "two_speakers_mix.flac"  # speech_en.wav + speech_en_f.wav
# enhancement noises: babble, music, hum (made by demos/enhancement/make_noise_clips.py)
NOISE_DIR = SAMPLES_DIR / "noise"
# Keyword spotting: single words by an espeak-ng accent the keyword model never trains on
# (demos/keyword_spotting/make_samples.py); each word with its span in seconds.
KWS_YES_NO_UP_DOWN = SAMPLES_DIR / "kws_yes_no_up_down.wav"
KWS_STOP_GO_NOISY = SAMPLES_DIR / "kws_stop_go_noisy.wav"
KWS_SAMPLE_WORDS = {
    "kws_yes_no_up_down.wav": (("yes", 0.4, 0.8), ("no", 1.6, 2.0), ("up", 2.8, 3.1), ("down", 3.9, 4.32)),
    "kws_stop_go_noisy.wav": (
        ("stop", 0.4, 0.84),
        ("house", 1.64, 2.05),
        ("go", 2.85, 3.36),
        ("seven", 4.16, 4.74),
    ),
}
