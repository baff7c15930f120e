"""Verification scoring on a labelled set: trials, error rates at each threshold, EER, DET, PCA.

Pure numpy: scores are cosine similarities, higher means "more likely the same speaker", and a
trial is accepted when its score is at or above the threshold.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trial:
    a: int  # index of the first clip
    b: int
    target: bool  # True: both clips are the same speaker


def trials(labels: list[str]) -> list[Trial]:
    """Every unordered pair of different clips, once: targets share a label, non-targets do not."""
    return [
        Trial(i, j, labels[i] == labels[j]) for i in range(len(labels)) for j in range(i + 1, len(labels))
    ]


def cosine_scores(embeddings: np.ndarray, pairs: list[Trial]) -> np.ndarray:
    unit = embeddings / (np.linalg.norm(embeddings, axis=1, keepdims=True) + 1e-12)
    return np.array([float(unit[t.a] @ unit[t.b]) for t in pairs])


@dataclass(frozen=True)
class ErrorRates:
    thresholds: np.ndarray  # ascending; the last is +inf (reject everything)
    false_accept: np.ndarray  # fraction of non-target trials scoring >= threshold
    false_reject: np.ndarray  # fraction of target trials scoring < threshold


def error_rates(target: list[float] | np.ndarray, nontarget: list[float] | np.ndarray) -> ErrorRates:
    """False accept and false reject rates at every distinct score used as a threshold."""
    target, nontarget = np.asarray(target, dtype=float), np.asarray(nontarget, dtype=float)
    if target.size == 0 or nontarget.size == 0:
        raise ValueError("Both target and non-target scores are needed.")
    thresholds = np.append(np.unique(np.concatenate([target, nontarget])), np.inf)
    far = np.array([(nontarget >= t).mean() for t in thresholds])
    frr = np.array([(target < t).mean() for t in thresholds])
    return ErrorRates(thresholds, far, frr)


@dataclass(frozen=True)
class Eer:
    rate: float  # where false accepts and false rejects are equal
    threshold: float


def equal_error_rate(target, nontarget) -> Eer:
    """The crossing of the false-accept (falling) and false-reject (rising) curves, interpolated
    linearly between the two thresholds around it."""
    r = error_rates(target, nontarget)
    gap = r.false_accept - r.false_reject  # starts at 1 (accept all), ends at -1 (reject all)
    k = int(np.argmax(gap <= 0))
    if k == 0:
        return Eer(float(r.false_accept[0] + r.false_reject[0]) / 2, float(r.thresholds[0]))
    alpha = gap[k - 1] / (gap[k - 1] - gap[k])
    rate = r.false_accept[k - 1] + alpha * (r.false_accept[k] - r.false_accept[k - 1])
    upper = r.thresholds[k] if np.isfinite(r.thresholds[k]) else r.thresholds[k - 1]
    threshold = r.thresholds[k - 1] + alpha * (upper - r.thresholds[k - 1])
    return Eer(float(rate), float(threshold))


def rates_at(target, nontarget, threshold: float) -> tuple[float, float]:
    """(false accept, false reject) at one threshold."""
    target, nontarget = np.asarray(target, dtype=float), np.asarray(nontarget, dtype=float)
    return float((nontarget >= threshold).mean()), float((target < threshold).mean())


@dataclass(frozen=True)
class Projection:
    mean: np.ndarray  # (d,)
    components: np.ndarray  # (2, d), unit rows
    explained: tuple[float, float]  # fraction of the variance each component carries

    def project(self, vectors: np.ndarray) -> np.ndarray:
        return (np.atleast_2d(vectors) - self.mean) @ self.components.T


def pca_2d(embeddings: np.ndarray) -> Projection:
    """The two directions of largest variance (SVD of the centred matrix), signs fixed so the
    largest loading of each component is positive (a stable picture from run to run)."""
    mean = embeddings.mean(axis=0)
    _, singular, vt = np.linalg.svd(embeddings - mean, full_matrices=False)
    components = vt[:2] * np.sign(vt[:2][np.arange(2), np.argmax(np.abs(vt[:2]), axis=1)])[:, None]
    variance = singular**2 / np.sum(singular**2)
    return Projection(mean, components, (float(variance[0]), float(variance[1])))
