"""Figures for the production phase."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import flow_figure, label_axes


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
    label_axes(top, y="sqrt-Hann window", title="20 ms frames every 10 ms hop (16 kHz)")
    t = np.arange(total.size) / 16
    bottom.plot(t, total, color="black")
    bottom.axvspan(0, win / 16, color="#f4cccc", label="first window: filling the buffer")
    bottom.set_ylim(0, 1.3)
    label_axes(bottom, x="time (ms)", y="sum of analysis x synthesis")
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
    label_axes(ax, x="bits per weight", y="signal-to-quantisation-noise (dB)")
    ax.axvline(8, color="#c44e52", ls="--", lw=0.8)
    ax.text(8.1, sqnr[0], "int8", color="#c44e52")
    ax.legend(fontsize=8)
    return fig


@figure("serving-deployment-architecture")
def serving_architecture():
    fig, ax = flow_figure(
        (8, 2.6),
        [
            "clients\n(HTTP, WebSocket)",
            "API service\n(async, auth)",
            "queue\n(Kafka / Redis)",
            "GPU workers\n(batched model)",
            "results store\n+ metrics",
        ],
        note="autoscale workers on queue depth and p95 latency, not CPU",
        note_y=0.12,
    )
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
    fig, _ = flow_figure(
        (8.5, 2.6),
        [
            "raw audio\n+ consent",
            "decode,\nresample,\nloudness",
            "VAD\nsegment",
            "align\ntranscripts",
            "filter\n(SNR, CER,\nduration)",
            "speaker-\ndisjoint\nsplit",
            "versioned\nmanifests",
        ],
        note="every stage writes a manifest with its inputs' hashes, so a deletion can be traced",
    )
    return fig


@figure("leading-audio-teams-gates")
def research_gates():
    fig, ax = flow_figure(
        (8.5, 2.8),
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
