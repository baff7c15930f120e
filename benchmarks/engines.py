"""Engine benchmark: each default engine on shipped or generated audio, with the field's metric
and its real-time factor, plus the memory of the whole set loaded in one process.

    .venv/bin/python -m benchmarks.engines            # writes results/engines.json and ENGINES.md

Targets (2-core CPU, offline defaults): ASR RTF ≤ 0.3 and WER ≤ 10 % on clean read speech;
TTS RTF ≤ 0.3 with its output transcribed back at WER ≤ 5 %; diarization RTF ≤ 0.2 and
DER ≤ 25 % on pyannote's sample; all engines loaded in one worker within 1.5 GB.
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks.common import Timer, machine, peak_rss_mb, today, write_json

# Our own sentences: short, everyday English, as read speech.
SENTENCES = (
    "The quick brown fox jumps over the lazy dog.",
    "Speech recognition turns sound waves into written words.",
    "A good microphone captures the voice without much background noise.",
    "Every morning she reads the news before going to work.",
    "The weather tomorrow will be cloudy with a chance of rain.",
    "Please call me back when you have a free minute.",
    "The children played football in the park after school.",
    "Our train leaves the station at half past seven.",
    "He forgot his umbrella and walked home in the rain.",
    "Fresh bread smells wonderful early in the morning.",
    "The meeting has been moved to Thursday afternoon.",
    "Turn left at the next corner and keep going straight.",
)
SR = 16000


def _normalise(text: str) -> str:
    import re

    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def wer(references: list[str], hypotheses: list[str]) -> float:
    import jiwer

    return jiwer.wer([_normalise(r) for r in references], [_normalise(h) for h in hypotheses])


def _engine(capability: str, backend: str | None = None):
    from workers.engines.registry import get_engine

    return get_engine(capability, backend)


def _to_16k(audio: np.ndarray, sr: int) -> np.ndarray:
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(sr, SR)
    return resample_poly(audio, SR // g, sr // g).astype(np.float32)


def bench_tts_and_asr(results: dict) -> None:
    tts, asr = _engine("tts"), _engine("asr")
    clips, synth_seconds = [], 0.0
    for sentence in SENTENCES:  # Piper samples noise while speaking: figures vary a little run to run
        with Timer() as t:
            out = tts.synthesize(sentence)
        synth_seconds += t.seconds
        clips.append(_to_16k(out.audio, out.sample_rate))
    audio_seconds = sum(len(c) for c in clips) / SR
    hypotheses, asr_seconds = [], 0.0
    for clip in clips:
        with Timer() as t:
            hypotheses.append(asr.transcribe(clip).text)
        asr_seconds += t.seconds
    round_trip_wer = wer(list(SENTENCES), hypotheses)
    results[f"tts/{tts.backend}"] = _row(
        synth_seconds / audio_seconds,
        {f"WER of {asr.backend} on its output": f"{100 * round_trip_wer:.1f} %"},
        f"{len(SENTENCES)} sentences, {audio_seconds:.1f} s of speech",
    )
    results[f"asr/{asr.backend}"] = _row(
        asr_seconds / audio_seconds,
        {
            "WER (synthetic read speech: Piper voice)": f"{100 * round_trip_wer:.1f} %",
            **_asr_on_real_speech(asr),
        },
        f"{len(SENTENCES)} read sentences ({audio_seconds:.1f} s) and pyannote's 30 s telephone sample",
    )


def _pyannote_sample() -> tuple[Path, Path, Path]:
    import importlib.util

    folder = Path(importlib.util.find_spec("pyannote.audio").submodule_search_locations[0]) / "sample"
    return folder / "sample.wav", folder / "sample.rttm", folder / "sample.stm"


def _asr_on_real_speech(asr) -> dict:
    from workers.audio_io import load_audio

    wav, _, stm = _pyannote_sample()
    reference = " ".join(line.split(" ", 5)[5] for line in stm.read_text().splitlines() if line.strip())
    audio = load_audio(wav, target_sr=SR).samples
    hypothesis = asr.transcribe(audio).text
    return {"WER (real two-speaker telephone speech)": f"{100 * wer([reference], [hypothesis]):.1f} %"}


def bench_diarization(results: dict) -> None:
    from pyannote.core import Annotation, Segment
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    from workers.audio_io import load_audio

    wav, rttm, _ = _pyannote_sample()
    engine = _engine("diarization")
    audio = load_audio(wav, target_sr=engine.sample_rate).samples
    with Timer() as t:
        result = engine.diarize(audio)
    hypothesis = Annotation(uri="sample")
    for turn in result.turns:
        hypothesis[Segment(turn.start, turn.end)] = turn.speaker
    reference = load_rttm(str(rttm))["sample"]
    parts = DiarizationErrorRate()(reference, hypothesis, detailed=True)
    total = parts["total"]
    results[f"diarization/{engine.backend}"] = _row(
        t.seconds / (len(audio) / engine.sample_rate),
        {
            "DER": f"{100 * parts['diarization error rate']:.1f} %",
            "missed": f"{100 * parts['missed detection'] / total:.1f} %",
            "false alarm": f"{100 * parts['false alarm'] / total:.1f} %",
            "confusion": f"{100 * parts['confusion'] / total:.1f} %",
            "speakers found": f"{result.speaker_count} (truth 2)",
        },
        "pyannote.audio's 30 s two-speaker sample with its reference RTTM",
    )


def bench_vad(results: dict) -> None:
    from demos.samples import SPEECH_EN
    from workers.audio_io import load_audio

    speech = load_audio(SPEECH_EN, target_sr=SR).samples
    gap = np.zeros(SR * 2, dtype=np.float32)
    clip = np.concatenate([gap, speech, gap, speech, gap])
    truth = [(2.0, 2.0 + len(speech) / SR), (4.0 + len(speech) / SR, 4.0 + 2 * len(speech) / SR)]
    for backend in ("silero", "webrtc"):
        engine = _engine("vad", backend)
        with Timer() as t:
            result = engine.detect(clip)
        found = [(s.start, s.end) for s in result.segments]
        edge_error = max(
            min(abs(edge - f) for seg in found for f in seg) for seg in truth for edge in seg
        ) if found else float("inf")  # fmt: skip
        results[f"vad/{backend}"] = _row(
            t.seconds / (len(clip) / SR),
            {"worst boundary error": f"{edge_error:.2f} s", "segments": str(len(found))},
            "the shipped speech clip twice, between 2 s silences",
        )


def bench_speaker(results: dict) -> None:
    from workers.audio_io import load_audio

    engine = _engine("speaker-embedding")
    voices = ("en-us", "en-gb", "en-us+f3", "en-gb-scotland", "en-029", "en-us+m7")
    embeddings, labels, seconds, audio_seconds = [], [], 0.0, 0.0
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for voice in voices:
            for i, sentence in enumerate(SENTENCES[:4]):
                path = Path(folder) / f"{voice}-{i}.wav"
                subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), sentence], check=True)
                audio = load_audio(path, target_sr=engine.sample_rate).samples
                with Timer() as t:
                    embeddings.append(engine.embed(audio))
                seconds += t.seconds
                audio_seconds += len(audio) / engine.sample_rate
                labels.append(voice)
    matrix = np.array(embeddings)
    scores = matrix @ matrix.T
    same, different = [], []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            (same if labels[i] == labels[j] else different).append(float(scores[i, j]))
    results[f"speaker-embedding/{engine.backend}"] = _row(
        seconds / audio_seconds,
        {
            "EER (synthetic: espeak-ng voices)": f"{100 * equal_error_rate(same, different):.1f} %",
            "trials": str(len(same) + len(different)),
        },
        f"{len(voices)} espeak-ng voices × 4 sentences",
    )


def equal_error_rate(same: list[float], different: list[float]) -> float:
    """The error rate where false accepts equal false rejects, by sweeping every score as threshold."""
    thresholds = np.unique(np.concatenate([same, different]))
    same_a, diff_a = np.array(same), np.array(different)
    best = 1.0
    for threshold in thresholds:
        false_reject = np.mean(same_a < threshold)
        false_accept = np.mean(diff_a >= threshold)
        best = min(best, max(false_reject, false_accept))
    return float(best)


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    n = min(len(reference), len(estimate))
    reference, estimate = reference[:n] - reference[:n].mean(), estimate[:n] - estimate[:n].mean()
    target = np.dot(estimate, reference) / (np.dot(reference, reference) + 1e-12) * reference
    return float(10 * np.log10(np.sum(target**2) / (np.sum((estimate - target) ** 2) + 1e-12)))


def bench_enhancement(results: dict) -> None:
    from demos.samples import SPEECH_EN
    from workers.audio_io import load_audio

    clean = load_audio(SPEECH_EN, target_sr=SR).samples
    noise = np.random.default_rng(0).standard_normal(len(clean)).astype(np.float32)
    for backend in ("nsnet2", "rnnoise", "spectral-gating"):
        engine = _engine("enhancement", backend)
        gains, seconds = [], 0.0
        for snr in (0, 5, 10):
            scale = np.sqrt(np.mean(clean**2) / (np.mean(noise**2) * 10 ** (snr / 10)))
            noisy = clean + scale * noise
            with Timer() as t:
                enhanced = engine.enhance(noisy)
            seconds += t.seconds
            gains.append(f"{snr} dB → {si_sdr(clean, enhanced):.1f} dB")
        results[f"enhancement/{backend}"] = _row(
            seconds / (3 * len(clean) / SR),
            {"SI-SDR, noisy input → enhanced": "; ".join(gains)},
            "the shipped speech clip with white noise at 0, 5 and 10 dB SNR",
        )


def bench_music(results: dict) -> None:
    import mir_eval

    from demos.samples import SCALE_C_MAJOR
    from workers.audio_io import load_audio

    engine = _engine("audio-to-midi")
    audio = load_audio(SCALE_C_MAJOR, target_sr=engine.sample_rate).samples
    with Timer() as t:
        result = engine.transcribe_notes(audio)
    ref_pitches = np.array([60, 62, 64, 65, 67, 69, 71, 72], dtype=float)
    ref_intervals = np.array([[0.45 * i, 0.45 * (i + 1)] for i in range(8)])
    est = sorted(result.notes, key=lambda n: n.start)
    est_intervals = np.array([[n.start, n.end] for n in est]) if est else np.zeros((0, 2))
    est_pitches = np.array([n.pitch for n in est], dtype=float)
    _, _, f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
        ref_intervals, mir_eval.util.midi_to_hz(ref_pitches), est_intervals, mir_eval.util.midi_to_hz(est_pitches),
        offset_ratio=None,
    )  # fmt: skip
    results[f"audio-to-midi/{engine.backend}"] = _row(
        t.seconds / (len(audio) / engine.sample_rate),
        {"note F1 (onsets, 50 ms)": f"{f1:.2f}"},
        "the shipped C major scale",
    )

    tracker = _engine("pitch")
    glide_t = np.arange(SR * 2) / SR
    freq = 220 * 2 ** (glide_t / 2)  # 220 → 440 Hz over 2 s
    glide = (0.5 * np.sin(2 * np.pi * np.cumsum(freq) / SR)).astype(np.float32)
    with Timer() as t:
        track = tracker.track(glide)
    truth = 220 * 2 ** (track.times / 2)
    voiced = np.isfinite(track.f0_hz)
    error = np.median(np.abs(track.f0_hz[voiced] - truth[voiced]) / truth[voiced]) if voiced.any() else 1.0
    results[f"pitch/{tracker.backend}"] = _row(
        t.seconds / 2.0, {"median pitch error": f"{100 * error:.2f} %"}, "a 2 s sine glide from 220 to 440 Hz"
    )


def bench_separation(results: dict) -> None:
    from demos.samples import SCALE_C_MAJOR
    from workers.audio_io import load_audio

    engine = _engine("separation", "hpss")
    sr = engine.sample_rate
    tones = load_audio(SCALE_C_MAJOR, target_sr=sr).samples
    # Drum-like hits: 20 ms decaying noise bursts every 250 ms, scaled to the tones' energy (0 dB mix).
    burst = np.random.default_rng(0).standard_normal(int(0.02 * sr)) * np.exp(
        -np.linspace(0, 6, int(0.02 * sr))
    )
    hits = np.zeros_like(tones)
    for start in range(0, len(tones) - len(burst), sr // 4):
        hits[start : start + len(burst)] += burst
    hits *= np.sqrt(np.sum(tones**2) / np.sum(hits**2))
    mixture = tones + hits
    with Timer() as t:
        stems = engine.separate(mixture).stems
    results[f"separation/{engine.backend}"] = _row(
        t.seconds / (len(mixture) / engine.sample_rate),
        {
            "SI-SDR of tones, mixture → harmonic stem": f"{si_sdr(tones, mixture):.1f} → {si_sdr(tones, stems['harmonic']):.1f} dB"
        },
        "the shipped scale plus drum-like noise bursts at equal energy",
    )


def bench_sentence_embedding(results: dict) -> None:
    engine = _engine("sentence-embedding")
    engine.encode(["warm up"])
    with Timer() as t:
        engine.encode(list(SENTENCES) * 10)
    results[f"sentence-embedding/{engine.backend}"] = _row(
        0.0, {"ms per sentence (batch of 60)": f"{1000 * t.seconds / 60:.1f}"}, "60 short sentences"
    )


def bench_cuda(results: dict) -> None:
    """Where a CUDA device is visible: the torch and CTranslate2 engines again on it (same inputs as
    their CPU rows), so the two devices' real-time factors sit side by side. Never needed by the tests."""
    import torch

    if not torch.cuda.is_available():
        results["cuda"] = {"skipped": "no CUDA device visible (torch.cuda.is_available() is false)"}
        return
    from workers.audio_io import load_audio
    from workers.engines.registry import get_engine

    wav, _, _ = _pyannote_sample()
    audio = load_audio(wav, target_sr=SR).samples
    seconds = len(audio) / SR
    device = torch.cuda.get_device_name(0)
    runs = {
        "asr": lambda engine: {"transcript words": str(len(engine.transcribe(audio).text.split()))},
        "speaker-embedding": lambda engine: {"dimensions": str(engine.embed(audio).shape[0])},
        "diarization": lambda engine: {"speakers found": f"{engine.diarize(audio).speaker_count} (truth 2)"},
    }
    for capability, run in runs.items():
        for backend in ("faster-whisper",) if capability == "asr" else (None,):
            engine = get_engine(capability, backend, device="cuda")
            run(engine)  # warm-up: kernels compile and weights move on the first call
            with Timer() as t:
                quality = run(engine)
            results[f"cuda/{capability}/{engine.backend}"] = _row(
                t.seconds / seconds, {**quality, "device": device}, "pyannote.audio's 30 s sample, on CUDA"
            )


