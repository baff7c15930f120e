"""The voice-conversion figure: F0 contours and average spectral envelopes of source, target and result (Agg)."""

from demos.voice_conversion.analysis import VoiceProfile

COLOURS = {"source": "#3b2f80", "target": "#f6a400", "converted": "#1b9e77"}


def profiles_figure(profiles: dict[str, VoiceProfile]):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (pitch, envelope) = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    for name, p in profiles.items():
        pitch.plot(
            p.times,
            p.f0_hz,
            color=COLOURS[name],
            linewidth=1.2,
            label=f"{name} (median {p.median_f0:.0f} Hz)",
        )
        envelope.plot(p.frequencies_hz, p.envelope_db, color=COLOURS[name], linewidth=1.2, label=name)
    pitch.set(title="F0 contours (WORLD DIO + StoneMask)", xlabel="time (s)", ylabel="F0 (Hz)")
    envelope.set(
        title="Average spectral envelope over voiced frames (CheapTrick)",
        xlabel="frequency (Hz)",
        ylabel="power (dB)",
    )
    pitch.legend(loc="upper right", fontsize=8)
    envelope.legend(loc="upper right", fontsize=8)
    return fig
