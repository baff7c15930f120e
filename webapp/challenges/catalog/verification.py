"""Speaker verification on a trial list of real and synthetic speech, scored by the equal error rate
(EER) with the normalised minimum detection cost (minDCF) alongside, as in NIST SRE and VoxCeleb."""

import csv
import io
import json
from pathlib import Path

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

SPEAKERS = Path(__file__).resolve().parents[3] / "demos" / "samples" / "speakers"
SR, NON_TARGET_PER_TARGET = 16_000, 2
P_TARGET = 0.05  # prior of a target trial in the minDCF (C_miss = C_fa = 1), as in VoxSRC


def _clips(rng: np.random.Generator) -> list[tuple[np.ndarray, str]]:
    """(audio at 16 kHz, speaker) for the synthetic set and for real pieces of 1.5 s or more."""
    import soundfile as sf

    clips = []
    for entry in json.loads((SPEAKERS / "speakers.json").read_text())["clips"]:
        audio, _ = sf.read(SPEAKERS / entry["file"], dtype="float32")
        clips.append((audio, "synthetic-" + entry["speaker"]))
    audio, sr, _ = real_sample()
    for start, end, speaker in single_speaker_pieces(min_seconds=1.5):
        clips.append((audio[int(start * sr) : int(end * sr)], "real-" + speaker))
    return clips


def equal_error_rate(targets: np.ndarray, scores: np.ndarray) -> float:
    """EER: where the miss rate equals the false-acceptance rate (mean of the two at the closest point)."""
    from sklearn.metrics import roc_curve

    fpr, tpr, _ = roc_curve(targets, scores)
    fnr = 1 - tpr
    i = int(np.argmin(np.abs(fnr - fpr)))
    return float((fpr[i] + fnr[i]) / 2)


def min_dcf(targets: np.ndarray, scores: np.ndarray, p_target: float = P_TARGET) -> float:
    """The lowest normalised detection cost over all thresholds (1.0 = no better than always rejecting)."""
    from sklearn.metrics import roc_curve

    fpr, tpr, _ = roc_curve(targets, scores)
    cost = p_target * (1 - tpr) + (1 - p_target) * fpr
    return float(np.min(cost) / min(p_target, 1 - p_target))


def _scores(text: str, trials: set[str]) -> dict[str, float]:
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() == "trial":
        rows = rows[1:]
    found: dict[str, float] = {}
    for number, row in enumerate(rows, 2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2:
            raise SubmissionError(f"scores.csv, line {number}: expected trial,score.")
        trial = row[0].strip()
        if trial not in trials:
            raise SubmissionError(f"scores.csv, line {number}: unknown trial {trial[:40]!r}.")
        if trial in found:
            raise SubmissionError(f"scores.csv, line {number}: trial {trial} appears twice.")
        try:
            found[trial] = float(row[1])
        except ValueError as exc:
            raise SubmissionError(f"scores.csv, line {number}: the score must be a number.") from exc
        if not np.isfinite(found[trial]):
            raise SubmissionError(f"scores.csv, line {number}: the score must be finite.")
    missing = sorted(trials - set(found))
    if missing:
        raise SubmissionError(f"scores.csv: no score for trial(s) {', '.join(missing[:5])}.")
    return found


class SpeakerVerification(Challenge):
    slug = "speaker-verification"
    topic = "speaker-verification"
    title = "Same speaker or not?"
    task = (
        "`data/trials.csv` lists trials `trial,enrolment,test`: two clips from `data/clips/` (16 kHz). "
        "For each trial, say how likely it is that both clips hold the same speaker. Some clips are real "
        "conversational speech, others synthetic voices reading different sentences."
    )
    submission_format = (
        "`scores.csv` with a header `trial,score` and one row per trial; a higher score means more "
        "likely the same speaker (any scale: only the order matters)."
    )
    metric = "equal error rate (EER) over all trials, with minDCF (p_target 0.05) in the breakdown"
    threshold = 0.1
    higher_is_better = False
    baseline_method = (
        "the platform's default speaker-embedding engine (see its model card), cosine similarity"
    )

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        clips = _clips(rng)
        order = rng.permutation(len(clips))
        files, names, speakers = {}, [], []
        for number, index in enumerate(order, 1):
            audio, speaker = clips[index]
            audio = audio * float(rng.uniform(0.5, 1.2)) + rng.normal(0, 0.002, audio.size)
            name = f"c{number:02d}.wav"
            files[f"clips/{name}"] = wav_bytes(audio, SR)
            names.append(name)
            speakers.append(speaker)
        pairs = [(a, b) for a in range(len(names)) for b in range(a + 1, len(names))]
        same = [p for p in pairs if speakers[p[0]] == speakers[p[1]]]
        other = [p for p in pairs if speakers[p[0]] != speakers[p[1]]]
        chosen_same = [same[i] for i in rng.choice(len(same), size=min(len(same), 40), replace=False)]
        chosen_other = [other[i] for i in rng.choice(len(other), size=NON_TARGET_PER_TARGET * len(chosen_same),
                                                      replace=False)]  # fmt: skip
        trials = [(p, True) for p in chosen_same] + [(p, False) for p in chosen_other]
        trials = [trials[i] for i in rng.permutation(len(trials))]
        rows, reference = ["trial,enrolment,test"], {}
        for number, ((a, b), target) in enumerate(trials, 1):
            rows.append(f"t{number:03d},{names[a]},{names[b]}")
            reference[f"t{number:03d}"] = {"enrolment": names[a], "test": names[b], "target": target}
        files["trials.csv"] = "\n".join(rows).encode()
        sources = (
            SOURCE + " Synthetic speech: the project's espeak-ng speaker set (demos/samples/speakers, six "
            "formant-synthesis voices × four Harvard sentences, free to use), labelled synthetic here."
        )
        return Pack(files, reference, sources)

    def score(self, submission, reference, progress=None) -> Score:
        require_files(submission, ["scores.csv"])
        found = _scores(read_text(submission["scores.csv"], name="scores.csv"), set(reference))
        trials = sorted(reference)
        targets = np.array([reference[t]["target"] for t in trials], dtype=int)
        scores = np.array([found[t] for t in trials])
        eer = round(equal_error_rate(targets, scores), 4)
        breakdown = {
            "min_dcf": round(min_dcf(targets, scores), 4),
            "p_target": P_TARGET,
            "target_trials": int(targets.sum()),
            "non_target_trials": int((1 - targets).sum()),
        }
        return Score(eer, self.passes(eer), breakdown)

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        from webapp.challenges.catalog._engines import engine_output

        embeddings = {}
        for name, data in pack.files.items():
            if name.startswith("clips/"):
                vector = np.array(engine_output("speaker-embedding", data).data["embedding"])
                embeddings[name.removeprefix("clips/")] = vector / (np.linalg.norm(vector) + 1e-9)
        rows = ["trial,score"]
        for line in pack.files["trials.csv"].decode().splitlines()[1:]:
            trial, a, b = line.split(",")
            rows.append(f"{trial},{float(embeddings[a] @ embeddings[b]):.5f}")
        return {"scores.csv": "\n".join(rows).encode()}
