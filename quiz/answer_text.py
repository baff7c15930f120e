"""Reading an answer: sentences and clauses, key terms found in them (tolerant to case, plurals,
inflections, hyphens and the spellings quiz.textnorm normalises), term lists and copies of the
question told apart from sentences, and the script an answer is written in. No model here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from quiz.textnorm import normalise, words

LONG_SENTENCE_WORDS = 18  # longer sentences are also compared clause by clause
OTHER_SCRIPT_SHARE = 0.5  # more than this share of non-Latin letters: warn that grading is English
COPY_SHARE = 0.8  # a sentence whose words are this much the question's own is a copy of it
FUNCTION_WORDS = set(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "and",
        "or",
        "but",
        "that",
        "which",
        "this",
        "these",
        "it",
        "its",
        "as",
        "so",
        "than",
        "then",
        "when",
        "while",
        "because",
        "if",
        "from",
        "into",
        "over",
        "under",
        "more",
        "less",
        "not",
        "no",
        "can",
        "will",
        "would",
        "should",
        "must",
        "may",
        "might",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "each",
        "every",
        "any",
        "all",
        "both",
        "only",
        "also",
        "there",
        "their",
        "they",
        "you",
        "your",
        "we",
        "our",
        "i",
    ]
)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\n;]+|(?<=[。！？])")
CLAUSE = re.compile(r",\s+|\s+[-–—]\s+|\s+(?:and|but|because|so|which|while|whereas)\s+")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+|[^\w\s-]")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` (split at . ! ? ; newlines and CJK full stops), stripped, non-empty."""
    parts = (p.strip(" \t\"'()[]") for p in _SENTENCE_END.split(text))
    return [p for p in parts if re.search(r"\w", p)]


def clauses(sentence: str) -> list[str]:
    if len(sentence.split()) < LONG_SENTENCE_WORDS:
        return []
    parts = [p.strip() for p in CLAUSE.split(sentence)]
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
    """Normalised tokens with hyphenated compounds split ('low pass') and joined ('lowpass')."""
    lowered = normalise(text)
    split = [_stem(t) for t in _TOKEN.findall(lowered.replace("-", " "))]
    joined = [_stem(t) for t in _TOKEN.findall(re.sub(r"(?<=[^\W\d])-(?=[^\W\d])", "", lowered))]
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
    """The terms that occur in the answer as whole token sequences; "a | b" means either."""
    answer_variants = _token_variants(answer)
    found = []
    for term in terms:
        for alternative in term.split(" | "):
            variants = _token_variants(alternative)
            if any(_contains(a, t) for a in answer_variants for t in variants):
                found.append(term)
                break
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


def is_fragment(text: str) -> bool:
    """A run of terms rather than a sentence: too short, a comma list of short items, or almost
    no function words."""
    tokens = re.findall(r"[a-z']+", text.lower())
    items = [i for i in re.split(r"[,;]|\s-\s", text) if i.strip()]
    if len(items) >= 4 and sum(len(i.split()) for i in items) / len(items) <= 3:
        return True
    return len(tokens) < 4 or sum(t in FUNCTION_WORDS for t in tokens) < max(1, len(tokens) // 6)


def is_copy(text: str, prompt_words: set[str]) -> bool:
    tokens = [t for t in words(text) if t not in FUNCTION_WORDS]
    return len(tokens) >= 4 and sum(t in prompt_words for t in tokens) >= COPY_SHARE * len(tokens)
