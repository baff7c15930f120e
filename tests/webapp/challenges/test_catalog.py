"""Each challenge scores a good submission as passing, a weak one as failing, and a malformed one
with a clear error; packs are deterministic per seed, differ between seeds, and hold no answers."""

import io
import zipfile

import numpy as np
import pytest

from webapp.challenges.catalog import CHALLENGES
from webapp.challenges.catalog.base import SubmissionError, read_wav, wav_bytes
from webapp.challenges.packs import pack_zip

SEED = 1234


@pytest.fixture(scope="module")
def packs():
    return {slug: challenge.build(SEED) for slug, challenge in CHALLENGES.items()}


def test_resampling(packs):
    challenge, pack = CHALLENGES["resampling"], packs["resampling"]
    good = challenge.score(challenge.baseline_submission(pack), pack.reference)
    audio, _ = read_wav(pack.files["tones_48k.wav"], name="x")
    weak = challenge.score({"resampled.wav": wav_bytes(audio[::3], 16_000)}, pack.reference)
    assert good.passed and good.value > 50
    assert not weak.passed and weak.value < 10
    assert max(a["level_db"] for a in weak.breakdown["aliases"]) > -20  # the folded tones are there
    with pytest.raises(SubmissionError, match="16000 Hz"):
        challenge.score({"resampled.wav": wav_bytes(audio, 48_000)}, pack.reference)


def _beats(reference: dict, *, every: int = 1, jitter: float = 0.0) -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    return {
        f"{clip}.txt": "\n".join(
            f"{t + rng.uniform(-jitter, jitter):.3f}" for t in truth["beats"][::every]
        ).encode()
        for clip, truth in reference.items()
    }


def test_beat_tracking(packs):
    challenge, pack = CHALLENGES["beat-tracking"], packs["beat-tracking"]
    assert challenge.score(_beats(pack.reference, jitter=0.03), pack.reference).passed
    half_tempo = challenge.score(_beats(pack.reference, every=2), pack.reference)
    assert not half_tempo.passed and half_tempo.value < 0.75
    bad = _beats(pack.reference)
    bad["loop1.txt"] = b"0.5\nabout one second\n"
    with pytest.raises(SubmissionError, match=r"loop1\.txt, line 2"):
        challenge.score(bad, pack.reference)
    bad["loop1.txt"] = b"\xff\xfe0.5"
    with pytest.raises(SubmissionError, match="not UTF-8"):
        challenge.score(bad, pack.reference)
    with pytest.raises(SubmissionError, match="Missing file"):
        challenge.score({"loop1.txt": b"1.0"}, pack.reference)


def _segments(reference: dict, shift: float = 0.0, everything: bool = False) -> dict[str, bytes]:
    rows = ["file,start,end"]
    for name, truth in reference.items():
        spans = (
            [(0, truth["seconds"])] if everything else [(a + shift, b + shift) for a, b in truth["speech"]]
        )
        rows += [f"{name},{max(0.0, a):.2f},{b:.2f}" for a, b in spans]
    return {"segments.csv": "\n".join(rows).encode()}


def test_vad(packs):
    challenge, pack = CHALLENGES["vad"], packs["vad"]
    good = challenge.score(_segments(pack.reference, shift=0.03), pack.reference)
    everything = challenge.score(_segments(pack.reference, everything=True), pack.reference)
    assert good.passed and good.value > 0.95
    assert not everything.passed and everything.breakdown["recall"] == 1.0
    with pytest.raises(SubmissionError, match="unknown file"):
        challenge.score({"segments.csv": b"file,start,end\nclip9.wav,0,1\n"}, pack.reference)
    with pytest.raises(SubmissionError, match="start < end"):
        challenge.score({"segments.csv": b"clip1.wav,2,1\n"}, pack.reference)


@pytest.mark.parametrize("slug", sorted(CHALLENGES))
def test_packs_are_deterministic_differ_by_seed_and_hold_no_answers(slug, packs):
    challenge = CHALLENGES[slug]
    again, other = challenge.build(SEED), challenge.build(SEED + 1)
    assert again.files == packs[slug].files and again.reference == packs[slug].reference
    assert other.reference != packs[slug].reference
    with zipfile.ZipFile(io.BytesIO(pack_zip(challenge, packs[slug]))) as archive:
        names = archive.namelist()
        assert "README.md" in names and all(n == "README.md" or n.startswith("data/") for n in names)
        readme = archive.read("README.md").decode()
    assert challenge.metric in readme and f"{challenge.threshold:g}" in readme
    assert "reference answers stay on the server" in readme


