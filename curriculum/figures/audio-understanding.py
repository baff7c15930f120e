"""Figures for the enhancement, separation and audio-understanding phase."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, blank_axes, box, label_axes, spectrogram

SR = 8000
N_FFT = 256
HOP = 128


def _stft_mag(x: np.ndarray) -> np.ndarray:
    """Magnitude STFT (freq, frames) with a periodic Hann window; numpy only, so it is exact and fast."""
    win = np.hanning(N_FFT + 1)[:-1]
    n = 1 + (len(x) - N_FFT) // HOP
    frames = np.stack([x[i * HOP : i * HOP + N_FFT] * win for i in range(n)], axis=1)
    return np.abs(np.fft.rfft(frames, axis=0))


def _voiced(duration: float, f0: float, seed: int) -> np.ndarray:
    """A speech-like harmonic signal: gliding f0, decaying harmonics, syllable-rate envelope."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(duration * SR)) / SR
    f = f0 * (1 + 0.15 * np.sin(2 * np.pi * 1.3 * t + rng.uniform(0, 6)))
    phase = 2 * np.pi * np.cumsum(f) / SR
    x = sum(np.sin(h * phase) / h for h in range(1, 12))
    envelope = np.clip(np.sin(2 * np.pi * 2.2 * t + rng.uniform(0, 6)), 0, None) ** 0.7
    return x * envelope


def _db(mag: np.ndarray) -> np.ndarray:
    return 20 * np.log10(mag + 1e-3)


