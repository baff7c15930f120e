"""Scoring separated stems: SI-SDR, the estimates × references matrix and the best one-to-one
assignment (permutation-invariant scoring, as PIT training uses). Pure NumPy."""

import itertools
from dataclasses import dataclass

import numpy as np

EPS = 1e-12


def si_sdr(estimate: np.ndarray, reference: np.ndarray) -> float:
    """Scale-invariant SDR in dB (Le Roux et al. 2019): project the estimate on the reference, then
    compare the projection's energy with what is left. Both signals are mean-removed first; a
    gain on the estimate does not change the score."""
    n = min(len(estimate), len(reference))
    s = np.asarray(reference[:n], dtype=np.float64)
    e = np.asarray(estimate[:n], dtype=np.float64)
    s, e = s - s.mean(), e - e.mean()
    target = (np.dot(e, s) / (np.dot(s, s) + EPS)) * s
    residual = e - target
    return float(10 * np.log10((np.dot(target, target) + EPS) / (np.dot(residual, residual) + EPS)))


def si_sdr_matrix(estimates: dict[str, np.ndarray], references: dict[str, np.ndarray]) -> np.ndarray:
    """(len(estimates), len(references)) SI-SDR in dB, rows and columns in the dicts' order."""
    return np.array([[si_sdr(e, r) for r in references.values()] for e in estimates.values()])


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[tuple[int, int], ...]  # (estimate row, reference column), by row
    total_db: float  # sum of the matched SI-SDRs
    mean_db: float


def best_assignment(matrix: np.ndarray) -> Assignment:
    """The one-to-one matching of estimates (rows) to references (columns) with the highest total
    SI-SDR, by trying every permutation (fine for the 2–4 sources of a demo). With more rows than
    columns, only as many estimates as references are matched."""
    rows, cols = matrix.shape
    if rows == 0 or cols == 0:
        raise ValueError("Scoring needs at least one estimate and one reference.")
    if rows <= cols:
        candidates = (tuple(enumerate(p)) for p in itertools.permutations(range(cols), rows))
    else:
        candidates = (
            tuple(sorted((r, c) for c, r in enumerate(p))) for p in itertools.permutations(range(rows), cols)
        )
    best = max(candidates, key=lambda pairs: (sum(matrix[r, c] for r, c in pairs), [-c for _, c in pairs]))
    total = float(sum(matrix[r, c] for r, c in best))
    return Assignment(pairs=best, total_db=total, mean_db=total / len(best))


def improvement(estimate_db: float, mixture_db: float) -> float:
    """SI-SDR improvement (SI-SDRi): how much closer to the reference than the unprocessed mixture."""
    return estimate_db - mixture_db


def score_rows(
    matrix: np.ndarray, rows: list[str], columns: list[str], mixture_db: list[float], best: Assignment
) -> list[list]:
    """Table rows for each matched estimate: estimate, reference, SI-SDR, mixture's SI-SDR, SI-SDRi."""
    return [
        [rows[r], columns[c], round(float(matrix[r, c]), 2), round(mixture_db[c], 2),
         round(improvement(float(matrix[r, c]), mixture_db[c]), 2)]
        for r, c in best.pairs
    ]  # fmt: skip


def permutation_summary(matrix: np.ndarray, rows: list[str], columns: list[str], best: Assignment) -> str:
    """Why scoring needs the best assignment: the engine's output order against the best matching."""
    in_order = [(i, i) for i in range(min(len(rows), len(columns)))]
    order_total = float(sum(matrix[r, c] for r, c in in_order))
    matched = "; ".join(f"{rows[r]} → {columns[c]} ({matrix[r, c]:.1f} dB)" for r, c in best.pairs)
    text = (
        f"Best one-to-one assignment: {matched}; mean {best.mean_db:.1f} dB. "
        f"Taking the outputs in the order the engine returned them "
        f"({', '.join(f'{rows[r]} → {columns[c]}' for r, c in in_order)}) would give a mean of "
        f"{order_total / len(in_order):.1f} dB."
    )
    if tuple(in_order) == best.pairs:
        return text + " Here the engine's order happens to be the right one."
    return (
        text
        + " The engine's order is not the sources' order: without the assignment step the score would be wrong."
    )
