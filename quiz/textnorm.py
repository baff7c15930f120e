"""Text normalisation for the grader: one canonical spelling for numbers, units, ratios, ranges,
superscripts and identifiers, so "15 percent" meets `15%`, "100 times" meets `hundredfold`,
"O(N²)" meets `o(n^2)` and "10 to 20 hours" meets `10–20 hours`; and the numbers a text states,
with their units, so a key point's figures are checked by value rather than by wording.

Plain functions, no Django and no model: the web process, the worker and the benchmark share them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+", strict=True))
_SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))
_SMALL = [
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
]
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUMBERS = {**{w: i for i, w in enumerate(_SMALL)}, **_TENS}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_FOLDS = {
    "twofold": 2,
    "threefold": 3,
    "fourfold": 4,
    "tenfold": 10,
    "hundredfold": 100,
    "thousandfold": 1000,
}
_ABBREVIATIONS = {
    "prob": "probability",
    "probs": "probabilities",
    "avg": "average",
    "logprob": "log probability",
}

# unit spellings → (canonical unit, factor to it). Canonical units are what numbers are compared in.
_UNITS = {
    **dict.fromkeys(["hz", "hertz"], ("hz", 1.0)),
    **dict.fromkeys(["khz", "kilohertz"], ("hz", 1e3)),
    "mhz": ("hz", 1e6),
    **dict.fromkeys(["s", "sec", "secs", "second", "seconds"], ("s", 1.0)),
    **dict.fromkeys(["ms", "msec", "millisecond", "milliseconds"], ("s", 1e-3)),
    **dict.fromkeys(["us", "µs", "μs", "microsecond", "microseconds"], ("s", 1e-6)),
    **dict.fromkeys(["min", "mins", "minute", "minutes"], ("s", 60.0)),
    **dict.fromkeys(["h", "hr", "hrs", "hour", "hours"], ("s", 3600.0)),
    "db": ("db", 1.0),
    "dbfs": ("dbfs", 1.0),
    **dict.fromkeys(["bit", "bits"], ("bit", 1.0)),
    **dict.fromkeys(["byte", "bytes"], ("byte", 1.0)),
    **dict.fromkeys(["kb", "kilobytes"], ("byte", 1e3)),
    **dict.fromkeys(["mb", "megabytes"], ("byte", 1e6)),
    **dict.fromkeys(["gb", "gigabytes"], ("byte", 1e9)),
    "mel": ("mel", 1.0),
    **dict.fromkeys(["cent", "cents"], ("cent", 1.0)),
    **dict.fromkeys(["semitone", "semitones"], ("semitone", 1.0)),
}
PHYSICAL_UNITS = {unit for unit, _ in _UNITS.values()} | {"%", "x"}

_NUM = r"\d+(?:\.\d+)?"
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))


def _fmt(value: float) -> str:
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _scripts(text: str) -> str:
    out, raised = [], False
    for ch in text:
        if ch in _SUPERSCRIPT:
            out.append(("" if raised else "^") + _SUPERSCRIPT[ch])
            raised = True
            continue
        raised = False
        out.append(_SUBSCRIPT.get(ch, ch))
    return "".join(out)


def _word_numbers(text: str) -> str:
    words = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    text = re.sub(
        rf"\b({words})[- ]({'|'.join(_SMALL[1:10])})\b",
        lambda m: str(_WORD_NUMBERS[m[1]] + _WORD_NUMBERS[m[2]]),
        text,
    )
    text = re.sub(rf"\b({words})\b", lambda m: str(_WORD_NUMBERS[m[1]]), text)
    text = re.sub(r"\ban? (hundred|thousand|million|billion)\b", r"1 \1", text)
    scales = "|".join(_SCALES)
    return re.sub(rf"({_NUM}) ?({scales})\b", lambda m: _fmt(float(m[1]) * _SCALES[m[2]]), text)


def _units(text: str) -> str:
    def one(value: str, unit: str) -> str:
        canonical, factor = _UNITS[unit]
        return f"{_fmt(float(value) * factor)} {canonical}"

    # a range or a list shares its unit: "10 to 20 hours" → "36000 to 72000 s", "22.05 or 24 kHz"
    text = re.sub(
        rf"({_NUM}) (to|or|and) ({_NUM}) ?({_UNIT_ALT})\b",
        lambda m: f"{one(m[1], m[4]).split()[0]} {m[2]} {one(m[3], m[4])}",
        text,
    )
    return re.sub(rf"(?<![\w.])({_NUM})[ -]?({_UNIT_ALT})(?![\w/])", lambda m: one(m[1], m[2]), text)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """The canonical spelling used for matching key terms and reading numbers (lower case)."""
    text = unicodedata.normalize("NFKC", _scripts(text)).lower()
    text = text.replace("×", " x ").replace("−", "-").replace("±", " +/- ")
    text = re.sub(r"(?<=\w)_(?=\w)", " ", text)  # no_speech_prob → no speech prob
    text = re.sub(r"\b(" + "|".join(_ABBREVIATIONS) + r")\b", lambda m: _ABBREVIATIONS[m[1]], text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 680,000 → 680000
    text = re.sub(rf"(?<![\w.])({_NUM})k\b", lambda m: _fmt(float(m[1]) * 1e3), text)  # 680k, 16k
    text = _word_numbers(text)
    text = re.sub(r"\b(" + "|".join(_FOLDS) + r")\b", lambda m: f"{_FOLDS[m[1]]}x", text)
    text = re.sub(r"\btwice\b", "2x", text)
    text = re.sub(rf"(?:\ban? )?\bfactor of ({_NUM})", r"\1x", text)
    text = re.sub(rf"({_NUM})(?:[- ]fold\b| ?times\b| x\b)", r"\1x", text)
    text = re.sub(rf"({_NUM}) ?(?:percent\b|per cent\b|pct\b|%)", r"\1%", text)
    text = re.sub(rf"\bbetween ({_NUM}) and ({_NUM})", r"\1 to \2", text)
    text = re.sub(rf"(?<![\w.])({_NUM}) ?[-–—] ?({_NUM})(?![\d.])", r"\1 to \2", text)
    text = text.replace("–", "-").replace("—", " - ")
    return _units(text)


def for_encoder(text: str) -> str:
    """Light clean-up before the sentence encoder: identifiers as words, superscripts as powers."""
    text = re.sub(r"(?<=\w)_(?=\w)", " ", _scripts(text))
    return re.sub(r"\b(" + "|".join(_ABBREVIATIONS) + r")\b", lambda m: _ABBREVIATIONS[m[1]], text)


# ---------------------------------------------------------------------------------------------
# Numbers stated in a text


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str = ""  # a canonical unit (hz, s, db, %, x…), or the counted noun ("bin", "frame")
    tolerance: float | None = None  # absolute; None: 2 % of the value
    bound: str = ""  # "min" for "at least 22.05 kHz" / "22.05 kHz or higher", "max" for at most

    @property
    def physical(self) -> bool:
        return self.unit in PHYSICAL_UNITS

    def allowed(self) -> float:
        return self.tolerance if self.tolerance is not None else max(abs(self.value) * 0.02, 1e-9)


_QUANTITY = re.compile(rf"(?<![\w.^/])(-?{_NUM})(%|x\b)?(?: ?([a-z]+))?")
RATIO = "/"  # the unit of a value worked out from a fraction in the text: a bare number, or a share
_FRACTION = re.compile(rf"(?<![\w.^/])({_NUM}) ?/ ?({_NUM})(?![\w.^/]| ?[*^])")
_COMPOUND_HEAD = re.compile(r"(?:-[a-z]+)+ ([a-z]+)")  # the noun after a hyphenated modifier
_OPERATOR_AFTER = re.compile(r"^\s?[/^*+]")
_OPERATOR_BEFORE = re.compile(r"(?:[/^*]\s?|[+-]\s)$")  # "+6 dB" is a sign, "N/2 + 1" a sum
_NOT_UNITS = {"to", "and", "or", "of", "the", "a", "an", "in", "at", "is", "for", "on", "with", "by"}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def quantities(text: str, *, skip_formulas: bool = False) -> list[Quantity]:
    """The numbers in `text` (normalised first) with their units. `skip_formulas` leaves out the
    parts of formulas (the 2 and 1 of "N/2 + 1") and bare one-digit integers: what a key point's
    own text contributes when it names no numbers explicitly."""
    norm = normalise(text)
    found = []
    for m in _QUANTITY.finditer(norm):
        number, symbol, word = m[1], m[2], m[3] or ""
        head = _COMPOUND_HEAD.match(norm, m.end()) if word and word not in PHYSICAL_UNITS else None
        word = head[1] if head else word  # "3000 log-mel frames" counts frames, not logs
        unit = symbol or (
            word if word in PHYSICAL_UNITS else _singular(word) if word not in _NOT_UNITS else ""
        )
        if skip_formulas:
            before, after = norm[max(0, m.start() - 2) : m.start()], norm[m.end(1) : m.end(1) + 2]
            formula = _OPERATOR_BEFORE.search(before) or (not symbol and _OPERATOR_AFTER.search(after))
            bare_digit = not unit and "." not in number and len(number.lstrip("-")) < 2
            if formula or bare_digit:
                continue
        found.append(Quantity(float(number), unit, bound=_bound(norm, m) if skip_formulas else ""))
    if not skip_formulas:
        # "1/25" also states its value, 0.04 (a point's own fractions are formula parts: skipped)
        found += [Quantity(float(m[1]) / float(m[2]), RATIO) for m in _FRACTION.finditer(norm) if float(m[2])]
    return found


_AT_LEAST = re.compile(r"(?:at least|≥|>=|>|above|over) ?$")
_AT_MOST = re.compile(r"(?:at most|≤|<=|<|below|under) ?$")


def _bound(norm: str, m: re.Match) -> str:
    before, after = norm[max(0, m.start() - 10) : m.start()], norm[m.end() : m.end() + 12]
    if _AT_LEAST.search(before) or re.match(r",? or (?:higher|more|above|greater)", after):
        return "min"
    if _AT_MOST.search(before) or re.match(r",? or (?:lower|less|below|fewer)", after):
        return "max"
    return ""


def declared_quantity(value: float, unit: str = "", tolerance: float | None = None) -> Quantity:
    """A figure as the content declares it (`{value: 8, unit: kHz, tolerance: 0.1}`), in the same
    canonical unit the answers' figures are read in (8000 hz, tolerance 100)."""
    if not unit:
        return Quantity(float(value), "", tolerance)
    read = quantities(f"{_fmt(float(value))} {unit}")
    if not read or (read[0].value == 0 and value != 0):
        return Quantity(float(value), unit.lower(), tolerance)
    scale = read[0].value / value if value else 1.0
    return Quantity(read[0].value, read[0].unit, None if tolerance is None else tolerance * abs(scale))


