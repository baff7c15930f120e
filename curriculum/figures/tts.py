"""Figures for the text-to-speech phase: pipelines, alignments, vocoders and streaming."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, blank, label_axes, spectrogram

BOX = {"boxstyle": "round,pad=0.35", "linewidth": 1.0}
COLOURS = {"text": "#dbe9f6", "acoustic": "#fde2c8", "vocoder": "#d9f0d3", "other": "#eeeeee"}


def _diagram(figsize, boxes: dict, arrows: list, *, xlim=(0, 10), ylim=(0, 4)):
    """A new figure of labelled boxes at (x, y) centres and arrows between them (by key)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    for label, (x, y, kind) in boxes.items():
        ax.text(x, y, label, ha="center", va="center", fontsize=9, bbox={**BOX, "facecolor": COLOURS[kind]})
    for a, b, *note in arrows:
        (x0, y0, _), (x1, y1, _) = boxes[a], boxes[b]
        arrow(ax, (x0, y0), (x1, y1), shrinkA=32, shrinkB=32)
        if note:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.5, note[0], ha="center", fontsize=8, color="#444444")
    blank(ax, xlim, ylim)
    return fig, ax


@figure("tts-pipeline-diagram")
def pipeline_diagram():
    boxes = {
        "raw text\n'$3.50 on 5 May'": (0.9, 3.0, "text"),
        "text\nnormalisation": (3.0, 3.0, "text"),
        "grapheme-to-\nphoneme (G2P)": (5.2, 3.0, "text"),
        "prosody\n(breaks, stress)": (7.5, 3.0, "text"),
        "acoustic model\n(text -> mel)": (4.2, 1.0, "acoustic"),
        "vocoder\n(mel -> waveform)": (7.0, 1.0, "vocoder"),
        "unit selection\nor HMM (classical)": (1.4, 1.0, "other"),
    }
    arrows = [
        ("raw text\n'$3.50 on 5 May'", "text\nnormalisation"),
        ("text\nnormalisation", "grapheme-to-\nphoneme (G2P)", "'three dollars fifty'"),
        ("grapheme-to-\nphoneme (G2P)", "prosody\n(breaks, stress)", "TH R IY1 ..."),
        ("prosody\n(breaks, stress)", "acoustic model\n(text -> mel)", "linguistic spec"),
        ("prosody\n(breaks, stress)", "unit selection\nor HMM (classical)"),
        ("acoustic model\n(text -> mel)", "vocoder\n(mel -> waveform)", "80-band mel"),
    ]
    fig, ax = _diagram((9, 3.4), boxes, arrows, ylim=(0, 4.4))
    ax.text(0.1, 4.2, "front-end (text -> linguistic specification)", fontsize=9, weight="bold")
    ax.text(
        0.1,
        0.05,
        "back-end (specification -> audio): classical or two-stage neural",
        fontsize=9,
        weight="bold",
    )
    return fig


def _alignment(path: np.ndarray, n_text: int, width: float = 0.9) -> np.ndarray:
    """Soft attention weights around a text position per decoder step (rows: text, cols: steps)."""
    pos = np.arange(n_text)[:, None]
    weights = np.exp(-0.5 * ((pos - path[None, :]) / width) ** 2)
    return weights / weights.sum(axis=0, keepdims=True)


@figure("tacotron-attention-alignment")
def attention_alignment():
    import matplotlib.pyplot as plt

    n_text, n_steps = 40, 120
    good = np.linspace(0, n_text - 1, n_steps)
    skip = np.concatenate([np.linspace(0, 14, 50), np.linspace(24, n_text - 1, 70)])
    stall = np.concatenate([np.linspace(0, 22, 60), np.linspace(22, 12, 20), np.linspace(12, n_text - 1, 40)])
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True)
    for ax, path, title in zip(
        axes,
        (good, skip, stall),
        ("healthy: monotonic diagonal", "skip: characters 15-23 never attended", "repeat: jumps back"),
        strict=True,
    ):
        spectrogram(ax, _alignment(path, n_text), cmap="viridis")
        label_axes(ax, x="decoder step", title=title, title_size=9)
    axes[0].set_ylabel("encoder step (character)")
    return fig


