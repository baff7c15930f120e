"""Clustering and re-segmentation steps of the meeting diarizer (numpy, scipy, scikit-learn only)."""

from __future__ import annotations

import numpy as np

from workers.engines.capabilities import Turn

GRID_S = 0.01  # time resolution of the final turns
MIN_WINDOWS = 6  # below this many windows there is too little evidence for more than one voice
# Each window keeps its nearest PRUNE_RATIO share of the others in the affinity graph. Park et al.
# (2020) search this level per recording (NME-SC); on 30-60 s recordings (40-120 windows) that search
# chose very sparse graphs and over-counted speakers (7 for 3) on our development set, so it is fixed.
PRUNE_RATIO = 0.3
AFFINITY_POWER = 3  # cos^3 sharpens the gap between same- and different-speaker pairs
MIN_CLUSTER_WINDOWS = 3  # a "speaker" with fewer windows (about 2.5 s) joins the nearest cluster


def affinity(embeddings: np.ndarray) -> np.ndarray:
    """Cosine similarities, clipped at 0, sharpened, each row pruned to its nearest neighbours and
    symmetrised: the graph whose Laplacian spectrum counts the speakers."""
    unit = embeddings / (np.linalg.norm(embeddings, axis=1, keepdims=True) + 1e-9)
    similarity = np.clip(unit @ unit.T, 0.0, 1.0) ** AFFINITY_POWER
    keep = max(2, int(len(similarity) * PRUNE_RATIO))
    pruned = np.zeros_like(similarity)
    top = np.argsort(-similarity, axis=1)[:, :keep]
    np.put_along_axis(pruned, top, np.take_along_axis(similarity, top, axis=1), axis=1)
    return 0.5 * (pruned + pruned.T)


def spectral_labels(embeddings: np.ndarray, *, num_speakers: int | None, max_speakers: int) -> np.ndarray:
    """A cluster id per window: spectral clustering of the pruned affinity graph, the number of
    clusters (when not given) at the largest gap between the normalised Laplacian's eigenvalues,
    read for two or more: `merge_close_clusters` then decides one against several."""
    from sklearn.cluster import KMeans

    n = len(embeddings)
    if n < MIN_WINDOWS or num_speakers == 1:
        return np.zeros(n, dtype=int)
    graph = affinity(embeddings)
    scale = 1.0 / np.sqrt(graph.sum(axis=1) + 1e-9)
    laplacian = np.eye(n) - scale[:, None] * graph * scale[None, :]
    values, vectors = np.linalg.eigh(laplacian)
    if num_speakers:
        k = min(num_speakers, n)
    else:
        gaps = np.diff(values[: min(max_speakers, n - 1) + 1])
        k = int(np.argmax(gaps[1:])) + 2 if len(gaps) > 1 else 2  # one speaker: merge_close_clusters
    spectral = vectors[:, :k] / (np.linalg.norm(vectors[:, :k], axis=1, keepdims=True) + 1e-9)
    # fixed seed and several starts: the same input always gives the same turns
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(spectral)


def cluster_reliable(
    embeddings: np.ndarray,
    lengths: np.ndarray,
    *,
    num_speakers: int | None,
    max_speakers: int,
    merge_cosine: float,
    reliable_s: float | None,
) -> np.ndarray:
    """Cluster ids per window. Only windows at least `reliable_s` long shape the clusters (a short
    window, cut by a pause, gives a noisy embedding that the spectral graph turns into a "speaker" of
    its own); the short ones then join the nearest centroid. None: every window shapes them."""
    reliable = np.ones(len(embeddings), dtype=bool) if reliable_s is None else lengths >= reliable_s
    if reliable.sum() < MIN_WINDOWS:
        reliable[:] = True
    labels = spectral_labels(embeddings[reliable], num_speakers=num_speakers, max_speakers=max_speakers)
    if num_speakers is None:  # a count given by the learner is kept as given
        labels = merge_close_clusters(embeddings[reliable], labels, merge_cosine)
    ids = np.unique(labels)
    out = np.argmax(embeddings @ _centroids(embeddings[reliable], labels, ids).T, axis=1)
    out[reliable] = labels
    return np.unique(out, return_inverse=True)[1]


