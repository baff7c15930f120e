"""Writes the small bad-input corpus committed in this folder (run it again to regenerate it).

    .venv/bin/python tests/data/bad/make_corpus.py

Every clip is short (0.5 s or less) so the whole corpus stays far under 2 MB; README.md says
what each file is and what the platform must answer. The large files come from make_large.py.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from make_large import TONE_HZ, wav_header  # run as a script: this folder is on sys.path

HERE = Path(__file__).resolve().parent
SECONDS = 0.5  # long enough for every engine (the minimum is 0.1 s), short enough to stay small


def tone(sr: int, seconds: float = SECONDS, channels: int = 1) -> np.ndarray:
    """A 440 Hz sine at half scale, shape (n, channels); channel k is phase-shifted so that
    mixing down does not cancel it."""
    t = np.arange(int(sr * seconds)) / sr
    return np.stack([0.5 * np.sin(2 * np.pi * TONE_HZ * t + k * 0.1) for k in range(channels)], axis=1)


def write(name: str, data: np.ndarray, sr: int, subtype: str) -> None:
    sf.write(HERE / name, data, sr, subtype=subtype, format="WAV")


def main() -> None:
    (HERE / "empty.wav").write_bytes(b"")
    # Cut inside the header: the RIFF chunk starts, the fmt chunk never finishes.
    full = tempfile.NamedTemporaryFile(suffix=".wav")  # noqa: SIM115 - closed below
    sf.write(full.name, tone(16000), 16000, subtype="PCM_16", format="WAV")
    (HERE / "truncated.wav").write_bytes(Path(full.name).read_bytes()[:30])
    full.close()
    (HERE / "text.wav").write_text("This is a text file, not a recording.\n" * 10, encoding="utf-8")
    # MP3 data under a .flac name: decoders must go by the content, not the name.
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "tone.wav"
        sf.write(source, tone(16000), 16000, subtype="PCM_16")
        mp3 = Path(folder) / "tone.mp3"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(source), "-b:a", "32k", str(mp3)], check=True
        )
        (HERE / "mp3_named.flac").write_bytes(mp3.read_bytes())
    for sr in (8000, 48000, 96000):
        write(f"rate_{sr // 1000}k.wav", tone(sr), sr, "PCM_16")
    for subtype, name in [("PCM_U8", "pcm_u8"), ("PCM_16", "pcm_16"), ("PCM_24", "pcm_24"),
                          ("PCM_32", "pcm_32"), ("FLOAT", "float32")]:  # fmt: skip
        write(f"{name}.wav", tone(16000), 16000, subtype)
    write("stereo.wav", tone(16000, channels=2), 16000, "PCM_16")
    write("six_channel.wav", tone(16000, channels=6), 16000, "PCM_16")
    write("silence.wav", np.zeros((int(16000 * SECONDS), 1)), 16000, "PCM_16")
    noise = np.random.default_rng(0).uniform(-0.9, 0.9, size=(int(16000 * SECONDS), 1))
    write("noise.wav", noise, 16000, "PCM_16")
    bad = tone(16000)[:, 0].astype(np.float32)
    bad[100], bad[200], bad[300] = np.nan, np.inf, -np.inf
    write("nan_inf_float.wav", bad, 16000, "FLOAT")
    # The header promises 10 s of 16 kHz 16-bit mono; 0.5 s follows.
    present = (tone(16000)[:, 0] * 32767).astype("<i2").tobytes()
    claimed = wav_header(sr=16000, channels=1, bits=16, data_bytes=10 * 16000 * 2)
    (HERE / "header_overclaims.wav").write_bytes(claimed + present)


if __name__ == "__main__":
    sys.exit(main())
