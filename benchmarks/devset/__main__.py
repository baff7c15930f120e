"""The real-speech development set, scored: `python -m benchmarks.devset` (a part of `make benchmarks`).

Writes results/devset.json; RESULTS.md shows it. Every figure says what it was measured on: "real"
(recordings found in installed packages), "simulated from real" (conversations mixed from real
utterances, references generated alongside), or "synthetic" (espeak-ng speech, labelled as such).
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

import numpy as np

from benchmarks.common import load_average, machine, today, write_json
from benchmarks.devset.score import (
    der_metric,
    der_parts,
    equal_error_rate,
    hypothesis_annotation,
    trials,
    wer,
)
from benchmarks.devset.simulate import conversations, halves
from benchmarks.devset.sources import SOURCES, SR, load, package_file, pyannote_sample, utterances

DIARIZERS = ("spectral-dvector", "spectral-resemblyzer", "vad-embedding-clustering")
# The default again with second-speaker labels where voices overlap (the demo's switch, off by default).
WITH_OVERLAP_LABELS = ("spectral-dvector",)
ENCODERS = ("voicefilter-dvector", "resemblyzer")
RECOGNIZERS = ("faster-whisper", "whisper-base")
ENHANCERS = ("nsnet2", "deepfilternet3", "rnnoise", "spectral-gating")
CONVERSATION_S = 45.0
PIECE_S = 2.0


def _engine(capability: str, backend: str):
    from workers.engines.registry import get_engine

    return get_engine(capability, backend)


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def bench_diarization() -> dict:
    tune, held = halves(utterances())
    sets = {
        "held-apart simulated (from real utterances)": conversations(
            held, seconds=CONVERSATION_S, seed=100, tag="held"
        ),
        "tuning simulated (from real utterances)": conversations(
            tune, seconds=CONVERSATION_S, seed=0, tag="tune"
        ),
    }
    audio, reference, _rows = pyannote_sample()
    out: dict = {}
    runs = [(b, False) for b in DIARIZERS] + [(b, True) for b in WITH_OVERLAP_LABELS]
    for backend, overlap in runs:
        engine = _engine("diarization", backend)
        engine.diarize(audio[: SR * 5])  # warm-up (numba, ONNX sessions)

        def diarize(samples, engine=engine, overlap=overlap):
            return engine.diarize(samples, label_overlap=overlap)

        rows = {}
        for label, items in sets.items():
            metric, seconds, counts = der_metric(), 0.0, []
            for conv in items:
                result, took = _timed(lambda conv=conv: diarize(conv.audio))
                metric(conv.annotation(), hypothesis_annotation(result.turns, conv.name))
                seconds += took
                counts.append(f"{result.speaker_count}/{conv.speakers}")
            total = sum(len(c.audio) for c in items) / SR
            rows[label] = {**der_parts(metric), "rtf": seconds / total, "files": len(items),
                           "speakers found/true": " ".join(counts)}  # fmt: skip
        metric = der_metric()
        result, took = _timed(lambda: diarize(audio))
        metric(reference, hypothesis_annotation(result.turns, "sample"))
        rows["real: pyannote sample (2 speakers, telephone)"] = {
            **der_parts(metric), "rtf": took / (len(audio) / SR), "files": 1,
            "speakers found/true": f"{result.speaker_count}/2"}  # fmt: skip
        name = f"{backend} + overlap labels" if overlap else backend
        out[name] = rows
        print(name, {k: round(v["DER"], 1) for k, v in rows.items()}, flush=True)
    return out


def _pieces(items) -> tuple[list[np.ndarray], list[str], list[str]]:
    audio, speakers, origins = [], [], []
    n = int(PIECE_S * SR)
    for item in items:
        for start in range(0, len(item.audio) - n + 1, n):
            audio.append(item.audio[start : start + n])
            speakers.append(item.speaker)
            origins.append(item.origin)
    return audio, speakers, origins


def bench_speaker() -> dict:
    real = _pieces(utterances())
    out: dict = {}
    for backend in ENCODERS:
        engine = _engine("speaker-embedding", backend)
        vectors, seconds = _timed(lambda engine=engine: np.stack([engine.embed(p) for p in real[0]]))
        same, different = trials(vectors, real[1], real[2])
        scores = np.array(same + different)
        out[backend] = {
            "EER real 2 s pieces": 100 * equal_error_rate(same, different),
            "trials (same/different)": f"{len(same)}/{len(different)}",
            "pieces": len(real[0]),
            "mean cosine same/different": f"{np.mean(same):.2f}/{np.mean(different):.2f}",
            "score range": f"{scores.min():.2f}..{scores.max():.2f}",
            "rtf": seconds / (len(real[0]) * PIECE_S),
        }
        print(backend, out[backend], flush=True)
    return out


def _bleed_track() -> np.ndarray:
    other = load(package_file("gradio", "media_assets/audio/cate_blanch.mp3"))
    track = (np.random.default_rng(0).standard_normal(SR * 12) * 1e-3).astype(np.float32)
    track[SR * 2 : SR * 2 + len(other)] += other / np.abs(other).max() * 10 ** (-40 / 20)
    return track


def bench_asr() -> dict:
    audio, _reference, rows = pyannote_sample()
    clips = [(s.text, load(package_file(s.package, s.relative))) for s in SOURCES[1:]]
    out: dict = {}
    for backend in RECOGNIZERS:
        engine = _engine("asr", backend)
        sample, took = _timed(lambda engine=engine: engine.transcribe(audio).text)
        texts = [engine.transcribe(clip).text for _text, clip in clips]
        silent = engine.transcribe(_bleed_track()).text
        noise = engine.transcribe(
            (np.random.default_rng(1).standard_normal(SR * 10) * 0.003).astype(np.float32)
        ).text
        out[backend] = {
            "WER real telephone conversation (pyannote sample, 30 s)": 100
            * wer([" ".join(r[3] for r in rows)], [sample]),
            "WER real film/LJ clips (4 clips, 17 s)": 100 * wer([t for t, _c in clips], texts),
            "words invented on a near-silent track (bleed at -40 dBFS peak)": len(silent.split()),
            "words invented on -50 dBFS white noise": len(noise.split()),
            "rtf (pyannote sample)": took / 30.0,
        }
        print(backend, out[backend], flush=True)
    return out


def _babble(exclude: str, length: int) -> np.ndarray:
    """Real-speech babble: the other speakers' utterances summed, looped to `length`."""
    others = [u.audio for u in utterances() if u.speaker != exclude and u.seconds > 1.5][:4]
    babble = np.zeros(length, dtype=np.float32)
    for i, piece in enumerate(others):
        looped = np.tile(piece, length // len(piece) + 1)
        babble += np.roll(looped[:length], i * SR // 3) / (np.sqrt(np.mean(piece**2)) + 1e-9)
    return babble


def bench_enhancement() -> dict:
    from pesq import pesq
    from pystoi import stoi

    from tests.workers.engines.conftest import si_sdr

    clean = load(package_file("gradio", "media_assets/audio/cate_blanch.mp3"))
    noises = {"white": np.random.default_rng(3).standard_normal(len(clean)).astype(np.float32),
              "real-speech babble": _babble("cate", len(clean))}  # fmt: skip
    out: dict = {}
    for backend in ENHANCERS:
        engine = _engine("enhancement", backend)
        row: dict = {}
        seconds = 0.0
        for noise_name, noise in noises.items():
            for snr in (0, 5):
                scaled = noise * np.sqrt(np.mean(clean**2) / (np.mean(noise**2) * 10 ** (snr / 10)))
                noisy = (clean + scaled).astype(np.float32)
                enhanced, took = _timed(lambda engine=engine, noisy=noisy: engine.enhance(noisy))
                seconds += took
                row[f"{noise_name} {snr} dB"] = (
                    f"SI-SDR {si_sdr(clean, noisy):.1f}→{si_sdr(clean, enhanced):.1f} dB, "
                    f"PESQ {pesq(SR, clean, noisy, 'wb'):.2f}→{pesq(SR, clean, enhanced, 'wb'):.2f}, "
                    f"STOI {stoi(clean, noisy, SR):.2f}→{stoi(clean, enhanced, SR):.2f}"
                )
        row["rtf"] = seconds / (4 * len(clean) / SR)
        out[backend] = row
        print(backend, row, flush=True)
    return out


PARTS = {
    "diarization": bench_diarization,
    "speaker": bench_speaker,
    "asr": bench_asr,
    "enhancement": bench_enhancement,
}


def main() -> None:
    chosen = [p for p in os.environ.get("DEVSET_PARTS", ",".join(PARTS)).split(",") if p]
    from benchmarks.common import read_json

    results = (read_json("devset.json") or {}).get("results", {})
    for part in chosen:
        load_before = load_average()
        try:
            results[part] = {"load_average": load_before, "date": today(), **PARTS[part]()}
        except Exception as exc:  # a missing package: report it, run the rest
            results[part] = {"error": f"{type(exc).__name__}: {exc}", "date": today()}
    sources = [
        {"name": s.name, "package": s.package, "file": s.relative, "licence": s.licence} for s in SOURCES
    ]
    write_json("devset.json", {"machine": machine(), "date": today(), "sources": sources, "results": results})


if __name__ == "__main__":
    main()