@figure("tacotron-architecture")
def tacotron_architecture():
    boxes = {
        "characters\n+ embedding": (0.9, 3.0, "text"),
        "3 conv layers\n+ BiLSTM": (3.0, 3.0, "text"),
        "location-sensitive\nattention": (5.4, 3.0, "acoustic"),
        "2 LSTM layers\n(decoder)": (5.4, 1.2, "acoustic"),
        "pre-net\n(dropout on)": (2.8, 1.2, "acoustic"),
        "linear ->\nmel frame": (7.6, 1.2, "acoustic"),
        "stop token\n(sigmoid)": (7.6, 3.0, "acoustic"),
        "post-net\n(5 conv, residual)": (9.3, 2.1, "vocoder"),
    }
    arrows = [
        ("characters\n+ embedding", "3 conv layers\n+ BiLSTM"),
        ("3 conv layers\n+ BiLSTM", "location-sensitive\nattention", "encoder states"),
        ("location-sensitive\nattention", "2 LSTM layers\n(decoder)", ""),
        ("pre-net\n(dropout on)", "2 LSTM layers\n(decoder)"),
        ("2 LSTM layers\n(decoder)", "linear ->\nmel frame"),
        ("2 LSTM layers\n(decoder)", "stop token\n(sigmoid)"),
        ("linear ->\nmel frame", "post-net\n(5 conv, residual)"),
    ]
    fig, ax = _diagram((9, 3.6), boxes, arrows, xlim=(0, 10.2), ylim=(-0.5, 4))
    arrow(ax, (7.6, 0.8), (2.8, 0.8), connectionstyle="arc3,rad=-0.3")
    ax.text(5.2, -0.25, "previous mel frame fed back (autoregressive)", ha="center", fontsize=8)
    return fig


def _toy_utterance(sr: int) -> tuple[np.ndarray, list[tuple[str, float]]]:
    """A phone-like test signal with known segment durations: vowels are harmonic, fricatives noise."""
    rng = np.random.default_rng(7)
    segments = [("sil", 0.10, None), ("s", 0.12, "noise"), ("i", 0.16, (300, 2300)), ("k", 0.06, "burst"),
                ("a", 0.22, (750, 1200)), ("sh", 0.14, "noise"), ("u", 0.18, (320, 800)), ("sil", 0.10, None)]  # fmt: skip
    parts, labels = [], []
    for name, dur, kind in segments:
        n = int(dur * sr)
        t = np.arange(n) / sr
        if kind is None:
            x = 0.001 * rng.standard_normal(n)
        elif kind in ("noise", "burst"):
            x = 0.2 * np.diff(rng.standard_normal(n + 1)) * (np.hanning(n) if kind == "burst" else 1.0)
        else:
            f0 = 120 * (1 + 0.08 * t / dur)
            phase = 2 * np.pi * np.cumsum(f0) / sr
            x = sum(
                np.exp(-(((k * f0.mean() - kind[0]) / 250) ** 2)) * np.sin(k * phase) for k in range(1, 30)
            )
            x += sum(
                0.6 * np.exp(-(((k * f0.mean() - kind[1]) / 300) ** 2)) * np.sin(k * phase)
                for k in range(1, 30)
            )
            x = 0.3 * x * np.hanning(n) ** 0.3
        parts.append(x)
        labels.append((name, dur))
    return np.concatenate(parts), labels


@figure("fastspeech-mel-durations")
def mel_with_durations():
    import librosa
    import matplotlib.pyplot as plt

    sr, hop = 16000, 256
    y, labels = _toy_utterance(sr)
    mel = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=1024, hop_length=hop, n_mels=40)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    spectrogram(ax, np.log(mel + 1e-5), cmap="magma")
    edge = 0.0
    for name, dur in labels:
        frames = dur * sr / hop
        ax.axvline(edge, color="white", linewidth=0.8)
        ax.text(edge + frames / 2, 36, f"{name}\n{round(frames)}", color="white", ha="center", fontsize=8)
        edge += frames
    label_axes(ax, x=f"mel frame (hop {hop} samples = {1000 * hop / sr:.0f} ms)", y="mel band")
    return fig


