"""Free-text grading: which of a question's key points an answer states, correctly, and where.

For each key point the grader finds the answer sentence (or clause) most similar to it, by cosine
similarity of sentence embeddings (the worker's `sentence-embedding` engine, all-MiniLM-L6-v2).
Key terms found *in that sentence* confirm it, but only once the sentence is already about the
point: a list of terms, or terms dropped into unrelated sentences, earns nothing. Then the point's
facts are checked, not just its topic: its numbers by value (with a tolerance, after normalising
units and spellings, see quiz.textnorm); a different number for the same quantity, or the point's
words turned round ("wide at low, narrow at high"), makes the point *wrong*, which costs more
than leaving it out, because an interviewer hears a confident error as worse than a gap.
Sentences that copy the question earn nothing. The score is the mean credit over the points.

Plain functions, no Django; the model is only touched through the encoder passed in (the worker's
task obtains it from the engine registry): the web process never calls grade_answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from quiz.answer_text import (
    CLAUSE,
    FUNCTION_WORDS,
    clauses,
    dominant_other_script,
    find_terms,
    is_copy,
    is_fragment,
    split_sentences,
)
from quiz.polarity import affirmed, denied_in, swapped
from quiz.textnorm import (
    Quantity,
    contradicts,
    for_encoder,
    quantities,
    reversed_claim,
    same_quantity,
    words,
)

MAX_SENTENCES = 120  # an answer is cut to this many sentences before encoding (cost is linear)


@dataclass(frozen=True)
class GraderParams:
    """The grader's weights. Chosen on the benchmark's `tune` split (benchmarks/grader/RESULTS.md)."""

    term_weight: float = 0.25  # added to the similarity, times the share of the point's terms found
    low: float = 0.45  # similarity + term bonus at which a point starts to earn credit
    width: float = 0.4  # ... and how much more it needs for full credit (covered from half of it)
    term_gate: float = 0.5  # below this similarity a sentence isn't about the point: terms add nothing
    fragment_factor: float = 0.6  # similarity of a fragment (no sentence around the words) is scaled
    missing_number_cap: float = 0.4  # the most a point earns without its number (not covered)
    wrong_credit: float = -2.0  # the credit of a point stated with a wrong number or turned round
    wrong_factor: float = 0.5  # the whole score is scaled by this when any point is stated wrongly
    reversal_close: float = 0.7  # similarity from which a lone opposite word reverses a point
    polarity_close: float = 0.7  # similarity from which the point's clause, negated, denies it
    number_gate: float = 0.3  # similarity from which a sentence's other figure contradicts the point's

    def credit(self, similarity: float, term_share: float) -> float:
        gate = min(1.0, max(0.0, (similarity - self.term_gate) / 0.15))
        bonus = self.term_weight * term_share * gate
        return min(1.0, max(0.0, (similarity + bonus - self.low) / self.width))


DEFAULT_PARAMS = GraderParams()


class SentenceEncoder(Protocol):
    def encode(self, sentences: list[str]) -> np.ndarray:
        """(n, d) float32, L2-normalised rows."""


@dataclass(frozen=True)
class KeyPointInput:
    text: str
    terms: tuple[str, ...] = ()
    numbers: tuple[Quantity, ...] | None = None  # None: the numbers written in `text`


class Status:
    COVERED = "covered"
    PARTLY = "partly"  # some credit, not enough to count as covered
    NO_NUMBER = "no_number"  # on the subject, but without the figure the point is about
    WRONG_NUMBER = "wrong_number"
    REVERSED = "reversed"
    MISSING = "missing"


# What the feedback says about a point that was not covered: about the answer, never its terms.
HINTS = {
    Status.PARTLY: "You touched on this, but not clearly enough to count: state it outright.",
    Status.NO_NUMBER: "You discussed this without the figure it turns on; work out the number and say it.",
    Status.WRONG_NUMBER: "Your answer gives a different figure for this; check how it is worked out.",
    Status.REVERSED: "Your answer seems to say the opposite of this.",
    Status.MISSING: "Your answer doesn't make this point.",
}


@dataclass(frozen=True)
class PointResult:
    point: str
    covered: bool
    credit: float  # up to 1; wrong_credit (below 0) when the point is stated wrongly
    similarity: float  # best cosine between the point and an answer sentence or clause
    terms_found: tuple[str, ...]
    term_share: float  # fraction of the point's terms found in the evidence sentence
    evidence: str  # the answer sentence that best matches the point ("" when there is none)
    status: str = Status.MISSING

    @property
    def hint(self) -> str:
        return HINTS.get(self.status, "")

    def as_json(self) -> dict:
        return {
            "point": self.point,
            "evidence": self.evidence if self.covered else "",
            "similarity": round(self.similarity, 3),
            "status": self.status,
            "hint": "" if self.covered else self.hint,
        }


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1, the mean credit over the key points (never below 0)
    points: tuple[PointResult, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def hit(self) -> list[PointResult]:
        return [p for p in self.points if p.covered]

    @property
    def missed(self) -> list[PointResult]:
        return [p for p in self.points if not p.covered]


# ---------------------------------------------------------------------------------------------
# Grading


@lru_cache(maxsize=512)
def _point_vectors(encoder: SentenceEncoder, points: tuple[str, ...]) -> np.ndarray:
    # A question's key points never change between gradings: encode them once per process.
    return encoder.encode([for_encoder(p) for p in points])


@dataclass(frozen=True)
class _Candidates:
    texts: list[str]  # sentences and the clauses of long ones
    owners: list[int]  # the sentence each text belongs to
    sentences: list[str]
    fragment: list[bool]
    copied: int  # sentences dropped as copies of the question


def _candidates(answer: str, prompt: str) -> _Candidates:
    prompt_words = {t for t in words(prompt) if t not in FUNCTION_WORDS} if prompt else set()
    sentences = split_sentences(answer)[:MAX_SENTENCES]
    kept = [s for s in sentences if not (prompt_words and is_copy(s, prompt_words))]
    texts, owners, fragment = [], [], []
    for i, sentence in enumerate(kept):
        for text in [sentence, *clauses(sentence)]:
            texts.append(text)
            owners.append(i)
            fragment.append(is_fragment(text))
    return _Candidates(texts, owners, kept, fragment, len(sentences) - len(kept))


def _required_numbers(kp: KeyPointInput, prompt_numbers: list[Quantity]) -> list[Quantity]:
    """The point's figures a learner must state: not those the question itself gives."""
    numbers = kp.numbers if kp.numbers is not None else quantities(kp.text, skip_formulas=True)
    return [n for n in numbers if not any(same_quantity(n, q) for q in prompt_numbers)]


