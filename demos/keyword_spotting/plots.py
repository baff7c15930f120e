"""Keyword-spotting figures: learning curve, confusion matrix, and the detection timeline."""

import numpy as np

from demos.vad.plots import envelope


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def learning_curve_figure(losses: list[float], accuracy: list[float], chance: float):
    """Training loss (left axis) and held-out accuracy (right axis) per epoch, with chance marked."""
    plt = _pyplot()
    fig, loss_ax = plt.subplots(figsize=(7, 3.6), constrained_layout=True)
    epochs = np.arange(1, len(losses) + 1)
    loss_ax.plot(epochs, losses, "o-", color="#3b2f80", label="training loss")
    loss_ax.set(xlabel="epoch", ylabel="cross-entropy loss", title="Learning curve", xticks=epochs)
    acc_ax = loss_ax.twinx()
    acc_ax.plot(epochs, 100 * np.array(accuracy), "s-", color="#f6a400", label="held-out accuracy")
    acc_ax.axhline(100 * chance, color="#888888", linestyle=":", label="chance")
    acc_ax.set(ylabel="held-out accuracy (%)", ylim=(0, 102))
    lines = loss_ax.get_legend_handles_labels()[0] + acc_ax.get_legend_handles_labels()[0]
    loss_ax.legend(lines, [line.get_label() for line in lines], loc="center right")
    return fig


def confusion_figure(confusion: list[list[int]], labels: list[str], title: str):
    """Rows are the true words, columns what the model said; the diagonal is right."""
    plt = _pyplot()
    matrix = np.array(confusion)
    fig, ax = plt.subplots(figsize=(5.6, 4.8), constrained_layout=True)
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for (row, col), count in np.ndenumerate(matrix):
        if count:
            colour = "white" if count > matrix.max() / 2 else "black"
            ax.text(col, row, str(count), ha="center", va="center", color=colour, fontsize=9)
    ax.set(xlabel="predicted", ylabel="true", title=title)
    return fig


def timeline_figure(samples: np.ndarray, sr: int, result: dict):
    """Waveform with detections marked; each keyword's probability per window (drawn at window centres)."""
    plt = _pyplot()
    duration = len(samples) / sr
    fig, (wave, scores) = plt.subplots(2, 1, figsize=(10, 5.6), constrained_layout=True, sharex=True)
    times, lower, upper = envelope(samples, sr)
    wave.fill_between(times, lower, upper, color="#555555", linewidth=0.4)
    for d in result["detections"]:
        wave.axvline(d["time"], color="#b42318", linewidth=1.5)
        wave.annotate(f"{d['keyword']} {d['score']:.2f}", (d["time"], 0.95), xycoords=("data", "axes fraction"),
                      ha="center", va="top", color="#b42318", fontweight="bold")  # fmt: skip
    wave.set(title="Waveform and detections", ylabel="amplitude", xlim=(0, max(duration, 1.0)))
    centres = np.array(result["window_starts"]) + 0.5
    probs = np.array(result["probabilities"])
    for index, label in enumerate(result["labels"]):
        if label.startswith("_"):
            continue
        scores.plot(centres, probs[:, index], marker=".", label=label)
    scores.axhline(
        result["threshold"], color="#b42318", linestyle="--", label=f"threshold {result['threshold']:.2f}"
    )
    scores.set(title="Keyword probability per 1 s window (at the window's centre)", xlabel="time (s)",
               ylabel="probability", ylim=(-0.03, 1.05))  # fmt: skip
    scores.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=8, fontsize="small")
    return fig
