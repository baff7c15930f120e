"""The shipped speaker set (demos/samples/speakers/, made by make_speaker_set.py) and its scores."""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from demos.speaker_verification.make_speaker_set import MANIFEST, SPEAKERS_DIR
from demos.speaker_verification.scoring import Eer, cosine_scores, equal_error_rate, trials


@dataclass(frozen=True)
class SpeakerSet:
    backend: str  # the engine whose embeddings these are
    files: tuple[Path, ...]
    speakers: tuple[str, ...]  # one label per clip
    sentences: tuple[int, ...]  # index of the sentence each clip says
    embeddings: np.ndarray  # (clips, d)

    def scores(self) -> tuple[np.ndarray, np.ndarray]:
        """(target scores, non-target scores) over every pair of clips."""
        pairs = trials(list(self.speakers))
        scores = cosine_scores(self.embeddings, pairs)
        mask = np.array([t.target for t in pairs])
        return scores[mask], scores[~mask]

    def eer(self) -> Eer:
        return equal_error_rate(*self.scores())

    def clip(self, speaker: str, sentence: int) -> Path:
        return next(
            f
            for f, s, n in zip(self.files, self.speakers, self.sentences, strict=True)
            if (s, n) == (speaker, sentence)
        )

    def nearest_speaker(self, embedding: np.ndarray) -> tuple[str, float]:
        """The shipped speaker whose clips are closest on average (cosine), and that mean score."""
        unit = self.embeddings / np.linalg.norm(self.embeddings, axis=1, keepdims=True)
        scores = unit @ (embedding / np.linalg.norm(embedding))
        means = {s: float(scores[np.array(self.speakers) == s].mean()) for s in dict.fromkeys(self.speakers)}
        best = max(means, key=means.__getitem__)
        return best, means[best]


@functools.cache
def shipped_speaker_set() -> SpeakerSet:
    manifest = json.loads(MANIFEST.read_text())
    clips = manifest["clips"]
    return SpeakerSet(
        backend=manifest["backend"],
        files=tuple(SPEAKERS_DIR / c["file"] for c in clips),
        speakers=tuple(c["speaker"] for c in clips),
        sentences=tuple(c["sentence"] for c in clips),
        embeddings=np.array([c["embedding"] for c in clips], dtype=np.float64),
    )
