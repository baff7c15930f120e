"""Figures for the foundations phase: sinusoids, framing, the voice, sampling, quantisation, bitrates."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, label_axes


@figure("math-for-audio-phasor")
def phasor():
    """A rotating complex arrow and its real part: why e^(jθ) is the natural form of a sinusoid."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2), gridspec_kw={"width_ratios": [1, 2]})
    theta = np.linspace(0, 2 * np.pi, 200)
    left.plot(np.cos(theta), np.sin(theta), color="0.7")
    for angle in np.arange(0, 2 * np.pi, np.pi / 4):
        arrow(left, (0, 0), (np.cos(angle), np.sin(angle)), color="0.6")
    angle = np.pi / 3
    arrow(left, (0, 0), (np.cos(angle), np.sin(angle)), color="C0", lw=2)
    left.plot([np.cos(angle)] * 2, [0, np.sin(angle)], "C1--")
    left.text(0.55, 0.95, "e^(jθ), θ = π/3", color="C0")
    left.text(0.52, -0.2, "cos θ", color="C1")
    left.set_aspect("equal")
    label_axes(left, x="real part", y="imaginary part", title="complex plane")
    t = np.linspace(0, 2, 400)
    right.plot(t, np.cos(2 * np.pi * t), "C1", label="real part: cos(2πft)")
    right.plot(t, np.sin(2 * np.pi * t), "C2", alpha=0.7, label="imaginary part: sin(2πft)")
    right.plot([1 / 6], [np.cos(np.pi / 3)], "o", color="C0")
    label_axes(right, x="time (periods)", y="amplitude", title="its real and imaginary parts over time")
    right.legend(loc="lower left", fontsize=8)
    return fig


@figure("python-for-audio-framing")
def framing():
    """A waveform cut into 25 ms frames every 10 ms, with the RMS of each frame."""
    import matplotlib.pyplot as plt

    sr = 16000
    rng = np.random.default_rng(0)
    t = np.arange(int(0.12 * sr)) / sr
    envelope = np.clip((t - 0.03) / 0.02, 0, 1)
    x = envelope * (0.6 * np.sin(2 * np.pi * 150 * t) + 0.2 * np.sin(2 * np.pi * 450 * t))
    x += 0.01 * rng.standard_normal(len(t))
    frames = np.lib.stride_tricks.sliding_window_view(x, 400)[::160]
    rms = np.sqrt((frames**2).mean(axis=1))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4), sharex=True)
    top.plot(1000 * t, x, lw=0.8, color="0.3")
    for i in range(len(frames)):
        start = 1000 * i * 160 / sr
        top.add_patch(plt.Rectangle((start, 0.85 - 0.12 * (i % 3)), 25, 0.08, color=f"C{i % 3}", alpha=0.6))
    top.set_ylim(-1, 1)
    label_axes(top, y="amplitude", title="frames of 400 samples (25 ms) starting every 160 samples (10 ms)")
    centres = 1000 * (np.arange(len(frames)) * 160 + 200) / sr
    bottom.stem(centres, rms)
    label_axes(bottom, x="time (ms)", y="frame RMS")
    return fig


@figure("sound-physics-source-filter")
def source_filter():
    """Harmonics of a 120 Hz voice source shaped by a vowel's formant envelope."""
    import matplotlib.pyplot as plt

    f0 = 120.0
    freqs = np.arange(1, 34) * f0
    formants = [(700, 110), (1220, 120), (2600, 170)]  # an /a/-like vowel: centre, bandwidth (Hz)
    grid = np.linspace(0, 4000, 800)

    def envelope(f):
        gain = np.zeros_like(f)
        for centre, bandwidth in formants:
            gain += 1 / (1 + ((f - centre) / (bandwidth / 2)) ** 2)
        return gain + 0.02

    source_db = -12 * np.log2(np.arange(1, 34))  # a buzz falling about 12 dB per octave
    out_db = source_db + 20 * np.log10(envelope(freqs))
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.vlines(freqs, -90, out_db, color="C0", lw=1.5, label="harmonics at k·F0 (F0 = 120 Hz)")
    env_db = 20 * np.log10(envelope(grid)) + np.interp(grid, freqs, source_db)
    ax.plot(grid, env_db, "C1", label="spectral envelope (formants)")
    for i, (centre, _) in enumerate(formants, start=1):
        ax.text(centre, 6, f"F{i}", ha="center", color="C1")
    ax.set_ylim(-90, 12)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("level (dB)")
    ax.set_title("source (harmonics) × filter (vocal tract) for a vowel like /a/")
    ax.legend(loc="upper right", fontsize=8)
    return fig


