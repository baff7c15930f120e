"""Audio classification (speech, music, noise, tone) on clips cut from what the project ships, with a
split where no speaker and no recording is in both train and test; scored by accuracy, macro-F1 and a
confusion matrix."""

import csv
import io
from collections import Counter
from pathlib import Path

import numpy as np

from webapp.challenges.catalog.base import (
    Challenge,
    Pack,
    Score,
    SubmissionError,
    read_text,
    require_files,
    wav_bytes,
)

SAMPLES = Path(__file__).resolve().parents[3] / "demos" / "samples"
SR, SECONDS = 16_000, 2.0
LABELS = ("speech", "music", "noise", "tone")
MUSIC = ("music_mix.flac", "music_melody.flac", "music_drums.flac", "scale_c_major.wav", "noise/music.flac")
NOISE = ("noise/babble.flac", "noise/hum.flac")


def _cut(audio: np.ndarray) -> list[np.ndarray]:
    """2 s pieces of a recording (a shorter recording is padded with silence to 2 s)."""
    size = int(SR * SECONDS)
    audio = np.pad(audio, (0, max(0, size - audio.size)))
    return [audio[i : i + size] for i in range(0, audio.size - size + 1, size)]


def _recordings(rng: np.random.Generator) -> list[tuple[str, str, list[np.ndarray]]]:
    """(label, group, pieces): a group is one speaker or one recording, never split across train/test."""
    import soundfile as sf

    def load(name: str) -> np.ndarray:
        return sf.read(SAMPLES / name, dtype="float32")[0]

    groups = []
    speakers: dict[str, list[np.ndarray]] = {}
    for path in sorted((SAMPLES / "speakers").glob("*.flac")):
        speakers.setdefault(path.stem.rsplit("_", 1)[0], []).extend(_cut(load(f"speakers/{path.name}")))
    groups += [("speech", f"speaker {name}", pieces) for name, pieces in speakers.items()]
    groups += [("music", name, _cut(load(name))) for name in MUSIC]
    groups += [("noise", name, _cut(load(name))) for name in NOISE]
    size = int(SR * SECONDS)
    for colour in ("white", "pink", "brown"):
        from workers.engines._kws_data import coloured_noise

        noise = [0.1 * coloured_noise(size, rng, colour) for _ in range(4)]
        groups.append(("noise", f"generated {colour} noise", noise))
    t = np.arange(size) / SR
    for kind in ("steady", "chirp", "chord", "beeps"):
        tones = []
        for _ in range(4):
            f = float(rng.uniform(150, 2000))
            if kind == "steady":
                tone = np.sin(2 * np.pi * f * t)
            elif kind == "chirp":
                tone = np.sin(2 * np.pi * (f * t + float(rng.uniform(-60, 400)) * t**2))
            elif kind == "chord":
                tone = sum(np.sin(2 * np.pi * f * r * t) for r in (1, 1.25, 1.5)) / 3
            else:
                tone = np.sin(2 * np.pi * f * t) * (np.sin(2 * np.pi * float(rng.uniform(1, 4)) * t) > 0)
            tones.append(0.3 * tone)
        groups.append(("tone", f"generated {kind} tones", tones))
    return groups


def _predictions(text: str, files: set[str]) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() == "file":
        rows = rows[1:]
    found: dict[str, str] = {}
    for number, row in enumerate(rows, 2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2:
            raise SubmissionError(f"predictions.csv, line {number}: expected file,label.")
        name, label = row[0].strip(), row[1].strip().lower()
        if name not in files:
            raise SubmissionError(f"predictions.csv, line {number}: unknown file {name[:40]!r}.")
        if label not in LABELS:
            raise SubmissionError(
                f"predictions.csv, line {number}: label {label[:20]!r} is not one of {', '.join(LABELS)}."
            )
        found[name] = label
    missing = sorted(files - set(found))
    if missing:
        raise SubmissionError(f"predictions.csv: no label for {', '.join(missing[:5])}.")
    return found


class AudioClassification(Challenge):
    slug = "audio-classification"
    topic = "audio-classification"
    title = "Speech, music, noise or tone?"
    task = (
        "`data/train/` holds labelled 2 s clips (16 kHz; labels in `data/train/labels.csv`), `data/test/` "
        f"unlabelled ones. Label every test clip as one of: {', '.join(LABELS)}. No speaker and no "
        "recording appears in both train and test: a model that memorises voices or recordings won't help."
    )
    submission_format = "`predictions.csv` with a header `file,label` and one row per test clip."
    metric = "accuracy on the test clips, with macro-F1 and the confusion matrix in the breakdown"
    threshold = 0.8
    baseline_method = "a majority-class classifier: every test clip gets the commonest training label"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        recordings = _recordings(rng)
        train, test = [], []
        for label in LABELS:
            groups = [g for g in recordings if g[0] == label]
            held_out = set(rng.choice(len(groups), size=max(1, len(groups) // 3), replace=False).tolist())
            for index, (_, _, pieces) in enumerate(groups):
                for piece in pieces:
                    piece = piece * float(rng.uniform(0.5, 1.5)) + rng.normal(0, 0.001, piece.size)
                    (test if index in held_out else train).append((piece, label))
        files, rows, reference = {}, ["file,label"], {}
        for number, index in enumerate(rng.permutation(len(train)), 1):
            piece, label = train[index]
            files[f"train/clip{number:03d}.wav"] = wav_bytes(piece, SR)
            rows.append(f"clip{number:03d}.wav,{label}")
        files["train/labels.csv"] = "\n".join(rows).encode()
        for number, index in enumerate(rng.permutation(len(test)), 1):
            piece, label = test[index]
            files[f"test/clip{number:03d}.wav"] = wav_bytes(piece, SR)
            reference[f"clip{number:03d}.wav"] = label
        sources = (
            "All synthetic, made by the project (free to use): speech from the espeak-ng speaker set "
            "(demos/samples/speakers), music from the synthesised stems and scale in demos/samples, noise "
            "from its synthesised babble and hum clips and generated white/pink/brown noise, and generated tones."
        )
        return Pack(files, reference, sources)

    def score(self, submission, reference, progress=None) -> Score:
        from sklearn.metrics import confusion_matrix, f1_score

        require_files(submission, ["predictions.csv"])
        found = _predictions(read_text(submission["predictions.csv"], name="predictions.csv"), set(reference))
        names = sorted(reference)
        truth, predicted = [reference[n] for n in names], [found[n] for n in names]
        accuracy = round(float(np.mean([a == b for a, b in zip(truth, predicted, strict=True)])), 4)
        matrix = confusion_matrix(truth, predicted, labels=list(LABELS))
        breakdown = {
            "macro_f1": round(
                float(f1_score(truth, predicted, labels=list(LABELS), average="macro", zero_division=0)), 4
            ),
            "confusion": {"labels": list(LABELS), "rows_true_columns_predicted": matrix.tolist()},
            "test_clips": len(names),
        }
        return Score(accuracy, self.passes(accuracy), breakdown)

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        labels = [line.split(",")[1] for line in pack.files["train/labels.csv"].decode().splitlines()[1:]]
        majority = Counter(labels).most_common(1)[0][0]
        rows = ["file,label"] + [
            f"{name.removeprefix('test/')},{majority}"
            for name in sorted(pack.files)
            if name.startswith("test/")
        ]
        return {"predictions.csv": "\n".join(rows).encode()}
