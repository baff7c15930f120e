"""Figures for the music demo: piano rolls, beats on the onset envelope, training loss curves (Agg)."""

import numpy as np

from demos.music.beats import Beats
from demos.music.notes import PlayedNote, note_name


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def piano_roll_figure(notes: list[PlayedNote], title: str):
    """One bar per note (pitch × time), shaded by velocity; C notes labelled on the pitch axis."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 3.6), constrained_layout=True)
    for n in notes:
        ax.broken_barh(
            [(n.start, n.end - n.start)], (n.pitch - 0.4, 0.8), color=plt.cm.viridis(n.velocity / 127)
        )
    if notes:
        low, high = min(n.pitch for n in notes) - 2, max(n.pitch for n in notes) + 2
        ax.set_ylim(low, high)
        ticks = [p for p in range(low, high + 1) if p % 12 == 0] or [low + 2]
        ax.set_yticks(ticks, [note_name(p) for p in ticks])
        ax.set_xlim(0, max(n.end for n in notes) * 1.02)
    ax.set(title=title, xlabel="time (s)", ylabel="pitch")
    ax.grid(alpha=0.3)
    return fig


def beats_figure(samples: np.ndarray, sr: int, beats: Beats):
    plt = _pyplot()
    fig, axes = plt.subplots(2, 1, figsize=(10, 4.2), constrained_layout=True, sharex=True)
    axes[0].plot(np.arange(len(samples)) / sr, samples, color="#3b2f80", linewidth=0.5)
    axes[0].set(title="Waveform with the tracked beats", ylabel="amplitude")
    axes[1].plot(beats.onset_times, beats.onset_strength, color="#3b2f80")
    axes[1].set(
        title=f"Onset strength; tempo {beats.tempo_bpm:.1f} BPM", xlabel="time (s)", ylabel="onset strength"
    )
    for ax in axes:
        for t in beats.beat_times:
            ax.axvline(t, color="#f6a400", linewidth=1)
    return fig


def loss_figure(losses: list[float], version: str):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.2), constrained_layout=True)
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color="#c9c3e6", linewidth=1, label="loss per step")
    window = min(20, len(losses))
    if window > 1:
        smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
        ax.plot(steps[window - 1 :], smooth, color="#3b2f80", linewidth=2, label=f"mean of {window} steps")
    ax.set(title=f"Training loss, version {version}", xlabel="step", ylabel="cross-entropy (nats/event)")
    ax.legend(loc="upper right")
    ax.grid(alpha=0.3)
    return fig
