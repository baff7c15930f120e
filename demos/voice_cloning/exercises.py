"""Predict-then-run exercise of the cloning demo, measured with the real engines in this process."""

from demos.exercise import Exercise

CHOICES = ("Yes: it scores at or above the threshold", "No: it stays below the threshold")
TEXT = "The birch canoe slid on the smooth planks."


def _clone_passes_experiment() -> tuple[str, dict]:
    import tempfile
    from pathlib import Path

    import soundfile as sf

    from demos.samples import SPEECH_EN_F
    from workers.engines.runner import engine_infer

    with tempfile.TemporaryDirectory() as tmp:
        cloned = engine_infer(
            "voice-cloning", backend="piper-world", audio_paths={"reference": SPEECH_EN_F}, text=TEXT
        ).output.audio["cloned"]
        plain = engine_infer("tts", backend="piper", text=TEXT).output.audio["speech"]
        scores = {}
        for name, (audio, sr) in (("cloned", cloned), ("plain", plain)):
            path = Path(tmp) / f"{name}.wav"
            sf.write(path, audio, sr)
            data = engine_infer(
                "speaker-embedding", audio_paths={"enrolment": SPEECH_EN_F, "test": path}
            ).output.data
            scores[name] = data["score"]
            threshold = data["threshold"]
    answer = CHOICES[0] if scores["cloned"] >= threshold else CHOICES[1]
    return answer, {
        "similarity of the clone to the reference": f"{scores['cloned']:.3f}",
        "similarity of plain Piper (joe) to the reference": f"{scores['plain']:.3f}",
        "verification threshold": f"{threshold:.2f}",
    }


EXERCISES = (
    Exercise(
        id="clone-passes-verification",
        demo="voice-cloning",
        topic="voice-cloning",
        question=(
            "Piper + WORLD clones the shipped female espeak-ng voice (speech_en_f.wav) saying a Harvard sentence. "
            "Will the speaker encoder accept the clone as the reference speaker (score at or above its 0.75 threshold)?"
        ),
        choices=CHOICES,
        experiment=_clone_passes_experiment,
        explanation=(
            "WORLD conversion moves only pitch statistics, formant scale and spectral tilt; the timbre "
            "details, rhythm and voice quality stay Piper's joe voice. Compare the clone's score with plain "
            "Piper's: the gap is what the conversion bought. Neural zero-shot cloners condition on a speaker "
            "embedding and often pass, which is why verification needs anti-spoofing."
        ),
    ),
)
