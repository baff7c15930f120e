"""Matplotlib figures for the fundamentals lab (Agg backend; one figure per call)."""

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def spectrogram_pair(a: np.ndarray, b: np.ndarray, sr: int, titles: tuple[str, str]):
    import librosa
    import librosa.display

    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), constrained_layout=True, sharey=True)
    for ax, samples, title in zip(axes, (a, b), titles, strict=True):
        db = librosa.amplitude_to_db(np.abs(librosa.stft(samples, n_fft=512, hop_length=128)), ref=np.max)
        librosa.display.specshow(db, sr=sr, hop_length=128, x_axis="time", y_axis="linear", ax=ax)
        ax.set(title=title)
    return fig


def quantisation_figure(original: np.ndarray, quantised: np.ndarray, error: np.ndarray, sr: int, bits: int):
    plt = _pyplot()
    start = int(np.argmax(np.abs(original))) - sr // 200  # 10 ms around the loudest moment
    start = max(start, 0)
    window = slice(start, start + sr // 100)
    t = 1000 * np.arange(window.stop - window.start) / sr
    fig, axes = plt.subplots(2, 1, figsize=(10, 5), constrained_layout=True, sharex=True)
    axes[0].plot(t, original[window], label="original", color="#3b2f80")
    axes[0].step(t, quantised[window], where="mid", label=f"{bits}-bit", color="#f6a400")
    axes[0].legend(loc="upper right")
    axes[0].set(title="10 ms around the loudest sample", ylabel="amplitude")
    axes[1].plot(t, error[window], color="#b42318")
    axes[1].set(title="Quantisation error (original − quantised)", xlabel="time (ms)", ylabel="error")
    return fig


def filter_figure(frequencies: np.ndarray, response_db: np.ndarray, cutoffs: tuple[float, ...], title: str):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 3.6), constrained_layout=True)
    ax.plot(frequencies, response_db, color="#3b2f80")
    for c in cutoffs:
        ax.axvline(c, color="#f6a400", linestyle="--", linewidth=1)
    ax.axhline(-3, color="grey", linestyle=":", linewidth=1)
    ax.set(title=title, xlabel="frequency (Hz)", ylabel="gain (dB)", ylim=(-80, 5))
    ax.grid(alpha=0.3)
    return fig
