"""Figures for the separation demo: spectrograms of mixture and stems, the SI-SDR matrix (Agg)."""

import numpy as np

from demos.separation.scoring import Assignment


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def stems_figure(mixture: np.ndarray, stems: dict[str, np.ndarray], sr: int):
    """One log-frequency spectrogram per signal, mixture first, on a shared dB scale."""
    import librosa
    import librosa.display

    plt = _pyplot()
    signals = {"mixture": mixture, **stems}
    fig, axes = plt.subplots(
        len(signals), 1, figsize=(10, 2.3 * len(signals)), constrained_layout=True, sharex=True
    )
    reference = np.max(np.abs(librosa.stft(mixture, n_fft=2048, hop_length=512)))
    for ax, (name, samples) in zip(axes, signals.items(), strict=True):
        db = librosa.amplitude_to_db(np.abs(librosa.stft(samples, n_fft=2048, hop_length=512)), ref=reference)
        librosa.display.specshow(
            db, sr=sr, hop_length=512, x_axis="time", y_axis="log", ax=ax, vmin=-80, vmax=0
        )
        ax.set(title=name, xlabel="")
    axes[-1].set_xlabel("time (s)")
    return fig


def matrix_figure(matrix: np.ndarray, rows: list[str], columns: list[str], best: Assignment):
    """Heatmap of SI-SDR (dB), estimates × references, with the best assignment boxed."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(2.4 + 2.2 * len(columns), 1.4 + 0.9 * len(rows)), constrained_layout=True)
    image = ax.imshow(matrix, cmap="viridis", vmin=min(-20.0, matrix.min()), vmax=max(15.0, matrix.max()))
    for r in range(len(rows)):
        for c in range(len(columns)):
            ax.text(c, r, f"{matrix[r, c]:.1f} dB", ha="center", va="center", color="white", fontsize=10)
    for r, c in best.pairs:
        ax.add_patch(plt.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor="#f6a400", linewidth=3))
    ax.set_xticks(range(len(columns)), columns, fontsize=8)
    ax.set_yticks(range(len(rows)), [f"estimate: {r}" for r in rows], fontsize=8)
    ax.set_title(
        f"SI-SDR of each estimate against each reference (best assignment boxed: {best.mean_db:.1f} dB mean)"
    )
    ax.title.set_fontsize(9)
    fig.colorbar(image, ax=ax, label="SI-SDR (dB)")
    return fig
