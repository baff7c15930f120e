"""Figures for the music AI phase."""

from __future__ import annotations

import itertools

import numpy as np

from curriculum.figures import figure
from curriculum.figures._plot import arrow, blank_axes, box, label_axes

# (onset s, offset s, MIDI pitch): a short C-major phrase used as the reference transcription
REFERENCE_NOTES = [
    (0.0, 0.5, 60),
    (0.5, 1.0, 64),
    (1.0, 1.5, 67),
    (1.5, 2.5, 72),
    (1.5, 2.5, 64),
    (2.5, 3.0, 65),
]
# a plausible estimate: one late onset, one octave error, one missed note, one short offset, one extra note
ESTIMATED_NOTES = [
    (0.02, 0.48, 60),
    (0.58, 1.0, 64),
    (1.01, 1.5, 79),
    (1.52, 2.45, 72),
    (2.51, 2.7, 65),
    (2.0, 2.1, 50),
]


def _hz(midi: np.ndarray) -> np.ndarray:
    return 440.0 * 2 ** ((np.asarray(midi, dtype=float) - 69) / 12)


@figure("music-transcription-piano-roll")
def piano_roll():
    import matplotlib.pyplot as plt
    import mir_eval
    from matplotlib.patches import Rectangle

    ref = np.array(REFERENCE_NOTES, dtype=float)
    est = np.array(ESTIMATED_NOTES, dtype=float)
    matches = mir_eval.transcription.match_notes(
        ref[:, :2], _hz(ref[:, 2]), est[:, :2], _hz(est[:, 2]), onset_tolerance=0.05, offset_ratio=None
    )
    matched_est = {e for _, e in matches}
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    for on, off, pitch in ref:
        ax.add_patch(Rectangle((on, pitch - 0.45), off - on, 0.9, fc="none", ec="black", lw=1.5))
    for i, (on, off, pitch) in enumerate(est):
        colour = "tab:green" if i in matched_est else "tab:red"
        ax.add_patch(Rectangle((on, pitch - 0.3), off - on, 0.6, fc=colour, alpha=0.6))
    ax.set_xlim(-0.1, 3.2)
    ax.set_ylim(47, 82)
    label_axes(ax, x="time (s)", y="MIDI pitch")
    ax.plot([], [], color="black", lw=1.5, label="reference note (outline)")
    ax.plot(
        [], [], color="tab:green", lw=6, alpha=0.6, label="estimate matched (onset ±50 ms, pitch ±50 cents)"
    )
    ax.plot([], [], color="tab:red", lw=6, alpha=0.6, label="estimate unmatched")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.set_title(
        f"Onset-only matching: {len(matches)} of {len(est)} estimates match {len(ref)} reference notes"
    )
    return fig


def _yin(y: np.ndarray, sr: int, frame: int, hop: int, fmin: float, fmax: float) -> np.ndarray:
    """Plain YIN (difference function, cumulative-mean normalisation, 0.15 threshold); NaN when unvoiced.

    Written in numpy rather than calling librosa so the figure needs no JIT-compiled code.
    """
    lags = np.arange(int(sr / fmax), int(sr / fmin) + 1)
    f0 = []
    for start in range(0, len(y) - frame - lags[-1], hop):
        x = y[start : start + frame + lags[-1]]
        d = np.array([np.sum((x[:frame] - x[tau : tau + frame]) ** 2) for tau in range(lags[-1] + 1)])
        cmnd = d[1:] * np.arange(1, len(d)) / np.maximum(np.cumsum(d[1:]), 1e-12)
        cmnd = np.concatenate([[1.0], cmnd])
        below = np.where(cmnd[lags] < 0.15)[0]
        if len(below) == 0 or np.sum(x[:frame] ** 2) < 1e-3:
            f0.append(np.nan)
            continue
        i = below[0]
        while i + 1 < len(lags) and cmnd[lags[i + 1]] < cmnd[lags[i]]:
            i += 1  # walk down to the local minimum
        tau = lags[i]
        a, b, c = cmnd[tau - 1], cmnd[tau], cmnd[tau + 1]
        shift = 0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c != 0 else 0.0  # parabolic interpolation
        f0.append(sr / (tau + shift))
    return np.array(f0)


