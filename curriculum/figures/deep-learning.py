"""Figures for the deep learning phase (optimisers, CNN/RNN/attention, embeddings, augmentation, anomalies)."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import blank, label_axes, link, spectrogram


def _ravine_paths(steps: int = 60) -> dict[str, np.ndarray]:
    """Run SGD, momentum and Adam on f(w) = 0.5 (w1² + 25 w2²) from one start point."""
    scale = np.array([1.0, 25.0])

    def grad(w: np.ndarray) -> np.ndarray:
        return scale * w

    start = np.array([-4.0, 1.5])
    paths = {}
    w = start.copy()
    trace = [w.copy()]
    for _ in range(steps):
        w = w - 0.075 * grad(w)
        trace.append(w.copy())
    paths["SGD, lr 0.075"] = np.array(trace)
    w, v = start.copy(), np.zeros(2)
    trace = [w.copy()]
    for _ in range(steps):
        v = 0.9 * v + grad(w)
        w = w - 0.01 * v
        trace.append(w.copy())
    paths["momentum 0.9, lr 0.01"] = np.array(trace)
    w, m, s = start.copy(), np.zeros(2), np.zeros(2)
    trace = [w.copy()]
    for t in range(1, steps + 1):
        g = grad(w)
        m = 0.9 * m + 0.1 * g
        s = 0.999 * s + 0.001 * g**2
        w = w - 0.3 * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
        trace.append(w.copy())
    paths["Adam, lr 0.3"] = np.array(trace)
    return paths


@figure("neural-network-fundamentals-optimiser-paths")
def optimiser_paths():
    import matplotlib.pyplot as plt

    gx, gy = np.meshgrid(np.linspace(-4.5, 1.5, 100), np.linspace(-2, 2, 100))
    loss = 0.5 * (gx**2 + 25 * gy**2)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    # Levels rounded: geomspace's last bits vary with the CPU's vector maths, enough to close a contour.
    levels = np.round(np.geomspace(0.05, 60, 12), 6)
    ax.contour(gx, gy, loss, levels=levels, colors="0.75", linewidths=0.8)
    for (name, path), colour in zip(
        _ravine_paths().items(), ("tab:red", "tab:blue", "tab:green"), strict=True
    ):
        final = 0.5 * (path[-1, 0] ** 2 + 25 * path[-1, 1] ** 2)
        ax.plot(path[:, 0], path[:, 1], "-o", ms=2.5, lw=1.2, color=colour, label=f"{name}: loss {final:.3g}")
    ax.plot(0, 0, "k*", ms=10)
    ax.set_xlabel("w1 (shallow direction)")
    ax.set_ylabel("w2 (steep direction)")
    ax.set_title("60 steps on a ravine f = 0.5(w1² + 25 w2²), from (-4, 1.5)")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def _overfit_curves(steps: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Train a 1-64-1 tanh MLP with full-batch gradient descent and momentum on 16 noisy points;
    return train and val MSE per step.

    Not Adam: Adam divides by the root of tiny squared gradients, so near convergence it magnifies
    the last-bit differences between CPUs' vectorised tanh into visibly different curves (a 1e-15
    nudge of one weight moved the plotted loss by 6 %). Momentum is contractive here: the same nudge
    stays at 1e-15, so every machine draws the same figure."""
    rng = np.random.default_rng(0)
    x_train = np.sort(rng.uniform(-1, 1, 16))[:, None]
    x_val = rng.uniform(-1, 1, 200)[:, None]

    def target(x: np.ndarray) -> np.ndarray:
        return np.sin(3 * x)

    y_train = target(x_train) + 0.3 * rng.standard_normal(x_train.shape)
    y_val = target(x_val) + 0.3 * rng.standard_normal(x_val.shape)
    params = [rng.normal(0, 2.0, (1, 64)), np.zeros(64), rng.normal(0, 0.3, (64, 1)), np.zeros(1)]
    velocities = [np.zeros_like(p) for p in params]
    train_loss, val_loss = [], []
    for _ in range(steps):
        w1, b1, w2, b2 = params
        h = np.tanh(x_train @ w1 + b1)
        err = h @ w2 + b2 - y_train
        train_loss.append(float((err**2).mean()))
        val_pred = np.tanh(x_val @ w1 + b1) @ w2 + b2
        val_loss.append(float(((val_pred - y_val) ** 2).mean()))
        d_out = 2 * err / len(x_train)
        d_h = (d_out @ w2.T) * (1 - h**2)
        grads = [x_train.T @ d_h, d_h.sum(0), h.T @ d_out, d_out.sum(0)]
        for i, g in enumerate(grads):
            velocities[i] = 0.9 * velocities[i] - 0.05 * g
            params[i] = params[i] + velocities[i]
    return np.array(train_loss), np.array(val_loss)


