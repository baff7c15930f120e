"""Speech enhancement of real speech in noise, scored by wideband PESQ (with STOI and SI-SDR
improvement in the breakdown)."""

import numpy as np
import soundfile as sf

from webapp.challenges.catalog._engines import engine_output
from webapp.challenges.catalog._real_speech import SOURCE, real_sample, single_speaker_pieces
from webapp.challenges.catalog.base import Challenge, Pack, Score, read_wav, require_files, wav_bytes
from webapp.challenges.catalog.separation import si_sdr
from workers.engines.samples import SAMPLES_DIR

CLIPS, SR = 4, 16_000
NOISES = ("babble", "hum", "music")


def _noise(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "white":
        return rng.normal(0, 1, n)
    noise, _ = sf.read(SAMPLES_DIR / "noise" / f"{kind}.flac", dtype="float64")
    return np.roll(np.resize(noise, n), int(rng.integers(0, noise.size)))


class Enhancement(Challenge):
    slug = "enhancement"
    topic = "speech-enhancement"
    title = "Clean up noisy speech"
    task = (
        f"`data/noisy1.wav` … `noisy{CLIPS}.wav` (16 kHz) are real speech with babble, hum, music or white "
        "noise at 0–10 dB SNR. Remove the noise while keeping the speech natural and intelligible."
    )
    submission_format = (
        f"A zip with `enhanced1.wav` … `enhanced{CLIPS}.wav`: mono, 16 kHz, as long as the input."
    )
    metric = (
        "wideband PESQ improvement over the noisy input (ITU-T P.862.2, the pesq package), averaged over "
        "the clips; STOI and SI-SDR improvement alongside"
    )
    threshold = 0.4
    baseline_method = "the platform's default enhancement engine (see its model card)"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        audio, sr, _ = real_sample()
        pieces = [p for p in single_speaker_pieces() if p[1] - p[0] >= 1.5]
        files, reference = {}, {}
        for i in range(1, CLIPS + 1):
            start, end, _ = pieces[int(rng.integers(len(pieces)))]
            clean = audio[int(start * sr) : int(end * sr)].astype(np.float64)
            clean = clean / (np.max(np.abs(clean)) + 1e-9) * 0.5
            kind = str(rng.choice([*NOISES, "white"]))
            noise = _noise(kind, clean.size, rng)
            snr = float(rng.uniform(0, 10))
            noise *= np.sqrt(np.mean(clean**2) / (np.mean(noise**2) * 10 ** (snr / 10)))
            files[f"noisy{i}.wav"] = wav_bytes(clean + noise, sr)
            reference[f"{i}"] = {
                "clean": wav_bytes(clean, sr), "noisy": files[f"noisy{i}.wav"], "noise": kind, "snr_db": round(snr, 1),
            }  # fmt: skip
        return Pack(files, reference, SOURCE + " Noise: the enhancement demo's noise clips (synthesised by the "
                    "project: espeak-ng babble, mains hum, synthetic music) or white noise.")  # fmt: skip

    def score(self, submission, reference, progress=None) -> Score:
        from pesq import pesq
        from pystoi import stoi

        require_files(submission, [f"enhanced{i}.wav" for i in reference])
        per_clip, values = {}, []
        for i, truth in sorted(reference.items()):
            clean, _ = read_wav(truth["clean"], name="reference")
            noisy, _ = read_wav(truth["noisy"], name="mixture")
            enhanced, _ = read_wav(submission[f"enhanced{i}.wav"], name=f"enhanced{i}.wav", expect_sr=SR)
            enhanced = np.pad(enhanced, (0, max(0, clean.size - enhanced.size)))[: clean.size]
            before = float(pesq(SR, clean, noisy, "wb"))
            value = float(pesq(SR, clean, enhanced, "wb")) - before
            per_clip[f"enhanced{i}.wav"] = {
                "pesq_wb": round(before + value, 3), "pesq_wb_noisy": round(before, 3), "stoi": round(float(stoi(clean, enhanced, SR)), 3),
                "si_sdri_db": round(si_sdr(enhanced, clean) - si_sdr(noisy, clean), 2),
                "noise": truth["noise"], "snr_db": truth["snr_db"],
            }  # fmt: skip
            values.append(value)
        mean = round(float(np.mean(values)), 3)
        return Score(mean, self.passes(mean), {"per_clip": per_clip})

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        out = {}
        for name, data in sorted(pack.files.items()):
            output = engine_output("enhancement", data)
            enhanced, rate = output.audio["enhanced"]
            if rate != SR:
                import librosa

                enhanced = librosa.resample(
                    np.asarray(enhanced, dtype=np.float32), orig_sr=rate, target_sr=SR
                )
            out[name.replace("noisy", "enhanced")] = wav_bytes(np.asarray(enhanced), SR)
        return out
