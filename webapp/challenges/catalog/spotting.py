"""Keyword spotting in a noisy stream of words spoken by espeak-ng voices (synthetic speech), scored by
F1 at a false-alarm budget: F1 counts only if false alarms per minute stay within the budget."""

import csv
import io

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

SR, WORDS, TOLERANCE, FA_BUDGET = 16_000, 24, 0.5, 2.0  # ±0.5 s around a word; ≤ 2 false alarms/min
KEYWORDS = ("yes", "no", "up", "down", "left", "right", "stop", "go")
FILLERS = ("house", "seven", "table", "window", "river", "orange", "paper", "garden", "morning", "yellow")
VOICES = ("en-us", "en-gb", "en-us+f3", "en-gb-x-rp+f4", "en-029+m7", "en-gb-scotland+m3")


def _detections(text: str) -> list[tuple[str, float]]:
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() == "keyword":
        rows = rows[1:]
    found = []
    for number, row in enumerate(rows, 2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2:
            raise SubmissionError(f"detections.csv, line {number}: expected keyword,time.")
        keyword = row[0].strip().lower()
        if keyword not in KEYWORDS:
            raise SubmissionError(
                f"detections.csv, line {number}: {keyword[:20]!r} is not a keyword ({', '.join(KEYWORDS)})."
            )
        try:
            time = float(row[1])
        except ValueError as exc:
            raise SubmissionError(f"detections.csv, line {number}: the time must be seconds.") from exc
        if not np.isfinite(time) or time < 0:
            raise SubmissionError(f"detections.csv, line {number}: the time must be ≥ 0 seconds.")
        found.append((keyword, time))
    if len(found) > 1000:
        raise SubmissionError(f"detections.csv: {len(found)} detections is far too many.")
    return found


def match(truth: list[dict], found: list[tuple[str, float]]) -> tuple[int, int, int]:
    """(hits, misses, false alarms): each spoken keyword takes at most one detection of the same word
    from TOLERANCE before its start to TOLERANCE after its end, earliest first."""
    used = [False] * len(truth)
    hits = 0
    for keyword, time in sorted(found, key=lambda d: d[1]):
        for i, word in enumerate(truth):
            if (
                not used[i]
                and word["word"] == keyword
                and word["start"] - TOLERANCE <= time <= word["end"] + TOLERANCE
            ):
                used[i] = True
                hits += 1
                break
    return hits, len(truth) - hits, len(found) - hits


class KeywordSpotting(Challenge):
    slug = "keyword-spotting"
    topic = "keyword-spotting"
    title = "Catch the keywords"
    task = (
        f"`data/stream.wav` (16 kHz) is a noisy stream of single words spoken by synthetic voices. Find every "
        f"keyword ({', '.join(KEYWORDS)}) and when it is said; other words must not trigger a detection."
    )
    submission_format = (
        "`detections.csv` with a header `keyword,time` and one row per detection (time in seconds; a "
        f"detection counts if it falls within {TOLERANCE:g} s of the spoken keyword)."
    )
    metric = f"keyword F1 at a budget of {FA_BUDGET:g} false alarms per minute (0 if over the budget)"
    threshold = 0.8
    baseline_method = (
        "the platform's default recogniser (faster-whisper tiny.en) with word timestamps: every recognised "
        "word that is a keyword becomes a detection at the word's middle"
    )

    def build(self, seed: int) -> Pack:
        from workers.engines._kws_data import coloured_noise, speak

        rng = np.random.default_rng(seed)
        words = [str(w) for w in rng.choice(KEYWORDS, size=WORDS * 2 // 3)]
        words += [str(w) for w in rng.choice(FILLERS, size=WORDS - len(words))]
        words = [words[i] for i in rng.permutation(len(words))]
        parts, truth, cursor = [], [], 0.0
        for word in words:
            gap = float(rng.uniform(0.8, 2.0))
            voice = str(rng.choice(VOICES))
            audio = speak(word, voice, int(rng.integers(130, 190)), int(rng.integers(30, 70)))
            parts += [
                np.zeros(int(gap * SR)),
                audio * float(rng.uniform(0.4, 0.9)) / (np.abs(audio).max() + 1e-9),
            ]
            start = cursor + int(gap * SR) / SR
            truth.append({"word": word, "start": round(start, 3), "end": round(start + audio.size / SR, 3)})
            cursor = start + audio.size / SR
        parts.append(np.zeros(SR))
        stream = np.concatenate(parts)
        speech_rms = np.sqrt(np.mean(np.concatenate(parts[1::2]) ** 2))
        snr_db = float(rng.uniform(10, 20))
        stream = stream + coloured_noise(stream.size, rng, "pink") * speech_rms / 10 ** (snr_db / 20)
        reference = {"minutes": round(stream.size / SR / 60, 4), "keywords": [t for t in truth if t["word"] in KEYWORDS],
                     "fillers": [t for t in truth if t["word"] not in KEYWORDS], "snr_db": round(snr_db, 1)}  # fmt: skip
        sources = (
            "Synthetic speech: single words spoken by espeak-ng voices (formant synthesis, GPL-3 program, output "
            "free to use), in pink noise at 10–20 dB SNR generated for this pack."
        )
        return Pack({"stream.wav": wav_bytes(stream, SR)}, reference, sources)

    def score(self, submission, reference, progress=None) -> Score:
        require_files(submission, ["detections.csv"])
        found = _detections(read_text(submission["detections.csv"], name="detections.csv"))
        hits, misses, false_alarms = match(reference["keywords"], found)
        f1 = 2 * hits / max(1, 2 * hits + misses + false_alarms)
        per_minute = false_alarms / reference["minutes"]
        value = round(f1 if per_minute <= FA_BUDGET else 0.0, 4)
        breakdown = {
            "f1": round(f1, 4), "hits": hits, "misses": misses, "false_alarms": false_alarms,
            "false_alarms_per_minute": round(per_minute, 2), "budget_per_minute": FA_BUDGET,
            "within_budget": per_minute <= FA_BUDGET,
        }  # fmt: skip
        return Score(value, self.passes(value), breakdown)

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        from webapp.challenges.catalog._engines import engine_output

        words = engine_output("asr", pack.files["stream.wav"], backend="faster-whisper").data["words"]
        rows = ["keyword,time"]
        for word in words:
            text = "".join(ch for ch in word["word"].lower() if ch.isalpha())
            if text in KEYWORDS:
                rows.append(f"{text},{(word['start'] + word['end']) / 2:.2f}")
        return {"detections.csv": "\n".join(rows).encode()}
