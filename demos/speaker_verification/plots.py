"""Figures for the verification demo: the embedding map and the DET curve (matplotlib, Agg)."""

import numpy as np

from demos.speaker_verification.scoring import Eer, ErrorRates, Projection


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def projection_figure(projection: Projection, shipped: np.ndarray, speakers: tuple[str, ...], inputs: dict):
    """Shipped clips as dots coloured by speaker; `inputs` (label → embedding) as large stars."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 5.2), constrained_layout=True)
    points = projection.project(shipped)
    cmap = plt.get_cmap("tab10")
    for i, speaker in enumerate(dict.fromkeys(speakers)):
        mask = np.array(speakers) == speaker
        ax.scatter(points[mask, 0], points[mask, 1], color=cmap(i), label=speaker, s=40, alpha=0.8)
    for (label, vector), colour in zip(inputs.items(), ("#111111", "#b42318"), strict=False):
        x, y = projection.project(vector)[0]
        ax.scatter([x], [y], marker="*", s=380, color=colour, edgecolor="white", linewidth=1.2, zorder=5)
        ax.annotate(label, (x, y), xytext=(8, 8), textcoords="offset points", fontweight="bold")
    ex1, ex2 = projection.explained
    ax.set(
        title="Speaker embeddings projected on their two main directions (PCA)",
        xlabel=f"component 1 ({ex1:.0%} of the variance)",
        ylabel=f"component 2 ({ex2:.0%} of the variance)",
    )
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def det_figure(rates: ErrorRates, eer: Eer, threshold: float | None = None, at_threshold=None):
    """False reject against false accept on normal-deviate axes (the DET convention: a straight
    line when both score distributions are Gaussian)."""
    from scipy.stats import norm

    plt = _pyplot()
    clip = 0.005  # 0 and 1 sit at ±infinity on a probit axis: draw them at 0.5 % and 99.5 %
    probit = lambda p: norm.ppf(np.clip(p, clip, 1 - clip))  # noqa: E731
    fig, ax = plt.subplots(figsize=(5.6, 5.2), constrained_layout=True)
    ax.plot(probit(rates.false_accept), probit(rates.false_reject), color="#3b2f80", drawstyle="steps-post")
    ax.plot(probit([0.005, 0.995]), probit([0.005, 0.995]), color="grey", linestyle=":", linewidth=1)
    ax.scatter(
        probit([eer.rate]), probit([eer.rate]), color="#f6a400", s=70, zorder=5, label=f"EER {eer.rate:.1%}"
    )
    if at_threshold is not None:
        far, frr = at_threshold
        ax.scatter(
            probit([far]), probit([frr]), color="#b42318", marker="s", s=50, zorder=5,
            label=f"your threshold {threshold:.2f}",
        )  # fmt: skip
    ticks = np.array([0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 0.95])
    ax.set_xticks(probit(ticks), [f"{t:.0%}" for t in ticks], rotation=45)
    ax.set_yticks(probit(ticks), [f"{t:.0%}" for t in ticks])
    ax.set(
        title="DET curve over the shipped speaker set",
        xlabel="false accepts (different voices let in)",
        ylabel="false rejects (same voice turned away)",
    )
    ax.legend(loc="upper right")
    ax.grid(alpha=0.3)
    return fig
