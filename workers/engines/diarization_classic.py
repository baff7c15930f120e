"""Classic diarization: Silero VAD → resemblyzer window embeddings → agglomerative clustering."""

from __future__ import annotations

import numpy as np

from workers.engines.base import Availability, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import Diarization, Diarizer, Turn
from workers.engines.speaker_resemblyzer import ResemblyzerEncoder
from workers.engines.vad_silero import SileroVad

SR = 16000
VAD_ON, VAD_OFF = 0.5, 0.35  # hysteresis: enter speech above ON, leave below OFF
MIN_SPEECH_S, MIN_GAP_S = 0.25, 0.2
WINDOW_S, HOP_S = 1.5, 0.75
MIN_CLUSTER_WINDOW_S = 0.5  # shorter windows are too noisy to shape clusters; they join the nearest
# Above this cosine distance (average linkage, raw embeddings) the last two clusters are taken to be
# different speakers. Tuned: one synthetic voice tops out at 0.24-0.25, pyannote's two-speaker
# sample at 0.32, Piper vs espeak-ng at 0.55.
DISTANCE_THRESHOLD = 0.28
MAX_SPEAKERS = 8
GRID_S = 0.01  # time resolution of the final turns


def speech_regions(probs: np.ndarray, step: float) -> list[tuple[float, float]]:
    """Hysteresis thresholding of per-frame speech probabilities (`step` s apart), then short gaps
    bridged and short blips dropped."""
    regions: list[list[float]] = []
    inside = False
    for i, p in enumerate(probs):
        if not inside and p >= VAD_ON:
            inside = True
            regions.append([i * step, (i + 1) * step])
        elif inside:
            inside = p >= VAD_OFF
            if inside:
                regions[-1][1] = (i + 1) * step
    merged: list[list[float]] = []
    for region in regions:
        if merged and region[0] - merged[-1][1] < MIN_GAP_S:
            merged[-1][1] = region[1]
        else:
            merged.append(region)
    return [(s, e) for s, e in merged if e - s >= MIN_SPEECH_S]


def windows(
    regions: list[tuple[float, float]], *, window: float = WINDOW_S, hop: float = HOP_S
) -> list[tuple[float, float]]:
    """`window`-second windows every `hop` seconds inside each region; a short region is one window."""
    spans = []
    for start, end in regions:
        t = start
        while True:
            spans.append((t, min(t + window, end)))
            if t + window >= end:
                break
            t += hop
    return spans


def count_speakers(tree: np.ndarray, centred: np.ndarray) -> int:
    """1 when even the last merge is closer than DISTANCE_THRESHOLD; otherwise the cut (2..MAX)
    whose clusters are best separated by the silhouette score."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import silhouette_score

    if tree[-1, 2] < DISTANCE_THRESHOLD or len(centred) < 3:
        return 1
    centred_tree = linkage(centred, method="average", metric="cosine")
    scores = {
        k: silhouette_score(centred, fcluster(centred_tree, t=k, criterion="maxclust"), metric="cosine")
        for k in range(2, min(MAX_SPEAKERS, len(centred) - 1) + 1)
    }
    return max(scores, key=scores.__getitem__)


def cluster(embeddings: np.ndarray, reliable: np.ndarray, num_speakers: int | None) -> np.ndarray:
    """Average-linkage cosine clustering of the reliable windows; the rest join the nearest centroid.

    Clustering runs on embeddings minus their mean: what all windows share (channel, room,
    language) cancels, and the speakers' differences are left to separate the clusters.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    core = embeddings[reliable] if reliable.sum() >= 2 else embeddings
    if len(core) < 2:
        return np.zeros(len(embeddings), dtype=int)
    centred = core - core.mean(axis=0)
    k = num_speakers or count_speakers(linkage(core, method="average", metric="cosine"), centred)
    if k == 1:
        return np.zeros(len(embeddings), dtype=int)
    labels = fcluster(linkage(centred, method="average", metric="cosine"), t=k, criterion="maxclust")
    centroids = np.stack([centred[labels == c].mean(axis=0) for c in np.unique(labels)])
    return np.argmax(_unit(embeddings - core.mean(axis=0)) @ _unit(centroids).T, axis=1)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-9)


