"""Predict-then-run exercise of the TTS demo, measured by synthesising the same text twice."""

from demos.exercise import Exercise

TEXT = "Sound is a pressure wave. A spectrogram shows how its energy moves across frequency and time."
BACKEND = "piper"
CHOICES = ("About 2/3 as long", "The same length", "About 1.5 times longer")
_RATIOS = (2 / 3, 1.0, 1.5)


def _speed_experiment() -> tuple[str, dict]:
    from workers.engines.runner import engine_infer

    durations = {
        speed: engine_infer("tts", backend=BACKEND, text=TEXT, params={"speed": speed}).output.data[
            "duration"
        ]
        for speed in (1.0, 1.5)
    }
    ratio = durations[1.5] / durations[1.0]
    answer = min(zip(CHOICES, _RATIOS, strict=True), key=lambda c: abs(c[1] - ratio))[0]
    return answer, {
        "text": f"“{TEXT}” ({BACKEND})",
        "duration at speed 1.0": f"{durations[1.0]:.2f} s",
        "duration at speed 1.5": f"{durations[1.5]:.2f} s",
        "ratio": f"{ratio:.2f} (2/3 = 0.67)",
    }


EXERCISES = (
    Exercise(
        id="speed-1.5-duration",
        demo="tts",
        topic="prosody-control",
        question="The speed goes from 1.0 to 1.5. Compared with speed 1.0, the audio lasts…",
        choices=CHOICES,
        experiment=_speed_experiment,
        explanation=(
            "Piper (VITS) predicts a duration for every phoneme and multiplies it by length_scale = 1/speed, "
            "so 1.5× faster speech lasts about 1/1.5 ≈ 0.67 as long, with the pitch unchanged (the "
            "vocoder is not simply played faster). The measured ratio is a little above 0.67 because "
            "VITS samples its durations with noise and the edges of the clip do not shrink."
        ),
    ),
)
