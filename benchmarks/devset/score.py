"""The field's metrics on the development set: DER (pyannote.metrics, overlap scored, no collar, with
its missed / false-alarm / confusion parts), EER from verification trials, WER (jiwer)."""

from __future__ import annotations

import numpy as np


def hypothesis_annotation(turns, uri: str):
    from pyannote.core import Annotation, Segment

    hypothesis = Annotation(uri=uri)
    for i, turn in enumerate(turns):
        hypothesis[Segment(turn.start, turn.end), i] = turn.speaker
    return hypothesis


def der_metric():
    from pyannote.metrics.diarization import DiarizationErrorRate

    return DiarizationErrorRate(collar=0.0, skip_overlap=False)  # the scoring, stated explicitly


def der_parts(metric) -> dict[str, float]:
    """Accumulated DER and its parts, as percentages of the reference speech."""
    totals = metric.accumulated_
    total = totals["total"] or 1.0
    return {
        "DER": 100 * abs(metric),
        "missed": 100 * totals["missed detection"] / total,
        "false alarm": 100 * totals["false alarm"] / total,
        "confusion": 100 * totals["confusion"] / total,
    }


def equal_error_rate(same: list[float], different: list[float]) -> float:
    """Where false accepts equal false rejects, sweeping every score as the threshold (0..1)."""
    same_a, diff_a = np.array(same), np.array(different)
    best = 1.0
    for threshold in np.unique(np.concatenate([same_a, diff_a])):
        best = min(best, max(np.mean(same_a < threshold), np.mean(diff_a >= threshold)))
    return float(best)


def trials(
    embeddings: np.ndarray, speakers: list[str], origins: list[str]
) -> tuple[list[float], list[float]]:
    """Cosine scores of every pair, split into same- and different-speaker; pairs cut from one
    utterance are left out (they share a recording moment, which flatters the score)."""
    unit = embeddings / (np.linalg.norm(embeddings, axis=1, keepdims=True) + 1e-9)
    scores = unit @ unit.T
    same, different = [], []
    for i in range(len(speakers)):
        for j in range(i + 1, len(speakers)):
            if speakers[i] == speakers[j]:
                if origins[i] != origins[j]:
                    same.append(float(scores[i, j]))
            else:
                different.append(float(scores[i, j]))
    return same, different


def normalise(text: str) -> str:
    import re

    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def wer(references: list[str], hypotheses: list[str]) -> float:
    import jiwer

    return jiwer.wer([normalise(r) for r in references], [normalise(h) for h in hypotheses])
