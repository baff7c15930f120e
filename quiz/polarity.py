"""Polarity of the one answer clause that makes a key point: "CTC does not need enough output
frames" against the point "CTC needs enough output frames". No model here.

A negation anywhere near a point's words is no evidence: correct answers say "it is not limited
by the mixture phase", "it may not survive heavy compression", "not only X but Y". So a clause
counts as a denial only when it is the point's own clause (it shares the point's content words),
holds exactly one plain negation (two cancel: "cannot work without"), that negation sits on the
verb or its object (not an elliptic contrast ", not B" nor a hedge "may not", "not only",
"no longer", "no more than") and negates the point's own word ("does not *need*", "saves no
*compute*"), the clause is not a condition ("if it is not cached"), and the point itself
affirms. The grader asks this only of the evidence sentence, and only when it matches the point
closely (GraderParams.polarity_close).
"""

from __future__ import annotations

import re

from quiz.answer_text import FUNCTION_WORDS
from quiz.textnorm import words as _words

_NEGATORS = {"not", "never", "no", "cannot", "nothing", "none", "neither", "nor"}
_CANCELLING = _NEGATORS | {"without", "fail", "fails", "failed", "lack", "lacks", "unless"}
# after the negator: a hedge, a bound or a contrast, not a denial ("not only", "no more than")
_HEDGED_BY_NEXT = {
    "only", "just", "merely", "simply", "necessarily", "always", "all", "every", "longer", "more", "less",
    "fewer", "much", "matter", "doubt", "least", "until", "unlike", "quite", "entirely", "yet",
}  # fmt: skip
_HEDGED_BY_PREVIOUS = {"may", "might", "whether", "if", "or", "yes"}  # "may not", "or not", "yes/no"
# a point that says something is absent ("removes the mismatch") agrees with "no mismatch"
_PRIVATIVE = {
    "avoid", "prevent", "remov", "eliminat", "skip", "drop", "suppress", "reduc", "cut", "fre", "los",
    "stop", "block", "reject", "discard", "instead", "rather", "without", "lack",
}  # fmt: skip
_OBJECT_NEGATORS = {"no", "nothing", "none"}
RESTATED = 0.6  # at least this share of a denying clause's content words are the point's
_CONDITION_STARTS = {"if", "unless", "when", "whenever", "without", "otherwise", "whether", "even", "until"}
_STOP = FUNCTION_WORDS | {
    "does", "do", "did", "doesn't", "don't", "isn't", "aren't", "won't", "can't", "it", "they", "one",
    "also", "just", "very", "much", "about", "roughly", "here", "still", "then", "instead", "whereas", "whilst",
}  # fmt: skip
_SUFFIXES = ("ingly", "edly", "ing", "ed", "es", "s", "e", "ly")
_JOINED_NEGATION = re.compile(r"\b(no|non|not)[-_](?=\w)", re.IGNORECASE)  # no_speech_prob is a name


# clauses for polarity: not split at "and" (it joins nouns: "if keys and values are not cached")
_CLAUSE = re.compile(r"[,;:]\s+|\s+[-–—]\s+|\s+(?:but|because|so|which|while|whereas|although|though)\s+")


def words(text: str) -> list[str]:
    return _words(_JOINED_NEGATION.sub(r"\1", text.replace("\u2019", "'")))


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _is_negator(token: str) -> bool:
    return token in _NEGATORS or token.endswith("n't")


def _content(tokens: list[str]) -> set[str]:
    return {_stem(t) for t in tokens if t not in _STOP and not _is_negator(t) and len(t) > 1}


def affirms(point: str) -> bool:
    """The point states something positively (no negation, no "without"): only such a point can
    be denied by a negated clause."""
    return not any(_is_negator(t) or t in _CANCELLING for t in words(point))


def _denial_index(tokens: list[str]) -> int | None:
    """Where the clause's one plain negation is (None: none, two that cancel, or a hedge)."""
    cancelling = [i for i, t in enumerate(tokens) if _is_negator(t) or t in _CANCELLING]
    if len(cancelling) != 1 or not _is_negator(tokens[cancelling[0]]):
        return None
    i = cancelling[0]
    if i == 0 or tokens[0] in _CONDITION_STARTS:  # ", not B" contrasts; "if it is not cached"
        return None
    if i + 1 < len(tokens) and tokens[i + 1] in _HEDGED_BY_NEXT:
        return None
    if tokens[i - 1] in _HEDGED_BY_PREVIOUS or (i >= 2 and tokens[i - 2] in ("may", "might")):
        return None  # "may not", "might well not"
    return i


def _best_part(point: str, clause_words: set[str]) -> set[str]:
    """The content words of the point's clause that this answer clause shares most with: "FIR
    uses only inputs and is always stable; IIR uses feedback" has two subjects, and "FIR has no
    feedback and is always stable" denies nothing of it."""
    parts = [_content(words(p)) for p in _CLAUSE.split(point) if p.strip()] or [_content(words(point))]
    return max(parts, key=lambda part: len(part & clause_words))


def denies(point: str, clause: str) -> bool:
    """Does this one clause deny the (affirmative) point by restating it negated: the point's own
    subject before the negation, the point's own word right after it, and mostly the point's
    words (an answer that explains in its own words, with a negation on the way, denies nothing)?"""
    tokens = words(clause)
    said = _content(tokens)
    point_words = _best_part(point, said)
    shared = said & point_words
    if len(shared) < 2 or len(shared) < RESTATED * len(said):
        return False
    i = _denial_index(tokens)
    if i is None or not _content(tokens[:i]) & point_words:
        return False
    if tokens[i] in _OBJECT_NEGATORS and _PRIVATIVE & {_stem(t) for t in words(point)}:
        return False
    negated = next((t for t in tokens[i + 1 :] if t not in _STOP and len(t) > 1), "")
    return _stem(negated) in point_words


