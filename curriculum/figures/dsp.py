"""Figures for the signal-processing phase."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure


@figure("stft-spectrograms-window-tradeoff")
def window_tradeoff():
    import matplotlib.pyplot as plt

    sr = 8000
    t = np.arange(int(0.5 * sr)) / sr
    chirp = np.sin(2 * np.pi * (300 * t + 3000 * t**2))
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True)
    for ax, n_fft in zip(axes, (64, 1024), strict=True):
        ax.specgram(chirp, NFFT=n_fft, Fs=sr, noverlap=n_fft // 2, cmap="magma")
        ax.set_title(f"{n_fft}-sample window ({1000 * n_fft / sr:.0f} ms)")
        ax.set_xlabel("time (s)")
    axes[0].set_ylabel("frequency (Hz)")
    return fig
