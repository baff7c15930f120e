"""Separate music mixtures into their two sources, scored by SI-SDR improvement with the best
(permutation-invariant) assignment of estimates to sources."""

import itertools

import numpy as np
import soundfile as sf

from webapp.challenges.catalog.base import Challenge, Pack, Score, read_wav, require_files, wav_bytes
from workers.engines.samples import SAMPLES_DIR

MIXTURES, SR = 3, 16_000
SOURCE_NOTE = (
    "The separation demo's synthesised stems shipped with Soundpath (demos/samples: an additive melody "
    "over chords and a synthesised drum kit, made by the project, free to use), shifted and mixed at "
    "levels chosen for this pack."
)


def si_sdr(estimate: np.ndarray, target: np.ndarray) -> float:
    """Scale-invariant SDR in dB (Le Roux et al. 2019), both signals made zero-mean."""
    estimate, target = estimate - estimate.mean(), target - target.mean()
    scale = np.dot(estimate, target) / max(np.dot(target, target), 1e-12)
    projection = scale * target
    noise = estimate - projection
    return float(10 * np.log10(max(np.dot(projection, projection), 1e-12) / max(np.dot(noise, noise), 1e-12)))


def _stems() -> tuple[np.ndarray, np.ndarray]:
    melody, _ = sf.read(SAMPLES_DIR / "music_melody.flac", dtype="float32")
    drums, _ = sf.read(SAMPLES_DIR / "music_drums.flac", dtype="float32")
    n = min(melody.size, drums.size)
    return melody[:n], drums[:n]


class Separation(Challenge):
    slug = "separation"
    topic = "source-separation"
    title = "Pull the drums out of the mix"
    task = (
        f"`data/mix1.wav` … `mix{MIXTURES}.wav` (16 kHz) each mix a melodic part and a drum part. Separate "
        "each mixture into its two sources."
    )
    submission_format = (
        f"A zip with `mix1_a.wav`, `mix1_b.wav`, … `mix{MIXTURES}_b.wav`: the two estimated sources of each "
        "mixture, mono, 16 kHz, as long as the mixture (the order of a and b does not matter)."
    )
    metric = "SI-SDR improvement over the mixture (dB), best assignment of estimates to sources, averaged"
    unit = " dB"
    threshold = 6.0
    baseline_method = "harmonic–percussive separation with librosa.effects.hpss (median filtering)"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        melody, drums = _stems()
        files, reference = {}, {}
        for i in range(1, MIXTURES + 1):
            a = np.roll(melody, int(rng.integers(0, melody.size))) * float(rng.uniform(0.4, 0.8))
            b = np.roll(drums, int(rng.integers(0, drums.size))) * float(rng.uniform(0.4, 0.8))
            files[f"mix{i}.wav"] = wav_bytes(a + b, SR)
            reference[f"mix{i}"] = {"a": wav_bytes(a, SR), "b": wav_bytes(b, SR)}
        return Pack(files, reference, SOURCE_NOTE)

    def score(self, submission, reference, progress=None) -> Score:
        require_files(submission, [f"{m}_{s}.wav" for m in reference for s in ("a", "b")])
        improvements = {}
        for mixture, sources in sorted(reference.items()):
            truth = [read_wav(sources[k], name=k)[0] for k in ("a", "b")]
            mix = truth[0] + truth[1]
            estimates = []
            for s in ("a", "b"):
                audio, _ = read_wav(submission[f"{mixture}_{s}.wav"], name=f"{mixture}_{s}.wav", expect_sr=SR)
                estimates.append(np.pad(audio, (0, max(0, mix.size - audio.size)))[: mix.size])
            best = max(
                itertools.permutations(range(2)),
                key=lambda order: sum(si_sdr(estimates[j], truth[i]) for i, j in enumerate(order)),
            )
            gains = [si_sdr(estimates[j], truth[i]) - si_sdr(mix, truth[i]) for i, j in enumerate(best)]
            improvements[mixture] = {"si_sdri_db": [round(g, 2) for g in gains], "assignment": list(best)}
        value = round(float(np.mean([g for m in improvements.values() for g in m["si_sdri_db"]])), 2)
        return Score(value, self.passes(value), {"per_mixture": improvements})

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        import librosa

        out = {}
        for name, data in sorted(pack.files.items()):
            audio, _ = read_wav(data, name=name)
            harmonic, percussive = librosa.effects.hpss(audio)
            stem = name.removesuffix(".wav")
            out[f"{stem}_a.wav"], out[f"{stem}_b.wav"] = wav_bytes(harmonic, SR), wav_bytes(percussive, SR)
        return out
