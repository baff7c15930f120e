"""Figures for the research phase: codecs and tokenisers, DDSP, SSL encoders, audio LLMs, reading papers."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, blank, flow_figure


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 15) -> np.ndarray:
    """Plain Lloyd iterations; why: RVQ stages are trained as k-means on the previous residual."""
    centres = x[rng.choice(len(x), k, replace=False)]
    for _ in range(iters):
        labels = ((x[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            if np.any(labels == j):
                centres[j] = x[labels == j].mean(0)
    return centres


@figure("neural-codecs-tokenisers-rvq-residuals")
def rvq_residuals():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    mixing = rng.standard_normal((8, 8)) / np.sqrt(8)
    x = rng.standard_normal((2000, 8)) @ mixing
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for k, marker in ((4, "s"), (16, "o"), (64, "^")):
        residual = x.copy()
        norms = [np.sqrt((residual**2).sum(1).mean())]
        for _ in range(8):
            centres = _kmeans(residual, k, rng)
            labels = ((residual[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
            residual = residual - centres[labels]
            norms.append(np.sqrt((residual**2).sum(1).mean()))
        ax.plot(range(9), norms, marker=marker, label=f"{k} entries per codebook ({int(np.log2(k))} bits)")
    ax.set_xlabel("quantiser stages used")
    ax.set_ylabel("RMS residual norm")
    ax.set_title("Residual vector quantisation on 8-d Gaussian frames")
    ax.legend(fontsize=8)
    return fig


@figure("neural-codecs-tokenisers-token-hierarchy")
def token_hierarchy():
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    fig, ax = plt.subplots(figsize=(8, 3.4))
    rows = [
        ("semantic tokens (w2v-BERT k-means, 25 Hz)", 3.0, 12, "#8172b2"),
        ("coarse acoustic: SoundStream RVQ levels 1-4 (50 Hz)", 1.8, 24, "#dd8452"),
        ("fine acoustic: RVQ levels 5-12", 0.6, 24, "#55a868"),
    ]
    for label, y, n, colour in rows:
        for i in range(n):
            ax.add_patch(Rectangle((i * 24 / n, y), 24 / n * 0.9, 0.7, fc=colour, ec="white"))
        ax.text(0, y + 0.85, label, fontsize=9)
    for y_from, y_to, stage in (
        (3.0, 2.5, "stage 1 -> 2: conditioned on semantics"),
        (1.8, 1.3, "stage 2 -> 3: conditioned on coarse"),
    ):
        arrow(ax, (24.6, y_from), (24.6, y_to))
        ax.text(24.9, (y_from + y_to) / 2, stage, fontsize=8, va="center")
    ax.text(
        0,
        -0.3,
        "time ->  (one column = one frame; acoustic frames are denser than semantic ones)",
        fontsize=8,
    )
    blank(ax, (0, 38), (-0.5, 4.1))
    ax.set_title("AudioLM-style hierarchy: what to say, then how it sounds, then the detail")
    return fig


@figure("generative-audio-ddsp-harmonic-spectrum")
def ddsp_spectrum():
    import matplotlib.pyplot as plt

    sr, f0, n = 16000, 220.0, 4096
    t = np.arange(n) / sr
    k = np.arange(1, int(sr / 2 // f0) + 1)
    amps = np.exp(-((k * f0 - 700) ** 2) / (2 * 300**2)) + 0.5 * np.exp(
        -((k * f0 - 1200) ** 2) / (2 * 400**2)
    )
    amps = amps / amps.sum()
    harmonic = (amps[:, None] * np.sin(2 * np.pi * f0 * k[:, None] * t)).sum(0)
    rng = np.random.default_rng(0)
    shaping = 0.0005 * np.exp(-np.fft.rfftfreq(n, 1 / sr) / 1500)  # noise that falls with frequency
    noise = np.fft.irfft(np.fft.rfft(rng.standard_normal(n)) * shaping, n)
    freqs = np.fft.rfftfreq(n, 1 / sr)
    win = np.hanning(n)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    for signal, label, colour in (
        (harmonic, "harmonic part", "#4c72b0"),
        (noise, "filtered noise part", "#c44e52"),
    ):
        mag = 20 * np.log10(np.abs(np.fft.rfft(signal * win)) + 1e-6)
        ax.plot(freqs[:1200], mag[:1200], label=label, color=colour, lw=0.9)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("magnitude (dB)")
    ax.set_title("Harmonics at k x 220 Hz under a formant-like envelope, plus noise")
    ax.legend(fontsize=8)
    return fig


@figure("self-supervised-audio-masked-prediction")
def masked_prediction():
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    rng = np.random.default_rng(1)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    n = 16
    masked = np.zeros(n, bool)
    masked[3:8] = True
    masked[10:14] = True
    targets = rng.integers(0, 500, n)
    ax.plot(
        np.linspace(0, n, 800),
        0.3 * np.sin(np.linspace(0, 60, 800)) * rng.uniform(0.5, 1, 800) + 0.4,
        lw=0.6,
        color="grey",
    )
    ax.text(-0.2, 0.4, "waveform", ha="right", fontsize=8)
    for i in range(n):
        ax.add_patch(
            Rectangle((i + 0.05, 1.0), 0.9, 0.5, fc="#bbbbbb" if masked[i] else "#dbe8f5", ec="k", lw=0.5)
        )
        ax.add_patch(Rectangle((i + 0.05, 2.2), 0.9, 0.5, fc="#f2d7b6", ec="k", lw=0.5))
        if masked[i]:
            ax.text(i + 0.5, 3.1, str(targets[i]), ha="center", fontsize=7, color="#c44e52")
    ax.text(-0.2, 1.25, "CNN frames\n(20 ms)", ha="right", fontsize=8)
    ax.text(-0.2, 2.45, "transformer", ha="right", fontsize=8)
    ax.text(-0.2, 3.1, "k-means\ntargets", ha="right", fontsize=8, color="#c44e52")
    ax.text(
        n / 2,
        3.6,
        "loss only on masked (grey) frames: predict the cluster id from context",
        ha="center",
        fontsize=9,
    )
    blank(ax, (-2.5, n), (0, 3.9))
    return fig


@figure("audio-language-models-architecture")
def audio_llm():
    fig, _ = flow_figure(
        (8.5, 2.6),
        [
            "audio\n(16 kHz)",
            "audio encoder\n(Whisper-style,\n50 Hz)",
            "adapter:\npool / project\n(to 25 Hz or less)",
            "LLM\n(text prompt +\naudio embeddings)",
            "text reply\n(or speech\ntokens)",
        ],
        colour="#eadcf2",
        note="stage 1 trains the adapter with encoder and LLM frozen; later stages unfreeze or add LoRA",
    )
    return fig


@figure("reading-research-wer-confidence")
def wer_confidence():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    sizes = [100, 300, 1000, 3000]
    widths = []
    for n in sizes:
        words = rng.integers(5, 35, n)
        diffs = []
        for _ in range(400):
            idx = rng.integers(0, n, n)
            # equal systems: each fixes and breaks about 1% of words differently on every utterance
            flips = rng.binomial(words[idx], 0.01) - rng.binomial(words[idx], 0.01)
            diffs.append(100 * flips.sum() / words[idx].sum())
        widths.append(np.percentile(diffs, [2.5, 97.5]))
    widths = np.array(widths)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.fill_between(sizes, widths[:, 0], widths[:, 1], alpha=0.3, label="95% bootstrap interval")
    ax.axhline(0, color="black", lw=0.8)
    ax.axhline(-0.3, color="#c44e52", ls="--", label="claimed gain: 0.3 points")
    ax.set_xscale("log")
    ax.set_xlabel("test utterances")
    ax.set_ylabel("WER difference (points)")
    ax.set_title("Two equal systems: how big a difference noise alone makes")
    ax.legend(fontsize=8)
    return fig
