"""Synthetic keyword data: words spoken by espeak-ng voices, 1 s clips with noise, gain and time shift."""

from __future__ import annotations

import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from workers.engines._kws_common import CLIP_SAMPLES, SAMPLE_RATE
from workers.engines._signal_common import resample
from workers.engines.base import EngineError

ESPEAK_RATE = 22050  # espeak-ng's output rate
DEFAULT_KEYWORDS = ("yes", "no", "up", "down", "stop", "go")


@dataclass(frozen=True)
class VoiceSet:
    """Accents × variants × speeds × pitches; the training and held-out sets share none of these values
    except the variants (so held-out voices are new accent+variant pairs at new speeds and pitches)."""

    accents: tuple[str, ...]
    variants: tuple[str, ...]
    speeds: tuple[int, ...]  # words per minute (espeak-ng -s)
    pitches: tuple[int, ...]  # 0-99 (espeak-ng -p)
    unknown_words: tuple[str, ...]

    def voice(self, index: int) -> str:
        accent = self.accents[index % len(self.accents)]
        variant = self.variants[(index // len(self.accents)) % len(self.variants)]
        return f"{accent}+{variant}" if variant else accent


TRAIN_VOICES = VoiceSet(
    accents=("en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp"),
    variants=("", "m1", "m2", "m3", "m5", "m8", "f1", "f2", "f3", "Annie", "david", "steph", "linda"),
    speeds=(120, 140, 160, 180, 200),
    pitches=(30, 40, 50, 60, 70),
    unknown_words=(
        "cat", "house", "tree", "left", "right", "on", "off", "seven", "bed", "bird", "happy", "dog",
        "learn", "follow", "forward", "zero", "one", "three", "five", "nine", "yellow", "water",
        "music", "morning", "yet", "know", "cup", "dawn", "goat", "top",
    ),
)  # fmt: skip
HELD_OUT_VOICES = VoiceSet(
    accents=("en-us-nyc", "en-gb-x-gbclan"),
    variants=("m4", "m6", "f4", "f5"),
    speeds=(130, 170, 190),
    pitches=(35, 55, 65),
    unknown_words=(
        "table", "window", "four", "eight", "two", "paper", "light", "blue", "town", "nobody", "shop",
        "yellow", "bottle", "garden",
    ),
)  # fmt: skip
# The shipped demo samples use an accent neither set contains (see demos/keyword_spotting/make_samples.py).
SAMPLE_VOICES = ("en-gb-x-gbcwmd+m7", "en-gb-x-gbcwmd+f2")


def speak(word: str, voice: str, speed: int, pitch: int) -> np.ndarray:
    """One word from espeak-ng at 16 kHz, silence trimmed, at most 1 s."""
    import soundfile as sf

    command = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", word]
    done = subprocess.run(command, capture_output=True, check=True, timeout=30)
    audio, rate = sf.read(io.BytesIO(done.stdout), dtype="float32")
    audio = resample(audio, rate, SAMPLE_RATE)
    loud = np.flatnonzero(np.abs(audio) > 0.01 * (np.abs(audio).max() + 1e-9))
    if not loud.size:
        raise EngineError(f"espeak-ng produced silence for '{word}' with voice {voice}.")
    return audio[loud[0] : loud[-1] + 1][:CLIP_SAMPLES]


def check_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        raise EngineError(
            "espeak-ng is not installed (Debian package espeak-ng): it speaks the training words."
        )


@dataclass
class Utterances:
    """Trimmed word recordings and their label index; noise-only clips are made later, per epoch."""

    audio: list[np.ndarray]
    labels: np.ndarray  # int64


def synthesise(
    keywords: tuple[str, ...], voices: VoiceSet, per_word: int, rng: np.random.Generator
) -> Utterances:
    """`per_word` recordings of each keyword, and as many of random unknown words (label len(keywords))."""
    unknown = [w for w in voices.unknown_words if w not in keywords]
    jobs: list[tuple[str, str, int, int]] = []
    labels: list[int] = []
    for label, word in enumerate([*keywords, None]):
        for i in range(per_word):
            spoken = word or unknown[int(rng.integers(len(unknown)))]
            speed, pitch = int(rng.choice(voices.speeds)), int(rng.choice(voices.pitches))
            jobs.append((spoken, voices.voice(i + label), speed, pitch))  # + label: voices rotate per word
            labels.append(label)
    with ThreadPoolExecutor(max_workers=4) as pool:  # espeak-ng runs as processes: overlap them
        audio = list(pool.map(lambda job: speak(*job), jobs))
    return Utterances(audio, np.asarray(labels, dtype=np.int64))


def coloured_noise(length: int, rng: np.random.Generator, colour: str) -> np.ndarray:
    """Unit-RMS white, pink (1/f power) or brown (1/f²) noise, shaped in the frequency domain."""
    white = rng.standard_normal(length)
    if colour != "white":
        spectrum = np.fft.rfft(white)
        f = np.maximum(np.fft.rfftfreq(length), 1.0 / length)
        spectrum /= np.sqrt(f) if colour == "pink" else f
        white = np.fft.irfft(spectrum, n=length)
    return (white / (np.sqrt(np.mean(white**2)) + 1e-12)).astype(np.float32)


def place(word: np.ndarray, rng: np.random.Generator, snr_range: tuple[float, float]) -> np.ndarray:
    """A 1 s clip: the word at a random offset (time shift) and gain, usually with noise at a random SNR."""
    clip = np.zeros(CLIP_SAMPLES, dtype=np.float32)
    offset = int(rng.integers(0, CLIP_SAMPLES - len(word) + 1))
    gain = 10 ** (rng.uniform(-20, 0) / 20) * 0.9 / (np.abs(word).max() + 1e-9)
    clip[offset : offset + len(word)] = word * gain
    if rng.random() < 0.85:
        speech_power = float(np.mean((word * gain) ** 2))
        snr = rng.uniform(*snr_range)
        colour = str(rng.choice(["white", "pink", "brown"]))
        clip += coloured_noise(CLIP_SAMPLES, rng, colour) * np.sqrt(speech_power / 10 ** (snr / 10))
    return clip


def noise_clip(rng: np.random.Generator) -> np.ndarray:
    """A '_silence_' example: coloured noise from near digital silence to a loud hiss."""
    level = 10 ** rng.uniform(-4.5, -1.0)
    return coloured_noise(CLIP_SAMPLES, rng, str(rng.choice(["white", "pink", "brown"]))) * level


def fragment(word: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The first or last 20-45 % of a keyword: what a sliding window sees at a word's edge."""
    keep = max(1, int(len(word) * rng.uniform(0.2, 0.45)))
    return word[:keep] if rng.random() < 0.5 else word[-keep:]


def make_clips(
    utterances: Utterances,
    copies: int,
    silence_label: int,
    rng: np.random.Generator,
    snr_range: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """`copies` fresh augmentations of every utterance, as many noise clips as one word gets, and half
    as many keyword fragments labelled unknown (so "st|op" cut by a window edge is not "up")."""
    per_class = copies * int(np.bincount(utterances.labels).max())
    unknown_label = silence_label - 1
    clips = [place(w, rng, snr_range) for w in utterances.audio for _ in range(copies)]
    labels = [int(label) for label in utterances.labels for _ in range(copies)]
    keywords = np.flatnonzero(utterances.labels < unknown_label)
    for index in rng.choice(keywords, size=per_class // 2):
        clips.append(place(fragment(utterances.audio[index], rng), rng, snr_range))
        labels.append(unknown_label)
    clips += [noise_clip(rng) for _ in range(per_class)]
    labels += [silence_label] * per_class
    return np.stack(clips), np.asarray(labels, dtype=np.int64)
