"""Small helpers shared by the voice engines (TTS, speaker, diarization, conversion, cloning)."""

from __future__ import annotations

import numpy as np

from workers.audio_io import resample
from workers.engines.base import EngineError

MIN_REFERENCE_SPEECH_S = 3.0  # below this a speaker's timbre and F0 range cannot be estimated
_VAD_FRAME_S = 0.03  # webrtcvad accepts 10, 20 or 30 ms frames


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))


def shift_pitch(audio: np.ndarray, sample_rate: int, semitones: float) -> np.ndarray:
    """Phase-vocoder pitch shift (librosa), keeping duration; a no-op at 0 semitones."""
    if abs(semitones) > 12:
        raise EngineError("Pitch can be shifted by at most 12 semitones up or down.")
    if semitones == 0:
        return audio
    import librosa

    shifted = librosa.effects.pitch_shift(audio, sr=sample_rate, n_steps=semitones)
    return shifted.astype(np.float32)


def check_speed(speed: float) -> None:
    if not 0.25 <= speed <= 4.0:
        raise EngineError("Speed must be between 0.25 (slower) and 4 (faster); 1 is normal.")


def speech_seconds(audio: np.ndarray, sample_rate: int = 16000) -> float:
    """Seconds of speech according to webrtcvad (a classic GMM VAD), 30 ms frames, mode 2."""
    import webrtcvad

    audio16 = resample(audio, sample_rate, 16000)
    frame = int(16000 * _VAD_FRAME_S)
    pcm = (np.clip(audio16, -1, 1) * 32767).astype("<i2")
    vad = webrtcvad.Vad(2)
    voiced = sum(
        vad.is_speech(pcm[i : i + frame].tobytes(), 16000) for i in range(0, len(pcm) - frame + 1, frame)
    )
    return voiced * _VAD_FRAME_S


def require_reference_speech(audio: np.ndarray, sample_rate: int = 16000) -> None:
    """Cloning needs enough of the target voice; say how much was found when there is too little."""
    found = speech_seconds(audio, sample_rate)
    if found < MIN_REFERENCE_SPEECH_S:
        raise EngineError(
            f"The reference clip has {found:.1f} s of speech; at least {MIN_REFERENCE_SPEECH_S:.0f} s "
            "of the target voice is needed. Record a longer sentence."
        )
