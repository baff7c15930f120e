"""The ASR figure: the waveform with each recognised word's time span shaded and labelled."""

from collections.abc import Sequence

import numpy as np

from demos.vad.plots import envelope

SPAN_COLOURS = ("#3b2f80", "#f6a400")  # alternate, so neighbouring words stay apart
LOW_CONFIDENCE = 0.5  # words below this are labelled in red


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def words_figure(samples: np.ndarray, sr: int, words: Sequence[dict], title: str):
    plt = _pyplot()
    duration = len(samples) / sr
    fig, ax = plt.subplots(figsize=(11, 3.8), constrained_layout=True)
    times, lower, upper = envelope(samples, sr)
    ax.fill_between(times, lower, upper, color="#555555", linewidth=0.4)
    peak = max(float(np.max(np.abs(samples))), 1e-3)
    for i, w in enumerate(words):
        ax.axvspan(w["start"], w["end"], color=SPAN_COLOURS[i % 2], alpha=0.18)
        unsure = w.get("probability") is not None and w["probability"] < LOW_CONFIDENCE
        ax.text(
            (w["start"] + w["end"]) / 2, peak * (1.08 if i % 2 == 0 else 1.28), w["word"],
            ha="center", va="bottom", fontsize=8, rotation=0, color="#b42318" if unsure else "black",
        )  # fmt: skip
    ax.set(
        title=title, xlabel="time (s)", ylabel="amplitude", xlim=(0, duration), ylim=(-peak * 1.1, peak * 1.5)
    )
    return fig


def words_summary(words: Sequence[dict], duration: float) -> str:
    """The plot in words: how many words, when speech starts and ends, the least certain word."""
    if not words:
        return f"No words were recognised in the {duration:.2f} s clip."
    spoken = sum(w["end"] - w["start"] for w in words)
    text = (
        f"{len(words)} words between {words[0]['start']:.2f} s and {words[-1]['end']:.2f} s of a "
        f"{duration:.2f} s clip ({len(words) / max(spoken, 1e-9) * 60:.0f} words per minute of word time)."
    )
    scored = [w for w in words if w.get("probability") is not None]
    if scored:
        worst = min(scored, key=lambda w: w["probability"])
        text += (
            f" Least certain word: “{worst['word']}” at {worst['start']:.2f} s "
            f"(confidence {worst['probability']:.2f}; words under {LOW_CONFIDENCE} are labelled in red)."
        )
    return text