def turns_from_windows(
    regions: list[tuple[float, float]], spans: list[tuple[float, float]], labels: np.ndarray
) -> list[Turn]:
    """Each 10 ms of speech takes the label of the window centred nearest to it; runs become turns."""
    centres = np.array([(s + e) / 2 for s, e in spans])
    names: dict[int, str] = {}
    turns: list[Turn] = []
    for start, end in regions:
        grid = np.arange(start, end, GRID_S)
        inside = np.flatnonzero([(s >= start - 1e-6) and (e <= end + 1e-6) for s, e in spans])
        nearest = inside[np.argmin(np.abs(centres[inside][None, :] - grid[:, None]), axis=1)]
        grid_labels = labels[nearest]
        cuts = np.flatnonzero(np.diff(grid_labels)) + 1
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(grid)], strict=True):
            label = int(grid_labels[a])
            name = names.setdefault(label, f"SPEAKER_{len(names):02d}")
            turns.append(
                Turn(round(float(grid[a]), 3), round(float(min(grid[b - 1] + GRID_S, end)), 3), name)
            )
    return turns


class ClusteringDiarizer(Diarizer):
    """Who spoke when, the pre-end-to-end way: find speech, describe each 1.5 s window's voice,
    group windows whose voices are close, and read turns off the groups (16 kHz input)."""

    backend = "vad-embedding-clustering"
    sample_rate = SR
    uses_torch = True
    card = ModelCard(
        engine="Silero VAD + resemblyzer embeddings + agglomerative clustering",
        package="silero-vad 6.2.3 + resemblyzer 0.1.4 + scipy",
        weights="silero_vad.onnx (2,327,524 B) + resemblyzer pretrained.pt (17,090,379 B)",
        weights_bytes=2_327_524 + 17_090_379,
        licence="silero-vad MIT; resemblyzer Apache-2.0",
        training_data="Silero: multilingual speech corpora (undisclosed mix); resemblyzer: LibriSpeech, VoxCeleb1/2",
        limits=(
            "One speaker per window: overlapped speech is given to one speaker, turns shorter than "
            "about 0.75 s are smeared, and the distance threshold was tuned on one 30 s clip."
        ),
        classic=True,
        paper="https://arxiv.org/abs/1710.10468",
    )

    @classmethod
    def availability(cls) -> Availability:
        for found in (check_imports("scipy", "sklearn"), SileroVad.availability()):
            if not found.available:
                return found
        return ResemblyzerEncoder.availability()

    def _load(self) -> None:
        self._vad = SileroVad()
        self._vad.ensure_loaded()
        self._encoder = ResemblyzerEncoder(self.device)
        self._encoder.ensure_loaded()

    def diarize(
        self,
        audio: np.ndarray,
        *,
        num_speakers: int | None = None,
        label_overlap: bool = False,  # one label per window: this cascade has no notion of overlap
        progress: ProgressFn = no_progress,
    ) -> Diarization:
        self.ensure_loaded()
        progress(0.0, "finding speech (Silero VAD)")
        vad = self._vad.detect(audio)  # its probabilities; our own hysteresis suits turn-taking
        regions = speech_regions(np.array(vad.probabilities), vad.frame_seconds)
        if not regions:
            progress(1.0, "no speech found")
            return Diarization(turns=(), speaker_count=0)
        spans = windows(regions)
        progress(0.3, f"embedding {len(spans)} windows (resemblyzer)")
        embeddings = self._encoder.embed_spans(audio, spans)
        progress(0.8, "clustering voices")
        reliable = np.array([e - s >= MIN_CLUSTER_WINDOW_S for s, e in spans])
        labels = cluster(embeddings, reliable, num_speakers)
        turns = turns_from_windows(regions, spans, labels)
        progress(1.0, "done")
        return Diarization(turns=tuple(turns), speaker_count=len({t.speaker for t in turns}))