def same_quantity(expected: Quantity, stated: Quantity) -> bool:
    """Within tolerance, in compatible units (a percentage also matches its fraction: 40% = 0.4)."""
    if expected.physical and stated.physical and expected.unit != stated.unit:
        return False
    if stated.unit == RATIO and expected.unit not in ("", "%"):
        return False  # "16000 / 512 gives 62.5 Hz" states 62.5 Hz, whatever the fraction is worth
    if abs(stated.value - expected.value) <= expected.allowed():
        return True
    if abs(abs(stated.value) - abs(expected.value)) <= expected.allowed():
        return True  # "13 dB below the peak" states "-13 dB": the sign is in the words
    if expected.bound == "min" and stated.value >= expected.value:
        return True
    if expected.bound == "max" and stated.value <= expected.value:
        return True
    if expected.unit == "%" and stated.unit in ("", RATIO) and abs(stated.value) <= 1:
        return abs(100 * stated.value - expected.value) <= expected.allowed()
    return False


def _fractional(q: Quantity) -> bool:
    return q.value != round(q.value)


def contradicts(expected: Quantity, stated: Quantity) -> bool:
    """The text gives another value for the same kind of quantity: same unit, or same counted noun;
    for a bare figure with decimals (a rate, a score, a probability: 0.08, 0.43 mAP), another such
    figure of the same order of magnitude, or a percentage of it ("0.04", "0.23 mAP", "18 %").
    Bare whole numbers are left alone: an answer names counts, sizes and steps of its own."""
    if expected.unit == "%" and stated.unit == RATIO:  # "3/10" against 40 %
        return 0 < stated.value <= 1 and not same_quantity(expected, stated)
    if expected.unit:
        return stated.unit == expected.unit and not same_quantity(expected, stated)
    if (stated.physical and stated.unit != "%") or not _fractional(expected):
        return False
    if stated.unit == "%" and abs(expected.value) > 1:
        return False  # a share is compared with a share only
    value = stated.value / 100 if stated.unit == "%" else stated.value
    if not _fractional(Quantity(value)) or not value or expected.value * value < 0:
        return False
    return 0.1 <= value / expected.value <= 10 and not same_quantity(expected, Quantity(value))


