"""CTC's frame-level output, shown before and after collapsing (repeats merged, blanks dropped)."""

from collections.abc import Sequence

from workers.engines.asr_transformers import BLANK

WORD_DELIMITER = "|"  # wav2vec2's word boundary token
MAX_RUNS_SHOWN = 400  # runs of identical labels listed before the display is cut short

NOT_CTC = {
    "faster-whisper": "Whisper is an encoder–decoder: its decoder writes text tokens one after another "
    "while attending to the whole 30 s window, so there is no label per audio frame to show.",
    "transformers-whisper": "Whisper is an encoder–decoder: its decoder writes text tokens one after "
    "another while attending to the whole 30 s window, so there is no label per audio frame to show.",
    "pocketsphinx": "PocketSphinx is an HMM/GMM decoder: it aligns 10 ms frames to HMM states inside "
    "a word lattice, and returns words, not CTC labels per frame.",
}


def collapse(labels: Sequence[str], blank: str = BLANK, delimiter: str = WORD_DELIMITER) -> str:
    """The CTC rule: merge repeated labels, then drop blanks; the delimiter becomes a space.

    "h h _ e l l _ l o" → "hello": the blank between the two l runs keeps them apart.
    """
    out: list[str] = []
    previous = None
    for label in labels:
        if label != previous and label != blank:
            out.append(" " if label == delimiter else label)
        previous = label
    return " ".join("".join(out).split())


def runs(labels: Sequence[str]) -> list[tuple[str, int]]:
    """Run-length form of the frame labels: [("_", 12), ("s", 2), …]."""
    result: list[tuple[str, int]] = []
    for label in labels:
        if result and result[-1][0] == label:
            result[-1] = (label, result[-1][1] + 1)
        else:
            result.append((label, 1))
    return result


def frame_labels_markdown(labels: Sequence[str], duration: float, backend: str) -> str:
    """What the learner reads under "Frame-level output": the runs and the collapsed text."""
    if not labels:
        reason = NOT_CTC.get(backend, "This recogniser is not a CTC model.")
        return f"**No frame-level output: `{backend}` is not a CTC model.** {reason}"
    frame_ms = 1000 * duration / len(labels)
    shown = runs(labels)
    text = " ".join(label if count == 1 else f"{label}×{count}" for label, count in shown[:MAX_RUNS_SHOWN])
    cut = f" … ({len(shown) - MAX_RUNS_SHOWN} more runs)" if len(shown) > MAX_RUNS_SHOWN else ""
    blanks = sum(1 for label in labels if label == BLANK)
    return (
        f"**{len(labels)} frames of about {frame_ms:.0f} ms**, best label per frame "
        f"(`{BLANK}` = blank, `{WORD_DELIMITER}` = word boundary, `x×n` = n frames in a row); "
        f"{100 * blanks / len(labels):.0f}% of frames are blank:\n\n```\n{text}{cut}\n```\n\n"
        f"**Collapsed** (repeats merged, blanks dropped): `{collapse(labels)}`"
    )
