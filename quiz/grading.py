"""Free-text grading: how well an answer covers a question's key points, and where it says so.

For each key point the grader takes the best cosine similarity between the point and any sentence
(or clause) of the answer, from the platform's sentence-embedding engine (all-MiniLM-L6-v2, 384-d,
L2-normalised), and adds a bonus for the point's key terms found in the answer (tolerant to case,
plurals, inflections and hyphens). That sum maps linearly to a credit between 0 and 1; a point is
covered when its credit reaches one half, and the score is the mean credit: the covered fraction,
weighted by how clearly each point is made. Plain functions, no Django: the benchmark and the
tests call them directly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

MAX_SENTENCES = 120  # an answer is cut to this many sentences before encoding (cost is linear)
LONG_SENTENCE_WORDS = 18  # longer sentences are also compared clause by clause
OTHER_SCRIPT_SHARE = 0.5  # more than this share of non-Latin letters: warn that grading is English


# A paraphrase of a key point scores about 0.6-0.9 against it, a sentence on the same subject that
# makes another (or a mistaken) point 0.4-0.7, an off-topic sentence under 0.2. Key terms separate
# the last two: mistaken answers rarely use the right ones. The defaults sit in the middle of the
# plateau found on benchmarks/grader/labelled_set.yaml (see RESULTS.md), not on its peak.
@dataclass(frozen=True)
class GraderParams:
    term_weight: float = 0.25  # added to the similarity, times the fraction of the point's terms found
    low: float = 0.5  # similarity + term bonus at which a point starts to earn credit
    width: float = 0.4  # ... and how much more it needs for full credit (covered from half of it)

    def credit(self, similarity: float, term_share: float) -> float:
        return min(1.0, max(0.0, (similarity + self.term_weight * term_share - self.low) / self.width))


DEFAULT_PARAMS = GraderParams()


class SentenceEncoder(Protocol):
    def encode(self, sentences: list[str]) -> np.ndarray:
        """(n, d) float32, L2-normalised rows."""


@dataclass(frozen=True)
class KeyPointInput:
    text: str
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointResult:
    point: str
    covered: bool
    credit: float  # 0..1
    similarity: float  # best cosine between the point and an answer sentence or clause
    terms_found: tuple[str, ...]
    term_share: float  # fraction of the point's terms found in the answer
    evidence: str  # the answer sentence that best matches the point ("" when there is none)

    def as_json(self) -> dict:
        return {
            "point": self.point,
            "evidence": self.evidence if self.covered else "",
            "similarity": round(self.similarity, 3),
            "terms": list(self.terms_found),
        }


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1, the mean credit over the key points
    points: tuple[PointResult, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def hit(self) -> list[PointResult]:
        return [p for p in self.points if p.covered]

    @property
    def missed(self) -> list[PointResult]:
        return [p for p in self.points if not p.covered]


# ---------------------------------------------------------------------------------------------
# Text handling

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\n;]+|(?<=[。！？])")
_CLAUSE = re.compile(r",\s+|\s+[-–—]\s+|\s+(?:and|but|because|so|which|while|whereas)\s+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s-]")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` (split at . ! ? ; newlines and CJK full stops), stripped, non-empty."""
    parts = (p.strip(" \t\"'()[]") for p in _SENTENCE_END.split(text))
    return [p for p in parts if re.search(r"\w", p)]


def _clauses(sentence: str) -> list[str]:
    if len(sentence.split()) < LONG_SENTENCE_WORDS:
        return []
    parts = [p.strip() for p in _CLAUSE.split(sentence)]
    return [p for p in parts if len(p.split()) >= 4 and p != sentence]


def _stem(token: str) -> str:
    """Fold plurals: 'frequencies' → 'frequency', 'boxes' → 'box', 'filters' → 'filter'."""
    if not token.isalpha() or len(token) <= 3:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ches", "shes", "xes", "zes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _token_variants(text: str) -> list[list[str]]:
    """The text's tokens with hyphenated compounds split ('low pass') and joined ('lowpass')."""
    lowered = _DIGIT_COMMA.sub("", text.lower())
    split = [_stem(t) for t in _TOKEN.findall(lowered.replace("-", " "))]
    joined = [_stem(t) for t in _TOKEN.findall(re.sub(r"(?<=\w)-(?=\w)", "", lowered))]
    return [split] if split == joined else [split, joined]


