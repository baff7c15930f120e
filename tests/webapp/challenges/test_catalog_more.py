"""The second set of challenges (speaker verification, music transcription, audio classification,
keyword spotting, TTS intelligibility): a good submission passes, a weak one fails, a malformed one
gets a clear error. Determinism and seed-dependence are covered for all challenges in test_catalog."""

import numpy as np
import pytest

from webapp.challenges.catalog import CHALLENGES
from webapp.challenges.catalog.base import SubmissionError, wav_bytes
from webapp.challenges.catalog.transcription import notes_midi

SEED = 4321
NEW = ("speaker-verification", "music-transcription", "audio-classification", "keyword-spotting",
       "tts-intelligibility")  # fmt: skip


@pytest.fixture(scope="module")
def packs():
    return {slug: CHALLENGES[slug].build(SEED) for slug in NEW}


def _csv(header: str, rows: list[str]) -> bytes:
    return "\n".join([header, *rows]).encode()


def test_speaker_verification(packs):
    challenge, pack = CHALLENGES["speaker-verification"], packs["speaker-verification"]
    trials = pack.reference
    assert {t["target"] for t in trials.values()} == {True, False}
    assert any(name.startswith("clips/") for name in pack.files) and "synthetic" in pack.sources
    good = [
        f"{t},{0.8 + 0.01 * (i % 5) if v['target'] else 0.1 + 0.01 * (i % 7)}"
        for i, (t, v) in enumerate(trials.items())
    ]
    perfect = challenge.score({"scores.csv": _csv("trial,score", good)}, trials)
    assert perfect.passed and perfect.value == 0.0 and perfect.breakdown["min_dcf"] == 0.0
    constant = challenge.score({"scores.csv": _csv("trial,score", [f"{t},0.5" for t in trials])}, trials)
    assert not constant.passed and constant.value == pytest.approx(0.5)
    inverted = [f"{t},{0.0 if v['target'] else 1.0}" for t, v in trials.items()]
    assert challenge.score({"scores.csv": _csv("trial,score", inverted)}, trials).value == 1.0
    with pytest.raises(SubmissionError, match="no score for trial"):
        challenge.score({"scores.csv": _csv("trial,score", good[1:])}, trials)
    with pytest.raises(SubmissionError, match="must be a number"):
        challenge.score(
            {"scores.csv": _csv("trial,score", [*good[1:], good[0].split(",")[0] + ",high"])}, trials
        )


def test_music_transcription(packs):
    challenge, pack = CHALLENGES["music-transcription"], packs["music-transcription"]
    notes = [tuple(n) for n in pack.reference["notes"]]
    perfect = challenge.score({"transcription.mid": notes_midi(notes)}, pack.reference)
    assert perfect.passed and perfect.value == 1.0
    late = [(a + 0.02, b, p) for a, b, p in notes]  # within the ±50 ms onset window
    assert challenge.score({"transcription.mid": notes_midi(late)}, pack.reference).value == 1.0
    semitone_up = challenge.score(
        {"transcription.mid": notes_midi([(a, b, p + 1) for a, b, p in notes])}, pack.reference
    )
    assert not semitone_up.passed and semitone_up.value == 0.0
    half = challenge.score({"transcription.mid": notes_midi(notes[::2])}, pack.reference)
    assert not half.passed and half.breakdown["precision"] == 1.0 and half.breakdown["recall"] < 0.6
    assert challenge.score({"transcription.mid": notes_midi([])}, pack.reference).value == 0.0
    with pytest.raises(SubmissionError, match="not a readable MIDI"):
        challenge.score({"transcription.mid": b"MThd\x00\x00\x00\x06garbage"}, pack.reference)