# ---------------------------------------------------------------------------------------------
# Claims turned around: "wide at low, narrow at high" against "narrow at low, wide at high"

# Word pairs of opposite sense (a trailing * matches any ending): a sentence that pairs them the
# other way round from the key point, or negates what the point affirms, states the opposite.
_OPPOSITES = [
    ("low", "high"), ("lower", "higher"), ("narrow", "wide"), ("linear", "logarithm*"), ("below", "above"),
    ("increas*", "decreas*"), ("more", "fewer"), ("faster", "slower"),
    ("small", "large"), ("smaller", "larger"), ("short", "long"), ("shorter", "longer"), ("worse", "better"),
    ("quiet", "loud"), ("same", "different"), ("exact*", "approximat*"), ("minimum", "maximum"),
    ("poorly", "well"),
]  # fmt: skip
_NEGATORS = {
    "not", "never", "cannot", "can't", "don't", "doesn't", "isn't", "aren't", "won't", "nor", "neither", "without",
    "fail", "fails", "failing", "unable", "lack", "lacks",
}  # fmt: skip
_STOP = {
    "a", "an", "the", "to", "of", "in", "on", "at", "for", "by", "with", "and", "or", "is", "are", "be", "it",
    "its", "this", "that", "do", "does", "did", "can", "need", "needed", "any", "as", "so", "only", "just",
    "but", "which", "true", "real", "also",
}  # fmt: skip
_WORD = re.compile(r"[a-z][a-z'*]*")


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text).replace("-", " "))


