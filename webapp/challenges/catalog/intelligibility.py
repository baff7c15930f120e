"""TTS intelligibility: the learner synthesises given sentences; the platform's default recogniser
transcribes them and the word error rate against the sentences is the score (lower is better). A clip
far shorter or longer than the sentence's normal speaking time is refused, so padding or truncation
can't game it."""

import csv
import io

import numpy as np

from webapp.challenges.catalog.asr import normalise
from webapp.challenges.catalog.base import (
    Challenge,
    Pack,
    Score,
    SubmissionError,
    no_progress,
    read_wav,
    require_files,
    wav_bytes,
)

SENTENCES = (
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It is easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
    "The boy was there when the sun rose.",
    "A rod is used to catch pink salmon.",
    "The source of the huge river is the clear spring.",
    "Kick the ball straight and follow through.",
    "Help the woman get back to her feet.",
    "A pot of tea helps to pass the evening.",
)  # fmt: skip  (Harvard sentences, IEEE 1969, public domain)
CLIPS, WORDS_PER_SECOND, MIN_RATIO, MAX_RATIO, MAX_SECONDS = 5, 2.5, 0.5, 3.0, 30.0


def expected_seconds(text: str) -> float:
    """A normal speaking time: 150 words per minute."""
    return len(text.split()) / WORDS_PER_SECOND


class TtsIntelligibility(Challenge):
    slug = "tts-intelligibility"
    topic = "tts-pipeline"
    title = "Speak so a machine understands"
    task = (
        f"`data/sentences.csv` lists {CLIPS} sentences (`file,text`). Synthesise each one with a TTS system "
        "you build or configure, and submit the audio. A recogniser will transcribe your clips."
    )
    submission_format = (
        f"`s1.wav` … `s{CLIPS}.wav`: mono WAV or FLAC at 16–48 kHz. Each clip must last {MIN_RATIO:g}–"
        f"{MAX_RATIO:g}× the sentence's normal speaking time (150 words per minute), at most {MAX_SECONDS:g} s; "
        "other clips are refused."
    )
    metric = "word error rate of the platform's default recogniser (faster-whisper tiny.en) on your clips"
    threshold = 0.15
    higher_is_better = False
    baseline_method = "the platform's default TTS (Piper, joe-us voice), default speed"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        chosen = [SENTENCES[i] for i in rng.choice(len(SENTENCES), size=CLIPS, replace=False)]
        rows = io.StringIO()
        writer = csv.writer(rows)
        writer.writerow(["file", "text"])
        reference = {}
        for number, text in enumerate(chosen, 1):
            writer.writerow([f"s{number}.wav", text])
            reference[f"s{number}.wav"] = {"text": text, "expected_seconds": round(expected_seconds(text), 2)}
        sources = "Harvard sentences (IEEE 1969, public domain); no audio: the learner makes it."
        return Pack({"sentences.csv": rows.getvalue().encode()}, reference, sources)

    def score(self, submission, reference, progress=None) -> Score:
        import jiwer

        from webapp.challenges.catalog._engines import engine_output

        require_files(submission, sorted(reference))
        clips = {}
        for name, truth in sorted(reference.items()):
            audio, sr = read_wav(submission[name], name=name)
            seconds, expected = audio.size / sr, truth["expected_seconds"]
            if not 16_000 <= sr <= 48_000:
                raise SubmissionError(f"{name}: the sample rate must be 16–48 kHz (it is {sr} Hz).")
            if seconds > MAX_SECONDS or not MIN_RATIO * expected <= seconds <= MAX_RATIO * expected:
                raise SubmissionError(
                    f"{name}: lasts {seconds:.1f} s; for this sentence it must last "
                    f"{MIN_RATIO * expected:.1f}–{min(MAX_SECONDS, MAX_RATIO * expected):.1f} s."
                )
            clips[name] = (audio, sr, seconds)
        per_clip, truths, heard = {}, [], []
        for done, (name, (audio, sr, seconds)) in enumerate(clips.items()):
            (progress or no_progress)(done / len(clips), f"Transcribing {name}…")
            text = engine_output("asr", wav_bytes(audio, sr), backend="faster-whisper").data["text"]
            truth, hypothesis = normalise(reference[name]["text"]), normalise(text)
            truths.append(truth)
            heard.append(hypothesis)
            per_clip[name] = {"reference": truth, "hypothesis": hypothesis, "seconds": round(seconds, 2),
                              "wer": round(float(jiwer.wer(truth, hypothesis)), 3)}  # fmt: skip
        wer = round(float(jiwer.wer(truths, heard)), 4)
        return Score(wer, self.passes(wer), {"per_clip": per_clip})

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        from workers.engines.runner import engine_infer

        out = {}
        for row in list(csv.DictReader(io.StringIO(pack.files["sentences.csv"].decode()))):
            speech, sr = engine_infer("tts", backend="piper", text=row["text"]).output.audio["speech"]
            out[row["file"]] = wav_bytes(speech, sr)
        return out
