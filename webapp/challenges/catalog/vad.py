"""Voice activity detection on real speech cut into a conversation with pauses and noise, scored by
frame-level F1 against the reference speech regions."""

import csv
import io

import numpy as np

from webapp.challenges.catalog._real_speech import SOURCE, real_sample, single_speaker_pieces
from webapp.challenges.catalog.base import (
    Challenge,
    Pack,
    Score,
    SubmissionError,
    read_text,
    require_files,
    wav_bytes,
)

CLIPS, PIECES_PER_CLIP, FRAME = 3, 5, 0.01  # 10 ms frames


def _frames(segments: list[tuple[float, float]], seconds: float) -> np.ndarray:
    active = np.zeros(int(np.ceil(seconds / FRAME)), dtype=bool)
    for start, end in segments:
        active[round(start / FRAME) : round(end / FRAME)] = True
    return active


def _segments(text: str, clips: dict) -> dict[str, list[tuple[float, float]]]:
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in clips}
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() in ("file", "clip"):
        rows = rows[1:]
    for number, row in enumerate(rows, 2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 3:
            raise SubmissionError(f"segments.csv, line {number}: expected file,start,end.")
        name, start, end = row[0].strip(), row[1], row[2]
        if name not in found:
            raise SubmissionError(f"segments.csv, line {number}: unknown file {name[:40]!r}.")
        try:
            start_s, end_s = float(start), float(end)
        except ValueError as exc:
            raise SubmissionError(f"segments.csv, line {number}: start and end must be seconds.") from exc
        if not 0 <= start_s < end_s:
            raise SubmissionError(f"segments.csv, line {number}: needs 0 ≤ start < end.")
        found[name].append((start_s, end_s))
    return found


class VoiceActivity(Challenge):
    slug = "vad"
    topic = "voice-activity-detection"
    title = "Where is the speech?"
    task = (
        f"`data/clip1.wav` … `clip{CLIPS}.wav` (16 kHz) hold real conversational speech with pauses of "
        "different lengths and background noise. Mark every stretch of speech."
    )
    submission_format = "`segments.csv` with a header `file,start,end` and one row per speech segment (seconds), e.g. `clip1.wav,0.52,2.31`."
    metric = "frame-level F1 of speech (10 ms frames), over all clips"
    threshold = 0.85
    baseline_method = "the platform's default VAD engine (Silero VAD v6, threshold 0.5)"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        audio, sr, _ = real_sample()
        pieces = single_speaker_pieces()
        files, reference = {}, {}
        for i in range(1, CLIPS + 1):
            chosen = rng.choice(len(pieces), size=PIECES_PER_CLIP, replace=False)
            parts, segments, cursor = [], [], 0.0
            for index in sorted(chosen):
                gap = float(rng.uniform(0.8, 3.0))
                start, end, _ = pieces[index]
                parts += [np.zeros(int(gap * sr)), audio[int(start * sr) : int(end * sr)]]
                segments.append((round(cursor + gap, 3), round(cursor + gap + end - start, 3)))
                cursor += gap + end - start
            parts.append(np.zeros(int(float(rng.uniform(0.3, 1.0)) * sr)))
            clip = np.concatenate(parts)
            speech_power = np.mean(
                clip[_frames(segments, len(clip) / sr).repeat(int(sr * FRAME))[: clip.size]] ** 2
            )
            snr_db = float(rng.uniform(10, 20))
            noise = rng.normal(0, 1, clip.size) * np.sqrt(speech_power / 10 ** (snr_db / 10))
            files[f"clip{i}.wav"] = wav_bytes(clip + noise, sr)
            reference[f"clip{i}.wav"] = {
                "seconds": round(clip.size / sr, 3),
                "speech": segments,
                "snr_db": round(snr_db, 1),
            }
        return Pack(files, reference, SOURCE + " Noise: white noise at 10–20 dB SNR, made for this pack.")

    def score(self, submission, reference, progress=None) -> Score:
        require_files(submission, ["segments.csv"])
        found = _segments(read_text(submission["segments.csv"], name="segments.csv"), reference)
        tp = fp = fn = 0
        per_clip = {}
        for name, truth in sorted(reference.items()):
            want = _frames([tuple(s) for s in truth["speech"]], truth["seconds"])
            got = _frames(found[name], truth["seconds"])[: want.size]
            got = np.pad(got, (0, want.size - got.size))
            clip_tp, clip_fp, clip_fn = (
                int(np.sum(want & got)),
                int(np.sum(~want & got)),
                int(np.sum(want & ~got)),
            )
            per_clip[name] = round(2 * clip_tp / max(1, 2 * clip_tp + clip_fp + clip_fn), 4)
            tp, fp, fn = tp + clip_tp, fp + clip_fp, fn + clip_fn
        f1 = round(2 * tp / max(1, 2 * tp + fp + fn), 4)
        breakdown = {
            "per_clip_f1": per_clip,
            "precision": round(tp / max(1, tp + fp), 4),
            "recall": round(tp / max(1, tp + fn), 4),
        }
        return Score(f1, self.passes(f1), breakdown)

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        import tempfile
        from pathlib import Path

        from workers.engines.runner import engine_infer

        rows = ["file,start,end"]
        with tempfile.TemporaryDirectory() as folder:
            for name, data in sorted(pack.files.items()):
                path = Path(folder) / name
                path.write_bytes(data)
                result = engine_infer("vad", backend="silero", audio_paths={"audio": path}).output.data
                rows += [f"{name},{s['start']:.2f},{s['end']:.2f}" for s in result["segments"]]
        return {"segments.csv": "\n".join(rows).encode()}
