"""Consent phrases: random common words to read aloud, and how closely a transcript matches them."""

import random
import re

PHRASE_WORDS = 6  # 32P6 ≈ 6.5e8 ordered phrases: a recording made in advance will not fit
MATCH_THRESHOLD = 0.8  # fraction of the phrase's words that the recogniser must hear, in order
# Two-syllable concrete words that Whisper tiny.en recognised reliably in comma-separated lists
# read by several espeak-ng voices (words it confused, e.g. kitten → "kid", seven → "salmon",
# winter ↔ window, were dropped). No two sound alike.
WORDS = (
    "camera",
    "candle",
    "castle",
    "dinner",
    "dragon",
    "forest",
    "garden",
    "golden",
    "hammer",
    "island",
    "jacket",
    "lemon",
    "market",
    "monkey",
    "music",
    "paper",
    "pencil",
    "planet",
    "poster",
    "purple",
    "rabbit",
    "salad",
    "silver",
    "spider",
    "summer",
    "sunset",
    "table",
    "travel",
    "turtle",
    "wagon",
    "window",
    "yellow",
)
# what recognisers write as digits
NUMBERS = dict(
    enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        )
    )
)


def random_phrase(rng: random.Random | None = None) -> str:
    """Six different words, comma-separated so they are read (and heard) one by one."""
    rng = rng or random.SystemRandom()
    return ", ".join(rng.sample(WORDS, PHRASE_WORDS))


def normalise_words(text: str) -> list[str]:
    """Lower case, apostrophes dropped ("tiger's" → "tigers"), punctuation split off, 0–20 spelt out."""
    tokens = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("’", ""))
    return [NUMBERS.get(int(t), t) if t.isdigit() else t for t in tokens]


def word_match(expected: str, heard: str) -> float:
    """Fraction of the expected words found in the transcript in the same order (the longest
    common subsequence of the two word lists, divided by the number of expected words)."""
    want, got = normalise_words(expected), normalise_words(heard)
    if not want:
        raise ValueError("The phrase has no words.")
    # lcs[j] = LCS length of the expected words so far and got[:j]
    lcs = [0] * (len(got) + 1)
    for word in want:
        diagonal = 0
        for j, token in enumerate(got, start=1):
            above = lcs[j]
            lcs[j] = diagonal + 1 if word == token else max(lcs[j], lcs[j - 1])
            diagonal = above
    return lcs[-1] / len(want)
