"""Figures for the tools phase: batching, filter design, editors' spectrograms, CLI effects, datasets, HF, toolkits."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import flow_figure


@figure("pytorch-torchaudio-padding-mask")
def padding_mask():
    import matplotlib.pyplot as plt

    lengths = np.array([3.2, 1.4, 2.6, 0.9])  # seconds
    frames = np.round(lengths * 100).astype(int)  # 10 ms hop
    mask = np.arange(frames.max())[None, :] < frames[:, None]
    fig, ax = plt.subplots(figsize=(7, 2.4))
    ax.imshow(mask, aspect="auto", cmap="Blues", vmin=0, vmax=1.4, interpolation="nearest")
    for i, n in enumerate(frames):
        ax.text(n + 3, i, f"{n} frames (padding after)", va="center", fontsize=8)
    ax.set_yticks(range(len(frames)), [f"clip {i}" for i in range(len(frames))])
    ax.set_xlabel("frame index (10 ms hop); white = padding the loss and pooling must ignore")
    ax.set_title("A padded batch and its lengths: shape (4, 320)")
    return fig


@figure("librosa-scipy-bandpass-response")
def bandpass_response():
    import matplotlib.pyplot as plt
    from scipy import signal

    sr = 16000
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    for order in (2, 3, 6):
        sos = signal.butter(order, [300, 3400], btype="bandpass", fs=sr, output="sos")
        w, h = signal.sosfreqz(sos, worN=2048, fs=sr)
        ax.plot(
            w,
            20 * np.log10(np.maximum(np.abs(h), 1e-8)),
            label=f"butter(N={order}): order-{2 * order} band-pass",
        )
    ax.axhline(-3, color="grey", ls=":", lw=0.8)
    ax.set_ylim(-80, 5)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("gain (dB)")
    ax.set_title("scipy.signal.butter(..., output='sos'): 300-3400 Hz telephone band")
    ax.legend(fontsize=8)
    return fig


@figure("audio-editors-wideband-narrowband")
def wide_narrow():
    import matplotlib.pyplot as plt
    from scipy import signal

    sr, f0 = 16000, 120
    n = int(0.25 * sr)
    pulses = np.zeros(n)
    pulses[:: sr // f0] = 1.0
    vowel = pulses
    for formant, bw in ((700, 110), (1200, 120), (2600, 160)):
        r = np.exp(-np.pi * bw / sr)
        theta = 2 * np.pi * formant / sr
        vowel = signal.lfilter([1 - r], [1, -2 * r * np.cos(theta), r * r], vowel)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True)
    for ax, ms, name in ((axes[0], 5, "wideband"), (axes[1], 40, "narrowband")):
        nfft = int(sr * ms / 1000)
        ax.specgram(vowel, NFFT=nfft, Fs=sr, noverlap=nfft * 3 // 4, cmap="Greys", pad_to=512)
        ax.set_title(f"{name}: {ms} ms window")
        ax.set_ylim(0, 4000)
        ax.set_xlabel("time (s)")
    axes[0].set_ylabel("frequency (Hz)")
    axes[0].text(0.02, 3700, "vertical striations = glottal pulses", fontsize=8)
    axes[1].text(0.02, 3700, "horizontal lines = harmonics of 120 Hz", fontsize=8)
    return fig


@figure("audio-cli-tools-speed-vs-tempo")
def speed_tempo():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3))
    cases = [("original", 1.0, 200), ("speed 1.1", 1 / 1.1, 220), ("tempo 1.1", 1 / 1.1, 200)]
    for i, (_, dur, pitch) in enumerate(cases):
        ax.barh(i, dur, color="#4c72b0")
        ax.text(dur + 0.02, i, f"{dur:.2f}x duration, pitch {pitch} Hz", va="center", fontsize=9)
    ax.set_yticks(range(3), [c[0] for c in cases])
    ax.set_xlim(0, 1.8)
    ax.set_xlabel("relative duration")
    ax.set_title("SoX speed resamples (pitch moves); tempo keeps pitch (WSOLA)")
    ax.invert_yaxis()
    return fig


@figure("audio-datasets-librispeech-splits")
def librispeech_splits():
    import matplotlib.pyplot as plt

    splits = {
        "train-clean-100": 100.6,
        "train-clean-360": 363.6,
        "train-other-500": 496.7,
        "dev-clean": 5.4,
        "dev-other": 5.3,
        "test-clean": 5.4,
        "test-other": 5.1,
    }
    fig, ax = plt.subplots(figsize=(7, 3))
    colours = ["#4c72b0"] * 3 + ["#dd8452"] * 2 + ["#55a868"] * 2
    ax.barh(list(splits), list(splits.values()), color=colours)
    for i, hours in enumerate(splits.values()):
        ax.text(hours * 1.15, i, f"{hours:g} h", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(1, 2000)
    ax.invert_yaxis()
    ax.set_xlabel("hours (log scale)")
    ax.set_title("LibriSpeech: about 960 h of training, speaker-disjoint dev and test")
    return fig


@figure("hugging-face-audio-chunked-inference")
def chunked_inference():
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    fig, ax = plt.subplots(figsize=(8, 2.6))
    chunk, stride = 30, 5
    step = chunk - 2 * stride
    for i in range(4):
        start = i * step
        y = 1.2 - 0.35 * (i % 2)
        ax.add_patch(Rectangle((start, y), chunk, 0.28, fc="#dbe8f5", ec="#34495e"))
        ax.add_patch(Rectangle((start, y), stride, 0.28, fc="#f4cccc", ec="none"))
        ax.add_patch(Rectangle((start + chunk - stride, y), stride, 0.28, fc="#f4cccc", ec="none"))
        ax.text(
            start + chunk / 2,
            y + 0.14,
            f"chunk {i}: {start}-{start + chunk} s",
            ha="center",
            va="center",
            fontsize=8,
        )
    ax.plot([0, 110], [0.5, 0.5], color="black")
    ax.text(
        0,
        0.3,
        "pink = stride (5 s each side): text there is dropped and taken from the neighbour",
        fontsize=8,
    )
    ax.set_xlim(-2, 112)
    ax.set_ylim(0.2, 1.6)
    ax.set_yticks([])
    ax.set_xlabel("time in the long recording (s), chunk_length_s=30, stride_length_s=5")
    return fig


@figure("speech-toolkits-espnet-stages")
def espnet_stages():
    fig, _ = flow_figure(
        (8.5, 2.4),
        [
            "data prep\n(Kaldi-style\ndirs)",
            "format,\nspeed perturb,\nfeatures",
            "token list\n(BPE)",
            "LM\ntraining",
            "ASR\ntraining",
            "decoding",
            "scoring\n(sclite)",
        ],
        colour="#fbe5d6",
        note="run.sh --stage N --stop_stage M resumes from the step that failed",
        note_y=0.12,
    )
    return fig