@figure("neural-network-fundamentals-loss-curves")
def loss_curves():
    import matplotlib.pyplot as plt

    train, val = _overfit_curves()
    best = int(val.argmin())
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    # About 100 log-spaced steps: the early minimum stays visible, and under matplotlib's 128-vertex
    # threshold no path simplification (whose choice of vertices follows the data's last bits) runs.
    steps = np.unique(np.geomspace(1, train.size, 100).astype(int))
    ax.plot(steps, train[steps - 1], label="training MSE (16 points)", color="tab:blue")
    ax.plot(steps, val[steps - 1], label="validation MSE (200 points)", color="tab:orange")
    ax.axvline(best + 1, color="0.3", ls="--", lw=1)
    ax.annotate(
        f"early stop: step {best + 1}, val {val[best]:.3f}",
        xy=(best + 1, val[best]),
        xytext=((best + 1) * 4, val[best] * 2.2),
        arrowprops={"arrowstyle": "->"},
        fontsize=9,
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("full-batch gradient-descent step (momentum 0.9), log scale")
    ax.set_ylabel("mean squared error")
    ax.set_title(f"A 64-unit MLP fits noise: final train {train[-1]:.3f}, final val {val[-1]:.3f}")
    ax.legend(fontsize=8, loc="lower left")
    return fig


@figure("cnn-spectrograms-architecture")
def cnn_architecture():
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    rng = np.random.default_rng(5)
    n_mels, n_frames = 40, 100
    spec = 0.3 * rng.random((n_mels, n_frames))
    for k in (6, 12, 18, 24):  # a harmonic stack that starts at frame 30
        spec[k, 30:80] += 1.0 - 0.02 * k
    spec[:, 55:58] += 0.6  # a broadband click
    fig, ax = plt.subplots(figsize=(9, 3.6))
    spectrogram(ax, spec, extent=(0, 2.2, 0.3, 2.5), cmap="magma", interpolation="none")
    ax.text(1.1, 0.1, "log-mel input\n1 × 40 mels × 100 frames", ha="center", va="top", fontsize=8)
    ax.add_patch(Rectangle((0.6, 1.0), 0.15, 0.15, fill=False, ec="cyan", lw=1.5))
    blocks = [
        (2.6, "conv 3×3\n32 ch, BN,\nReLU,\npool 2×2", "32 × 20 × 50", 2.0),
        (4.2, "conv 3×3\n64 ch, BN,\nReLU,\npool 2×2", "64 × 10 × 25", 1.5),
        (5.8, "conv 3×3\n128 ch,\nBN, ReLU", "128 × 10 × 25", 1.1),
        (7.4, "mean over\nfreq; mean\n+ max over\ntime", "128 (any length)", 0.9),
        (9.0, "linear +\nsoftmax", "n classes", 0.6),
    ]
    previous = 2.2
    for x, label, shape, height in blocks:
        y0 = 1.4 - height / 2
        ax.add_patch(Rectangle((x, y0), 1.2, height, fc="#c6dbef", ec="black"))
        ax.text(x + 0.6, 1.4, label, ha="center", va="center", fontsize=7)
        ax.text(x + 0.6, y0 - 0.08, shape, ha="center", va="top", fontsize=7.5, color="0.25")
        link(ax, (previous + 0.05, 1.4), (x - 0.05, 1.4))
        previous = x + 1.2
    blank(ax, (-0.1, 10.3), (-0.3, 2.6))
    ax.set_title("A small CNN on a log-mel spectrogram (cyan: one 3×3 kernel's first receptive field)")
    return fig


@figure("rnn-sequence-models-padding-mask")
def padding_mask():
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    lengths = [12, 9, 5, 3]
    max_len = max(lengths)
    mask = np.array([[1 if t < n else 0 for t in range(max_len)] for n in lengths])
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    ax.imshow(mask, cmap=ListedColormap(["#eeeeee", "#6baed6"]), aspect="auto", vmin=0, vmax=1)
    for b, n in enumerate(lengths):
        ax.text(n - 1, b, "last", ha="center", va="center", fontsize=7, color="white")
        padded = max_len - n
        if padded:
            ax.text(
                n + padded / 2 - 0.5,
                b,
                f"{padded} padded frames: mask them",
                ha="center",
                va="center",
                fontsize=7.5,
            )
    ax.set_yticks(range(len(lengths)), [f"clip {b + 1} (len {n})" for b, n in enumerate(lengths)])
    ax.set_xticks(range(max_len))
    ax.set_xlabel("frame index in the padded batch")
    share = 1 - mask.mean()
    ax.set_title(
        f"A padded batch: {100 * share:.0f}% of the frames are padding, the state to use is at 'last'"
    )
    return fig


@figure("attention-transformers-attention-map")
def attention_map():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(6)
    n, d = 24, 16
    positions = np.arange(n)[:, None]
    freqs = 1.0 / (10.0 ** (np.arange(d // 2) / (d // 2)))
    pos = np.concatenate([np.sin(positions * freqs), np.cos(positions * freqs)], axis=1)
    content = rng.standard_normal((n, d))
    content[15:19] = content[4]  # frames 15-18 repeat the sound at frame 4
    x = pos + 0.8 * content
    scores = x @ x.T / np.sqrt(d)
    scores -= scores.max(axis=1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=1, keepdims=True)
    fig, ax = plt.subplots(figsize=(5.2, 4.4))
    image = ax.imshow(weights, cmap="viridis")
    fig.colorbar(image, ax=ax, label="softmax weight")
    label_axes(ax, x="key frame j", y="query frame i", title="softmax(QKᵀ/√d): rows sum to 1", title_size=10)
    return fig


@figure("audio-embeddings-cosine-similarity")
def cosine_similarity():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(7)
    classes, per_class, dim = 4, 6, 64
    centres = rng.standard_normal((classes, dim))
    emb = np.repeat(centres, per_class, axis=0) + 0.9 * rng.standard_normal((classes * per_class, dim))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    sim = emb @ emb.T
    labels = np.repeat(np.arange(classes), per_class)
    same = labels[:, None] == labels[None, :]
    off_diag = ~np.eye(len(labels), dtype=bool)
    fig, ax = plt.subplots(figsize=(5.4, 4.4))
    image = ax.imshow(sim, cmap="RdBu_r", vmin=-1, vmax=1)
    fig.colorbar(image, ax=ax, label="cosine similarity")
    ticks = np.arange(classes) * per_class + per_class / 2 - 0.5
    ax.set_xticks(ticks, [f"class {c + 1}" for c in range(classes)])
    ax.set_yticks(ticks, [f"class {c + 1}" for c in range(classes)])
    ax.set_title(
        f"mean cosine: same class {sim[same & off_diag].mean():.2f}, different {sim[~same].mean():.2f}",
        fontsize=9,
    )
    return fig


@figure("data-augmentation-specaugment")
def specaugment():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(8)
    n_mels, n_frames = 64, 160
    spec = -4 + 0.5 * rng.standard_normal((n_mels, n_frames))
    f0_track = 8 + 3 * np.sin(np.linspace(0, 3 * np.pi, n_frames))
    for harmonic in range(1, 6):
        rows = np.clip((harmonic * f0_track).astype(int), 0, n_mels - 1)
        spec[rows, np.arange(n_frames)] += 4 / harmonic
    spec[:, 60:62] += 2.0
    masked = spec.copy()
    fill = spec.mean()
    for start, width in ((20, 6), (41, 4)):
        masked[start : start + width, :] = fill
    for start, width in ((30, 14), (110, 10)):
        masked[:, start : start + width] = fill
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True)
    for ax, data, title in zip(
        axes, (spec, masked), ("input log-mel", "2 frequency + 2 time masks"), strict=True
    ):
        spectrogram(ax, data, cmap="magma", interpolation="none")
        label_axes(ax, x="frame", title=title)
    axes[0].set_ylabel("mel band")
    return fig


def _machine_scores() -> dict[str, np.ndarray]:
    """Simulate log-mel frames of a machine and score them by PCA reconstruction error.

    Same recipe as the runnable block in the audio-anomaly-detection lesson.
    """
    rng = np.random.default_rng(0)
    bands = np.arange(32)

    def clips(n: int, shift: float, fault: bool) -> np.ndarray:
        peaks = sum(np.exp(-0.5 * ((bands - (c + shift)) / 1.2) ** 2) for c in (5, 10, 15, 20))
        load = rng.uniform(0.5, 1.5, (n, 1))  # operating load scales the harmonic peaks
        x = -6 + 3 * load * peaks + 0.3 * rng.standard_normal((n, 32))
        if fault:  # a worn bearing adds a narrow band near band 25
            x += rng.uniform(0.6, 1.4, (n, 1)) * np.exp(-0.5 * ((bands - 25) / 1.0) ** 2)
        return x

    train = clips(1000, 0.0, False)
    mean = train.mean(axis=0)
    _, _, vt = np.linalg.svd(train - mean, full_matrices=False)
    basis = vt[:2]

    def score(x: np.ndarray) -> np.ndarray:
        centred = x - mean
        return ((centred - centred @ basis.T @ basis) ** 2).mean(axis=1)

    return {
        "source normal": score(clips(200, 0.0, False)),
        "source anomalous": score(clips(200, 0.0, True)),
        "target normal": score(clips(200, 0.7, False)),
        "target anomalous": score(clips(200, 0.7, True)),
    }


def _roc(normal: np.ndarray, anomalous: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    thresholds = np.sort(np.concatenate([normal, anomalous]))[::-1]
    fpr = np.concatenate([[0.0], [(normal >= t).mean() for t in thresholds]])
    tpr = np.concatenate([[0.0], [(anomalous >= t).mean() for t in thresholds]])
    return fpr, tpr


def _auc(fpr: np.ndarray, tpr: np.ndarray, max_fpr: float = 1.0) -> float:
    keep = fpr <= max_fpr
    x = np.append(fpr[keep], max_fpr)
    y = np.append(tpr[keep], tpr[keep][-1])
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2) / max_fpr)


@figure("audio-anomaly-detection-scores-roc")
def anomaly_scores_roc():
    import matplotlib.pyplot as plt

    scores = _machine_scores()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    bins = np.linspace(0, max(s.max() for s in scores.values()), 40)
    styles = {
        "source normal": ("tab:blue", "stepfilled", 0.4),
        "source anomalous": ("tab:red", "stepfilled", 0.4),
        "target normal": ("tab:cyan", "step", 1.0),
        "target anomalous": ("tab:orange", "step", 1.0),
    }
    for name, values in scores.items():
        colour, kind, alpha = styles[name]
        axes[0].hist(values, bins=bins, histtype=kind, color=colour, alpha=alpha, lw=1.5, label=name)
    label_axes(axes[0], x="anomaly score (reconstruction MSE)", y="clips")
    axes[0].legend(fontsize=8)
    axes[0].set_title("Scores from a model fitted on source normals", fontsize=10)
    for domain, colour in (("source", "tab:blue"), ("target", "tab:orange")):
        fpr, tpr = _roc(scores[f"{domain} normal"], scores[f"{domain} anomalous"])
        label = f"{domain}: AUC {_auc(fpr, tpr):.3f}, pAUC {_auc(fpr, tpr, 0.1):.3f}"
        axes[1].plot(fpr, tpr, color=colour, label=label)
    axes[1].axvspan(0, 0.1, color="0.9")
    axes[1].plot([0, 1], [0, 1], color="0.6", ls=":")
    axes[1].set_xlabel("false positive rate (normal clips flagged)")
    axes[1].set_ylabel("true positive rate")
    axes[1].set_title("ROC; grey band is the pAUC region (FPR ≤ 0.1)", fontsize=10)
    axes[1].legend(fontsize=8, loc="lower right")
    return fig
