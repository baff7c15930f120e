"""Figures for the capstone projects: latency waterfalls, DET curves, posterior smoothing, FAD bias."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import flow_figure, label_axes


@figure("capstone-voice-assistant-latency-waterfall")
def assistant_waterfall():
    import matplotlib.pyplot as plt

    stages = [
        ("endpoint silence", 500),
        ("final ASR", 200),
        ("NLU and action", 150),
        ("first TTS chunk", 150),
    ]
    fig, ax = plt.subplots(figsize=(7, 2.8))
    start = 0
    for i, (name, ms) in enumerate(stages):
        ax.barh(i, ms, left=start, color="#4c72b0" if i else "#c44e52")
        ax.text(start + ms + 10, i, f"{name}: {ms} ms", va="center", fontsize=8)
        start += ms
    ax.invert_yaxis()
    ax.set_yticks([])
    ax.set_xlim(0, 1500)
    ax.set_xlabel(f"ms after the user stops speaking (total {start} ms)")
    ax.set_title("The capstone's budget: about 1 s from end of speech to first audio")
    return fig


def _det_points(genuine: np.ndarray, impostor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    thresholds = np.sort(np.concatenate([genuine, impostor]))
    far = np.array([(impostor >= t).mean() for t in thresholds])
    frr = np.array([(genuine < t).mean() for t in thresholds])
    return far, frr


@figure("capstone-speaker-verification-det")
def verification_det():
    import matplotlib.pyplot as plt
    from scipy.stats import norm

    rng = np.random.default_rng(0)
    fig, ax = plt.subplots(figsize=(5, 4.2))
    for name, sep in (("3 s test segments", 3.2), ("10 s test segments", 4.2)):
        genuine = rng.normal(sep, 1.0, 3000)
        impostor = rng.normal(0.0, 1.0, 3000)
        far, frr = _det_points(genuine, impostor)
        keep = (far > 1e-3) & (frr > 1e-3) & (far < 0.5) & (frr < 0.5)
        line = ax.plot(norm.ppf(far[keep]), norm.ppf(frr[keep]), label=name)[0]
        i = np.argmin(np.abs(far - frr))
        ax.plot(norm.ppf(far[i]), norm.ppf(frr[i]), "o", color=line.get_color())
        ax.annotate(
            f"EER {100 * (far[i] + frr[i]) / 2:.1f}%",
            (norm.ppf(far[i]), norm.ppf(frr[i])),
            xytext=(8, 4),
            textcoords="offset points",
            fontsize=8,
        )
    ticks = np.array([0.001, 0.01, 0.05, 0.2, 0.5])
    ax.set_xticks(norm.ppf(ticks), [f"{100 * t:g}" for t in ticks])
    ax.set_yticks(norm.ppf(ticks), [f"{100 * t:g}" for t in ticks])
    ax.axvline(norm.ppf(0.01), color="grey", ls=":")
    ax.set_xlabel("false accept rate (%)")
    ax.set_ylabel("false reject rate (%)")
    ax.set_title("DET curves (synthetic Gaussian scores)")
    ax.legend(fontsize=8)
    return fig


@figure("capstone-keyword-spotting-smoothing")
def kws_smoothing():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(3)
    hop = 0.02
    t = np.arange(0, 6, hop)
    posterior = np.clip(rng.normal(0.08, 0.08, t.size), 0, 1)
    posterior[50:57] = 0.95  # a 140 ms confusable word at 1.0 s
    posterior[(t > 3.5) & (t < 4.1)] = rng.uniform(0.7, 0.95, ((t > 3.5) & (t < 4.1)).sum())  # the keyword
    fig, ax = plt.subplots(figsize=(7.5, 3))
    ax.plot(t, posterior, color="lightgrey", label="raw posterior")
    for window, colour in ((0.2, "#dd8452"), (0.5, "#4c72b0")):
        n = int(window / hop)
        smooth = np.convolve(posterior, np.ones(n) / n, mode="full")[: t.size]
        ax.plot(t, smooth, color=colour, label=f"{window} s moving average")
    ax.axhline(0.5, color="#c44e52", ls="--", label="threshold 0.5")
    ax.text(1.0, 0.9, "short confusable word", fontsize=8)
    ax.text(3.5, 1.0, "keyword", fontsize=8)
    label_axes(ax, x="time (s)", y="keyword posterior")
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=7, loc="upper right")
    return fig


@figure("capstone-music-generator-fad-bias")
def fad_bias():
    import matplotlib.pyplot as plt
    from scipy import linalg

    rng = np.random.default_rng(0)
    dim = 32
    sizes = [50, 100, 200, 500, 1000, 2000]
    means, spreads = [], []
    for n in sizes:
        values = []
        for _ in range(8):
            a = rng.standard_normal((n, dim))
            b = rng.standard_normal((n, dim))
            mu = a.mean(0) - b.mean(0)
            ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
            covmean = linalg.sqrtm(ca @ cb).real
            values.append(mu @ mu + np.trace(ca + cb - 2 * covmean))
        means.append(np.mean(values))
        spreads.append(np.std(values))
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.errorbar(sizes, means, yerr=spreads, marker="o", capsize=3)
    ax.set_xscale("log")
    ax.set_xlabel("clips per side")
    ax.set_ylabel("Frechet distance")
    ax.set_title("Two samples of the SAME distribution (32-d): the true distance is 0")
    return fig


@figure("capstone-noise-cancellation-streaming-parity")
def streaming_parity():
    fig, _ = flow_figure(
        (8.5, 2.6),
        [
            "mic\n(AudioWorklet,\n128 frames)",
            "ring buffer\n-> 10 ms hop",
            "STFT\n20 ms window",
            "mask model\n(state carried\nacross frames)",
            "iSTFT +\noverlap-add",
            "speaker",
        ],
        colour="#e3f0d8",
        note="parity test: stream a file frame by frame and compare with offline output sample by sample",
    )
    return fig


@figure("capstone-custom-voice-pipeline")
def custom_voice():
    fig, _ = flow_figure(
        (8.5, 2.6),
        [
            "consent\n+ script",
            "record\n~1 h, one mic",
            "clean, segment,\nalign",
            "fine-tune a\nmulti-speaker\nmodel",
            "evaluate:\nCER, speaker\nsimilarity, MOS",
            "release with\nwatermark +\nrevocation",
        ],
        colour="#fbe5d6",
    )
    return fig
