"""What the TTS demo does to a learner's text before it becomes a job: limits, pause markup per
backend, and honest notes about characters an English voice cannot read."""

import re
import unicodedata
from dataclasses import dataclass

DEMO_MAX_CHARS = 1000  # a demo sentence or paragraph; the job system allows more (JOB_TEXT_MAX_CHARS)
# Backends whose engine reads the pause markup itself (workers/engines/tts_piper.py: split_pauses)
PAUSE_MARKUP_BACKENDS = frozenset({"piper"})
PAUSE = re.compile(r"\[pause\s+(\d+(?:\.\d+)?)\s*(ms|s)\]", re.IGNORECASE)
PAUSE_SYNTAX = (
    "**Pauses:** type `[pause 500ms]` or `[pause 1.5s]` (at most 10 s) where you want silence; "
    "`...` or `…` is a half-second pause. Piper reads this markup exactly. espeak-ng does not: for it "
    "each `[pause …]` becomes `...`, espeak-ng's own short pause (about 0.2 s)."
)
_INVISIBLE = {"Cc", "Cf"}  # control and format characters (bidi marks, zero-width joiners)
_KEEP_CONTROLS = {"\n", "\t"}


class TextRefused(ValueError):
    """The text cannot be spoken as it is; the message says why and what to do."""


@dataclass(frozen=True)
class PreparedText:
    text: str  # what the engine receives
    notes: tuple[str, ...]  # what the learner should know about how it will be read


def _limit() -> int:
    from django.conf import settings

    return min(DEMO_MAX_CHARS, settings.JOB_TEXT_MAX_CHARS)


def pause_seconds(text: str) -> float:
    """Total silence the markup asks for ("[pause …]" only)."""
    return sum(float(n) / (1000 if unit.lower() == "ms" else 1) for n, unit in PAUSE.findall(text))


def spoken_words(text: str) -> str:
    """The text without its pause markup: what the audio says (its text alternative)."""
    return " ".join(PAUSE.sub(" ", text).split())


def foreign_characters(text: str) -> dict[str, list[str]]:
    """Characters outside Latin script, grouped: 'emoji' and one group per script (by the first
    word of the Unicode name, e.g. 'HEBREW', 'ARABIC', 'CJK'); right-to-left ones are marked."""
    groups: dict[str, list[str]] = {}
    for char in dict.fromkeys(text):
        category = unicodedata.category(char)
        if category == "So" or 0x1F000 <= ord(char) <= 0x1FAFF:
            groups.setdefault("emoji", []).append(char)
        elif category.startswith("L"):
            script = unicodedata.name(char, "UNKNOWN").split(" ")[0]
            if script != "LATIN":
                rtl = unicodedata.bidirectional(char) in ("R", "AL")
                groups.setdefault(f"{script.title()}{' (right-to-left)' if rtl else ''}", []).append(char)
    return groups


def prepare_text(text: str | None, backend: str) -> PreparedText:
    """Check limits and rewrite for `backend`; raises TextRefused with a clear message."""
    text = text or ""
    cleaned = "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE or c in _KEEP_CONTROLS)
    notes = []
    if len(cleaned) != len(text):
        notes.append(
            f"{len(text) - len(cleaned)} invisible control character(s) (e.g. direction marks) were removed."
        )
    if not spoken_words(cleaned).replace(".", "").replace("…", "").strip():
        raise TextRefused("Type some text to speak first (pause markup alone has nothing to say).")
    limit = _limit()
    if len(cleaned) > limit:
        raise TextRefused(
            f"The text is {len(cleaned):,} characters; this demo speaks at most {limit:,} at a time. "
            "Shorten it or split it into parts."
        )
    if backend not in PAUSE_MARKUP_BACKENDS and PAUSE.search(cleaned):
        notes.append(
            f"{backend} has no pause markup: each [pause …] was replaced by '...' (its own short pause)."
        )
        cleaned = PAUSE.sub(" ... ", cleaned)
    for group, chars in foreign_characters(cleaned).items():
        sample = "".join(chars[:6])
        if group == "emoji":
            notes.append(f"Emoji ({sample}) are read out by their names, e.g. 😀 as “grinning face”.")
        else:
            notes.append(
                f"The voices here speak English: {group} characters ({sample}) are spelled out letter by letter "
                "by name (e.g. “hebrew shin”), not read as words. Use an English text, or a voice for that language."
            )
    return PreparedText(cleaned, tuple(notes))
