"""Figures for the production phase (and the box-and-arrow helper the later phases reuse)."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure


def flow_diagram(ax, labels: list[str], *, y: float = 0.5, colour: str = "#dbe8f5") -> None:
    """Draw labelled boxes left to right joined by arrows; why: several lessons show a pipeline."""
    from matplotlib.patches import FancyBboxPatch

    n = len(labels)
    width = 1.0 / n
    for i, label in enumerate(labels):
        x = i * width + 0.1 * width
        ax.add_patch(
            FancyBboxPatch(
                (x, y - 0.17), 0.8 * width, 0.34, boxstyle="round,pad=0.01", fc=colour, ec="#34495e"
            )
        )
        ax.text(x + 0.4 * width, y, label, ha="center", va="center", fontsize=8.5, wrap=True)
        if i < n - 1:
            ax.annotate(
                "",
                xy=((i + 1) * width + 0.1 * width, y),
                xytext=(x + 0.8 * width, y),
                arrowprops={"arrowstyle": "->", "color": "#34495e"},
            )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")


@figure("real-time-processing-latency-budget")
def latency_budget():
    import matplotlib.pyplot as plt

    stages = ["capture", "algorithmic", "network + jitter", "playback"]
    budgets = {"cloud suppressor": [10, 30, 60, 10], "on-device suppressor": [10, 30, 0, 10]}
    colours = ["#4c72b0", "#dd8452", "#c44e52", "#55a868"]
    fig, ax = plt.subplots(figsize=(8, 2.8))
    for row, parts in enumerate(budgets.values()):
        left = 0
        for stage, ms, colour in zip(stages, parts, colours, strict=True):
            if ms:
                ax.barh(row, ms, left=left, color=colour, label=stage if row == 0 else None)
                ax.text(left + ms / 2, row, f"{ms}", ha="center", va="center", color="white")
            left += ms
        ax.text(left + 2, row, f"{left} ms", va="center")
    ax.axvline(150, color="grey", ls="--")
    ax.text(149, 1.45, "G.114: ~150 ms one way", ha="right", fontsize=8, color="grey")
    ax.set_yticks([0, 1], list(budgets))
    ax.set_xlabel("one-way delay (ms)")
    ax.set_xlim(0, 170)
    ax.legend(loc="lower right", fontsize=8, ncol=2)
    return fig


@figure("real-time-processing-overlap-add")
def overlap_add():
    import matplotlib.pyplot as plt

    win, hop = 320, 160
    window = np.sqrt(np.hanning(win + 1)[:-1])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4), sharex=True)
    total = np.zeros(hop * 7 + win)
    for k in range(7):
        start = k * hop
        t = (start + np.arange(win)) / 16
        top.plot(t, window, lw=1.2)
        total[start : start + win] += window**2
    top.set_ylabel("sqrt-Hann window")
    top.set_title("20 ms frames every 10 ms hop (16 kHz)")
    t = np.arange(total.size) / 16
    bottom.plot(t, total, color="black")
    bottom.axvspan(0, win / 16, color="#f4cccc", label="first window: filling the buffer")
    bottom.set_ylim(0, 1.3)
    bottom.set_ylabel("sum of analysis x synthesis")
    bottom.set_xlabel("time (ms)")
    bottom.legend(loc="lower right", fontsize=8)
    return fig


@figure("model-optimisation-quantisation-error")
def quantisation_error():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    weights = rng.standard_normal(100_000) * 0.02
    bits = np.arange(2, 11)
    sqnr = []
    for b in bits:
        scale = np.abs(weights).max() / (2 ** (b - 1) - 1)
        err = weights - np.round(weights / scale) * scale
        sqnr.append(10 * np.log10(np.mean(weights**2) / np.mean(err**2)))
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(bits, sqnr, "o-", label="symmetric per-tensor, Gaussian weights")
    ax.plot(bits, sqnr[-1] - 6.02 * (bits[-1] - bits), ":", color="grey", label="6.02 dB per bit")
    ax.set_xlabel("bits per weight")
    ax.set_ylabel("signal-to-quantisation-noise (dB)")
    ax.axvline(8, color="#c44e52", ls="--", lw=0.8)
    ax.text(8.1, sqnr[0], "int8", color="#c44e52")
    ax.legend(fontsize=8)
    return fig


@figure("serving-deployment-architecture")
def serving_architecture():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 2.6))
    flow_diagram(
        ax,
        [
            "clients\n(HTTP, WebSocket)",
            "API service\n(async, auth)",
            "queue\n(Kafka / Redis)",
            "GPU workers\n(batched model)",
            "results store\n+ metrics",
        ],
    )
    ax.text(0.5, 0.12, "autoscale workers on queue depth and p95 latency, not CPU", ha="center", fontsize=9)
    ax.text(
        0.5,
        0.88,
        "the API never runs the model: it enqueues, streams back, and reports",
        ha="center",
        fontsize=9,
    )
    return fig


@figure("audio-data-pipelines-stages")
def data_pipeline():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 2.6))
    flow_diagram(
        ax,
        [
            "raw audio\n+ consent",
            "decode,\nresample,\nloudness",
            "VAD\nsegment",
            "align\ntranscripts",
            "filter\n(SNR, CER,\nduration)",
            "speaker-\ndisjoint\nsplit",
            "versioned\nmanifests",
        ],
    )
    ax.text(
        0.5,
        0.1,
        "every stage writes a manifest with its inputs' hashes, so a deletion can be traced",
        ha="center",
        fontsize=9,
    )
    return fig


@figure("leading-audio-teams-gates")
def research_gates():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 2.8))
    flow_diagram(
        ax,
        [
            "idea +\nhypothesis",
            "offline eval\non shared\nharness",
            "latency and\ncost check",
            "shadow\ntraffic",
            "A/B test",
            "ship +\nmonitor",
        ],
        colour="#e3f0d8",
    )
    for i in range(1, 5):
        ax.text((i + 0.5) / 6, 0.15, "kill if\ncriterion\nmissed", ha="center", fontsize=7.5, color="#c44e52")
    return fig