@figure("music-transcription-pitch-contour")
def pitch_contour():
    import matplotlib.pyplot as plt

    sr, frame, hop = 8000, 256, 80
    t = np.arange(int(1.6 * sr)) / sr
    # a sung-like note: glide from A3 up to C4, then 5.5 Hz vibrato of ±40 cents
    cents = np.where(t < 0.3, -300 * (1 - t / 0.3), 40 * np.sin(2 * np.pi * 5.5 * (t - 0.3)))
    f0 = 261.63 * 2 ** (cents / 1200)
    phase = 2 * np.pi * np.cumsum(f0) / sr
    y = sum(np.sin(h * phase) / h**1.5 for h in range(1, 8)) * np.minimum(1, 10 * t)
    y[int(1.3 * sr) :] = 0.0  # silence at the end: the tracker should call it unvoiced
    est = _yin(y, sr, frame, hop, fmin=100, fmax=600)
    times = (np.arange(len(est)) * hop + frame / 2) / sr
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(t, np.where(t < 1.3, f0, np.nan), color="black", lw=1, label="true f0")
    ax.plot(times, est, "o", ms=3, color="tab:orange", label="YIN estimate (voiced frames)")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("f0 (Hz)")
    ax.set_title("YIN follows a glide and vibrato, and leaves the silent tail unvoiced", fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    return fig


def _onset_strength(y: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """Spectral flux on a log-magnitude STFT: summed positive change per frame."""
    win = np.hanning(n_fft + 1)[:-1]
    y = np.pad(y, n_fft // 2)  # centred frames: frame i describes time i * hop
    n = 1 + (len(y) - n_fft) // hop
    frames = np.stack([y[i * hop : i * hop + n_fft] * win for i in range(n)], axis=1)
    logmag = np.log1p(100 * np.abs(np.fft.rfft(frames, axis=0)))
    flux = np.maximum(0.0, np.diff(logmag, axis=1)).sum(axis=0)
    return np.concatenate([[0.0], flux])


def _dp_beats(env: np.ndarray, period: float, alpha: float = 100.0) -> list[int]:
    """Ellis-style dynamic programming: onset strength plus a log-squared penalty on beat gaps."""
    score = env.copy()
    back = np.full(len(env), -1)
    for t in range(len(env)):
        lo, hi = max(0, int(t - 2 * period)), int(t - period / 2)
        if hi <= lo:
            continue
        prev = np.arange(lo, hi)
        cand = score[prev] - alpha * np.log((t - prev) / period) ** 2
        back[t], score[t] = prev[np.argmax(cand)], env[t] + cand.max()
    beats = [int(np.argmax(score[-int(period) :]) + len(env) - int(period))]
    while back[beats[-1]] >= 0:
        beats.append(int(back[beats[-1]]))
    return beats[::-1]


@figure("beat-tracking-onset-strength")
def onset_strength_beats():
    import matplotlib.pyplot as plt

    sr, n_fft, hop, bpm = 8000, 512, 200, 120  # 40 frames per second: a beat every 20 frames
    rng = np.random.default_rng(6)
    y = np.zeros(int(6 * sr))
    period = 60 / bpm
    kick = np.exp(-np.arange(1000) / 150) * np.sin(2 * np.pi * 60 * np.arange(1000) / sr)
    kick[:40] += rng.standard_normal(40)  # the beater's click: a broadband attack
    hat = rng.standard_normal(300) * np.exp(-np.arange(300) / 40) * 0.05
    for k in range(int(6 / period)):
        start = int(k * period * sr)
        y[start : start + len(kick)] += kick
        off = int((k + 0.5) * period * sr)
        if off + len(hat) < len(y):
            y[off : off + len(hat)] += hat
    env = _onset_strength(y, n_fft, hop)
    env = env / env.max()
    fps = sr / hop
    lags = np.arange(int(fps * 60 / 200), int(fps * 60 / 50))  # 50-200 BPM
    ac = np.array([np.dot(env[:-lag], env[lag:]) / (len(env) - lag) for lag in lags])
    prior = np.exp(-0.5 * np.log2(60 * fps / lags / 120) ** 2)  # log-Gaussian tempo prior around 120 BPM
    best_lag = lags[np.argmax(ac * prior)]
    beats = np.array(_dp_beats(env, best_lag)) / fps
    times = np.arange(len(env)) / fps
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    ax.plot(times, env, lw=1, label="onset strength (spectral flux)")
    for i, b in enumerate(beats):
        ax.axvline(b, color="tab:red", ls="--", lw=1, label="tracked beat" if i == 0 else None)
    reference = np.arange(0, 6, period)
    ax.plot(reference, np.full_like(reference, 1.05), "k^", ms=6, label="true beat (kick)")
    label_axes(ax, x="time (s)", y="onset strength")
    ax.set_ylim(0, 1.15)
    ax.set_title(
        f"Autocorrelation tempo: {60 * fps / best_lag:.0f} BPM; beats placed by dynamic programming",
        fontsize=10,
    )
    ax.legend(frameon=False, fontsize=8, loc="upper center", ncols=3, bbox_to_anchor=(0.5, -0.22))
    return fig


@figure("music-generation-codec-lm")
def codec_lm():
    fig, ax = blank_axes((10, 3.2), (0, 20), (0, 5))
    stages = [
        (0.2, "text prompt\n'calm lo-fi piano'", "#eeeeee"),
        (4.2, "frozen text\nencoder (T5)", "#d9ead3"),
        (8.2, "autoregressive\nTransformer decoder\n(cross-attends\nto the text)", "#cfe2f3"),
        (12.2, "codec tokens\n4 codebooks × 50 Hz", "#fff2cc"),
        (16.2, "codec decoder\n(EnCodec) → waveform", "#fce5cd"),
    ]
    for x, text, colour in stages:
        box(ax, (x, 1.6), 3.4, 1.8, text, fc=colour, pad=0.1, fontsize=8)
    for (x0, _, _), (x1, _, _) in itertools.pairwise(stages):
        arrow(ax, (x0 + 3.5, 2.5), (x1 - 0.1, 2.5))
    arrow(ax, (13.9, 1.5), (9.9, 1.5), connectionstyle="arc3,rad=-0.4", color="tab:blue")
    ax.text(11.9, 0.35, "each sampled step is fed back as input", ha="center", fontsize=8, color="tab:blue")
    ax.set_title("Text-to-music with a codec language model (MusicGen-style)", fontsize=10)
    return fig


@figure("music-generation-delay-pattern")
def delay_pattern():
    import matplotlib.pyplot as plt

    n_codebooks, n_frames = 4, 6
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    for k in range(n_codebooks):
        for step in range(n_frames + n_codebooks - 1):
            frame = step - k  # codebook k is shifted right by k steps
            inside = 0 <= frame < n_frames
            ax.add_patch(
                plt.Rectangle(
                    (step, n_codebooks - 1 - k),
                    0.92,
                    0.85,
                    fc=f"C{k}" if inside else "#eeeeee",
                    alpha=0.7,
                    ec="none",
                )
            )
            label = f"t{frame + 1}" if inside else "pad"
            ax.text(step + 0.46, n_codebooks - 1 - k + 0.42, label, ha="center", va="center", fontsize=7)
    ax.set_xlim(0, n_frames + n_codebooks - 1)
    ax.set_ylim(0, n_codebooks)
    ax.set_yticks(
        [n_codebooks - 1 - k + 0.42 for k in range(n_codebooks)],
        [f"codebook {k + 1}" for k in range(n_codebooks)],
    )
    ax.set_xticks(
        [s + 0.46 for s in range(n_frames + n_codebooks - 1)],
        [str(s + 1) for s in range(n_frames + n_codebooks - 1)],
    )
    ax.set_xlabel("decoder step (one forward pass predicts one column)")
    ax.set_title("Delay pattern: codebook k of frame t is predicted at step t + k - 1", fontsize=10)
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.tick_params(length=0)
    return fig
