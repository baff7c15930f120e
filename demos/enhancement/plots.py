"""The enhancement figure: clean, noisy and enhanced spectrograms side by side, on one colour scale (Agg)."""

import numpy as np

N_FFT, HOP = 512, 128


def spectrograms_figure(clips: dict[str, np.ndarray], sr: int):
    import librosa
    import librosa.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, len(clips), figsize=(4 * len(clips), 3.6), constrained_layout=True, sharey=True
    )
    reference = max(
        float(np.max(np.abs(librosa.stft(a, n_fft=N_FFT, hop_length=HOP)))) for a in clips.values()
    )
    for ax, (name, audio) in zip(axes, clips.items(), strict=True):
        db = librosa.amplitude_to_db(np.abs(librosa.stft(audio, n_fft=N_FFT, hop_length=HOP)), ref=reference)
        shown = librosa.display.specshow(
            db, sr=sr, hop_length=HOP, x_axis="time", y_axis="hz", ax=ax, vmin=-80, vmax=0, cmap="magma"
        )
        ax.set(title=name)
    fig.colorbar(shown, ax=axes, format="%+.0f dB")
    return fig