def _centroids(embeddings: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    centroids = np.stack([embeddings[labels == c].mean(axis=0) for c in ids])
    return centroids / (np.linalg.norm(centroids, axis=1, keepdims=True) + 1e-9)


def merge_close_clusters(embeddings: np.ndarray, labels: np.ndarray, merge_cosine: float) -> np.ndarray:
    """Join the two closest clusters while their centroids' cosine is above `merge_cosine`, then give the
    windows of clusters smaller than MIN_CLUSTER_WINDOWS to the nearest other; relabel 0..k-1."""
    labels = labels.copy()
    while len(np.unique(labels)) > 1:
        ids = np.unique(labels)
        cosine = _centroids(embeddings, labels, ids) @ _centroids(embeddings, labels, ids).T
        np.fill_diagonal(cosine, -1.0)
        i, j = np.unravel_index(np.argmax(cosine), cosine.shape)
        if cosine[i, j] < merge_cosine:
            break
        labels[labels == ids[j]] = ids[i]
    while len(np.unique(labels)) > 1:
        ids, counts = np.unique(labels, return_counts=True)
        if counts.min() >= MIN_CLUSTER_WINDOWS:
            break
        small = ids[np.argmin(counts)]
        others = ids[ids != small]
        rows = np.flatnonzero(labels == small)
        labels[rows] = others[np.argmax(embeddings[rows] @ _centroids(embeddings, labels, others).T, axis=1)]
    return np.unique(labels, return_inverse=True)[1]


def viterbi(scores: np.ndarray, penalty: float, spans: list[tuple[float, float]]) -> np.ndarray:
    """Best speaker path over windows: per-window scores minus `penalty` per change of speaker
    between overlapping windows (a pause between windows makes a change free)."""
    n, k = scores.shape
    total = scores[0].copy()
    back = np.zeros((n, k), dtype=int)
    for t in range(1, n):
        cost = penalty if spans[t][0] < spans[t - 1][1] else 0.0
        stay = total
        switch = total.max() - cost
        back[t] = np.where(stay >= switch, np.arange(k), int(np.argmax(total)))
        total = np.maximum(stay, switch) + scores[t]
    path = np.zeros(n, dtype=int)
    path[-1] = int(np.argmax(total))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _runs(values: np.ndarray) -> list[tuple[int, int, int]]:
    cuts = np.flatnonzero(np.diff(values)) + 1
    return [
        (int(values[a]), int(a), int(b))
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(values)], strict=True)
    ]


def _absorb_short(labels: np.ndarray, min_frames: int) -> np.ndarray:
    """Runs shorter than min_frames take the label of the run before them (or after, at the start)."""
    labels = labels.copy()
    for _label, a, b in _runs(labels):
        if b - a < min_frames and len(labels) > b - a:
            labels[a:b] = labels[a - 1] if a > 0 else labels[b]
    return labels


def label_turns(
    regions: list[tuple[float, float]],
    spans: list[tuple[float, float]],
    scores: np.ndarray,
    path: np.ndarray,
    *,
    overlap_margin: float | None,
    min_turn: float,
) -> list[Turn]:
    """Turns on a 10 ms grid: each frame takes the path label of the nearest window centre. A second
    speaker is added where its score is within `overlap_margin` of the chosen one's (None: never)."""
    centres = np.array([(s + e) / 2 for s, e in spans])
    names: dict[int, str] = {}
    turns: list[Turn] = []
    min_frames = max(1, int(min_turn / GRID_S))
    for start, end in regions:
        grid = np.arange(start, end, GRID_S)
        if not len(grid):
            continue
        nearest = np.argmin(np.abs(centres[None, :] - grid[:, None]), axis=1)
        main = _absorb_short(path[nearest], min_frames)
        layers = [main]
        if overlap_margin is not None and scores.shape[1] > 1:
            frame_scores = scores[nearest]
            chosen = frame_scores[np.arange(len(grid)), main]
            masked = frame_scores.copy()
            masked[np.arange(len(grid)), main] = -np.inf
            both = masked.max(axis=1) >= chosen - overlap_margin
            layers.append(np.where(both, np.argmax(masked, axis=1), -1))
        for index, layer in enumerate(layers):
            for label, a, b in _runs(layer):
                if label < 0 or (index == 1 and b - a < min_frames):
                    continue
                name = names.setdefault(label, f"SPEAKER_{len(names):02d}")
                turns.append(
                    Turn(round(float(grid[a]), 3), round(float(min(grid[b - 1] + GRID_S, end)), 3), name)
                )
    return _merged(turns)


def _merged(turns: list[Turn]) -> list[Turn]:
    """One turn where layers gave a speaker touching or overlapping pieces."""
    out: list[Turn] = []
    for turn in sorted(turns, key=lambda t: (t.speaker, t.start)):
        if out and out[-1].speaker == turn.speaker and turn.start <= out[-1].end:
            out[-1] = Turn(out[-1].start, max(out[-1].end, turn.end), turn.speaker)
        else:
            out.append(turn)
    return sorted(out, key=lambda t: (t.start, t.speaker))
