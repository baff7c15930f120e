"""Speaker diarization of simulated conversations made from a real two-person recording: its
single-speaker stretches placed in a new order with pauses and some overlap, references made
alongside. Scored by DER (pyannote.metrics, overlap scored, no collar) with its parts."""

import numpy as np

from webapp.challenges.catalog._engines import engine_output
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

CLIPS, TURNS = 2, 8


def _parse_rttm(text: str, *, name: str):
    from pyannote.core import Annotation, Segment

    annotation = Annotation()
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0] != "SPEAKER" or len(fields) < 8:
            raise SubmissionError(f"{name}, line {number}: not an RTTM SPEAKER line.")
        try:
            start, duration = float(fields[3]), float(fields[4])
        except ValueError as exc:
            raise SubmissionError(f"{name}, line {number}: onset and duration must be seconds.") from exc
        if start < 0 or duration <= 0:
            raise SubmissionError(f"{name}, line {number}: needs onset ≥ 0 and duration > 0.")
        annotation[Segment(start, start + duration), number] = fields[7]
    return annotation


def _turn_order(rng: np.random.Generator, pieces: list) -> list[int]:
    """Piece indexes for one conversation: the speakers take turns, and each turn goes to whoever has
    spoken less so far when a speaker would otherwise talk twice as long — so both talk about
    equally and labelling everything as one person cannot pass."""
    by_speaker: dict[str, list[int]] = {}
    for index, (_, _, speaker) in enumerate(pieces):
        by_speaker.setdefault(speaker, []).append(index)
    speakers = sorted(by_speaker)
    spoken = dict.fromkeys(speakers, 0.0)
    current = speakers[int(rng.integers(len(speakers)))]
    order = []
    for _ in range(TURNS):
        index = int(rng.choice(by_speaker[current]))
        order.append(index)
        spoken[current] += pieces[index][1] - pieces[index][0]
        others = [s for s in speakers if s != current]
        current = min([*others, current], key=lambda s: (spoken[s], s != others[0]))
    return order


class Diarization(Challenge):
    slug = "diarization"
    topic = "speaker-diarization"
    title = "Who spoke when?"
    task = (
        f"`data/conversation1.wav` and `conversation{CLIPS}.wav` (16 kHz) are conversations between two real "
        "speakers, with pauses and a few overlaps. Say who speaks when (you don't know their names; "
        "any labels will do, as long as one person keeps one label)."
    )
    submission_format = (
        "A zip with `conversation1.rttm` and `conversation2.rttm` (RTTM: `SPEAKER <file> 1 <onset> <duration> "
        "<NA> <NA> <label> <NA> <NA>`), or one RTTM per file at the top of the zip."
    )
    metric = "diarization error rate (pyannote.metrics, overlap scored, no collar), over both files"
    threshold = 0.25
    higher_is_better = False
    baseline_method = "the platform's default diarization engine"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        audio, sr, _ = real_sample()
        pieces = single_speaker_pieces(min_seconds=1.0)
        files, reference = {}, {}
        for i in range(1, CLIPS + 1):
            order = _turn_order(rng, pieces)
            total = sum(pieces[k][1] - pieces[k][0] for k in order) + 2.0 * TURNS + 1.0
            track = np.zeros(int(total * sr))
            turns, cursor = [], 0.5
            for k in order:
                start, end, speaker = pieces[k]
                overlap = rng.random() < 0.2 and turns
                cursor = (
                    max(0.0, cursor - float(rng.uniform(0.2, 0.6)))
                    if overlap
                    else cursor + float(rng.uniform(0.2, 1.2))
                )
                piece = audio[int(start * sr) : int(end * sr)]
                at = int(cursor * sr)
                track[at : at + piece.size] += piece[: track.size - at]
                turns.append((round(cursor, 3), round(cursor + piece.size / sr, 3), speaker))
                cursor += piece.size / sr
            track = track[: int((cursor + 0.5) * sr)]
            files[f"conversation{i}.wav"] = wav_bytes(track, sr)
            reference[f"conversation{i}"] = turns
        return Pack(files, reference, SOURCE + " Rearranged into new conversations for this pack.")

    def score(self, submission, reference, progress=None) -> Score:
        from pyannote.core import Annotation, Segment
        from pyannote.metrics.diarization import DiarizationErrorRate

        require_files(submission, [f"{name}.rttm" for name in reference])
        metric = DiarizationErrorRate(collar=0.0, skip_overlap=False)
        per_file = {}
        for name, turns in sorted(reference.items()):
            truth = Annotation()
            for n, (start, end, speaker) in enumerate(turns):
                truth[Segment(start, end), n] = speaker
            hypothesis = _parse_rttm(
                read_text(submission[f"{name}.rttm"], name=f"{name}.rttm"), name=f"{name}.rttm"
            )
            parts = metric(truth, hypothesis, detailed=True)
            per_file[name] = {
                k: round(float(parts[k]), 3)
                for k in ("diarization error rate", "missed detection", "false alarm", "confusion", "total")
            }
        totals = abs(metric)
        components = metric[:]  # accumulated over both files
        breakdown = {
            "per_file": per_file,
            "missed_detection_s": round(float(components["missed detection"]), 2),
            "false_alarm_s": round(float(components["false alarm"]), 2),
            "confusion_s": round(float(components["confusion"]), 2),
            "speech_s": round(float(components["total"]), 2),
        }
        value = round(float(totals), 4)
        return Score(value, self.passes(value), breakdown)

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        out = {}
        for name, data in sorted(pack.files.items()):
            stem = name.removesuffix(".wav")
            result = engine_output("diarization", data).data
            lines = [
                f"SPEAKER {stem} 1 {t['start']:.3f} {t['end'] - t['start']:.3f} <NA> <NA> {t['speaker']} <NA> <NA>"
                for t in result["turns"]
            ]
            out[f"{stem}.rttm"] = "\n".join(lines).encode()
        return out
