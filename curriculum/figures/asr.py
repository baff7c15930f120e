"""Figures for the speech-recognition phase: lattices, alignments, architectures and latency."""

from __future__ import annotations

import itertools

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, blank_axes, box, label_axes, spectrogram

# The toy CTC problem worked by hand in ctc.md: target "ab", 3 frames, rows = frames, cols = (blank, a, b).
CTC_TOY_POSTERIORS = np.array([[0.3, 0.6, 0.1], [0.5, 0.3, 0.2], [0.2, 0.1, 0.7]])


def _box(ax, x: float, y: float, w: float, h: float, text: str, colour: str, size: int = 9) -> None:
    """A rounded, labelled box centred on (x, y) for block diagrams."""
    box(ax, (x, y), w, h, text, fc=colour, ec="#333333", pad=0.02, fontsize=size, centred=True, lw=1)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], colour: str = "#333333") -> None:
    arrow(ax, start, end, color=colour, lw=1.2)


def _ctc_alpha(post: np.ndarray, ext: list[int]) -> np.ndarray:
    """Forward variables over the blank-extended label sequence (probability domain, tiny inputs only)."""
    n_frames, n_states = post.shape[0], len(ext)
    alpha = np.zeros((n_frames, n_states))
    alpha[0, 0], alpha[0, 1] = post[0, ext[0]], post[0, ext[1]]
    for t in range(1, n_frames):
        for s in range(n_states):
            total = alpha[t - 1, s] + (alpha[t - 1, s - 1] if s >= 1 else 0.0)
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                total += alpha[t - 1, s - 2]
            alpha[t, s] = total * post[t, ext[s]]
    return alpha


@figure("ctc-forward-lattice")
def ctc_forward_lattice():
    """The alpha lattice of the toy problem with its five valid paths and the alpha values."""
    from matplotlib.patches import Circle

    ext = [0, 1, 0, 2, 0]
    names = ["ε", "a", "ε", "b", "ε"]
    alpha = _ctc_alpha(CTC_TOY_POSTERIORS, ext)
    paths = [  # state index per frame for the 5 paths that collapse to "ab"
        ([1, 1, 3], "a a b"),
        ([1, 3, 3], "a b b"),
        ([0, 1, 3], "ε a b"),
        ([1, 2, 3], "a ε b"),
        ([1, 3, 4], "a b ε"),
    ]
    fig, ax = blank_axes((7.5, 4.2), (-0.6, 3.6), (-0.7, 4.7))
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]
    for (states, label), colour in zip(paths, colours, strict=True):
        offset = (colours.index(colour) - 2) * 0.03
        ax.plot(
            np.arange(3) + offset, np.array(states) + offset, "-", color=colour, lw=2, alpha=0.8, label=label
        )
    for t in range(3):
        for s in range(5):
            reachable = alpha[t, s] > 0
            ax.add_patch(
                Circle(
                    (t, s),
                    0.2,
                    fc="#ffffff" if reachable else "#eeeeee",
                    ec="#333333" if reachable else "#bbbbbb",
                )
            )
            ax.text(
                t,
                s,
                f"{alpha[t, s]:.3f}".rstrip("0").rstrip(".") if reachable else "0",
                ha="center",
                va="center",
                fontsize=7,
            )
    for s, name in enumerate(names):
        ax.text(-0.45, s, f"s={s + 1} {name}", ha="right", va="center", fontsize=9)
    for t in range(3):
        ax.text(t, -0.55, f"t={t + 1}", ha="center", fontsize=9)
    total = alpha[-1, -1] + alpha[-1, -2]
    ax.text(
        3.05,
        3.5,
        f"p(ab|x) = α₃(4) + α₃(5)\n= {alpha[-1, -2]:.3f} + {alpha[-1, -1]:.3f}\n= {total:.3f}",
        fontsize=9,
        va="center",
    )
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(0.68, 0.55),
        fontsize=8,
        title="valid paths",
        title_fontsize=8,
        frameon=False,
    )
    ax.set_title("CTC forward lattice for target 'ab' over 3 frames (α values in the nodes)", fontsize=10)
    return fig


