"""Noisy versions of a clean clip: a noise of a chosen kind, scaled to an exact SNR and added."""

import numpy as np

SR = 16000
HEADROOM = 0.99  # peak after mixing: 16-bit files clip at 1.0
NOISE_KINDS = {
    "white": "white noise (every frequency equally, generated)",
    "babble": "babble: six espeak-ng voices talking at once (shipped clip)",
    "music": "music: a synthesised chord sequence (shipped clip)",
    "hum": "hum: 50 Hz mains hum over a fan's rumble (shipped clip)",
}


def noise_clip(kind: str, length: int, *, seed: int = 0) -> np.ndarray:
    """`length` samples of noise at 16 kHz: white is generated; the others loop a shipped clip
    from a start point chosen by `seed` (so a run is repeatable)."""
    rng = np.random.default_rng(seed)
    if kind == "white":
        return rng.standard_normal(length)
    if kind not in NOISE_KINDS:
        raise ValueError(f"Unknown noise type '{kind}'. Choose one of: {', '.join(NOISE_KINDS)}.")
    from demos.samples import NOISE_DIR
    from workers.audio_io import load_audio

    clip = load_audio(NOISE_DIR / f"{kind}.flac", target_sr=SR).samples.astype(np.float64)
    start = int(rng.integers(0, len(clip)))
    return np.resize(np.roll(clip, -start), length)


def mix_at_snr(clean: np.ndarray, noise: np.ndarray, snr_db: float) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, the noise as added): noise power = clean power / 10^(snr/10) over the whole clip.
    If the sum would clip, both are scaled down together, which keeps the SNR."""
    clean = np.asarray(clean, dtype=np.float64)
    power = float(np.mean(clean**2))
    if power == 0.0:
        raise ValueError("The clip is silent: a signal-to-noise ratio needs some signal.")
    noise = np.asarray(noise, dtype=np.float64)[: len(clean)]
    noise = noise * np.sqrt(power / 10 ** (snr_db / 10) / np.mean(noise**2))
    noisy = clean + noise
    peak = float(np.max(np.abs(noisy)))
    scale = HEADROOM / peak if peak > HEADROOM else 1.0
    return (noisy * scale).astype(np.float32), (noise * scale).astype(np.float32)


def snr_db(clean: np.ndarray, noise: np.ndarray) -> float:
    return float(
        10
        * np.log10(np.mean(np.square(clean, dtype=np.float64)) / np.mean(np.square(noise, dtype=np.float64)))
    )