@figure("speech-enhancement-spectral-subtraction")
def spectral_subtraction():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    speech = _voiced(1.5, 140, seed=1)
    noise = rng.standard_normal(len(speech))
    noise *= np.linalg.norm(speech) / np.linalg.norm(noise) * 10 ** (-5 / 20)  # 5 dB SNR
    noisy = _stft_mag(speech + noise)
    noise_psd = (_stft_mag(noise[: SR // 4]) ** 2).mean(axis=1, keepdims=True)  # from a noise-only stretch
    gain = np.sqrt(np.clip(1 - noise_psd / np.maximum(noisy**2, 1e-12), 0.0, None))
    enhanced = gain * noisy
    clean = _stft_mag(speech)
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True)
    extent = (0, len(speech) / SR, 0, SR / 2000)
    for ax, mag, title in zip(
        axes,
        (clean, noisy, enhanced),
        ("clean speech", "noisy input (5 dB SNR, white noise)", "after power spectral subtraction"),
        strict=True,
    ):
        spectrogram(ax, _db(mag), interpolation="none", extent=extent, cmap="magma", vmin=-30, vmax=30)
        label_axes(ax, x="time (s)", title=title, title_size=9)
    axes[0].set_ylabel("frequency (kHz)")
    return fig


@figure("speech-enhancement-mask-gains")
def mask_gains():
    import matplotlib.pyplot as plt

    snr_db = np.linspace(-20, 20, 201)
    xi = 10 ** (snr_db / 10)
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot(snr_db, xi / (1 + xi), label="IRM, β = 1 (Wiener gain)")
    ax.plot(snr_db, np.sqrt(xi / (1 + xi)), label="IRM, β = 0.5")
    ax.step(snr_db, (snr_db > 0).astype(float), where="post", label="IBM, 0 dB criterion", linestyle="--")
    ax.set_xlabel("local SNR of the time-frequency bin (dB)")
    ax.set_ylabel("gain applied to |Y|")
    ax.set_title("Mask value as a function of local SNR")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return fig


@figure("source-separation-oracle-masks")
def oracle_masks():
    import matplotlib.pyplot as plt

    a = _voiced(1.0, 120, seed=2)
    b = _voiced(1.0, 210, seed=3)
    sa, sb = _stft_mag(a) ** 2, _stft_mag(b) ** 2
    irm = sa / (sa + sb + 1e-12)
    ibm = (sa > sb).astype(float)
    mix = _stft_mag(a + b)
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True, layout="constrained")
    extent = (0, len(a) / SR, 0, SR / 2000)
    spectrogram(axes[0], _db(mix), interpolation="none", extent=extent, cmap="magma", vmin=-30, vmax=30)
    axes[0].set_title("mixture of two voices (dB)", fontsize=9)
    for ax, mask, title in zip(
        axes[1:], (ibm, irm), ("ideal binary mask for voice A", "ideal ratio mask for voice A"), strict=True
    ):
        im = spectrogram(ax, mask, interpolation="none", extent=extent, cmap="viridis", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
    for ax in axes:
        ax.set_xlabel("time (s)")
    axes[0].set_ylabel("frequency (kHz)")
    fig.colorbar(im, ax=axes[1:].tolist(), shrink=0.8, label="mask value")
    return fig


@figure("source-separation-pit")
def pit_diagram():
    fig, ax = blank_axes((8, 3.6), (0, 10), (0, 6))
    for xy, text, colour in (
        ((0.2, 2.6), "mixture x", "#dddddd"),
        ((3.0, 4.2), "output 1", "#cfe2f3"),
        ((3.0, 1.0), "output 2", "#cfe2f3"),
        ((7.6, 4.2), "reference A", "#d9ead3"),
        ((7.6, 1.0), "reference B", "#fce5cd"),
    ):
        box(ax, xy, 2.0, 0.8, text, fc=colour, pad=0.08)
    for y in (4.6, 1.4):
        arrow(ax, (2.2, 3.0), (3.0, y))
    for start, end in (((5.0, 4.6), (7.6, 4.6)), ((5.0, 1.4), (7.6, 1.4))):
        arrow(ax, start, end, arrowstyle="-", color="tab:green")
    for start, end in (((5.0, 4.6), (7.6, 1.4)), ((5.0, 1.4), (7.6, 4.6))):
        arrow(ax, start, end, arrowstyle="-", color="tab:red", ls="--")
    ax.text(6.3, 5.25, "permutation (1→A, 2→B): low loss, kept", color="tab:green", ha="center", fontsize=9)
    ax.text(6.3, 0.35, "permutation (1→B, 2→A): high loss, ignored", color="tab:red", ha="center", fontsize=9)
    ax.text(
        6.3,
        2.95,
        "PIT: compute the loss for every\npermutation, back-propagate the minimum",
        ha="center",
        va="center",
        fontsize=9,
        bbox={"fc": "white", "ec": "grey"},
    )
    ax.set_title("Permutation-invariant training with two outputs", fontsize=10)
    return fig


@figure("audio-classification-pooling")
def pooling():
    import matplotlib.pyplot as plt

    t = np.arange(100)
    rng = np.random.default_rng(4)
    frame = 0.05 + 0.03 * rng.random(100)
    frame[30:42] = 0.85 + 0.1 * rng.random(12)  # a dog bark lasting 12 of 100 frames
    attention_logits = 4 * frame
    w = np.exp(attention_logits) / np.exp(attention_logits).sum()
    pooled = {"max": frame.max(), "mean": frame.mean(), "attention": float((w * frame).sum())}
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(t, frame, label="frame probability p_t ('dog')")
    for (name, value), style in zip(pooled.items(), (":", "--", "-."), strict=True):
        ax.axhline(value, linestyle=style, color="grey")
        ax.text(101, value, f"{name} = {value:.2f}", va="center", fontsize=8)
    ax.set_xlim(0, 118)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("frame")
    ax.set_ylabel("probability")
    ax.set_title("One 10 s clip, one weak label: three ways to pool frame scores", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return fig


@figure("keyword-spotting-streaming-posterior")
def streaming_posterior():
    import matplotlib.pyplot as plt

    hop_s = 0.02
    t = np.arange(250) * hop_s  # 5 s of decisions every 20 ms
    rng = np.random.default_rng(5)
    raw = 0.08 * rng.random(len(t))
    raw[60:85] += 0.75 + 0.2 * rng.random(25)  # the keyword
    raw[160:163] += 0.8  # a short spike from a near-miss word
    win = 25  # 0.5 s moving average
    smooth = np.convolve(raw, np.ones(win) / win, mode="full")[: len(t)]
    threshold = 0.5
    fires, refractory_until = [], -1.0
    for i, (ti, s) in enumerate(zip(t, smooth, strict=True)):
        if s > threshold and ti >= refractory_until:
            fires.append(i)
            refractory_until = ti + 1.0
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(t, raw, color="lightgrey", label="raw keyword posterior")
    ax.plot(t, smooth, label="smoothed over 0.5 s")
    ax.axhline(threshold, color="black", linestyle="--", linewidth=1, label="threshold")
    for i in fires:
        ax.axvspan(t[i], t[i] + 1.0, color="tab:orange", alpha=0.2, label="refractory period (1 s)")
        ax.plot(t[i], smooth[i], "v", color="tab:red", markersize=9, label="detection")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("posterior")
    ax.set_title("Streaming detection: the spike near 3.2 s stays below the smoothed threshold", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return fig