@figure("ctc-posterior-spikes")
def ctc_posterior_spikes():
    """Schematic peaky CTC posteriors: blank dominates, each character fires on one or two frames."""
    import matplotlib.pyplot as plt

    frames = np.arange(60)
    spikes = [(8, "h"), (17, "e"), (27, "l"), (33, "l"), (45, "o")]
    labels = np.zeros((len(spikes), frames.size))
    for i, (centre, _) in enumerate(spikes):
        labels[i] = 0.95 * np.exp(-0.5 * ((frames - centre) / 0.7) ** 2)
    blank = 1.0 - labels.sum(axis=0)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(frames * 0.04, blank, color="#888888", lw=1.5, label="blank ε")
    for i, (centre, char) in enumerate(spikes):
        ax.plot(frames * 0.04, labels[i], lw=1.5, label=f"'{char}'")
        ax.text(centre * 0.04, 1.0, char, ha="center", fontsize=10)
    label_axes(ax, x="time (s), 40 ms frames", y="posterior p(k | x, t)")
    ax.set_ylim(0, 1.1)
    ax.set_xlim(0, 2.4)
    ax.set_title("Schematic CTC output for 'hello': blank almost everywhere, one spike per character")
    ax.legend(ncol=6, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False)
    return fig


@figure("attention-asr-alignment-map")
def attention_alignment_map():
    """Schematic attention weights: a clean monotonic alignment next to a looping failure."""
    import matplotlib.pyplot as plt

    n_out, n_in = 20, 60
    rng = np.random.default_rng(0)

    def weights(centres: np.ndarray) -> np.ndarray:
        frames = np.arange(n_in)
        logits = -0.5 * ((frames[None, :] - centres[:, None]) / 1.8) ** 2 + 0.3 * rng.standard_normal(
            (centres.size, n_in)
        )
        w = np.exp(logits)
        return w / w.sum(axis=1, keepdims=True)

    good = weights(np.linspace(3, 56, n_out))
    looping_centres = np.concatenate([np.linspace(3, 30, 10), np.linspace(18, 30, 10)])
    bad = weights(looping_centres)
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4), sharey=True)
    for ax, w, title in zip(
        axes,
        (good, bad),
        ("healthy: monotonic diagonal", "failure: decoder jumps back and repeats"),
        strict=True,
    ):
        spectrogram(ax, w, cmap="viridis", interpolation="nearest")
        label_axes(ax, x="encoder frame u", title=title, title_size=10)
    axes[0].set_ylabel("output token i")
    fig.suptitle("Attention weights α(i, u), schematic", fontsize=10)
    return fig


@figure("transducer-lattice")
def transducer_lattice():
    """The RNN-T T x U lattice: blank moves right (next frame), a token moves up (same frame)."""
    fig, ax = blank_axes((6.5, 4.0), (-0.8, 5.6), (-0.9, 3.6))
    n_t, tokens = 5, ["∅", "c", "a", "t"]
    for t in range(n_t):
        for u in range(len(tokens)):
            ax.plot(t, u, "o", color="#333333", ms=6)
            if t < n_t - 1:
                _arrow(ax, (t + 0.08, u), (t + 0.92, u), "#bbbbbb")
            if u < len(tokens) - 1:
                _arrow(ax, (t, u + 0.08), (t, u + 0.92), "#bbbbbb")
    path = [(0, 0), (1, 0), (1, 1), (2, 1), (2, 2), (3, 2), (4, 2), (4, 3)]
    for (t0, u0), (t1, u1) in itertools.pairwise(path):
        arrow(ax, (t0, u0), (t1, u1), color="#d62728", lw=2.2)
    _arrow(ax, (4, 3), (4.7, 3), "#d62728")
    ax.text(4.75, 3, "final ε", va="center", fontsize=8, color="#d62728")
    for t in range(n_t):
        ax.text(t, -0.5, f"t={t + 1}", ha="center", fontsize=9)
    for u, tok in enumerate(tokens):
        ax.text(-0.35, u, f"u={u} ({tok})", ha="right", va="center", fontsize=9)
    ax.text(
        2.0,
        -0.85,
        "→ blank ε: next frame, same output      ↑ token: same frame, next output",
        ha="center",
        fontsize=8,
    )
    ax.set_title("Transducer lattice for 'cat' over 5 frames (one path in red)", fontsize=10)
    return fig


