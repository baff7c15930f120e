"""The TTS demo's figure: waveform with its pauses shaded, and the mel spectrogram (Agg)."""

import numpy as np


def speech_figure(audio: np.ndarray, sr: int, pauses: list[tuple[float, float]]):
    import librosa
    import librosa.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (wave, mel) = plt.subplots(2, 1, figsize=(10, 5.2), constrained_layout=True, sharex=True)
    t = np.arange(len(audio)) / sr
    wave.plot(t, audio, color="#3b2f80", linewidth=0.6)
    for start, end in pauses:
        wave.axvspan(start, end, color="#f6a400", alpha=0.3)
    wave.set(title="Waveform (pauses of 0.15 s or more shaded)", ylabel="amplitude")
    spectrum = librosa.feature.melspectrogram(y=audio, sr=sr, n_fft=1024, hop_length=256, n_mels=80)
    shown = librosa.display.specshow(
        librosa.power_to_db(spectrum, ref=np.max), sr=sr, hop_length=256, x_axis="time", y_axis="mel", ax=mel
    )
    fig.colorbar(shown, ax=mel, format="%+.0f dB")
    mel.set(title="Mel spectrogram (80 bands, what an acoustic model predicts)", xlabel="time (s)")
    return fig
