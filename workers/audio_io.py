"""Reading user audio safely: limits checked before decoding, one clear error per failure.

Plain Python (no Django): the web process, the demos and the workers all read audio here.
"""

import math
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Formats soundfile decodes itself; anything else (mp3/ogg-opus/webm/m4a from browsers) goes
# through ffmpeg.
_SOUNDFILE_SUFFIXES = {".wav", ".flac", ".ogg", ".aiff", ".aif"}
# What ffmpeg may open: the uploaded file only (no http, no concat or HLS playlists that name other
# files or URLs), through the demuxers of what browsers and phones record: WebM/Matroska (Opus),
# Ogg (Opus, Vorbis), MP4/M4A (AAC), raw AAC, WAV, FLAC and MP3.
FFMPEG_PROTOCOLS = "file"
FFMPEG_DEMUXERS = "matroska,webm,ogg,mov,mp4,m4a,aac,wav,flac,mp3"


class AudioInputError(ValueError):
    """The input cannot be used; the message is written for the person who uploaded it."""


@dataclass(frozen=True)
class AudioLimits:
    max_bytes: int = 50_000_000
    max_seconds: float = 600.0
    min_seconds: float = 0.1


@dataclass(frozen=True)
class Audio:
    samples: np.ndarray  # float32, mono, shape (n,), in [-1, 1]
    sample_rate: int
    source_sample_rate: int
    source_channels: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def probe_duration(path: Path) -> tuple[float, int, int] | None:
    """(seconds, sample rate, channels) from the header alone, or None if soundfile cannot read it."""
    import soundfile as sf

    try:
        info = sf.info(str(path))
    except (RuntimeError, sf.LibsndfileError):
        return None
    return info.frames / info.samplerate, info.samplerate, info.channels


def load_audio(
    path: str | Path, *, target_sr: int | None = 16000, limits: AudioLimits | None = None
) -> Audio:
    """Decode `path` to mono float32 at `target_sr` (None keeps the file's rate)."""
    import soundfile as sf

    limits = limits or AudioLimits()
    path = Path(path)
    if not path.is_file():
        raise AudioInputError("The audio file is missing.")
    size = path.stat().st_size
    if size == 0:
        raise AudioInputError("The file is empty (0 bytes).")
    if size > limits.max_bytes:
        raise AudioInputError(
            f"The file is {size / 1e6:.1f} MB; the limit is {limits.max_bytes / 1e6:.0f} MB."
        )
    shortfall = wav_shortfall(path)
    if shortfall is not None:
        promised, present = shortfall
        raise AudioInputError(
            f"The WAV file is cut short: its header promises {_human_duration(promised)} of audio but only "
            f"{_human_duration(present)} is there. Upload the complete recording."
        )
    header = probe_duration(path)
    if header is not None:
        seconds, source_sr, channels = header
        _check_duration(seconds, limits)
        try:
            data, source_sr = sf.read(str(path), dtype="float32", always_2d=True)
        except (RuntimeError, sf.LibsndfileError) as exc:  # its message names the server's path
            raise AudioInputError("The audio data is damaged or truncated.") from exc
    else:
        data, source_sr = _decode_with_ffmpeg(path, limits)
    channels = data.shape[1]
    if data.shape[0] == 0:
        raise AudioInputError("The file contains no audio samples.")
    if not np.isfinite(data).all():
        raise AudioInputError("The audio contains invalid samples (NaN or infinity).")
    mono = data.mean(axis=1)
    _check_duration(len(mono) / source_sr, limits)
    peak = float(np.abs(mono).max())
    if peak > 1.0:  # float files may exceed full scale; keep the shape, not the clipping
        mono = mono / peak
    if target_sr and target_sr != source_sr:
        mono = resample(mono, source_sr, target_sr)
    return Audio(np.ascontiguousarray(mono, dtype=np.float32), target_sr or source_sr, source_sr, channels)


# Writers that stream a WAV before knowing its length put a placeholder in the data size.
_UNKNOWN_DATA_SIZES = (0, 0xFFFFFFFF)