def _opposite_sign(word: str) -> tuple[int, int] | None:
    for index, pair in enumerate(_OPPOSITES):
        for sign, stem in ((-1, pair[0]), (1, pair[1])):
            if word == stem or (stem.endswith("*") and word.startswith(stem[:-1])):
                return index, sign
    return None


_COMPOUND_HEADS = {"pass", "resource", "level", "end", "quality", "latency"}  # low-pass is no "low"


def _marks(tokens: list[str]) -> list[tuple[int, int, int]]:
    return [
        (i, *found)
        for i, w in enumerate(tokens)
        if (found := _opposite_sign(w))
        and (i + 1 >= len(tokens) or tokens[i + 1] not in _COMPOUND_HEADS)
        and not (w == "well" and "as" in tokens[max(0, i - 1) : i + 2])  # "as well (as)" adds, no "well"
    ]


def _links(marks: list[tuple[int, int, int]], first: int, second: int) -> set[tuple[int, int]]:
    """Which sign of pair `second` each mark of pair `first` goes with: the nearest one, looking
    forward first ("more levels to small amplitudes"), then back ("the low ones are narrow")."""
    links = set()
    for i, pair, sign in marks:
        if pair != first:
            continue
        near = [(j - i if j > i else i - j + 1, j < i, other) for j, p, other in marks if p == second]
        if near:
            links.add((sign, min(near)[2]))
    return links


def _negations(tokens: list[str]) -> list[tuple[set[str], set[str]]]:
    """For each negator, the content words just before it and the two just after ("A, not B")."""
    out = []
    for i, w in enumerate(tokens):
        if w in _NEGATORS:
            before = [t for t in tokens[max(0, i - 4) : i] if t not in _STOP][-2:]
            after = [t for t in tokens[i + 1 : i + 6] if t not in _STOP][:2]
            out.append((set(before), set(after)))
    return out


def reversed_claim(point: str, sentence: str, *, close: str = "") -> bool:
    """Does `sentence` say the opposite of `point` with the point's own words: its opposite words
    paired the other way round ("wide at low"), its negation swapped ("B, not A"), or, in `close`
    (the clause that makes the point), a lone opposite ("decreases" for "increases")?"""
    p, s = words(point), words(sentence)
    p_marks, s_marks = _marks(p), _marks(s)
    order = list(dict.fromkeys(pair for _, pair, _ in p_marks))
    for n, first in enumerate(order):
        for second in order[n + 1 :]:
            said, meant = _links(s_marks, first, second), _links(p_marks, first, second)
            if meant and len(said) >= len(meant) and not said & meant:
                return True
    c_marks = _marks(words(close)) if close else []
    for pair in order:  # a lone opposite word, in the clause that makes the point
        meant = {sign for _, p_pair, sign in p_marks if p_pair == pair}
        said = {sign for _, s_pair, sign in c_marks if s_pair == pair}
        if len(meant) == 1 and said == {-next(iter(meant))}:
            return True
    # the point says "A, not B": the sentence says "B, not A" (a lone negation is not enough:
    # correct answers say "without context", "never crosses" while explaining the point)
    return any(sb & pa and sa & pb for pb, pa in _negations(p) for sb, sa in _negations(s))
