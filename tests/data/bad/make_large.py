"""Makes the large bad inputs on demand (never committed): a 2-hour recording and a 500 MB file.

    .venv/bin/python tests/data/bad/make_large.py DIR     # writes both into DIR

Tests call `two_hours(tmp_path)` and `five_hundred_mb(tmp_path)` directly.
"""

import os
import struct
import sys
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
TWO_HOURS = 2 * 60 * 60  # 7200 s: 115,200,000 samples, 230.4 MB of 16-bit mono data
FIVE_HUNDRED_MB = 500_000_000  # bytes, as the platform's messages count them (1 MB = 10^6 bytes)
TONE_HZ = 440.0


def wav_header(*, sr: int, channels: int, bits: int, data_bytes: int) -> bytes:
    """A canonical 44-byte PCM WAV header whose sizes say `data_bytes` of samples follow."""
    block = channels * bits // 8
    return (
        b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
        + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, sr, sr * block, block, bits)
        + b"data" + struct.pack("<I", data_bytes)
    )  # fmt: skip


def two_hours(folder: Path) -> Path:
    """A real 2-hour 16 kHz 16-bit mono WAV (a 440 Hz tone): one second written 7200 times."""
    second = (0.5 * np.sin(2 * np.pi * TONE_HZ * np.arange(SAMPLE_RATE) / SAMPLE_RATE) * 32767).astype("<i2")
    chunk = second.tobytes()  # 440 whole cycles: the seconds join without a click
    path = Path(folder) / "two_hours.wav"
    with path.open("wb") as out:
        out.write(wav_header(sr=SAMPLE_RATE, channels=1, bits=16, data_bytes=len(chunk) * TWO_HOURS))
        for _ in range(TWO_HOURS):
            out.write(chunk)
    return path


def five_hundred_mb(folder: Path) -> Path:
    """A valid WAV header for 500 MB of samples, then a sparse hole up to 500 MB (silence that
    takes no disk space): made in milliseconds, yet 500 MB to anything that reads it."""
    path = Path(folder) / "five_hundred_mb.wav"
    header = wav_header(sr=SAMPLE_RATE, channels=1, bits=16, data_bytes=FIVE_HUNDRED_MB - 44)
    path.write_bytes(header)
    os.truncate(path, FIVE_HUNDRED_MB)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for made in (two_hours(target), five_hundred_mb(target)):
        print(f"{made} {made.stat().st_size:,} bytes")