def wav_shortfall(path: Path) -> tuple[float, float] | None:
    """(seconds the header promises, seconds present) when a RIFF/WAVE file's data chunk claims
    more bytes than the file holds; None for complete WAVs, streamed ones and other formats.
    libsndfile quietly reads what is there, so a cut-off upload would otherwise pass as whole."""
    size = path.stat().st_size
    with path.open("rb") as f:
        riff = f.read(12)
        if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
            return None
        byte_rate = 0
        while True:
            head = f.read(8)
            if len(head) < 8:
                return None
            chunk_id, chunk_size = head[:4], struct.unpack("<I", head[4:])[0]
            if chunk_id == b"data":
                missing = chunk_size - (size - f.tell())
                # A sloppy writer may be a few bytes off; a cut-off upload misses far more.
                if chunk_size in _UNKNOWN_DATA_SIZES or byte_rate == 0 or missing <= byte_rate // 100:
                    return None
                return chunk_size / byte_rate, (chunk_size - missing) / byte_rate
            skip = chunk_size + (chunk_size % 2)  # chunks are padded to an even length
            if chunk_id == b"fmt ":
                fmt = f.read(min(chunk_size, 16))
                byte_rate = struct.unpack("<I", fmt[8:12])[0] if len(fmt) >= 12 else 0
                skip -= len(fmt)
            f.seek(skip, 1)


def _check_duration(seconds: float, limits: AudioLimits) -> None:
    if not math.isfinite(seconds) or seconds > limits.max_seconds:
        raise AudioInputError(
            f"The recording is {_human_duration(seconds)} long; the limit is {_human_duration(limits.max_seconds)}."
        )
    if seconds < limits.min_seconds:
        raise AudioInputError(
            f"The recording is too short ({seconds:.2f} s); give at least {limits.min_seconds} s."
        )


def _human_duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "of unknown length"
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} minutes"


def resample(audio: np.ndarray, source_sr: int, target_sr: int) -> np.ndarray:
    """Polyphase resampling (scipy): exact for integer ratios such as 16 kHz <-> 48 kHz, no numba warm-up.
    The one resampler: the engines' helper modules re-export it."""
    if source_sr == target_sr:
        return np.asarray(audio, dtype=np.float32)
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(source_sr, target_sr)
    return resample_poly(audio, target_sr // g, source_sr // g).astype(np.float32)


def _decode_with_ffmpeg(path: Path, limits: AudioLimits) -> tuple[np.ndarray, int]:
    """Compressed formats: ffmpeg decodes to 32-bit float mono 48 kHz, stopping at the duration limit."""
    if shutil.which("ffmpeg") is None:
        raise AudioInputError(
            "This format needs ffmpeg, which is not installed on the server; upload WAV or FLAC."
        )
    sr = 48000
    cmd = [
        "ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", FFMPEG_PROTOCOLS,
        "-format_whitelist", FFMPEG_DEMUXERS, "-i", f"file:{path}", "-t", str(limits.max_seconds + 1),
        "-ac", "1", "-ar", str(sr), "-f", "f32le", "-",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    if proc.returncode != 0 or not proc.stdout:
        reason = proc.stderr.decode(errors="replace").strip().splitlines()
        # ffmpeg names the file; the server's paths are none of the uploader's business.
        detail = reason[-1].replace(f"file:{path}: ", "").replace(f"{path}: ", "") if reason else ""
        detail = detail.replace(str(path), "the file")
        with path.open("rb") as f:
            if f.read(4) == b"RIFF":
                raise AudioInputError("The WAV file is damaged or cut short: its header is incomplete.")
        raise AudioInputError(f"This file is not audio we can read ({detail or 'unrecognised data'}).")
    samples = np.frombuffer(proc.stdout, dtype=np.float32).reshape(-1, 1)
    if len(samples) / sr > limits.max_seconds:  # decoding stopped at the limit: the true length is unknown
        raise AudioInputError(
            f"The recording is longer than the limit of {_human_duration(limits.max_seconds)}."
        )
    return samples, sr