def _row(rtf: float, quality: dict, sample: str) -> dict:
    return {"rtf": round(rtf, 4), "quality": quality, "sample": sample, "machine": machine(), "date": today()}


BENCHMARKS: tuple[Callable[[dict], None], ...] = (
    bench_tts_and_asr, bench_diarization, bench_vad, bench_speaker, bench_enhancement, bench_music,
    bench_separation, bench_sentence_embedding, bench_cuda,
)  # fmt: skip


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")
    django.setup()
    results: dict = {}
    for bench in BENCHMARKS:
        print(f"… {bench.__name__}", flush=True)
        bench(results)
    from workers.engines.registry import loaded_engines

    memory = {"engines loaded": len(loaded_engines()), "peak RSS": f"{peak_rss_mb():.0f} MB"}
    write_json("engines.json", results)
    write_markdown(results, memory)
    for key, row in results.items():
        print(f"{key:<40} {row.get('skipped') or ('RTF ' + str(row['rtf']) + ' ' + str(row['quality']))}")
    print(memory)


def write_markdown(results: dict, memory: dict) -> None:
    lines = [
        "# Engine benchmark",
        "",
        f"Machine: {machine()}. Date: {today()}. Command: `.venv/bin/python -m benchmarks.engines`.",
        "",
        "| engine | real-time factor | quality | input |",
        "|---|---|---|---|",
    ]
    for key, row in results.items():
        if "skipped" in row:
            continue
        quality = "; ".join(f"{k}: {v}" for k, v in row["quality"].items())
        lines.append(f"| `{key}` | {row['rtf']:.3f} | {quality} | {row['sample']} |")
    if "cuda" in results:
        lines += ["", f"CUDA rows: skipped, {results['cuda']['skipped']}."]
    lines += [
        "",
        f"All of the above loaded in one process: {memory['engines loaded']} engines, peak RSS {memory['peak RSS']}.",
    ]
    (Path(__file__).resolve().parent / "ENGINES.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
