"""Figures for the classical machine learning phase (HMM/GMM, clustering, features, folds, onsets)."""

from __future__ import annotations

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, label_axes

# The tiny left-to-right phone HMM worked through in the hmm-gmm lesson (same numbers).
HMM_TRANS = np.array([[0.6, 0.4, 0.0], [0.0, 0.7, 0.3], [0.0, 0.0, 1.0]])
HMM_EMIT = np.array(  # b_j(o_t): rows are states, columns are frames
    [[0.8, 0.5, 0.1, 0.1], [0.1, 0.4, 0.6, 0.2], [0.1, 0.1, 0.3, 0.7]]
)


def _viterbi(trans: np.ndarray, emit: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Return delta (states x frames) and the best path, starting in state 0."""
    n, t_len = emit.shape
    delta = np.zeros((n, t_len))
    back = np.zeros((n, t_len), dtype=int)
    delta[0, 0] = emit[0, 0]
    for t in range(1, t_len):
        scores = delta[:, t - 1, None] * trans  # from i (rows) to j (columns)
        back[:, t] = scores.argmax(axis=0)
        delta[:, t] = scores.max(axis=0) * emit[:, t]
    path = [n - 1]  # the phone must end in its last state
    for t in range(t_len - 1, 0, -1):
        path.append(int(back[path[-1], t]))
    return delta, path[::-1]


@figure("hmm-gmm-viterbi-trellis")
def hmm_trellis():
    import matplotlib.pyplot as plt

    delta, path = _viterbi(HMM_TRANS, HMM_EMIT)
    n, t_len = HMM_EMIT.shape
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    for t in range(t_len - 1):
        for i in range(n):
            for j in range(n):
                if HMM_TRANS[i, j] > 0:
                    arrow(ax, (t, i), (t + 1, j), color="0.75", shrinkA=14, shrinkB=14)
    for t in range(t_len - 1):
        arrow(
            ax,
            (t, path[t]),
            (t + 1, path[t + 1]),
            arrowstyle="-|>",
            color="tab:red",
            lw=2.2,
            shrinkA=14,
            shrinkB=14,
        )
    for t in range(t_len):
        for j in range(n):
            on_path = path[t] == j
            ax.scatter(
                t, j, s=900, facecolor="mistyrose" if on_path else "white", edgecolor="black", zorder=3
            )
            label = f"{delta[j, t]:.3g}" if delta[j, t] > 0 else "0"
            ax.text(t, j, label, ha="center", va="center", fontsize=8, zorder=4)
    ax.set_xticks(range(t_len), [f"frame {t + 1}" for t in range(t_len)])
    ax.set_yticks(range(n), ["state 1 (begin)", "state 2 (middle)", "state 3 (end)"])
    ax.set_xlim(-0.5, t_len - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_title("Viterbi trellis: δ_t(j) in each node, best path 1-1-2-3 in red")
    return fig


@figure("hmm-gmm-gaussian-mixture-contours")
def gmm_contours():
    import matplotlib.pyplot as plt
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(0)
    # One HMM state's 2-D features pooled over speakers: three sub-populations, not one blob.
    centres = np.array([[-2.0, 1.0], [1.5, 2.0], [0.5, -1.5]])
    scales = np.array([[0.6, 0.4], [0.5, 0.7], [0.8, 0.35]])
    points = np.concatenate(
        [c + s * rng.standard_normal((150, 2)) for c, s in zip(centres, scales, strict=True)]
    )
    grid_x, grid_y = np.meshgrid(np.linspace(-4, 4, 80), np.linspace(-3.5, 4, 80))
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharey=True)
    for ax, k in zip(axes, (1, 3), strict=True):
        gmm = GaussianMixture(n_components=k, covariance_type="diag", random_state=0).fit(points)
        log_density = gmm.score_samples(grid).reshape(grid_x.shape)
        ax.scatter(points[:, 0], points[:, 1], s=4, color="0.55", rasterized=True)
        ax.contour(grid_x, grid_y, log_density, levels=np.linspace(-9, -1.5, 7), cmap="viridis")
        ax.scatter(gmm.means_[:, 0], gmm.means_[:, 1], marker="x", color="tab:red", s=60)
        ax.set_title(f"{k} diagonal Gaussian{'s' if k > 1 else ''}: mean log-lik {gmm.score(points):.2f}")
        ax.set_xlabel("feature 1 (e.g. c1)")
    axes[0].set_ylabel("feature 2 (e.g. c2)")
    return fig


@figure("audio-clustering-kmeans-vs-gmm")
def kmeans_vs_gmm():
    import matplotlib.pyplot as plt
    from sklearn.cluster import KMeans
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(1)
    stretch = np.array([[2.2, 0.0], [0.0, 0.3]])
    a = rng.standard_normal((200, 2)) @ stretch + [0.0, 0.0]
    b = rng.standard_normal((200, 2)) @ stretch + [0.0, 1.6]
    points = np.concatenate([a, b])
    truth = np.repeat([0, 1], 200)
    km = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(points)
    gm = GaussianMixture(
        n_components=2, covariance_type="full", n_init=10, init_params="random_from_data", random_state=0
    ).fit_predict(points)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
    for ax, labels, name in zip(
        axes, (km, gm), ("k-means (spherical)", "GMM (full covariance)"), strict=True
    ):
        agree = max((labels == truth).mean(), (labels != truth).mean())
        ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="coolwarm", s=5, rasterized=True)
        ax.set_title(f"{name}\n{100 * agree:.0f}% of points match the true groups", fontsize=9)
        ax.set_xlabel("feature 1")
    axes[0].set_ylabel("feature 2")
    return fig


@figure("audio-feature-engineering-standardisation")
def standardisation():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(2)
    n = 60
    centroid_hz = np.concatenate([rng.normal(1500, 300, n), rng.normal(2600, 300, n)])
    zcr = np.concatenate([rng.normal(0.05, 0.01, n), rng.normal(0.12, 0.01, n)])
    labels = np.repeat([0, 1], n)
    raw = np.column_stack([centroid_hz, zcr])
    z = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4))
    axes[0].scatter(raw[:, 0], raw[:, 1], c=labels, cmap="coolwarm", s=8)
    axes[0].set_xlabel("spectral centroid (Hz)")
    axes[0].set_ylabel("zero-crossing rate")
    axes[0].set_title("Raw units, axes to scale: ZCR is invisible", fontsize=10)
    axes[0].set_xlim(0, 4000)
    axes[0].set_ylim(-2000, 2000)
    axes[0].set_aspect("equal")  # what a Euclidean distance sees
    axes[1].scatter(z[:, 0], z[:, 1], c=labels, cmap="coolwarm", s=8)
    label_axes(axes[1], x="centroid (z-score)", y="ZCR (z-score)", title="Standardised: both features count")
    axes[1].set_aspect("equal")
    return fig


@figure("classical-classifiers-grouped-folds")
def grouped_folds():
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    rng = np.random.default_rng(3)
    n_recordings, n_clips = 8, 6
    random_split = (rng.random((n_recordings, n_clips)) < 0.25).astype(int)
    grouped = np.zeros((n_recordings, n_clips), dtype=int)
    grouped[[2, 5]] = 1
    cmap = ListedColormap(["#9ecae1", "#fd8d3c"])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), sharey=True)
    for ax, split, title in zip(
        axes,
        (random_split, grouped),
        ("Random clip split: recordings leak", "Grouped (official folds): no leak"),
        strict=True,
    ):
        ax.imshow(split, cmap=cmap, vmin=0, vmax=1, aspect="auto")
        leaked = int(((split == 1).any(axis=1) & (split == 0).any(axis=1)).sum())
        ax.set_title(f"{title}\n{leaked} of {n_recordings} recordings in both sets", fontsize=9)
        ax.set_xticks(range(n_clips), [str(c + 1) for c in range(n_clips)])
        ax.set_xlabel("clip cut from the recording")
    axes[0].set_yticks(range(n_recordings), [f"rec {r + 1}" for r in range(n_recordings)])
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#9ecae1", "#fd8d3c")]
    axes[1].legend(handles, ["train", "test"], loc="upper right", bbox_to_anchor=(1.35, 1.0))
    return fig


@figure("onset-detection-spectral-flux")
def spectral_flux():
    import matplotlib.pyplot as plt
    from scipy.signal import find_peaks, stft

    sr = 8000
    onsets = [0.15, 0.55, 0.8, 1.3]
    freqs = [440.0, 660.0, 330.0, 550.0]
    t = np.arange(int(1.6 * sr)) / sr
    rng = np.random.default_rng(4)
    y = 0.01 * rng.standard_normal(t.size)
    for onset, f0 in zip(onsets, freqs, strict=True):
        active = t >= onset
        env = np.exp(-(t - onset) / 0.12) * active
        y += env * (np.sin(2 * np.pi * f0 * t) + 0.5 * np.sin(4 * np.pi * f0 * t))
    hop = 128
    _, frame_t, spec = stft(y, fs=sr, nperseg=512, noverlap=512 - hop, boundary=None)
    log_mag = np.log1p(100 * np.abs(spec))
    flux = np.maximum(np.diff(log_mag, axis=1), 0).sum(axis=0)
    flux /= flux.max()
    flux_t = frame_t[1:]
    threshold = 0.1 + np.convolve(flux, np.ones(15) / 15, mode="same")
    peaks, _ = find_peaks(flux, height=threshold, distance=int(0.1 * sr / hop))
    fig, axes = plt.subplots(2, 1, figsize=(8, 4), sharex=True)
    axes[0].plot(t, y, lw=0.5, color="0.3", rasterized=True)
    label_axes(axes[0], y="amplitude", title="Four decaying notes and their spectral-flux novelty curve")
    axes[1].plot(flux_t, flux, color="tab:blue", label="spectral flux")
    axes[1].plot(flux_t, threshold, color="tab:green", ls="--", label="adaptive threshold")
    axes[1].plot(flux_t[peaks], flux[peaks], "v", color="tab:red", label="picked onsets")
    for ax in axes:
        for onset in onsets:
            ax.axvline(onset, color="tab:orange", lw=0.8, ls=":")
    label_axes(axes[1], x="time (s); dotted lines are the true onsets", y="novelty (normalised)")
    axes[1].legend(loc="upper right", fontsize=8)
    return fig