def test_asr(packs):
    challenge, pack = CHALLENGES["asr"], packs["asr"]

    def csv_of(texts: dict[str, str]) -> dict[str, bytes]:
        lines = ["file,text"] + [f'{name},"{text}"' for name, text in texts.items()]
        return {"transcripts.csv": "\n".join(lines).encode()}

    good = dict(pack.reference)
    first = sorted(good)[0]
    good[first] = good[first].upper() + "!"  # case and punctuation don't count
    assert challenge.score(csv_of(good), pack.reference).value == 0.0
    weak = challenge.score(csv_of(dict.fromkeys(pack.reference, "hello")), pack.reference)
    assert not weak.passed and weak.value > 0.5
    with pytest.raises(SubmissionError, match="no line for"):
        challenge.score(csv_of({first: "hello"}), pack.reference)


def test_separation(packs):
    challenge, pack = CHALLENGES["separation"], packs["separation"]
    swapped = {f"{m}_{x}.wav": s["b" if x == "a" else "a"] for m, s in pack.reference.items() for x in "ab"}
    perfect = challenge.score(swapped, pack.reference)  # the order of a and b does not matter
    assert perfect.passed and perfect.value > 30
    mixture_twice = {f"{m}_{x}.wav": pack.files[f"{m}.wav"] for m in pack.reference for x in "ab"}
    assert challenge.score(mixture_twice, pack.reference).value == pytest.approx(0.0, abs=0.1)
    with pytest.raises(SubmissionError, match="Missing file"):
        challenge.score({"mix1_a.wav": mixture_twice["mix1_a.wav"]}, pack.reference)


def test_enhancement(packs):
    challenge, pack = CHALLENGES["enhancement"], packs["enhancement"]
    clean = {f"enhanced{i}.wav": truth["clean"] for i, truth in pack.reference.items()}
    noisy = {f"enhanced{i}.wav": truth["noisy"] for i, truth in pack.reference.items()}
    assert challenge.score(clean, pack.reference).passed
    unchanged = challenge.score(noisy, pack.reference)
    assert not unchanged.passed and unchanged.value == pytest.approx(0.0, abs=0.01)
    audio, _ = read_wav(clean["enhanced1.wav"], name="x")
    with pytest.raises(SubmissionError, match="16000 Hz"):
        challenge.score({**clean, "enhanced1.wav": wav_bytes(audio, 8000)}, pack.reference)


def test_diarization(packs):
    challenge, pack = CHALLENGES["diarization"], packs["diarization"]

    def rttm(label=None) -> dict[str, bytes]:
        return {
            f"{name}.rttm": "\n".join(
                f"SPEAKER {name} 1 {a} {b - a:.3f} <NA> <NA> {label or 'spk-' + s} <NA> <NA>"
                for a, b, s in turns
            ).encode()
            for name, turns in pack.reference.items()
        }

    perfect = challenge.score(rttm(), pack.reference)
    assert perfect.passed and perfect.value == 0.0
    one_speaker = challenge.score(rttm(label="A"), pack.reference)
    assert not one_speaker.passed and one_speaker.breakdown["confusion_s"] > 0
    broken = rttm()
    broken["conversation1.rttm"] = b"SPEAKER conversation1 1 zero 1.0 <NA> <NA> A <NA> <NA>"
    with pytest.raises(SubmissionError, match="seconds"):
        challenge.score(broken, pack.reference)


def test_scores_are_plain_python_whatever_the_metric_library_returns():
    from webapp.challenges.catalog.base import Score

    score = Score(
        np.float64(0.5), np.bool_(True), {"per_clip": {"a": np.float32(0.25)}, "m": np.array([1, 2])}
    )
    assert type(score.value) is float and score.passed is True
    assert score.breakdown == {"per_clip": {"a": 0.25}, "m": [1, 2]}
