"""Figures for the signal-processing phase."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import blank, box, label_axes, link, spectrogram


@figure("stft-spectrograms-window-tradeoff")
def window_tradeoff():
    import matplotlib.pyplot as plt

    sr = 8000
    t = np.arange(int(0.5 * sr)) / sr
    chirp = np.sin(2 * np.pi * (300 * t + 3000 * t**2))
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True)
    for ax, n_fft in zip(axes, (64, 1024), strict=True):
        ax.specgram(chirp, NFFT=n_fft, Fs=sr, noverlap=n_fft // 2, cmap="magma")
        label_axes(ax, x="time (s)", title=f"{n_fft}-sample window ({1000 * n_fft / sr:.0f} ms)")
    axes[0].set_ylabel("frequency (Hz)")
    return fig


@figure("stft-spectrograms-overlap-add")
def overlap_add():
    """Shifted Hann windows and their summed squares: why a 400/160 STFT inverts exactly."""
    import matplotlib.pyplot as plt

    n_win, hop, n_frames = 400, 160, 9
    window = np.hanning(n_win + 1)[:-1]  # periodic Hann, as librosa and torch use
    total = np.zeros(hop * (n_frames - 1) + n_win)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4), sharex=True)
    for m in range(n_frames):
        span = np.arange(m * hop, m * hop + n_win)
        top.plot(span, window, lw=0.9)
        total[span] += window**2
    label_axes(top, y="w[n - mH]", title="400-sample Hann windows every 160 samples")
    bottom.plot(total, "C0")
    bottom.axhspan(total[n_win:-n_win].min(), total[n_win:-n_win].max(), color="C1", alpha=0.2)
    bottom.set_ylim(0, 1.8)
    bottom.set_ylabel("Σ w²[n - mH]")
    bottom.set_xlabel("sample n")
    bottom.set_title("summed squared windows: never zero (NOLA), so the inverse can divide by it")
    return fig


@figure("fourier-fft-eight-point")
def eight_point_dft():
    """The worked 8-point example: the samples and the magnitude of each DFT bin."""
    import matplotlib.pyplot as plt

    n = np.arange(8)
    x = 1 + np.cos(np.pi * n / 2) + np.sin(np.pi * n / 4)
    spectrum = np.fft.fft(x)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
    left.stem(n, x)
    label_axes(left, x="sample n", y="x[n]", title="x[n] = 1 + cos(πn/2) + sin(πn/4)")
    right.stem(n, np.abs(spectrum))
    for k, value in enumerate(np.abs(spectrum)):
        if value > 0.5:
            right.text(k, value + 0.3, f"{value:.0f}", ha="center")
    right.set_ylim(0, 9.5)
    label_axes(right, x="bin k", y="|X[k]|", title="|X[k]|: 8 at DC, 4 at k = 1, 2, 6, 7")
    return fig


@figure("fourier-fft-leakage")
def leakage():
    """An off-bin tone with and without a Hann window: sidelobes at -13 dB versus -31 dB and falling."""
    import matplotlib.pyplot as plt

    sr, n_fft = 16000, 1024
    n = np.arange(n_fft)
    tone = np.sin(2 * np.pi * 1010 * n / sr)
    freqs = np.fft.rfftfreq(n_fft, 1 / sr)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    for name, window, colour in [("rectangular", np.ones(n_fft), "C3"), ("Hann", np.hanning(n_fft), "C0")]:
        spectrum = np.abs(np.fft.rfft(tone * window))
        ax.plot(freqs, 20 * np.log10(spectrum / spectrum.max() + 1e-12), colour, lw=1, label=name)
    ax.set_xlim(0, 4000)
    ax.set_ylim(-140, 5)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("level re peak (dB)")
    ax.set_title("1010 Hz falls between bins (15.625 Hz apart): leakage with and without a window")
    ax.legend()
    return fig


@figure("mel-mfcc-chroma-filterbank")
def mel_filterbank():
    """A 20-band mel filterbank on a 512-point FFT at 16 kHz: narrow at the bottom, wide at the top."""
    import librosa
    import matplotlib.pyplot as plt

    sr, n_fft = 16000, 512
    bank = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=20, fmin=0, fmax=8000, htk=True, norm=None)
    freqs = np.fft.rfftfreq(n_fft, 1 / sr)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3), gridspec_kw={"width_ratios": [2, 1]})
    for row in bank:
        left.plot(freqs, row, lw=0.9)
    left.set_xlabel("frequency (Hz)")
    left.set_ylabel("filter weight")
    left.set_title("20 triangular filters, centres evenly spaced in mel")
    f = np.linspace(0, 8000, 200)
    right.plot(f, 2595 * np.log10(1 + f / 700), "C0")
    right.plot([1000], [2595 * np.log10(1 + 1000 / 700)], "ko")
    right.text(1300, 850, "1000 Hz ≈ 1000 mel", fontsize=8)
    label_axes(right, x="frequency (Hz)", y="mel", title="m = 2595 log10(1 + f/700)")
    return fig


@figure("mel-mfcc-chroma-pipeline")
def feature_pipeline():
    """The feature pipeline drawn as boxes, with the shape after each step for 1 s at 16 kHz."""
    import matplotlib.pyplot as plt

    steps = [
        ("waveform", "(16000,)"),
        ("STFT\n400/160/512", "(257, 101)\ncomplex"),
        ("|X|²", "(257, 101)\npower"),
        ("mel matrix\n80 × 257", "(80, 101)"),
        ("log", "(80, 101)\nlog-mel"),
        ("DCT-II,\nkeep 13", "(13, 101)\nMFCC"),
    ]
    fig, ax = plt.subplots(figsize=(9, 2.4))
    for i, (name, shape) in enumerate(steps):
        x = i * 1.5
        box(ax, (x, 0.4), 1.1, 0.8, name, fc="#dbe9f6", ec="C0", fontsize=8.5)
        ax.text(x + 0.55, 0.05, shape, ha="center", va="center", fontsize=8, color="0.3")
        if i:
            link(ax, (x - 0.35, 0.8), (x - 0.03, 0.8))
    ax.text(3.55, 1.45, "phase dropped here", fontsize=8, color="C3", ha="center")
    ax.text(8.05, 1.45, "fine detail dropped here", fontsize=8, color="C3", ha="center")
    blank(ax, (-0.2, 9), (-0.4, 1.7))
    return fig


@figure("mel-mfcc-chroma-chromagram")
def chromagram():
    """Chroma of a synthesised C major scale: one pitch class lights up per note, octave folded."""
    import librosa
    import matplotlib.pyplot as plt

    sr = 16000
    midi = [60, 62, 64, 65, 67, 69, 71, 72]  # C4 ... C5
    notes = []
    for m in midi:
        f0 = librosa.midi_to_hz(m)
        t = np.arange(int(0.4 * sr)) / sr
        note = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 5))
        notes.append(note * np.hanning(len(t)))
    y = np.concatenate(notes)
    chroma = librosa.feature.chroma_stft(y=y, sr=sr, n_fft=4096, hop_length=1024, tuning=0.0)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    duration = len(y) / sr
    image = spectrogram(ax, chroma, cmap="magma", extent=(0, duration, -0.5, 11.5))
    ax.set_yticks(range(12), ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"])
    label_axes(ax, x="time (s)", title="chroma of a C major scale (C4 to C5): C4 and C5 share one row")
    fig.colorbar(image, ax=ax, label="relative energy")
    return fig


@figure("digital-filters-responses")
def filter_responses():
    """A 101-tap FIR and a 4th-order Butterworth low-pass at 1 kHz: magnitude and group delay."""
    import matplotlib.pyplot as plt
    from scipy import signal

    sr = 16000
    fir = signal.firwin(101, 1000, fs=sr)
    sos = signal.butter(4, 1000, fs=sr, output="sos")
    freqs, h_fir = signal.freqz(fir, worN=2048, fs=sr)
    _, h_iir = signal.sosfreqz(sos, worN=2048, fs=sr)
    passband = np.linspace(10, 1500, 300)
    _, gd_fir = signal.group_delay((fir, [1.0]), w=passband, fs=sr)
    _, gd_iir = signal.group_delay(signal.sos2tf(sos), w=passband, fs=sr)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4.5))
    for h, gd, label, colour in [
        (h_fir, gd_fir, "FIR, 101 taps (Hamming)", "C0"),
        (h_iir, gd_iir, "IIR Butterworth, order 4", "C1"),
    ]:
        top.plot(freqs, 20 * np.log10(np.abs(h) + 1e-12), colour, label=label)
        bottom.plot(passband, gd, colour, label=label)
    top.axhline(-3, color="0.6", ls=":")
    top.set_xlim(0, 4000)
    top.set_ylim(-100, 5)
    label_axes(top, x="frequency (Hz)", y="magnitude (dB)", title="low-pass at 1 kHz, fs = 16 kHz")
    top.legend(fontsize=8)
    bottom.axvline(1000, color="0.6", ls=":")
    bottom.set_ylim(0, 60)
    bottom.set_ylabel("group delay (samples)")
    bottom.set_xlabel("frequency (Hz)")
    bottom.set_title("FIR: every frequency delayed 50 samples; IIR: shorter delay that peaks near the cutoff")
    return fig


@figure("digital-filters-poles-zeros")
def poles_zeros():
    """Poles and zeros of a 50 Hz notch biquad, and its magnitude response around the notch."""
    import matplotlib.pyplot as plt
    from scipy import signal

    sr = 1000  # a low rate so that 50 Hz sits visibly away from DC on the unit circle
    b, a = signal.iirnotch(w0=50, Q=5, fs=sr)
    zeros, poles = np.roots(b), np.roots(a)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.4), gridspec_kw={"width_ratios": [1, 1.6]})
    theta = np.linspace(0, 2 * np.pi, 200)
    left.plot(np.cos(theta), np.sin(theta), color="0.7")
    left.plot(zeros.real, zeros.imag, "o", mfc="none", color="C0", ms=8, label="zeros (on the circle)")
    left.plot(poles.real, poles.imag, "x", color="C3", ms=8, label="poles (just inside)")
    left.set_aspect("equal")
    label_axes(left, x="real", y="imaginary", title="z-plane, fs = 1 kHz")
    left.legend(fontsize=7, loc="lower left")
    freqs, h = signal.freqz(b, a, worN=2048, fs=sr)
    right.plot(freqs, 20 * np.log10(np.abs(h) + 1e-9), "C0")
    right.set_xlim(0, 200)
    right.set_ylim(-40, 3)
    label_axes(right, x="frequency (Hz)", y="magnitude (dB)", title="notch at 50 Hz, Q = 5 (bandwidth 10 Hz)")
    return fig


@figure("noise-reduction-basics-gains")
def noise_gains():
    """Gain against SNR for power spectral subtraction and the Wiener rule."""
    import matplotlib.pyplot as plt

    snr_db = np.linspace(-20, 30, 300)
    snr = 10 ** (snr_db / 10)
    wiener = snr / (1 + snr)
    floor = 0.05
    # power subtraction with alpha = 1, written against the observed (a-posteriori) SNR y/n = 1 + snr
    subtraction = np.maximum(np.sqrt(np.maximum(1 - 1 / (1 + snr), 0)), floor)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.plot(snr_db, 20 * np.log10(wiener), "C0", label="Wiener gain ξ/(1+ξ)")
    ax.plot(snr_db, 20 * np.log10(subtraction), "C1--", label="power subtraction, floor 0.05")
    ax.axhline(20 * np.log10(floor), color="0.6", ls=":")
    label_axes(ax, x="a-priori SNR of the bin, ξ (dB)", y="gain (dB)")
    ax.set_ylim(-45, 3)
    ax.set_title("noise-dominated bins are attenuated, speech-dominated bins pass")
    ax.legend(fontsize=8)
    return fig