@figure("fastspeech-length-regulator")
def length_regulator():
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    phones, durations = ["h", "e", "l", "ou"], np.array([2, 3, 2, 4])
    colours = ["#4c72b0", "#dd8452", "#55a868", "#c44e52"]
    fig, ax = plt.subplots(figsize=(9, 3.0))
    for i, (p, c) in enumerate(zip(phones, colours, strict=True)):
        ax.add_patch(Rectangle((i * 1.2, 2.6), 1, 0.7, color=c))
        ax.text(
            i * 1.2 + 0.5, 2.95, f"{p}: d={durations[i]}", ha="center", va="center", color="white", fontsize=9
        )
    for row, alpha in ((1.4, 1.0), (0.2, 1.5)):
        expanded = np.repeat(np.arange(len(phones)), np.round(durations * alpha).astype(int))
        for j, k in enumerate(expanded):
            ax.add_patch(Rectangle((j * 0.55, row), 0.5, 0.7, color=colours[k]))
        ax.text(
            j * 0.55 + 0.8, row + 0.35, f"alpha = {alpha}: {len(expanded)} frames", va="center", fontsize=9
        )
    ax.text(0, 3.5, "phoneme hidden states (one per phoneme)", fontsize=9)
    blank(ax, (0, 11), (0, 3.8))
    return fig


@figure("neural-vocoders-upsampling")
def vocoder_upsampling():
    import matplotlib.pyplot as plt

    sr, rates = 22050, (8, 8, 2, 2)
    fig, ax = plt.subplots(figsize=(9, 2.8))
    rate, x = sr / np.prod(rates), 0.8
    ax.text(
        x,
        1.5,
        f"mel frames\n{rate:.1f} per s",
        ha="center",
        va="center",
        fontsize=9,
        bbox={**BOX, "facecolor": COLOURS["acoustic"]},
    )
    for r in rates:
        rate *= r
        arrow(ax, (x, 1.5), (x + 1.5, 1.5), shrinkA=30, shrinkB=30)
        ax.text(x + 0.75, 1.75, f"x{r} transposed conv\n+ MRF block", ha="center", fontsize=7)
        x += 1.9
        ax.text(
            x,
            1.5,
            f"{rate:,.0f}\nsteps per s",
            ha="center",
            va="center",
            fontsize=9,
            bbox={**BOX, "facecolor": COLOURS["vocoder"]},
        )
    ax.text(0.2, 0.4, f"HiFi-GAN V1 at {sr} Hz: 8 x 8 x 2 x 2 = {np.prod(rates)} = hop length", fontsize=9)
    blank(ax, (0, x + 0.8), (0, 2.4))
    return fig