@figure("whisper-architecture")
def whisper_architecture():
    """Block diagram of Whisper: 30 s log-mel -> conv stem -> encoder -> cross-attention -> decoder."""
    fig, ax = blank_axes((8.5, 4.2), (0, 10), (0, 6))
    _box(ax, 1.3, 1.0, 2.2, 0.8, "30 s audio, 16 kHz\n480,000 samples", "#eeeeee")
    _box(ax, 1.3, 2.4, 2.2, 0.8, "log-mel 80 x 3,000\n(25 ms win, 10 ms hop)", "#dbe9f6")
    _box(ax, 1.3, 3.8, 2.2, 0.8, "2 conv layers + GELU\n2nd has stride 2", "#dbe9f6")
    _box(ax, 1.3, 5.2, 2.2, 0.8, "sinusoidal positions\n1,500 x d_model", "#dbe9f6")
    _box(
        ax, 4.2, 3.8, 2.4, 2.6, "Transformer encoder\nN blocks:\nself-attention\n+ MLP\n(pre-norm)", "#c6dbef"
    )
    _box(
        ax,
        7.8,
        3.8,
        2.6,
        2.6,
        "Transformer decoder\nN blocks:\nmasked self-attention\n+ cross-attention\n+ MLP",
        "#fdd0a2",
    )
    _box(ax, 7.8, 1.0, 3.6, 0.8, "prompt + previous tokens (learned positions)", "#fee6ce", 8)
    _box(ax, 7.8, 5.6, 2.6, 0.6, "next-token softmax", "#fee6ce")
    for y0, y1 in ((1.4, 2.0), (2.8, 3.4), (4.2, 4.8)):
        _arrow(ax, (1.3, y0), (1.3, y1))
    _arrow(ax, (2.4, 5.2), (3.0, 4.4))
    _arrow(ax, (5.4, 3.8), (6.5, 3.8))
    ax.text(5.95, 4.0, "keys/values", ha="center", fontsize=8)
    _arrow(ax, (7.8, 1.4), (7.8, 2.5))
    _arrow(ax, (7.8, 5.1), (7.8, 5.3))
    ax.set_title("Whisper: a standard encoder-decoder; 1,500 encoder positions of 20 ms each", fontsize=10)
    return fig


@figure("whisper-decoder-prompt")
def whisper_decoder_prompt():
    """The special-token prompt that selects language, task and timestamps, then the output tokens."""
    fig, ax = blank_axes((9, 3.2), (0, 10), (0, 3.8))
    tokens = [
        ("<|startoftranscript|>", "#fdd0a2"),
        ("<|fr|>", "#c7e9c0"),
        ("<|transcribe|>", "#c6dbef"),
        ("<|0.00|>", "#eeeeee"),
        ("Bonjour", "#ffffff"),
        ("à tous", "#ffffff"),
        ("<|1.24|>", "#eeeeee"),
        ("<|endoftext|>", "#fdd0a2"),
    ]
    widths = [1.9, 0.7, 1.3, 0.9, 0.9, 0.8, 0.9, 1.3]
    x = 0.2
    for (text, colour), w in zip(tokens, widths, strict=True):
        _box(ax, x + w / 2, 1.9, w - 0.08, 0.6, text, colour, 8)
        x += w
    notes = [
        (1.15, "start"),
        (2.45, "language (the first\npredicted token = LID)"),
        (3.45, "task: transcribe or\ntranslate (to English)"),
        (4.8, "timestamp tokens, 20 ms\nsteps (absent with\n<|notimestamps|>)"),
        (6.5, "text: byte-level BPE"),
        (8.95, "end"),
    ]
    for k, (xn, note) in enumerate(notes):
        y = 1.45 if k % 2 == 0 else 2.75
        ax.text(xn, y, note, ha="center", va="top" if k % 2 == 0 else "bottom", fontsize=7.5)
    ax.set_title("Whisper's decoder sequence: special tokens choose the task", fontsize=10)
    return fig


@figure("conformer-block")
def conformer_block():
    """The macaron Conformer block: half FFN, MHSA, convolution module, half FFN, LayerNorm."""
    fig, ax = blank_axes((8.5, 4.6), (0, 10), (0, 9.2))
    steps = [
        ("input x (40 ms frames after 4x subsampling)", "#eeeeee"),
        ("½ × feed-forward (LN, Linear 4d, Swish, Linear)", "#c6dbef"),
        ("multi-head self-attention, relative positions", "#fdd0a2"),
        ("convolution module", "#c7e9c0"),
        ("½ × feed-forward", "#c6dbef"),
        ("LayerNorm → output", "#eeeeee"),
    ]
    for i, (text, colour) in enumerate(steps):
        y = 0.7 + i * 1.55
        _box(ax, 3.0, y, 5.0, 0.8, text, colour, 8)
        if i:
            _arrow(ax, (3.0, y - 1.15), (3.0, y - 0.45))
        if 1 <= i <= 4:
            arrow(ax, (5.6, y - 1.1), (5.6, y + 0.45), color="#888888", connectionstyle="arc3,rad=-0.4")
            ax.text(6.0, y - 0.35, "+ residual", fontsize=7, color="#666666")
    conv = [
        "LayerNorm",
        "pointwise conv (2d) + GLU",
        "depthwise conv, kernel 31 (~1.2 s)",
        "BatchNorm + Swish",
        "pointwise conv + dropout",
    ]
    for j, text in enumerate(conv):
        _box(ax, 8.4, 7.6 - j * 1.35, 3.0, 0.7, text, "#e5f5e0", 7)
        if j:
            _arrow(ax, (8.4, 7.6 - (j - 1) * 1.35 - 0.4), (8.4, 7.6 - j * 1.35 + 0.4))
    ax.plot([5.5, 6.9], [0.7 + 3 * 1.55, 7.6], ":", color="#2ca02c")
    ax.set_title(
        "Conformer block (macaron layout); the convolution module expanded on the right", fontsize=10
    )
    return fig


