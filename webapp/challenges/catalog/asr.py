"""Speech recognition on real conversational utterances, scored by WER (jiwer) after normalisation."""

import csv
import io
import re

import numpy as np

from webapp.challenges.catalog._real_speech import SOURCE, real_sample, real_utterances
from webapp.challenges.catalog.base import (
    Challenge,
    Pack,
    Score,
    SubmissionError,
    read_text,
    require_files,
    wav_bytes,
)

CLIPS = 6


def normalise(text: str) -> str:
    """Lower case, no punctuation, one space: what the WER compares (as in most ASR benchmarks)."""
    text = text.lower().replace("’", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9' ]+", " ", text)).strip()


def _transcripts(text: str, expected: set[str]) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() == "file":
        rows = rows[1:]
    found = {}
    for number, row in enumerate(rows, 2):
        if not row:
            continue
        if len(row) != 2:
            raise SubmissionError(
                f"transcripts.csv, line {number}: expected file,text (quote text that has commas)."
            )
        name = row[0].strip()
        if name not in expected:
            raise SubmissionError(f"transcripts.csv, line {number}: unknown file {name[:40]!r}.")
        found[name] = row[1]
    missing = sorted(expected - set(found))
    if missing:
        raise SubmissionError(f"transcripts.csv: no line for {', '.join(missing[:5])}.")
    return found


class SpeechRecognition(Challenge):
    slug = "asr"
    topic = "asr-pipeline"
    title = "Transcribe a real conversation"
    task = (
        "`data/utt1.wav`, `utt2.wav`, … (16 kHz) are utterances of a real telephone-style conversation "
        "between two people, at different levels and with some added noise. Transcribe each one."
    )
    submission_format = "`transcripts.csv` with a header `file,text` and one row per clip (quote the text if it contains commas)."
    metric = "word error rate (jiwer) over all clips, after lower-casing and removing punctuation"
    unit = ""
    threshold = 0.2
    higher_is_better = False
    baseline_method = "the platform's default recogniser (faster-whisper tiny.en, int8)"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        audio, sr, _ = real_sample()
        _, _, turns = real_sample()
        speaker_of = {"Diane": "speaker90", "Sheila": "speaker91"}  # the STM's names, the RTTM's labels
        # Only utterances nobody else talks over (the reference holds one speaker's words).
        utterances = [
            u for u in real_utterances()
            if len(normalise(u[3]).split()) >= 2
            and not any(s != speaker_of.get(u[2]) and a < u[1] - 0.05 and b > u[0] + 0.05 for a, b, s in turns)
        ]  # fmt: skip
        chosen = rng.permutation(len(utterances))[:CLIPS]  # which clip is which changes with the seed
        files, reference = {}, {}
        for i, index in enumerate(chosen, 1):
            start, end, _, words = utterances[index]
            clip = audio[int((start - 0.05) * sr) : int((end + 0.05) * sr)] * float(rng.uniform(0.5, 1.5))
            clip = clip + rng.normal(0, float(rng.uniform(0.002, 0.006)), clip.size)
            files[f"utt{i}.wav"] = wav_bytes(clip, sr)
            reference[f"utt{i}.wav"] = words
        return Pack(files, reference, SOURCE + " Transcripts from its reference (sample.stm).")

    def score(self, submission, reference, progress=None) -> Score:
        import jiwer

        require_files(submission, ["transcripts.csv"])
        found = _transcripts(read_text(submission["transcripts.csv"], name="transcripts.csv"), set(reference))
        names = sorted(reference)
        truth = [normalise(reference[n]) for n in names]
        hypotheses = [normalise(found[n]) for n in names]
        wer = round(float(jiwer.wer(truth, hypotheses)), 4)
        per_clip = {n: {"reference": t, "hypothesis": h, "wer": round(float(jiwer.wer(t, h)), 3)}
                    for n, t, h in zip(names, truth, hypotheses, strict=True)}  # fmt: skip
        return Score(wer, self.passes(wer), {"per_clip": per_clip})

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        import tempfile
        from pathlib import Path

        from workers.engines.runner import engine_infer

        rows = io.StringIO()
        writer = csv.writer(rows)
        writer.writerow(["file", "text"])
        with tempfile.TemporaryDirectory() as folder:
            for name, data in sorted(pack.files.items()):
                path = Path(folder) / name
                path.write_bytes(data)
                text = engine_infer("asr", backend="faster-whisper", audio_paths={"audio": path}).output.data[
                    "text"
                ]
                writer.writerow([name, text])
        return {"transcripts.csv": rows.getvalue().encode()}