def _token_match(term_token: str, answer_token: str) -> bool:
    if term_token == answer_token:
        return True
    # 'alias' covers 'aliasing', 'fold' covers 'folded': prefixes of words of four letters or more
    return term_token.isalpha() and len(term_token) >= 4 and answer_token.startswith(term_token)


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    if not n:
        return False
    for start in range(len(haystack) - n + 1):
        if all(_token_match(needle[i], haystack[start + i]) for i in range(n)):
            return True
    return False


def find_terms(terms: Sequence[str], answer: str) -> tuple[str, ...]:
    """The terms that occur in the answer, each as a whole token sequence (not inside other words)."""
    answer_variants = _token_variants(answer)
    found = []
    for term in terms:
        term_variants = _token_variants(term)
        if any(_contains(a, t) for a in answer_variants for t in term_variants):
            found.append(term)
    return tuple(found)


def dominant_other_script(text: str) -> str | None:
    """The name of the non-Latin script most letters are in ('CYRILLIC', 'CJK'…), when most are."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    scripts: dict[str, int] = {}
    for ch in letters:
        name = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
        if name != "LATIN":
            scripts[name] = scripts.get(name, 0) + 1
    other = sum(scripts.values())
    if other / len(letters) <= OTHER_SCRIPT_SHARE:
        return None
    return max(scripts, key=scripts.__getitem__)


# ---------------------------------------------------------------------------------------------
# Grading


def default_encoder() -> SentenceEncoder:
    from workers.engines.registry import get_engine

    return get_engine("sentence-embedding")


@lru_cache(maxsize=512)
def _point_vectors(encoder: SentenceEncoder, points: tuple[str, ...]) -> np.ndarray:
    # A question's key points never change between gradings: encode them once per process.
    return encoder.encode(list(points))


def _candidates(answer: str) -> tuple[list[str], list[int]]:
    """Sentences and the clauses of long sentences, each with the index of its sentence."""
    sentences = split_sentences(answer)[:MAX_SENTENCES]
    texts, owners = [], []
    for i, sentence in enumerate(sentences):
        for text in [sentence, *_clauses(sentence)]:
            texts.append(text)
            owners.append(i)
    return texts, owners


def grade_answer(
    answer: str,
    key_points: Sequence[KeyPointInput],
    *,
    encoder: SentenceEncoder | None = None,
    params: GraderParams = DEFAULT_PARAMS,
) -> Grade:
    """Grade a free-text answer against the key points; an empty answer scores 0."""
    notes = []
    script = dominant_other_script(answer)
    if script:
        notes.append(
            f"Most of this answer is in {script.title()} script. The key points are in English, so "
            "the grader may miss ideas you stated; answer in English for a fair score."
        )
    texts, owners = _candidates(answer)
    if not texts or not key_points:
        points = tuple(PointResult(kp.text, False, 0.0, 0.0, (), 0.0, "") for kp in key_points)
        return Grade(0.0, points, (*notes, "The answer is empty."))
    encoder = encoder or default_encoder()
    point_vectors = _point_vectors(encoder, tuple(kp.text for kp in key_points))
    similarity = point_vectors @ encoder.encode(texts).T  # (points, candidates) cosines
    sentences = split_sentences(answer)
    results = []
    for row, kp in zip(similarity, key_points, strict=True):
        best = int(np.argmax(row))
        found = find_terms(kp.terms, answer)
        share = len(found) / len(kp.terms) if kp.terms else 0.0
        sim = float(row[best])
        credit = params.credit(sim, share)
        results.append(
            PointResult(kp.text, credit >= 0.5, credit, sim, found, share, sentences[owners[best]])
        )
    score = sum(r.credit for r in results) / len(results)
    return Grade(round(score, 4), tuple(results), tuple(notes))