@figure("conformer-subsampling-cost")
def conformer_subsampling_cost():
    """Encoder frames and relative self-attention cost against duration for 4x and 8x subsampling."""
    import matplotlib.pyplot as plt

    seconds = np.linspace(1, 60, 120)
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.2))
    for factor, colour in ((4, "#1f77b4"), (8, "#d62728")):
        frames = seconds * 100 / factor  # 10 ms features, then subsampled
        axes[0].plot(seconds, frames, color=colour, label=f"{factor}x ({10 * factor} ms frames)")
        axes[1].plot(seconds, frames**2 / 1e6, color=colour, label=f"{factor}x")
    axes[0].set_ylabel("encoder frames T")
    axes[1].set_ylabel("T² attention scores per head (millions)")
    for ax in axes:
        ax.set_xlabel("utterance length (s)")
        ax.legend(fontsize=8)
    axes[1].annotate(
        "20 s: 250,000 vs 62,500",
        xy=(20, 0.25),
        xytext=(25, 1.5),
        fontsize=8,
        arrowprops={"arrowstyle": "->"},
    )
    fig.suptitle("Halving the frame rate quarters the attention cost", fontsize=10)
    return fig


@figure("streaming-chunk-latency-timeline")
def streaming_chunk_latency_timeline():
    """Per-frame algorithmic latency with 640 ms chunks and 160 ms look-ahead: 800 ms worst, 480 ms mean."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    chunk, lookahead = 640, 160
    fig, axes = plt.subplots(2, 1, figsize=(8.5, 4.0), sharex=True, gridspec_kw={"height_ratios": [1, 2]})
    ax = axes[0]
    for k in range(3):
        ax.add_patch(Rectangle((k * chunk, 0.2), chunk, 0.6, fc="#c6dbef", ec="#333333"))
        ax.text(k * chunk + chunk / 2, 0.5, f"chunk {k + 1}", ha="center", va="center", fontsize=8)
        ax.add_patch(Rectangle(((k + 1) * chunk, 0.85), lookahead, 0.3, fc="#fdd0a2", ec="#333333"))
    ax.text(chunk + lookahead / 2, 1.25, "look-ahead", ha="center", fontsize=8)
    ax.set_ylim(0, 1.5)
    ax.set_yticks([])
    ax.set_title("640 ms chunks with 160 ms look-ahead", fontsize=10)
    ax = axes[1]
    tau = np.arange(2.5, 3 * chunk, 5.0)  # arrival time of each 5 ms slice of audio (its centre)
    ready = (tau // chunk + 1) * chunk + lookahead  # a chunk is processed once its look-ahead has arrived
    wait = ready - tau
    ax.fill_between(tau, wait, color="#6baed6", step="post")
    ax.axhline(wait.mean(), color="#d62728", ls="--", lw=1)
    ax.text(
        3 * chunk, wait.mean() + 15, f"mean {wait.mean():.0f} ms", ha="right", fontsize=8, color="#d62728"
    )
    ax.text(10, wait.max() + 15, f"first frame of a chunk waits {wait.max():.0f} ms", fontsize=8)
    label_axes(ax, x="arrival time of the audio (ms)", y="wait before the audio\nis processed (ms)")
    ax.set_ylim(0, 950)
    return fig


@figure("streaming-asr-chunk-mask")
def streaming_chunk_mask():
    """The chunked attention mask: full context, and 2-frame chunks with one left chunk."""
    import matplotlib.pyplot as plt

    def mask(n: int, chunk: int, left: int) -> np.ndarray:
        ids = np.arange(n) // chunk
        return (ids[None, :] <= ids[:, None]) & (ids[None, :] >= ids[:, None] - left)

    n = 12
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.4))
    for ax, m, title in zip(
        axes,
        (np.ones((n, n), bool), mask(n, 2, 1)),
        ("offline: every frame sees all", "chunk 2, one left chunk"),
        strict=True,
    ):
        ax.imshow(m, cmap="Blues", vmin=0, vmax=1.3, interpolation="nearest")
        label_axes(ax, x="key frame", title=title, title_size=10)
        ax.set_xticks(range(0, n, 2))
        ax.set_yticks(range(0, n, 2))
    axes[0].set_ylabel("query frame")
    fig.suptitle("Attention masks (blue = may attend)", fontsize=10)
    return fig


@figure("asr-pipeline-stages")
def asr_pipeline_stages():
    """From waveform to scored transcript: the classical and end-to-end paths and the evaluation."""
    fig, ax = blank_axes((9, 3.4), (0, 11), (0, 4))
    _box(ax, 0.9, 2.0, 1.5, 0.9, "waveform\n16 kHz", "#eeeeee", 8)
    _box(ax, 2.8, 2.0, 1.7, 0.9, "log-mel\n100 frames/s", "#dbe9f6", 8)
    _box(ax, 5.2, 3.1, 2.4, 0.8, "acoustic model\n+ lexicon + n-gram (WFST)", "#c6dbef", 7)
    _box(ax, 5.2, 0.9, 2.4, 0.8, "end-to-end network\n(CTC / attention / RNN-T)", "#fdd0a2", 7)
    _box(ax, 7.6, 2.0, 1.6, 0.9, "beam search\n(+ LM weight)", "#c7e9c0", 8)
    _box(ax, 9.9, 2.0, 1.8, 0.9, "normalise both,\nalign, WER", "#fee6ce", 8)
    _arrow(ax, (1.65, 2.0), (1.95, 2.0))
    _arrow(ax, (3.65, 2.3), (4.0, 3.0))
    _arrow(ax, (3.65, 1.7), (4.0, 1.0))
    _arrow(ax, (6.4, 3.0), (6.8, 2.3))
    _arrow(ax, (6.4, 1.0), (6.8, 1.7))
    _arrow(ax, (8.4, 2.0), (9.0, 2.0))
    ax.text(9.9, 3.0, "reference text", ha="center", fontsize=8)
    _arrow(ax, (9.9, 2.85), (9.9, 2.5))
    ax.set_title(
        "Hybrid and end-to-end recognisers share the front-end, the search and the scoring", fontsize=10
    )
    return fig


@figure("wav2vec2-pretraining")
def wav2vec2_pretraining():
    """wav2vec 2.0 pretraining: CNN encoder, masking, Transformer context, quantised targets, contrastive loss."""
    fig, ax = blank_axes((9, 4.0), (0, 11), (0, 5.4))
    ax.plot(
        np.linspace(0.3, 10.7, 400),
        0.5 + 0.25 * np.sin(np.linspace(0, 60, 400)) * np.hanning(400),
        color="#555555",
        lw=0.8,
    )
    ax.text(0.1, 0.5, "x", fontsize=9, va="center")
    masked = {3, 4, 5}
    for i in range(8):
        x = 0.9 + i * 1.3
        _box(ax, x, 1.6, 0.9, 0.5, "z", "#dbe9f6", 8)
        _arrow(ax, (x, 0.85), (x, 1.3))
        _box(ax, x, 2.7, 0.9, 0.5, "M" if i in masked else "z", "#bbbbbb" if i in masked else "#dbe9f6", 8)
        _arrow(ax, (x, 1.85), (x, 2.45))
        _box(ax, x, 4.7, 0.9, 0.5, "c", "#fdd0a2", 8)
    _box(
        ax,
        5.45,
        3.7,
        10.0,
        0.6,
        "Transformer context network (relative positions from a convolution)",
        "#c6dbef",
        8,
    )
    for i in masked:
        x = 0.9 + i * 1.3
        ax.text(x + 0.5, 2.15, "q", fontsize=8, color="#d62728")

    ax.text(
        5.45,
        5.25,
        "each masked c_t must pick its quantised target q_t among K distractors (contrastive loss)",
        ha="center",
        fontsize=8,
        color="#d62728",
    )
    ax.set_title("wav2vec 2.0 pretraining (CNN encoder: one z every 20 ms; M = masked)", fontsize=10, y=1.02)
    return fig