@dataclass(frozen=True)
class _Context:
    points: tuple[KeyPointInput, ...]
    prompt: tuple[Quantity, ...]  # the figures the question gives
    known: tuple[Quantity, ...]  # those and the figures of all its key points


def _owner(clause: str, context: _Context) -> KeyPointInput | None:
    """The key point a clause is about (most content words in common; None on a tie)."""
    said = {w for w in words(clause) if w not in FUNCTION_WORDS}
    overlap = [len(said & {w for w in words(p.text) if w not in FUNCTION_WORDS}) for p in context.points]
    best = max(overlap, default=0)
    return context.points[overlap.index(best)] if best and overlap.count(best) == 1 else None


def _point_clause(kp: KeyPointInput, sentence: str, context: _Context) -> str:
    """The clause of `sentence` that is about this point and no other ("" when none stands out)."""
    parts = [c for c in CLAUSE.split(sentence) if c.strip()]
    if len(parts) < 2:
        return sentence
    return next((c for c in parts if _owner(c, context) is kp), "")


def _numbers_check(kp, required, evidence: str, answer: list[str], context: _Context) -> tuple[list, list]:
    """Which of the point's figures the answer states (in a clause about this point, not one about
    another point, anywhere in the answer), and which it contradicts (another value for the same
    quantity in the evidence's clauses about this point)."""

    def mine(sentence: str) -> list[Quantity]:
        # a clause about another point that has figures of its own states that point's figures;
        # one about a point without figures ("so the limit is 0.08" beside "above the limit …")
        # may well state this one's
        parts = [c for c in CLAUSE.split(sentence) if c.strip()] or [sentence]
        owners = [_owner(c, context) for c in parts]
        return [
            q
            for c, owner in zip(parts, owners, strict=True)
            if owner in (kp, None) or not _required_numbers(owner, list(context.prompt))
            for q in quantities(c)
        ]

    said = [q for sentence in answer for q in mine(sentence)]
    if not quantities(evidence):  # the point's sentence gives no figure: one anywhere will do
        said += [q for sentence in answer for q in quantities(sentence)]
    right = [n for n in required if any(same_quantity(n, q) for q in said)]
    # a figure the question or another point gives, in any spelling ("AUC 0.85" said as "85 %")
    unexplained = [
        q
        for q in mine(evidence)
        if not any(same_quantity(k, q) or same_quantity(q, k) for k in context.known)
    ]
    wrong = [n for n in required if n not in right and any(contradicts(n, q) for q in unexplained)]
    return right, wrong


def _denies(kp: KeyPointInput, sim: float, evidence: str, params: GraderParams) -> bool:
    """The sentence that matches the point closely negates it in the point's own clause
    ("CTC does not need enough output frames"): see quiz.polarity for what is not a denial."""
    return sim >= params.polarity_close and denied_in(kp.text, evidence)


