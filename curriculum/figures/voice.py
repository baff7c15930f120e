"""Figures for the voice phase: verification scores, diarization timelines, VAD frames, spoofing."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, blank_axes, box, label_axes

TARGET, NONTARGET, SPOOF = "#1f77b4", "#d62728", "#9467bd"


def _trial_scores(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic cosine scores: targets near 0.6, non-targets near 0.05 (a well-trained system's shape)."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.60, 0.12, 2000), rng.normal(0.05, 0.10, 20000)


def _error_rates(tgt: np.ndarray, non: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    thresholds = np.sort(np.concatenate([tgt, non]))
    p_miss = np.searchsorted(np.sort(tgt), thresholds, side="left") / tgt.size
    p_fa = 1 - np.searchsorted(np.sort(non), thresholds, side="left") / non.size
    return thresholds, p_miss, p_fa


@figure("speaker-verification-score-distributions")
def sv_score_distributions():
    import matplotlib.pyplot as plt

    tgt, non = _trial_scores()
    thresholds, p_miss, p_fa = _error_rates(tgt, non)
    i = int(np.argmin(np.abs(p_miss - p_fa)))
    fig, ax = plt.subplots(figsize=(7, 3))
    bins = np.linspace(-0.4, 1.1, 61)
    ax.hist(
        non,
        bins=bins,
        density=True,
        alpha=0.6,
        color=NONTARGET,
        label="non-target trials (different speakers)",
    )
    ax.hist(tgt, bins=bins, density=True, alpha=0.6, color=TARGET, label="target trials (same speaker)")
    ax.axvline(thresholds[i], color="black", linestyle="--")
    ax.annotate(
        f"EER threshold {thresholds[i]:.2f}\nmiss = false alarm = {100 * p_miss[i]:.1f} %",
        xy=(thresholds[i], 4.2),
        xytext=(thresholds[i] + 0.45, 4.4),
        arrowprops={"arrowstyle": "->"},
    )
    label_axes(ax, x="cosine score", y="density")
    ax.set_ylim(0, 5.2)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return fig


@figure("speaker-verification-det-curve")
def sv_det_curve():
    import matplotlib.pyplot as plt
    from scipy.stats import norm

    fig, ax = plt.subplots(figsize=(5, 4.5))
    for seed, spread, label in ((0, 0.12, "system A"), (1, 0.16, "system B (wider target scores)")):
        rng = np.random.default_rng(seed)
        tgt, non = rng.normal(0.60, spread, 2000), rng.normal(0.05, 0.10, 20000)
        _, p_miss, p_fa = _error_rates(tgt, non)
        keep = (p_miss > 1e-4) & (p_fa > 1e-4) & (p_miss < 0.5) & (p_fa < 0.5)
        ax.plot(norm.ppf(p_fa[keep]), norm.ppf(p_miss[keep]), label=label)
        i = int(np.argmin(np.abs(p_miss - p_fa)))
        ax.plot(norm.ppf(p_fa[i]), norm.ppf(p_miss[i]), "o", color="black")
        ax.annotate(
            f"EER {100 * p_miss[i]:.1f} %",
            (norm.ppf(p_fa[i]), norm.ppf(p_miss[i])),
            xytext=(8, -12),
            textcoords="offset points",
        )
    ticks = np.array([0.001, 0.01, 0.05, 0.2, 0.4])
    ax.plot(norm.ppf([1e-4, 0.5]), norm.ppf([1e-4, 0.5]), color="grey", linewidth=0.8, linestyle=":")
    ax.set_xticks(norm.ppf(ticks), [f"{100 * t:g}" for t in ticks])
    ax.set_yticks(norm.ppf(ticks), [f"{100 * t:g}" for t in ticks])
    ax.set_xlim(norm.ppf(5e-4), norm.ppf(0.5))
    ax.set_ylim(norm.ppf(5e-4), norm.ppf(0.5))
    label_axes(ax, x="false acceptance rate (%)", y="false rejection (miss) rate (%)")
    ax.legend(frameon=False, loc="upper right")
    return fig


@figure("speaker-verification-embedding-clusters")
def sv_embedding_clusters():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(3)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
    angles = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    for ax, spread, title in (
        (axes[0], 0.45, "softmax only: loose clusters"),
        (axes[1], 0.18, "with an angular margin: tight clusters"),
    ):
        for k, a in enumerate(angles):
            centre = 2.0 * np.array([np.cos(a), np.sin(a)])
            points = centre + spread * rng.standard_normal((40, 2))
            ax.scatter(points[:, 0], points[:, 1], s=10, color=f"C{k}", label=f"speaker {k + 1}")
        ax.set_title(title)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("projection axis 1")
    axes[0].set_ylabel("projection axis 2")
    axes[1].legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


# The worked DER example of the diarization lesson: two reference speakers, two hypothesis clusters.
DIAR_REF = [("A", 0, 4), ("A", 7, 10), ("A", 12.5, 15), ("B", 4, 7), ("B", 9, 12), ("B", 15, 18)]
DIAR_HYP = [
    ("S1", 0, 4.5),
    ("S1", 7, 9.5),
    ("S1", 12.5, 15),
    ("S2", 4.5, 7),
    ("S2", 9.5, 12),
    ("S2", 15, 16.5),
    ("S2", 18, 19),
]


def _activity(turns, labels, n, step):
    act = np.zeros((len(labels), n), bool)
    for spk, start, end in turns:
        act[labels.index(spk), round(start / step) : round(end / step)] = True
    return act


@figure("speaker-diarization-timeline")
def diarization_timeline():
    import matplotlib.pyplot as plt

    step, n = 0.01, 2000
    ref = _activity(DIAR_REF, ["A", "B"], n, step)
    hyp = _activity(DIAR_HYP, ["S1", "S2"], n, step)  # S1 maps to A, S2 to B (the optimal mapping)
    n_ref, n_hyp = ref.sum(0), hyp.sum(0)
    correct = (ref & hyp).sum(0)
    kinds = {
        "missed speech": (n_ref > n_hyp, "#7f7f7f"),
        "false alarm": (n_hyp > n_ref, "#ff7f0e"),
        "speaker confusion": (np.minimum(n_ref, n_hyp) > correct, "#d62728"),
    }
    fig, ax = plt.subplots(figsize=(8, 3.2))
    rows = [(ref[0], "C0", 3.0), (ref[1], "C1", 2.3), (hyp[0], "C0", 1.3), (hyp[1], "C1", 0.6)]
    for active, color, y in rows:
        edges = np.flatnonzero(np.diff(np.concatenate([[0], active.astype(int), [0]])))
        ax.broken_barh(
            [(a * step, (b - a) * step) for a, b in zip(edges[::2], edges[1::2], strict=True)],
            (y - 0.3, 0.6),
            color=color,
        )
    for label, (mask, color) in kinds.items():
        edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            ax.axvspan(a * step, b * step, color=color, alpha=0.35, label=label)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(
        unique.values(), unique.keys(), frameon=False, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.22)
    )
    ax.set_yticks([3, 2.3, 1.3, 0.6], ["ref A", "ref B", "hyp S1 (→A)", "hyp S2 (→B)"])
    ax.set_xlabel("time (s)")
    ax.set_xlim(0, 19.5)
    ax.set_ylim(0.1, 3.5)
    return fig


@figure("speaker-diarization-eigengap")
def diarization_eigengap():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(7)
    centres = rng.standard_normal((3, 16))
    x = np.concatenate([c + 0.35 * rng.standard_normal((20, 16)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    affinity = np.clip(x @ x.T, 0, None)
    degree = affinity.sum(axis=1)
    laplacian = np.eye(len(x)) - affinity / np.sqrt(np.outer(degree, degree))
    eig = np.sort(np.linalg.eigvalsh(laplacian))[:10]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
    axes[0].imshow(affinity, cmap="viridis")
    label_axes(axes[0], x="window", y="window", title="cosine affinity, 60 windows")
    axes[1].plot(np.arange(1, 11), eig, "o-")
    gaps = np.diff(eig)
    k = int(np.argmax(gaps)) + 1
    axes[1].annotate(
        f"largest gap after λ{k}: {k} speakers",
        (k + 0.5, (eig[k - 1] + eig[k]) / 2),
        xytext=(4.5, eig[k] * 0.5),
        arrowprops={"arrowstyle": "->"},
    )
    label_axes(axes[1], x="eigenvalue index", y="eigenvalue of normalised Laplacian")
    return fig


def _toy_speech(seed: int = 0, sr: int = 8000) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Two voiced bursts (harmonics with a syllable-rate envelope) over a weak noise floor."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(3.0 * sr)) / sr
    x = 0.01 * rng.standard_normal(t.size)
    spans = [(0.5, 1.3), (1.8, 2.5)]
    for s, e in spans:
        m = (t >= s) & (t < e)
        env = np.sin(np.pi * (t[m] - s) / (e - s)) * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t[m]))
        x[m] += 0.3 * env * sum(np.sin(2 * np.pi * 140 * h * t[m]) / h for h in range(1, 6))
    return x, spans


@figure("voice-activity-detection-frames")
def vad_frames():
    import matplotlib.pyplot as plt

    sr = 8000
    x, spans = _toy_speech(sr=sr)
    hop = int(0.02 * sr)
    frames = x[: x.size // hop * hop].reshape(-1, hop)
    energy_db = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    floor = np.percentile(energy_db, 10)
    raw = energy_db > floor + 9
    smooth = raw.copy()
    for i in np.flatnonzero(raw):  # hangover: hold speech for 8 frames (160 ms) after each speech frame
        smooth[i : i + 9] = True
    times = np.arange(frames.shape[0]) * 0.02
    fig, axes = plt.subplots(2, 1, figsize=(8, 4), sharex=True, height_ratios=[2, 1])
    blocks = x[: x.size // 40 * 40].reshape(-1, 40)  # min/max per 5 ms keeps the SVG small
    block_t = np.arange(blocks.shape[0]) * 40 / sr
    axes[0].fill_between(block_t, blocks.min(axis=1), blocks.max(axis=1), color="black", linewidth=0)
    for s, e in spans:
        axes[0].axvspan(s, e, color="C2", alpha=0.15)
    label_axes(axes[0], y="amplitude", title="waveform (green: labelled speech)")
    axes[1].step(times, raw + 1.2, where="post", label="raw energy decision")
    axes[1].step(times, smooth.astype(float), where="post", label="after 160 ms hangover")
    axes[1].set_yticks([0.5, 1.7], ["smoothed", "raw"])
    axes[1].set_xlabel("time (s), 20 ms frames")
    return fig


@figure("voice-activity-detection-tradeoff")
def vad_tradeoff():
    import matplotlib.pyplot as plt

    sr, hop = 8000, 160
    rng = np.random.default_rng(2)
    t = np.arange(6 * sr) / sr
    speech = np.zeros(t.size)
    truth = np.zeros(t.size, bool)
    for start in (0.5, 2.0, 3.6):  # three utterances with syllable-rate gaps, as in the lesson's code
        m = (t >= start) & (t < start + 1.0)
        env = np.clip(np.sin(2 * np.pi * 4 * (t[m] - start)), 0.05, None)
        speech[m] = 0.2 * env * sum(np.sin(2 * np.pi * 140 * h * t[m]) / h for h in range(1, 6))
        truth |= m
    label = truth.reshape(-1, hop).mean(axis=1) > 0.5
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for noise, name in ((0.01, "quiet room"), (0.03, "noisy room"), (0.08, "very noisy room")):
        frames = (speech + noise * rng.standard_normal(t.size)).reshape(-1, hop)
        energy_db = 10 * np.log10(np.mean(frames**2, axis=1))
        thresholds = np.linspace(energy_db.min(), energy_db.max(), 300)
        miss = np.array([np.mean(energy_db[label] <= th) for th in thresholds])
        fa = np.array([np.mean(energy_db[~label] > th) for th in thresholds])
        ax.plot(100 * fa, 100 * miss, label=name)
    label_axes(ax, x="false alarm rate (% of non-speech frames)", y="miss rate (% of speech frames)")
    ax.set_xlim(-1, 60)
    ax.set_ylim(-1, 60)
    ax.set_title("energy VAD, no smoothing: sweeping the threshold")
    ax.legend(frameon=False)
    return fig


def _box(ax, xy, text, color="#dbe9f6", w=1.8, h=0.8):
    box(ax, xy, w, h, text, fc=color)


def _arrow(ax, start, end):
    arrow(ax, start, end, lw=1.2)


@figure("anti-spoofing-pipeline")
def spoofing_pipeline():
    fig, ax = blank_axes((9, 3.2), (0, 11.6), (0, 3.6))
    _box(ax, (0.1, 1.4), "test utterance\n(bona fide or\nspoofed?)", "#eeeeee")
    _box(ax, (2.5, 2.4), "CM front end\nLFCC / CQCC\nor raw waveform")
    _box(ax, (4.9, 2.4), "CM classifier\nGMM, LCNN,\nRawNet2, AASIST")
    _box(ax, (2.5, 0.4), "speaker encoder\n(ECAPA, ResNet)")
    _box(ax, (4.9, 0.4), "ASV score vs\nenrolled speaker")
    _box(ax, (7.4, 1.4), "tandem decision\naccept only if\nboth pass", "#fde2c8")
    _box(ax, (9.7, 1.4), "accept /\nreject /\nstep-up", "#eeeeee", w=1.6)
    for s, e in (
        ((1.9, 2.0), (2.5, 2.8)),
        ((1.9, 1.6), (2.5, 0.8)),
        ((4.3, 2.8), (4.9, 2.8)),
        ((4.3, 0.8), (4.9, 0.8)),
        ((6.7, 2.8), (7.4, 2.0)),
        ((6.7, 0.8), (7.4, 1.6)),
        ((9.2, 1.8), (9.7, 1.8)),
    ):
        _arrow(ax, s, e)
    ax.text(5.8, 3.35, "countermeasure (CM): bona fide vs spoof", ha="center", fontsize=9)
    ax.text(5.8, 0.1, "automatic speaker verification (ASV): target vs non-target", ha="center", fontsize=9)
    return fig


@figure("anti-spoofing-unseen-attacks")
def spoofing_unseen():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(11)
    bona = rng.normal(2.0, 1.0, 4000)
    seen = rng.normal(-2.5, 1.0, 4000)
    unseen = rng.normal(0.8, 1.3, 4000)
    fig, ax = plt.subplots(figsize=(7, 3))
    bins = np.linspace(-7, 6, 66)
    ax.hist(bona, bins=bins, density=True, alpha=0.55, color=TARGET, label="bona fide")
    ax.hist(
        seen, bins=bins, density=True, alpha=0.55, color=NONTARGET, label="spoof, attacks seen in training"
    )
    ax.hist(unseen, bins=bins, density=True, alpha=0.55, color=SPOOF, label="spoof, unseen attack")
    ax.set_ylim(0, 0.6)
    label_axes(ax, x="countermeasure score (higher = more bona fide)", y="density")
    ax.legend(frameon=False, loc="upper left")
    return fig


@figure("voice-cloning-two-routes")
def cloning_routes():
    fig, ax = blank_axes((9, 3.4), (0, 11), (0, 4))
    _box(ax, (0.1, 2.6), "minutes to hours\nof target speech\n+ transcripts", "#eeeeee")
    _box(ax, (2.6, 2.6), "fine-tune a\nmulti-speaker TTS\n(training job)")
    _box(ax, (5.1, 2.6), "per-voice\ncheckpoint\nor adapter")
    _box(ax, (0.1, 0.4), "3 to 30 s\nreference clip", "#eeeeee")
    _box(ax, (2.6, 0.4), "speaker embedding\nor codec-token /\nmel prompt")
    _box(ax, (5.1, 0.4), "zero-shot TTS\n(no training\nfor this voice)")
    _box(ax, (8.2, 1.5), "text → speech in\nthe target voice", "#fde2c8", w=2.2)
    for s, e in (
        ((1.9, 3.0), (2.6, 3.0)),
        ((4.4, 3.0), (5.1, 3.0)),
        ((1.9, 0.8), (2.6, 0.8)),
        ((4.4, 0.8), (5.1, 0.8)),
        ((6.9, 3.0), (8.2, 2.1)),
        ((6.9, 0.8), (8.2, 1.7)),
    ):
        _arrow(ax, s, e)
    ax.text(3.5, 3.7, "speaker adaptation", ha="center", fontsize=10, weight="bold")
    ax.text(3.5, 0.05, "zero-shot cloning", ha="center", fontsize=10, weight="bold")
    return fig


@figure("voice-conversion-f0-mapping")
def conversion_f0():
    import matplotlib.pyplot as plt

    t = np.linspace(0, 2, 200)
    src = 120 * 2 ** ((1.5 * np.sin(2 * np.pi * 0.8 * t) + 0.8 * np.sin(2 * np.pi * 2.3 * t)) / 12)
    lf0 = np.log(src)
    mu_s, sd_s = np.log(120), np.std(lf0)
    mu_t, sd_t = np.log(210), 1.3 * sd_s
    conv = np.exp((lf0 - mu_s) / sd_s * sd_t + mu_t)
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot(t, src, label="source speaker (mean 120 Hz)")
    ax.plot(t, conv, label="converted (target mean 210 Hz, wider range)")
    ax.plot(t, src * 210 / 120, linestyle="--", label="naive scaling (same shape, no range change)")
    ax.set_yscale("log")
    from matplotlib.ticker import NullFormatter

    ax.set_ylim(90, 480)
    ax.set_yticks([100, 150, 200, 300], ["100", "150", "200", "300"])
    ax.yaxis.set_minor_formatter(NullFormatter())
    label_axes(ax, x="time (s)", y="F0 (Hz, log scale)")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


@figure("speech-emotion-recognition-circumplex")
def ser_circumplex():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(5)
    classes = {"angry": (-0.6, 0.7), "happy": (0.6, 0.6), "sad": (-0.5, -0.5), "neutral": (0.05, -0.1)}
    fig, ax = plt.subplots(figsize=(5, 4.5))
    for k, (name, (v, a)) in enumerate(classes.items()):
        pts = np.array([v, a]) + np.array([0.35, 0.18]) * rng.standard_normal((60, 2))
        ax.scatter(pts[:, 0], pts[:, 1], s=10, color=f"C{k}", label=name)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("valence (negative → positive): wide spread, hard")
    ax.set_ylabel("arousal (calm → excited): tight, easier")
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.2, 1.2)
    ax.legend(frameon=False, loc="lower right")
    return fig