def denied_in(point: str, sentence: str) -> bool:
    """Does the clause of `sentence` most about `point` deny it? (Every clause tied for the most
    of the point's content words is read.)"""
    if not affirms(point):
        return False
    parts = [c for c in _CLAUSE.split(sentence) if c.strip()] or [sentence]
    point_words = _content(words(point))
    overlap = [len(_content(words(c)) & point_words) for c in parts]
    best = max(overlap)
    return any(denies(point, c) for c, n in zip(parts, overlap, strict=True) if n == best)


# ---------------------------------------------------------------------------------------------
# Claims turned round without a negation of their own: the point's two subjects swapped ("FIR
# uses feedback while IIR only looks at the input"), or a point that denies ("zero-padding does
# not improve resolution") affirmed ("zero-padding would increase the resolution").


# where a point sets two subjects side by side ("FIR …; IIR …", "A …, whereas B …")
_CONTRAST = re.compile(r";\s+|,?\s+(?:but|while|whereas)\s+")


def _subject(tokens: list[str]) -> str:
    """The first content word of a clause, stemmed ("" when it has none or it is a figure)."""
    first = next((t for t in tokens if t not in _STOP and not _is_negator(t) and len(t) > 1), "")
    return _stem(first) if first.isalpha() else ""


def _parts(text: str, pattern: re.Pattern = _CLAUSE) -> list[list[str]]:
    return [tokens for part in pattern.split(text) if part.strip() and (tokens := words(part))]


_PRONOUNS = {"them", "they", "their", "its", "this", "these", "those", "that", "he", "she", "we", "you"}


def _predicate(tokens: list[str]) -> set[str]:
    """A clause's content words without its subject's noun phrase ("mel filters are narrow"):
    the subject and the word right after it, and without pronouns ("Conformer uses them")."""
    content = [i for i, t in enumerate(tokens) if t not in _STOP and not _is_negator(t) and len(t) > 1]
    return _content([t for i, t in enumerate(tokens) if i not in content[:2] and t not in _PRONOUNS])


def swapped(point: str, sentence: str) -> bool:
    """The point says one thing of A and another of B ("FIR uses only inputs; IIR uses feedback");
    the sentence sets both side by side, each heading a clause of its own, and says B's thing of A
    (or A's of B) and neither's of its own. A sentence that names one of them in passing ("going to
    8x subsampling (Fast Conformer at 80 ms) halves the frames") compares nothing: two facts
    joined by ";" in the point are no comparison to turn round."""
    parts = _parts(point, _CONTRAST)
    said = _content(words(sentence))
    for n, first in enumerate(parts):
        for second in parts[n + 1 :]:
            a, b = _subject(first), _subject(second)
            if not a or not b or a == b or not {a, b} <= said:
                continue
            own = {a: _predicate(first) - _content(second), b: _predicate(second) - _content(first)}
            if not own[a] or not own[b]:
                continue  # "…; Conformer uses them" says nothing of its own to swap
            other = {a: own[b], b: own[a]}
            clauses = [(_subject(c), _content(c)) for c in _parts(sentence)]
            if not {a, b} <= {s for s, _ in clauses}:
                continue  # the sentence compares nothing: one subject is only named in passing
            swaps = [s for s, c in clauses if s in own and c & other[s] and not c & own[s]]
            kept = [s for s, c in clauses if s in own and c & own[s]]
            if swaps and not kept:
                return True
    return False


def affirmed(point: str, sentence: str) -> bool:
    """The point denies something of its subject with a verb ("zero-padding interpolates the
    spectrum but does not improve resolution or leakage"); a clause of the sentence with that
    subject and most words of one denied object ("resolution") says it with no negation before
    them ("zero-padding would increase the resolution"). "Needs no aligner" is left alone: an
    answer says "removes the aligner"."""
    for part in _parts(point):
        i = _denial_index(part)
        if i is None or part[i] in _OBJECT_NEGATORS:
            continue
        # the part's own subject, or the point's when the part starts at its verb ("… but does not")
        subject = _subject(part[:i]) if _content(part[:i]) else _subject(words(point))
        objects = _denied_objects(part[i + 1 :], subject)
        if subject and objects and any(_says(clause, subject, objects) for clause in _parts(sentence)):
            return True
    return False


def _denied_objects(after: list[str], subject: str) -> list[set[str]]:
    """The objects of a denying verb, one set of stems each ("improve resolution or leakage": two)."""
    words_after = [t for t in after if t not in _STOP - {"or", "and", "nor"} and len(t) > 1][1:]
    objects, current = [], set()
    for t in [*words_after, "or"]:
        if t in ("or", "and", "nor"):
            objects, current = ([*objects, current] if current else objects), set()
        elif t.isalpha() and _stem(t) != subject:
            current.add(_stem(t))
    return objects


def _says(clause: list[str], subject: str, objects: list[set[str]]) -> bool:
    if clause[0] in _CONDITION_STARTS or subject not in _content(clause):
        return False
    for obj in objects:
        hits = [j for j, t in enumerate(clause) if _stem(t) in obj]
        if 2 * len({_stem(clause[j]) for j in hits}) <= len(obj):
            continue  # it must restate the denied object: most of its words
        # "removes the need for", "may help": a privative or a hedge before them says no more
        if not any(
            _is_negator(t) or t in _CANCELLING or t in _HEDGED_BY_PREVIOUS or _stem(t) in _PRIVATIVE
            for t in clause[: hits[-1]]
        ):
            return True
    return False
