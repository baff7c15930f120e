"""Predict-then-run exercise of the verification demo, measured with the real encoder."""

import itertools

import numpy as np

from demos.exercise import Exercise

CHOICES = (
    "Two different sentences by the same voice",
    "The same sentence by two different voices",
    "They score about the same",
)
SAME_MARGIN = 0.02  # mean scores closer than this count as "about the same"
SENTENCES_USED = (0, 1)  # every voice, two sentences: 12 clips, 6 same-voice and 30 same-sentence pairs


def _text_vs_voice_experiment() -> tuple[str, dict]:
    from demos.speaker_verification.speaker_set import shipped_speaker_set
    from workers.engines.runner import engine_infer

    shipped = shipped_speaker_set()
    clips = [i for i, n in enumerate(shipped.sentences) if n in SENTENCES_USED]
    vectors = {
        i: np.array(
            engine_infer(
                "speaker-embedding", backend=shipped.backend, audio_paths={"audio": shipped.files[i]}
            ).output.data["embedding"]
        )
        for i in clips
    }
    same_voice, same_text = [], []
    for i, j in itertools.combinations(clips, 2):
        score = float(vectors[i] @ vectors[j] / (np.linalg.norm(vectors[i]) * np.linalg.norm(vectors[j])))
        if shipped.speakers[i] == shipped.speakers[j]:
            same_voice.append(score)
        elif shipped.sentences[i] == shipped.sentences[j]:
            same_text.append(score)
    voice, text = float(np.mean(same_voice)), float(np.mean(same_text))
    answer = CHOICES[2] if abs(voice - text) < SAME_MARGIN else CHOICES[0] if voice > text else CHOICES[1]
    return answer, {
        "same voice, different sentences": f"mean {voice:.3f} over {len(same_voice)} pairs (lowest {min(same_voice):.3f})",
        "same sentence, different voices": f"mean {text:.3f} over {len(same_text)} pairs (highest {max(same_text):.3f})",
    }


EXERCISES = (
    Exercise(
        id="text-vs-voice",
        demo="speaker-verification",
        topic="speaker-verification",
        question=(
            "Which pair scores higher with the speaker encoder: two different sentences said by the same "
            "voice, or the same sentence said by two different voices? (Measured over every such pair "
            "of the shipped speaker set: six voices, two sentences.)"
        ),
        choices=CHOICES,
        experiment=_text_vs_voice_experiment,
        explanation=(
            "A speaker encoder is trained (GE2E loss) to pull together clips of one speaker whatever "
            "they say and push apart clips of different speakers, so the words barely matter: it is "
            "text-independent. Look at the highest same-sentence pair, though: voices that come from "
            "the same synthesiser with only accent rules changed can be closer than one voice with itself."
        ),
    ),
)
