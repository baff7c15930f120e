"""Predict-then-run exercise of the VAD demo: both engines run in-process on the sample, clean and noisy."""

import tempfile
from pathlib import Path

from demos.exercise import Exercise
from demos.noise import add_white_noise, write_wav
from demos.samples import SPEECH_PAUSES

SR = 16000
NOISE_SNR_DB = 0.0
NOISE_CHOICES = ("It goes up", "It goes down", "It stays within 2 points")


def speech_percent(backend: str, path: Path) -> float:
    """Percentage of the clip the engine calls speech, at the default threshold (WebRTC mode 2)."""
    from workers.engines.runner import engine_infer

    outcome = engine_infer("vad", backend=backend, audio_paths={"audio": path}, params={"threshold": 0.5})
    return 100.0 * outcome.output.data["speech_seconds"] / outcome.audio_seconds


def _noise_experiment() -> tuple[str, dict]:
    from workers.audio_io import load_audio

    clean = load_audio(SPEECH_PAUSES, target_sr=SR).samples
    with tempfile.TemporaryDirectory() as folder:
        noisy_path = write_wav(add_white_noise(clean, NOISE_SNR_DB), SR, Path(folder), "noisy.wav")
        measured = {
            backend: (speech_percent(backend, SPEECH_PAUSES), speech_percent(backend, noisy_path))
            for backend in ("webrtc", "silero")
        }
    before, after = measured["webrtc"]
    change = after - before
    answer = NOISE_CHOICES[2] if abs(change) <= 2 else NOISE_CHOICES[0] if change > 0 else NOISE_CHOICES[1]
    figures = {}
    for backend, name in (("webrtc", "WebRTC"), ("silero", "Silero")):
        clean_pct, noisy_pct = measured[backend]
        figures[f"{name} speech, clean"] = f"{clean_pct:.1f}%"
        figures[f"{name} speech, white noise at 0 dB"] = f"{noisy_pct:.1f}%"
    return answer, figures


EXERCISES = (
    Exercise(
        id="webrtc-white-noise-0db",
        demo="vad",
        topic="voice-activity-detection",
        question="The sample has three sentences and 3.5 s of pauses. Add white noise at 0 dB SNR "
        "(as loud as the speech): will the share of the clip WebRTC calls speech go up or down?",
        choices=NOISE_CHOICES,
        experiment=_noise_experiment,
        explanation="WebRTC's GMM looks at sub-band energies: broadband noise as loud as speech fills the "
        "pauses with energy in every band, so it calls nearly everything speech. Silero learned what "
        "speech looks like, not how loud it is, and keeps finding the pauses.",
    ),
)
