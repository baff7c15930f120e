"""Make the shipped noise clips for the enhancement demo (16 kHz mono 16-bit FLAC, 8 s each):

    .venv/bin/python -m demos.enhancement.make_noise_clips   # rewrites demos/samples/noise/

- babble.flac: six espeak-ng voices reading different sentences at once (cocktail-party noise);
- music.flac: a synthesised I–V–vi–IV chord sequence in C major (decaying additive tones);
- hum.flac: mains hum (50 Hz and its odd harmonics) over a fan's low rumble (low-passed noise).
Nothing is recorded: no real person's voice, no third-party music.
"""

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from demos.samples import NOISE_DIR

SR = 16000
SECONDS = 8.0
N = int(SR * SECONDS)
SEED = 7
BABBLE = (  # (espeak-ng voice, base pitch, text)
    ("en-us", 45, "The stale smell of old beer lingers. A pot of tea helps to pass the evening."),
    ("en-gb", 40, "Smoky fires lack flame and heat. The soft cushion broke the man's fall."),
    ("en-us+f3", 60, "The salt breeze came across from the sea. The girl at the booth sold fifty bonds."),
    ("en-gb-x-rp+f4", 75, "Rice is often served in round bowls. The juice of lemons makes fine punch."),
    ("en-029+m7", 55, "The box was thrown beside the parked truck. Four hours of steady work faced us."),
    ("en-gb-scotland+m3", 35, "A large size in stockings is hard to sell. The hogs were fed chopped corn."),
)


def _espeak(text: str, voice: str, pitch: int) -> np.ndarray:
    import soundfile as sf

    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw.wav", Path(tmp) / "out.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-p", str(pitch), "-s", "170", "-w", str(raw), text], check=True
        )
        subprocess.run(["sox", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(out)], check=True)
        return sf.read(out, dtype="float32")[0]


def babble(rng: np.random.Generator) -> np.ndarray:
    """Each voice looped to 8 s from a random start, equal loudness, summed."""
    mix = np.zeros(N)
    for voice, pitch, text in BABBLE:
        speech = np.resize(_espeak(text, voice, pitch), 2 * N)
        start = rng.integers(0, N)
        part = speech[start : start + N]
        mix += part / np.sqrt(np.mean(part**2))
    return mix


def music() -> np.ndarray:
    """C – G – Am – F, twice: each chord 1 s, three notes of six decaying harmonics each."""
    chords = ((60, 64, 67), (55, 59, 62), (57, 60, 64), (53, 57, 60)) * 2
    t = np.arange(SR) / SR
    out = []
    for chord in chords:
        tone = np.zeros(SR)
        for note in chord:
            f = 440.0 * 2 ** ((note - 69) / 12)
            tone += sum(np.sin(2 * np.pi * k * f * t) / k for k in range(1, 7))
        out.append(tone * np.exp(-2.5 * t) * np.minimum(1, t / 0.01))  # 10 ms attack, then decay
    return np.concatenate(out)


def hum(rng: np.random.Generator) -> np.ndarray:
    from scipy.signal import butter, sosfilt

    t = np.arange(N) / SR
    mains = sum(np.sin(2 * np.pi * 50 * k * t) / k for k in (1, 3, 5, 7))
    rumble = sosfilt(butter(4, 300, fs=SR, output="sos"), rng.standard_normal(N))
    return mains / np.sqrt(np.mean(mains**2)) + 2 * rumble / np.sqrt(np.mean(rumble**2))


def main() -> None:
    import soundfile as sf

    rng = np.random.default_rng(SEED)
    NOISE_DIR.mkdir(parents=True, exist_ok=True)
    for name, audio in (("babble", babble(rng)), ("music", music()), ("hum", hum(rng))):
        audio = 0.5 * audio / np.max(np.abs(audio))
        sf.write(NOISE_DIR / f"{name}.flac", audio.astype(np.float32), SR, subtype="PCM_16")
        print(f"{name}.flac: {len(audio) / SR:.1f} s")


if __name__ == "__main__":
    main()