def _griffin_lim_curve(momentum: float, n_iter: int) -> list[float]:
    from scipy.signal import istft, stft

    sr, n_fft = 16000, 512
    t = np.arange(sr // 2) / sr
    x = sum(np.sin(2 * np.pi * k * (140 + 40 * t) * t) / k for k in range(1, 8))
    magnitude = np.abs(stft(x, nperseg=n_fft, noverlap=3 * n_fft // 4)[2])
    rng = np.random.default_rng(0)
    angles = np.exp(2j * np.pi * rng.random(magnitude.shape))
    previous, errors = 0, []
    for _ in range(n_iter):
        y = istft(magnitude * angles, nperseg=n_fft, noverlap=3 * n_fft // 4)[1]
        rebuilt = stft(y, nperseg=n_fft, noverlap=3 * n_fft // 4)[2][:, : magnitude.shape[1]]
        errors.append(np.linalg.norm(np.abs(rebuilt) - magnitude) / np.linalg.norm(magnitude))
        accelerated = rebuilt - momentum / (1 + momentum) * previous
        previous = rebuilt
        angles = np.exp(1j * np.angle(accelerated))
    return errors


@figure("neural-vocoders-griffin-lim-convergence")
def griffin_lim_convergence():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    for momentum, label in ((0.0, "Griffin-Lim"), (0.99, "fast Griffin-Lim (momentum 0.99)")):
        ax.semilogy(np.arange(1, 101), _griffin_lim_curve(momentum, 100), label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("spectral convergence")
    ax.set_title("Phase recovery of a harmonic test tone from its STFT magnitude", fontsize=9)
    ax.legend(fontsize=8)
    return fig


def _mas(log_p: np.ndarray) -> np.ndarray:
    """Monotonic alignment search; returns the frame -> phoneme index path."""
    n, t = log_p.shape
    q = np.full((n, t), -np.inf)
    q[0, 0] = log_p[0, 0]
    for j in range(1, t):
        stay = q[:, j - 1]
        move = np.concatenate([[-np.inf], q[:-1, j - 1]])
        q[:, j] = np.maximum(stay, move) + log_p[:, j]
    path, i = np.zeros(t, dtype=int), n - 1
    for j in range(t - 1, -1, -1):
        path[j] = i
        if j > 0 and i > 0 and q[i - 1, j - 1] >= q[i, j - 1]:
            i -= 1
    return path


@figure("end-to-end-tts-mas-path")
def mas_path():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(3)
    true = np.array([4, 7, 3, 9, 5, 6, 8, 4])
    frame_phone = np.repeat(np.arange(len(true)), true)
    log_p = -0.5 * ((np.arange(len(true))[:, None] - frame_phone[None, :]) / 0.8) ** 2
    log_p += 0.3 * rng.standard_normal(log_p.shape)
    path = _mas(log_p)
    found = np.bincount(path, minlength=len(true))
    fig, ax = plt.subplots(figsize=(8, 3.2))
    spectrogram(ax, np.maximum(log_p, -4), cmap="Blues")
    ax.step(np.arange(len(path)), path, where="mid", color="#c44e52", linewidth=2, label="MAS path")
    ax.set_xlabel("frame j")
    ax.set_ylabel("phoneme i")
    ax.set_title(f"true durations {true.tolist()}  |  MAS durations {found.tolist()}", fontsize=9)
    ax.legend(loc="lower right", fontsize=8)
    return fig


@figure("end-to-end-tts-vits-diagram")
def vits_diagram():
    boxes = {
        "phonemes ->\ntext encoder": (1.1, 3.1, "text"),
        "prior N(mu, sigma)\nper phoneme": (3.6, 3.1, "text"),
        "flow f": (6.0, 3.1, "acoustic"),
        "latent z\n(per frame)": (6.0, 1.6, "acoustic"),
        "posterior encoder\n(linear spectrogram)": (3.4, 1.6, "other"),
        "HiFi-GAN decoder\n-> waveform": (8.6, 1.6, "vocoder"),
        "MAS + stochastic\nduration predictor": (3.6, 0.3, "other"),
    }
    arrows = [
        ("phonemes ->\ntext encoder", "prior N(mu, sigma)\nper phoneme"),
        ("latent z\n(per frame)", "flow f"),
        ("flow f", "prior N(mu, sigma)\nper phoneme", "KL(f(z) || prior)"),
        ("posterior encoder\n(linear spectrogram)", "latent z\n(per frame)", "train only"),
        ("latent z\n(per frame)", "HiFi-GAN decoder\n-> waveform", "random windows"),
        ("prior N(mu, sigma)\nper phoneme", "MAS + stochastic\nduration predictor"),
    ]
    fig, ax = _diagram((9.5, 3.8), boxes, arrows, xlim=(0, 10), ylim=(0, 4.2))
    ax.text(5.0, 3.9, "inference: sample prior, invert flow, decode", fontsize=8, ha="center")
    return fig


def streaming_schedule(n_chunks: int = 5, chunk_s: float = 0.5, rtf: float = 0.3, start_s: float = 0.12):
    """(ready, play_start) per chunk when each chunk costs rtf * chunk_s after a fixed start-up cost."""
    ready = start_s + rtf * chunk_s * np.arange(1, n_chunks + 1)
    play = np.maximum.accumulate(np.maximum(ready, ready[0] + chunk_s * np.arange(n_chunks)))
    return ready, play


@figure("streaming-tts-timeline")
def streaming_timeline():
    import matplotlib.pyplot as plt

    chunk_s, rtf, start_s, n = 0.5, 0.3, 0.12, 5
    ready, play = streaming_schedule(n, chunk_s, rtf, start_s)
    fig, ax = plt.subplots(figsize=(9, 3.0))
    for k in range(n):
        ax.broken_barh(
            [(ready[k] - rtf * chunk_s, rtf * chunk_s)], (2.0, 0.6), color="#dd8452", edgecolor="white"
        )
        ax.broken_barh([(play[k], chunk_s)], (1.0, 0.6), color="#55a868", edgecolor="white")
    whole = start_s + rtf * chunk_s * n
    ax.broken_barh([(0, start_s)], (2.0, 0.6), color="#8c8c8c")
    ax.broken_barh([(whole, chunk_s * n)], (0.0, 0.6), color="#4c72b0")
    ax.axvline(play[0], color="k", linestyle="--", linewidth=0.8)
    ax.text(play[0] + 0.03, 2.75, f"streaming TTFA {play[0]:.2f} s", fontsize=8)
    ax.text(whole + 0.03, 0.7, f"whole-utterance first audio {whole:.2f} s", fontsize=8)
    ax.set_yticks(
        [0.3, 1.3, 2.3], ["playback\n(no streaming)", "playback\n(streaming)", "synthesis\n(per chunk)"]
    )
    ax.set_xlabel(f"time since request (s); {chunk_s} s chunks, RTF {rtf}, {1000 * start_s:.0f} ms start-up")
    return fig


@figure("streaming-tts-overlap-add")
def overlap_add():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(1)
    frames = np.repeat(rng.standard_normal(24), 8)  # piecewise-constant "mel" control signal
    kernel = np.hanning(31) / np.hanning(31).sum()  # non-causal: looks 15 steps ahead and behind
    full = np.convolve(frames, kernel, mode="same")
    border = 96
    hard = np.concatenate(
        [np.convolve(frames[:border], kernel, "same"), np.convolve(frames[border:], kernel, "same")]
    )
    ctx = 15
    left = np.convolve(frames[: border + ctx], kernel, "same")[:border]
    right = np.convolve(frames[border - ctx :], kernel, "same")[ctx:]
    with_context = np.concatenate([left, right])
    fig, ax = plt.subplots(figsize=(8, 3.0))
    span = slice(60, 132)
    x = np.arange(len(full))[span]
    ax.plot(x, full[span], color="k", linewidth=2.5, label="whole utterance")
    ax.plot(x, hard[span], color="#c44e52", label=f"hard cut (max error {np.abs(hard - full).max():.2f})")
    ax.plot(
        x,
        with_context[span],
        color="#55a868",
        linestyle="--",
        label=f"15-step context (max error {np.abs(with_context - full).max():.2f})",
    )
    ax.axvline(border, color="grey", linestyle=":")
    ax.text(border + 1, ax.get_ylim()[1] * 0.9, "chunk border", fontsize=8)
    ax.set_xlabel("output sample")
    ax.legend(fontsize=8, loc="lower left")
    return fig


@figure("prosody-control-f0-contour")
def f0_contour():
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    t = np.linspace(0, 1.6, 161)
    declination = 190 * 2 ** (-2.5 * t / 12)  # a slow fall of 2.5 semitones per second
    accent = 1 + 0.12 * np.exp(-(((t - 0.45) / 0.08) ** 2))
    statement = declination * accent * np.where(t > 1.35, 2 ** (-3 * (t - 1.35) / 0.25 / 12), 1)
    question = declination * accent * np.where(t > 1.2, 2 ** (6 * (t - 1.2) / 0.4 / 12), 1)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(t, statement, label="statement: final fall")
    ax.plot(t, question, label="yes/no question: final rise")
    ax.plot(t, statement * 2 ** (2 / 12), linestyle="--", label="statement shifted +2 semitones")
    ax.set_yscale("log")
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks([150, 180, 210, 250], ["150", "180", "210", "250"])
    ax.set_xlabel("time (s)")
    ax.set_ylabel("F0 (Hz, log scale)")
    ax.set_title("Schematic F0 contours (a pitch accent at 0.45 s)", fontsize=9)
    ax.legend(fontsize=8)
    return fig


@figure("multi-speaker-tts-conditioning")
def speaker_conditioning():
    boxes = {
        "speaker id ->\nlookup table E": (1.2, 3.1, "other"),
        "reference clip ->\nspeaker encoder": (1.2, 1.0, "other"),
        "speaker vector s": (3.6, 2.05, "other"),
        "text encoder\n(h + s)": (6.0, 3.3, "text"),
        "duration / pitch\npredictors": (6.0, 2.05, "acoustic"),
        "decoder and\nvocoder": (6.0, 0.8, "vocoder"),
        "waveform in\nvoice s": (8.7, 2.05, "vocoder"),
    }
    arrows = [
        ("speaker id ->\nlookup table E", "speaker vector s", "seen voices"),
        ("reference clip ->\nspeaker encoder", "speaker vector s", "zero-shot"),
        ("speaker vector s", "text encoder\n(h + s)"),
        ("speaker vector s", "duration / pitch\npredictors"),
        ("speaker vector s", "decoder and\nvocoder"),
        ("decoder and\nvocoder", "waveform in\nvoice s"),
    ]
    fig, _ = _diagram((9, 3.4), boxes, arrows)
    return fig
