"""The VAD figure: waveform with each engine's segments shaded, and both score curves with the threshold."""

import numpy as np

from demos.vad.analysis import ENGINE_NAMES, HYSTERESIS, Segmentation, VadRun

COLOURS = {"silero": "#3b2f80", "webrtc": "#f6a400"}
ENVELOPE_BINS = 4000  # longer clips are drawn as a min/max envelope: same picture, far fewer points


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def envelope(samples: np.ndarray, sr: int, bins: int = ENVELOPE_BINS):
    """(times, lower, upper) of the waveform in at most `bins` columns."""
    per_bin = max(1, -(-len(samples) // bins))
    usable = len(samples) - len(samples) % per_bin
    blocks = samples[:usable].reshape(-1, per_bin) if usable else samples[np.newaxis]
    times = (np.arange(len(blocks)) * per_bin + per_bin / 2) / sr
    return times, blocks.min(axis=1), blocks.max(axis=1)


def vad_figure(samples: np.ndarray, sr: int, run: VadRun, seg: Segmentation):
    plt = _pyplot()
    fig, (wave, scores) = plt.subplots(2, 1, figsize=(10, 6.2), constrained_layout=True, sharex=True)
    times, lower, upper = envelope(samples, sr)
    wave.fill_between(times, lower, upper, color="#555555", linewidth=0.4)
    # Silero's segments shade the upper half, WebRTC's the lower half: overlaps stay readable.
    for backend, (ymin, ymax) in (("silero", (0.5, 1.0)), ("webrtc", (0.0, 0.5))):
        for i, s in enumerate(seg.segments[backend]):
            wave.axvspan(
                s.start, s.end, ymin=ymin, ymax=ymax, color=COLOURS[backend], alpha=0.25,
                label=f"{ENGINE_NAMES[backend]} speech" if i == 0 else None,
            )  # fmt: skip
    wave.set(
        title="Waveform: Silero's segments shaded above the axis, WebRTC's below",
        ylabel="amplitude",
        xlim=(0, run.duration),
    )
    wave.legend(loc="upper right")
    for backend, label in (
        ("silero", "Silero speech probability"),
        ("webrtc", f"WebRTC decision (mode {run.webrtc_mode})"),
    ):
        s = run.scores(backend)
        t = np.arange(len(s.probabilities)) * s.frame_seconds
        scores.step(t, s.probabilities, where="post", color=COLOURS[backend], label=label, linewidth=1.4)
    scores.axhline(seg.threshold, color="#b42318", linestyle="--", label=f"threshold {seg.threshold:.2f}")
    scores.axhline(
        max(seg.threshold - HYSTERESIS, 0.01), color="#b42318", linestyle=":", linewidth=1,
        label="speech ends below this (hysteresis)",
    )  # fmt: skip
    scores.set(title="Frame scores", xlabel="time (s)", ylabel="P(speech)", ylim=(-0.05, 1.08))
    scores.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize="small")
    return fig
