"""Beat tracking on drum loops at tempi the pack chooses, scored by mir_eval's beat F-measure."""

import numpy as np

from webapp.challenges.catalog.base import (
    Challenge,
    Pack,
    Score,
    SubmissionError,
    read_text,
    read_wav,
    require_files,
    wav_bytes,
)

SR, SECONDS, CLIPS = 22_050, 12.0, 3


def _drum_loop(rng: np.random.Generator, bpm: float, offset: float) -> tuple[np.ndarray, list[float]]:
    """Kick on 1 and 3, snare on 2 and 4, hi-hats on eighths; slight timing and level jitter."""
    audio = np.zeros(int(SECONDS * SR))
    period = 60.0 / bpm
    beats = list(np.arange(offset, SECONDS - 0.2, period))

    def hit(at: float, sound: np.ndarray, gain: float) -> None:
        start = int((at + rng.normal(0, 0.004)) * SR)
        if 0 <= start < audio.size:
            end = min(audio.size, start + sound.size)
            audio[start:end] += gain * sound[: end - start]

    t = np.arange(int(0.25 * SR)) / SR
    kick = np.sin(2 * np.pi * (50 + 100 * np.exp(-t * 30)) * t) * np.exp(-t * 18)
    snare = rng.normal(0, 1, t.size) * np.exp(-t * 30)
    hat = np.diff(rng.normal(0, 1, int(0.05 * SR) + 1)) * np.exp(-np.arange(int(0.05 * SR)) / SR * 120)
    for i, beat in enumerate(beats):
        hit(
            beat,
            kick if i % 2 == 0 else snare,
            rng.uniform(0.5, 0.7) if i % 2 == 0 else rng.uniform(0.25, 0.35),
        )
        hit(beat, hat, 0.08)
        hit(beat + period / 2, hat, 0.06)
    audio += rng.normal(0, 0.003, audio.size)
    return audio / max(1.0, np.max(np.abs(audio)) / 0.9), [round(float(b), 4) for b in beats]


def _beat_times(text: str, *, name: str) -> np.ndarray:
    times = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip().rstrip(",")
        if not line:
            continue
        try:
            times.append(float(line.split(",")[0]))
        except ValueError as exc:
            raise SubmissionError(f"{name}, line {number}: {line[:40]!r} is not a time in seconds.") from exc
    if len(times) > 10 * SECONDS:
        raise SubmissionError(f"{name}: {len(times)} beats in {SECONDS:g} s is far too many.")
    return np.array(sorted(times))


class BeatTracking(Challenge):
    slug = "beat-tracking"
    topic = "beat-tracking-melody"
    title = "Find the beats"
    task = (
        f"`data/loop1.wav` … `loop{CLIPS}.wav` are {SECONDS:g} s drum loops at {SR} Hz, each at its own tempo "
        "(between 80 and 160 BPM) and starting at its own offset. Find the time of every beat."
    )
    submission_format = (
        f"A zip with `loop1.txt` … `loop{CLIPS}.txt`: one beat time in seconds per line (what "
        "`mir_eval.io.load_events` reads)."
    )
    metric = "beat F-measure (mir_eval.beat.f_measure, ±70 ms window), averaged over the loops"
    threshold = 0.8
    baseline_method = "librosa.beat.beat_track with its default settings"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        files, reference = {}, {}
        for i in range(1, CLIPS + 1):
            bpm, offset = float(rng.uniform(80, 160)), float(rng.uniform(0.1, 0.7))
            audio, beats = _drum_loop(rng, bpm, offset)
            files[f"loop{i}.wav"] = wav_bytes(audio, SR)
            reference[f"loop{i}"] = {"bpm": round(bpm, 2), "beats": beats}
        return Pack(
            files, reference, "Drum sounds synthesised for this pack (sine sweeps and noise), free to use."
        )

    def score(self, submission, reference, progress=None) -> Score:
        import mir_eval

        require_files(submission, [f"{clip}.txt" for clip in reference])
        per_clip = {}
        for clip, truth in sorted(reference.items()):
            estimated = _beat_times(
                read_text(submission[f"{clip}.txt"], name=f"{clip}.txt"), name=f"{clip}.txt"
            )
            per_clip[clip] = round(float(mir_eval.beat.f_measure(np.array(truth["beats"]), estimated)), 4)
        value = round(float(np.mean(list(per_clip.values()))), 4)
        return Score(value, self.passes(value), {"per_clip": per_clip})

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        import librosa

        out = {}
        for name, data in pack.files.items():
            audio, sr = read_wav(data, name=name)
            _, frames = librosa.beat.beat_track(y=audio, sr=sr)
            times = librosa.frames_to_time(frames, sr=sr)
            out[name.replace(".wav", ".txt")] = "\n".join(f"{t:.3f}" for t in times).encode()
        return out
