"""Resample 48 kHz to 16 kHz without aliasing, scored against the ideal band-limited signal."""

import numpy as np

from webapp.challenges.catalog.base import (
    Challenge,
    Pack,
    Score,
    SubmissionError,
    read_wav,
    require_files,
    wav_bytes,
)

SOURCE_SR, TARGET_SR, SECONDS = 48_000, 16_000, 3.0
ALIAS_GUARD_HZ = 9_000  # tones above this fold back into the 16 kHz band if not filtered away


def _tones(spec: list[dict], sr: int) -> np.ndarray:
    t = np.arange(int(SECONDS * sr)) / sr
    return sum(tone["amp"] * np.sin(2 * np.pi * tone["hz"] * t + tone["phase"]) for tone in spec)


class Resampling(Challenge):
    slug = "resampling"
    topic = "sampling-nyquist"
    title = "Resample without aliasing"
    task = (
        "`data/tones_48k.wav` is 3 s at 48 kHz: tones inside the 0–8 kHz band that a 16 kHz signal can hold, "
        "and tones above 9 kHz that it cannot. Resample it to 16 kHz so that the in-band tones survive "
        "unchanged and nothing above 8 kHz folds back into the band (no aliasing)."
    )
    submission_format = "One mono WAV, `resampled.wav`, at 16,000 Hz, 48,000 samples long (±2)."
    metric = "SNR against the ideal band-limited 16 kHz signal (aliasing and pass-band errors both count)"
    unit = " dB"
    threshold = 30.0
    baseline_method = "librosa.resample (soxr_hq); decimating by keeping every third sample is what fails"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        in_band = [{"hz": float(rng.uniform(200, 6500)), "amp": float(rng.uniform(0.05, 0.2)),
                    "phase": float(rng.uniform(0, 2 * np.pi))} for _ in range(4)]  # fmt: skip
        above = [{"hz": float(rng.uniform(ALIAS_GUARD_HZ, 22_000)), "amp": float(rng.uniform(0.05, 0.2)),
                  "phase": float(rng.uniform(0, 2 * np.pi))} for _ in range(4)]  # fmt: skip
        audio = _tones(in_band + above, SOURCE_SR)
        return Pack(
            files={"tones_48k.wav": wav_bytes(audio, SOURCE_SR)},
            reference={"in_band": in_band, "above": above},
            sources="Pure tones synthesised for this pack (no recording), free to use.",
        )

    def score(self, submission, reference, progress=None) -> Score:
        require_files(submission, ["resampled.wav"])
        audio, _ = read_wav(submission["resampled.wav"], name="resampled.wav", expect_sr=TARGET_SR)
        ideal = _tones(reference["in_band"], TARGET_SR)
        if abs(audio.size - ideal.size) > 2:
            raise SubmissionError(f"resampled.wav has {audio.size} samples; {ideal.size} (±2) expected.")
        n = min(audio.size, ideal.size)
        edge = TARGET_SR // 20  # the first and last 50 ms: filters ring at the edges of any finite signal
        error = audio[edge : n - edge] - ideal[edge : n - edge]
        signal_power = float(np.mean(ideal[edge : n - edge] ** 2))
        snr = 10 * np.log10(signal_power / max(float(np.mean(error**2)), 1e-20))
        aliases = [_alias_level(audio[:n], tone, signal_power) for tone in reference["above"]]
        return Score(
            value=round(snr, 2),
            passed=self.passes(snr),
            breakdown={"snr_db": round(snr, 2), "aliases": aliases},
        )

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        import librosa

        audio, sr = read_wav(pack.files["tones_48k.wav"], name="tones_48k.wav")
        return {
            "resampled.wav": wav_bytes(librosa.resample(audio, orig_sr=sr, target_sr=TARGET_SR), TARGET_SR)
        }


def _alias_level(audio: np.ndarray, tone: dict, signal_power: float) -> dict:
    """Where an out-of-band tone would fold to at 16 kHz, and how loud the submission is there."""
    folded = abs(((tone["hz"] + TARGET_SR / 2) % TARGET_SR) - TARGET_SR / 2)
    t = np.arange(audio.size) / TARGET_SR
    window = np.hanning(audio.size)
    amplitude = 2 * abs(np.sum(audio * window * np.exp(-2j * np.pi * folded * t))) / np.sum(window)
    level = 20 * np.log10(max(amplitude, 1e-10) / np.sqrt(2 * signal_power))
    return {"tone_hz": round(tone["hz"]), "folds_to_hz": round(folded), "level_db": round(float(level), 1)}
