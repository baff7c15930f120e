"""The spectrogram lab: waveform, STFT, mel, MFCC, chroma, pYIN pitch and onsets of any clip."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Analysis:
    duration_s: float
    sample_rate: int
    n_fft: int
    hop_length: int
    frequency_resolution_hz: float  # sr / n_fft: the spacing of STFT bins
    time_resolution_ms: float  # hop / sr
    rms_db: float
    median_f0_hz: float | None
    onset_times_s: tuple[float, ...]
    dominant_chroma: str
    stft_db: np.ndarray  # (1 + n_fft/2, frames)
    mel_db: np.ndarray  # (n_mels, frames)
    mfcc: np.ndarray  # (n_mfcc, frames)
    chroma: np.ndarray  # (12, frames)
    f0_hz: np.ndarray  # (frames,), NaN where unvoiced
    samples: np.ndarray

    def summary(self) -> str:
        pitch = f"{self.median_f0_hz:.0f} Hz" if self.median_f0_hz else "no steady pitch found"
        return (
            f"{self.duration_s:.2f} s at {self.sample_rate} Hz. Window {self.n_fft} samples gives "
            f"{self.frequency_resolution_hz:.1f} Hz between frequency bins; hop {self.hop_length} samples "
            f"gives a frame every {self.time_resolution_ms:.1f} ms. Loudness {self.rms_db:.1f} dBFS RMS. "
            f"Median pitch: {pitch}. {len(self.onset_times_s)} onsets detected. "
            f"Strongest pitch class: {self.dominant_chroma}."
        )


PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def analyse(
    samples: np.ndarray, sr: int, *, n_fft: int = 512, hop_length: int = 160, n_mels: int = 64
) -> Analysis:
    import librosa

    if hop_length > n_fft:
        raise ValueError("The hop must not be longer than the window.")
    stft = np.abs(librosa.stft(samples, n_fft=n_fft, hop_length=hop_length))
    mel = librosa.feature.melspectrogram(S=stft**2, sr=sr, n_mels=n_mels)
    mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=13)
    chroma = librosa.feature.chroma_stft(S=stft, sr=sr)
    f0, _, _ = librosa.pyin(samples, fmin=65, fmax=1000, sr=sr, frame_length=1024, hop_length=hop_length)
    onsets = librosa.onset.onset_detect(y=samples, sr=sr, hop_length=hop_length, units="time")
    voiced = f0[np.isfinite(f0)]
    rms = float(np.sqrt(np.mean(samples**2)))
    return Analysis(
        duration_s=len(samples) / sr,
        sample_rate=sr,
        n_fft=n_fft,
        hop_length=hop_length,
        frequency_resolution_hz=sr / n_fft,
        time_resolution_ms=1000 * hop_length / sr,
        rms_db=20 * np.log10(max(rms, 1e-10)),
        median_f0_hz=float(np.median(voiced)) if voiced.size else None,
        onset_times_s=tuple(round(float(t), 3) for t in onsets),
        dominant_chroma=PITCH_CLASSES[int(chroma.mean(axis=1).argmax())],
        stft_db=librosa.amplitude_to_db(stft, ref=np.max),
        mel_db=librosa.power_to_db(mel, ref=np.max),
        mfcc=mfcc,
        chroma=chroma,
        f0_hz=f0,
        samples=samples,
    )


def plot_analysis(result: Analysis):
    import librosa.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sr, hop = result.sample_rate, result.hop_length
    fig, axes = plt.subplots(5, 1, figsize=(10, 13), constrained_layout=True)
    times = np.arange(len(result.samples)) / sr
    axes[0].plot(times, result.samples, linewidth=0.6, color="#3b2f80")
    for t in result.onset_times_s:
        axes[0].axvline(t, color="#f6a400", linewidth=0.8, alpha=0.8)
    axes[0].set(title="Waveform (orange lines: detected onsets)", xlabel="time (s)", ylabel="amplitude")
    axes[0].set_xlim(0, result.duration_s)
    librosa.display.specshow(result.stft_db, sr=sr, hop_length=hop, x_axis="time", y_axis="log", ax=axes[1])
    frame_times = librosa.times_like(result.f0_hz, sr=sr, hop_length=hop)
    axes[1].plot(frame_times, result.f0_hz, color="cyan", linewidth=1.5, label="pYIN pitch")
    axes[1].legend(loc="upper right")
    axes[1].set(title=f"Log-frequency spectrogram, {result.n_fft}-sample window, {hop}-sample hop (dB)")
    librosa.display.specshow(result.mel_db, sr=sr, hop_length=hop, x_axis="time", y_axis="mel", ax=axes[2])
    axes[2].set(title=f"Mel spectrogram, {result.mel_db.shape[0]} bands (dB)")
    librosa.display.specshow(result.mfcc, sr=sr, hop_length=hop, x_axis="time", ax=axes[3])
    axes[3].set(title="MFCC (13 coefficients per frame)", ylabel="coefficient")
    librosa.display.specshow(result.chroma, sr=sr, hop_length=hop, x_axis="time", y_axis="chroma", ax=axes[4])
    axes[4].set(title="Chroma (energy per pitch class)")
    return fig