def test_audio_classification(packs):
    challenge, pack = CHALLENGES["audio-classification"], packs["audio-classification"]
    assert set(pack.reference.values()) == {"speech", "music", "noise", "tone"}
    train = pack.files["train/labels.csv"].decode().splitlines()[1:]
    assert len(train) == sum(n.startswith("train/clip") for n in pack.files)
    assert len(pack.reference) == sum(n.startswith("test/") for n in pack.files)
    perfect = challenge.score(
        {"predictions.csv": _csv("file,label", [f"{f},{lab}" for f, lab in pack.reference.items()])},
        pack.reference,
    )
    assert perfect.passed and perfect.value == 1.0 and perfect.breakdown["macro_f1"] == 1.0
    majority = challenge.score(challenge.baseline_submission(pack), pack.reference)
    assert not majority.passed and majority.value < 0.5
    matrix = majority.breakdown["confusion"]["rows_true_columns_predicted"]
    assert (
        sum(map(sum, matrix)) == len(pack.reference)
        and sum(1 for col in zip(*matrix, strict=True) if any(col)) == 1
    )
    rows = [f"{f},{lab}" for f, lab in pack.reference.items()]
    with pytest.raises(SubmissionError, match="is not one of"):
        challenge.score(
            {"predictions.csv": _csv("file,label", [*rows[1:], rows[0].split(",")[0] + ",birdsong"])},
            pack.reference,
        )
    with pytest.raises(SubmissionError, match="no label for"):
        challenge.score({"predictions.csv": _csv("file,label", rows[1:])}, pack.reference)


def test_keyword_spotting(packs):
    challenge, pack = CHALLENGES["keyword-spotting"], packs["keyword-spotting"]
    keywords, fillers = pack.reference["keywords"], pack.reference["fillers"]
    assert keywords and fillers and "espeak-ng" in pack.sources and "Synthetic" in pack.sources
    at_end = [f"{w['word']},{w['end'] + 0.3:.2f}" for w in keywords]  # a streaming spotter fires late
    perfect = challenge.score({"detections.csv": _csv("keyword,time", at_end)}, pack.reference)
    assert perfect.passed and perfect.value == 1.0 and perfect.breakdown["false_alarms"] == 0
    trigger_happy = at_end + [f"yes,{w['start']:.2f}" for w in fillers]  # every filler word fires too
    noisy = challenge.score({"detections.csv": _csv("keyword,time", trigger_happy)}, pack.reference)
    assert not noisy.breakdown["within_budget"] and noisy.value == 0.0 and noisy.breakdown["f1"] > 0.5
    wrong_word = [
        f"{'no' if w['word'] == 'yes' else 'yes'},{(w['start'] + w['end']) / 2:.2f}" for w in keywords
    ]
    confused = challenge.score({"detections.csv": _csv("keyword,time", wrong_word)}, pack.reference)
    assert confused.breakdown["hits"] == 0 and confused.value == 0.0
    with pytest.raises(SubmissionError, match="is not a keyword"):
        challenge.score({"detections.csv": _csv("keyword,time", ["banana,1.0"])}, pack.reference)
    with pytest.raises(SubmissionError, match="not UTF-8"):
        challenge.score({"detections.csv": b"\xff\xfeyes,1.0"}, pack.reference)


def test_tts_intelligibility_runs_the_real_tts_and_recogniser(packs):
    challenge, pack = CHALLENGES["tts-intelligibility"], packs["tts-intelligibility"]
    piper = challenge.baseline_submission(pack)  # Piper speaks, faster-whisper listens
    good = challenge.score(piper, pack.reference)
    assert good.passed and good.value <= 0.15
    rng = np.random.default_rng(0)
    hiss = {name: wav_bytes(0.05 * rng.standard_normal(int(16_000 * truth["expected_seconds"])), 16_000)
            for name, truth in pack.reference.items()}  # fmt: skip
    weak = challenge.score(hiss, pack.reference)
    assert not weak.passed and weak.value >= 0.9
    with pytest.raises(SubmissionError, match=r"s1\.wav: lasts 0\.2 s"):
        challenge.score({**piper, "s1.wav": wav_bytes(np.zeros(3_200) + 0.01, 16_000)}, pack.reference)
    with pytest.raises(SubmissionError, match="Missing file"):
        challenge.score({"s1.wav": piper["s1.wav"]}, pack.reference)
