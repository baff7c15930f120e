"""Figures for the diarization demo: a who-spoke-when timeline and the DER parts (Agg)."""

from demos.diarization.der import DerParts
from demos.diarization.rttm import SpeakerTurn


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def timeline_figure(
    hypothesis: list[SpeakerTurn], duration: float, reference: list[SpeakerTurn] | None = None
):
    """One lane per speaker: the system's speakers, then (greyed label) the reference's."""
    plt = _pyplot()
    lanes: list[tuple[str, list[SpeakerTurn], str]] = []
    cmap = plt.get_cmap("tab10")
    for i, speaker in enumerate(dict.fromkeys(t.speaker for t in hypothesis)):
        lanes.append((f"system: {speaker}", [t for t in hypothesis if t.speaker == speaker], cmap(i % 10)))
    for speaker in dict.fromkeys(t.speaker for t in reference or []):
        lanes.append((f"reference: {speaker}", [t for t in reference if t.speaker == speaker], "#777777"))
    fig, ax = plt.subplots(figsize=(10, 0.6 * max(len(lanes), 1) + 1.4), constrained_layout=True)
    for row, (_, turns, colour) in enumerate(lanes):
        ax.broken_barh([(t.start, t.end - t.start) for t in turns], (row - 0.4, 0.8), color=colour)
    ax.set_yticks(range(len(lanes)), [label for label, _, _ in lanes])
    ax.invert_yaxis()
    ax.set(title="Who spoke when", xlabel="time (s)", xlim=(0, max(duration, 1e-3)))
    ax.grid(axis="x", alpha=0.3)
    return fig


def der_figure(parts: DerParts):
    plt = _pyplot()
    names = ("missed speech", "false alarm", "speaker confusion")
    values = [100 * parts.rate(p) for p in ("missed", "false_alarm", "confusion")]
    fig, ax = plt.subplots(figsize=(6.5, 2.8), constrained_layout=True)
    left = 0.0
    for name, value, colour in zip(names, values, ("#3b2f80", "#f6a400", "#b42318"), strict=True):
        ax.barh([0], [value], left=left, color=colour, label=f"{name} {value:.1f} %")
        left += value
    ax.set(title=f"DER {100 * parts.der:.1f} % and its parts", xlabel="% of reference speech", yticks=[])
    ax.set_xlim(0, max(left * 1.15, 5))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=3, fontsize=8)
    return fig