@figure("sampling-nyquist-aliasing")
def aliasing():
    """A 7 kHz tone sampled at 10 kHz gives exactly the samples of a 3 kHz tone."""
    import matplotlib.pyplot as plt

    fs = 10_000
    t = np.linspace(0, 0.0012, 1200)
    n = np.arange(13)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(1000 * t, np.cos(2 * np.pi * 7000 * t), color="C0", lw=0.8, label="7 kHz input")
    ax.plot(1000 * t, np.cos(2 * np.pi * 3000 * t), "C1--", lw=1.2, label="3 kHz alias")
    ax.plot(1000 * n / fs, np.cos(2 * np.pi * 7000 * n / fs), "ko", label="samples at 10 kHz")
    label_axes(ax, x="time (ms)", y="amplitude", title="the samples cannot tell 7 kHz from 10 - 7 = 3 kHz")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), fontsize=8, ncol=3)
    return fig


@figure("sampling-nyquist-folding")
def folding():
    """Apparent frequency against input frequency at 16 kHz: the spectrum folds at 8 kHz."""
    import matplotlib.pyplot as plt

    fs = 16_000
    f_in = np.linspace(0, 24_000, 961)
    apparent = np.abs(f_in - fs * np.round(f_in / fs))
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(f_in / 1000, apparent / 1000, "C0")
    ax.axvline(fs / 2000, color="0.5", ls=":")
    ax.axvline(fs / 1000, color="0.5", ls=":")
    ax.text(8.1, 7.3, "Nyquist 8 kHz", color="0.3")
    ax.plot([11], [5], "o", color="C3")
    ax.annotate("11 kHz appears at 5 kHz", xy=(11, 5), xytext=(13, 6.5), arrowprops={"arrowstyle": "->"})
    ax.set_xlabel("input frequency (kHz)")
    ax.set_ylabel("frequency after sampling (kHz)")
    ax.set_title("sampling at 16 kHz folds every input into 0-8 kHz")
    return fig


@figure("quantisation-bit-depth-error")
def quantisation_error():
    """A sine quantised to 3 bits, its rounding error, and measured SNR against the 6 dB-per-bit rule."""
    import matplotlib.pyplot as plt

    t = np.linspace(0, 1, 400)
    x = 0.95 * np.sin(2 * np.pi * t)
    levels = 2**2
    q = np.clip(np.round(x * levels), -levels, levels - 1) / levels
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.2))
    left.plot(t, x, "C0", label="input")
    left.step(t, q, "C1", where="mid", label="3-bit value")
    left.plot(t, q - x, "C3", lw=0.8, label="error (within ±Δ/2)")
    label_axes(left, x="time (one period)", y="amplitude", title="3 bits: 8 levels, Δ = 0.25")
    left.legend(fontsize=7, loc="lower left")
    bits = np.arange(4, 17)
    ts = np.arange(16000) / 16000
    sine = 0.99 * np.sin(2 * np.pi * 441.3 * ts)
    measured = []
    for b in bits:
        lv = 2 ** (b - 1)
        err = np.clip(np.round(sine * lv), -lv, lv - 1) / lv - sine
        measured.append(10 * np.log10(np.sum(sine**2) / np.sum(err**2)))
    right.plot(bits, 6.02 * bits + 1.76, "C0-", label="6.02 N + 1.76 dB")
    right.plot(bits, measured, "C1o", ms=4, label="measured, 441.3 Hz sine")
    label_axes(right, x="bits N", y="SNR (dB)", title="each bit buys about 6 dB")
    right.legend(fontsize=8)
    return fig


@figure("audio-formats-channels-bitrates")
def bitrates():
    """Bitrates of common speech and music formats on a log axis."""
    import matplotlib.pyplot as plt

    formats = [
        ("CD PCM 44.1 kHz 16-bit stereo", 44100 * 16 * 2 / 1000),
        ("PCM 16 kHz 16-bit mono", 16000 * 16 / 1000),
        ("G.711 mu-law 8 kHz 8-bit", 8000 * 8 / 1000),
        ("MP3 or AAC, typical music", 128.0),
        ("Opus, wideband speech", 24.0),
        ("Opus, lowest rate", 6.0),
    ]
    fig, ax = plt.subplots(figsize=(8, 3))
    names = [name for name, _ in formats]
    rates = [rate for _, rate in formats]
    colours = ["C0", "C0", "C2", "C1", "C1", "C1"]
    ax.barh(names, rates, color=colours)
    for y, rate in enumerate(rates):
        ax.text(rate * 1.08, y, f"{rate:g} kb/s", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(3, 4000)
    ax.invert_yaxis()
    ax.set_xlabel("bitrate (kb/s, log scale)")
    ax.set_title("blue: uncompressed PCM, green: companded PCM, orange: lossy codecs", fontsize=9)
    return fig
