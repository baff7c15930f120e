"""Make the keyword-spotting sample clips: words spoken by an espeak-ng accent the model never trains on.

Run: .venv/bin/python -m demos.keyword_spotting.make_samples (prints each word's span in seconds).
"""

from pathlib import Path

import numpy as np

from demos.samples import SAMPLES_DIR
from workers.engines._kws_data import HELD_OUT_VOICES, SAMPLE_VOICES, TRAIN_VOICES, coloured_noise, speak

SR = 16000
LEAD_SECONDS, GAP_SECONDS = 0.4, 0.8  # gaps wider than a window hop, so each word is seen on its own
PEAK = 0.7
# (file, voice, words, pink-noise SNR in dB or None)
CLIPS = (
    ("kws_yes_no_up_down.wav", SAMPLE_VOICES[0], ("yes", "no", "up", "down"), None),
    ("kws_stop_go_noisy.wav", SAMPLE_VOICES[1], ("stop", "house", "go", "seven"), 20.0),
)


def _unseen(voice: str) -> bool:
    accent = voice.split("+")[0]
    return accent not in TRAIN_VOICES.accents + HELD_OUT_VOICES.accents


def make_clip(voice: str, words: tuple[str, ...], snr_db: float | None) -> tuple[np.ndarray, list]:
    """Words in order with silent gaps, normalised to PEAK; optional pink noise (seeded) at `snr_db`
    measured over the words alone."""
    parts, spans, t = [np.zeros(int(LEAD_SECONDS * SR), dtype=np.float32)], [], LEAD_SECONDS
    for word in words:
        audio = speak(word, voice, 150, 45)
        spans.append((word, round(t, 2), round(t + len(audio) / SR, 2)))
        parts += [audio, np.zeros(int(GAP_SECONDS * SR), dtype=np.float32)]
        t += (len(audio) + int(GAP_SECONDS * SR)) / SR
    clip = np.concatenate(parts)
    clip *= PEAK / np.abs(clip).max()
    if snr_db is not None:
        speech = np.concatenate([clip[int(start * SR) : int(end * SR)] for _, start, end in spans])
        noise = coloured_noise(len(clip), np.random.default_rng(7), "pink")
        clip = clip + noise * np.sqrt(np.mean(speech**2) / 10 ** (snr_db / 10))
    return clip.astype(np.float32), spans


def main(folder: Path = SAMPLES_DIR) -> None:
    import soundfile as sf

    for name, voice, words, snr in CLIPS:
        assert _unseen(voice), f"{voice} is used in training or held-out data"
        clip, spans = make_clip(voice, words, snr)
        sf.write(str(folder / name), clip, SR, subtype="PCM_16")
        print(name, f"{len(clip) / SR:.2f} s", spans)


if __name__ == "__main__":
    main()