def _grade_point(
    kp: KeyPointInput, sim: float, evidence: str, sentences: list[str], context: _Context, params
) -> PointResult:
    found = find_terms(kp.terms, evidence)
    share = len(found) / len(kp.terms) if kp.terms else 0.0
    credit = params.credit(sim, share)
    status = Status.COVERED if credit >= 0.5 else Status.PARTLY if credit > 0 else Status.MISSING
    about_it = credit > 0 or sim >= params.term_gate
    required = _required_numbers(kp, context.prompt)
    if required and not about_it and sim >= params.number_gate:
        # not phrased like the point, but loosely about it and giving another figure for the same
        # quantity ("WER only counts substitutions …, about 18 percent" against "4/10 = 40 percent"):
        # the figure is the answer's claim however the sentence is worded
        if _numbers_check(kp, required, evidence, sentences, context)[1]:
            credit, status = params.wrong_credit, Status.WRONG_NUMBER
    elif required and about_it:
        # figures are read in the clauses about this point: "amplitude adds 3 dB and power adds
        # 6 dB" states 3 dB for the amplitude, not 6
        right, wrong = _numbers_check(kp, required, evidence, sentences, context)
        if wrong:
            credit, status = params.wrong_credit, Status.WRONG_NUMBER
        elif not right:
            credit = min(credit, params.missing_number_cap)
            status = Status.NO_NUMBER if credit > 0 else Status.MISSING
        else:
            credit *= 0.5 + 0.5 * len(right) / len(required)
    close = _point_clause(kp, evidence, context) if sim >= params.reversal_close else ""
    turned = about_it and (
        reversed_claim(kp.text, evidence, close=close)
        or swapped(kp.text, evidence)
        or affirmed(kp.text, evidence)
    )
    if status != Status.WRONG_NUMBER and (turned or _denies(kp, sim, evidence, params)):
        credit, status = params.wrong_credit, Status.REVERSED
    if status in (Status.COVERED, Status.PARTLY) and credit < 0.5:
        status = Status.PARTLY if credit > 0 else Status.MISSING
    return PointResult(kp.text, credit >= 0.5, credit, sim, found, share, evidence, status)


def grade_answer(
    answer: str,
    key_points: Sequence[KeyPointInput],
    *,
    prompt: str = "",
    encoder: SentenceEncoder,
    params: GraderParams = DEFAULT_PARAMS,
) -> Grade:
    """Grade a free-text answer against the key points of the question `prompt`; empty scores 0."""
    notes = []
    script = dominant_other_script(answer)
    if script:
        notes.append(
            f"Most of this answer is in {script.title()} script. The key points are in English, so "
            "the grader may miss ideas you stated; answer in English for a fair score."
        )
    cand = _candidates(answer, prompt)
    if cand.copied:
        notes.append("Part of your answer repeats the question; repeating it earns nothing.")
    if not cand.texts or not key_points:
        points = tuple(PointResult(kp.text, False, 0.0, 0.0, (), 0.0, "") for kp in key_points)
        return Grade(0.0, points, tuple(notes) if cand.copied else (*notes, "The answer is empty."))
    if all(cand.fragment):
        notes.append(
            "Your answer reads as a list of words. Say how the ideas connect, in sentences, as you "
            "would in an interview: a list earns little credit."
        )
    point_vectors = _point_vectors(encoder, tuple(kp.text for kp in key_points))
    similarity = point_vectors @ encoder.encode([for_encoder(t) for t in cand.texts]).T
    similarity = similarity * np.where(cand.fragment, params.fragment_factor, 1.0)
    prompt_numbers = quantities(prompt) if prompt else []
    figures = [n for kp in key_points for n in _required_numbers(kp, prompt_numbers)]
    context = _Context(tuple(key_points), tuple(prompt_numbers), (*prompt_numbers, *figures))
    results = []
    for row, kp in zip(similarity, key_points, strict=True):
        best = int(np.argmax(row))
        evidence = cand.sentences[cand.owners[best]]
        results.append(_grade_point(kp, float(row[best]), evidence, cand.sentences, context, params))
    total = sum(r.credit for r in results) / len(results)
    if any(r.status in (Status.WRONG_NUMBER, Status.REVERSED) for r in results):
        total *= params.wrong_factor
    return Grade(round(max(0.0, total), 4), tuple(results), tuple(notes))


def encoder_texts(answer: str, prompt: str = "") -> list[str]:
    """The texts `grade_answer` will ask the encoder for with this answer, so that several answers
    can be encoded ahead in one batch (`PrimedEncoder`)."""
    return [for_encoder(t) for t in _candidates(answer, prompt).texts]


class PrimedEncoder:
    """The same encoder with some rows computed ahead in one forward pass: answers graded together
    share a batch instead of each paying a pass of its own (the encoder's cost per call dominates
    on a small CPU). Texts it was not primed with go to the model as usual. It hashes and compares
    as the encoder it wraps, so the key points encoded once per process stay shared."""

    def __init__(self, encoder: SentenceEncoder, texts: Sequence[str]):
        self.encoder = encoder
        unique = list(dict.fromkeys(texts))
        rows = encoder.encode(unique) if unique else []
        self._rows = dict(zip(unique, rows, strict=True))

    def encode(self, sentences: list[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self._rows]
        if missing:
            self._rows.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self._rows[s] for s in sentences]) if sentences else self.encoder.encode([])

    def __hash__(self) -> int:
        return hash(self.encoder)

    def __eq__(self, other: object) -> bool:
        inner = other.encoder if isinstance(other, PrimedEncoder) else other
        return inner is self.encoder
