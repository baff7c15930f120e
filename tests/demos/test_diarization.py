"""The diarization demo: RTTM parsing, DER parts on hand-made turns, a real job on pyannote's
two-speaker sample scored against its reference, and the forced-count exercise."""

from pathlib import Path

import gradio as gr
import pytest

from demos.common import exercise_check
from demos.diarization import (
    SAMPLE_BACKEND,
    available_backends,
    build,
    diarize,
    overlap_note,
    pyannote_sample,
    summary_text,
)
from demos.diarization.der import der_parts
from demos.diarization.exercises import EXERCISES
from demos.diarization.rttm import RttmError, SpeakerTurn, parse_rttm, speaker_totals
from tests.demos.conftest import exercise_job_result

T = SpeakerTurn
REFERENCE = [T(0, 10, "A"), T(10, 20, "B")]


def test_parse_rttm_reads_speaker_lines_in_time_order():
    text = (
        ";; a comment\n"
        "SPEAKER call 1 4.50 1.25 <NA> <NA> bob <NA> <NA>\n"
        "\n"
        "SPEAKER call 1 0.00 3.00 <NA> <NA> alice <NA> <NA>\n"
        "SPKR-INFO call 1 <NA> <NA> <NA> unknown alice <NA> <NA>\n"
    )

    assert parse_rttm(text) == [T(0.0, 3.0, "alice"), T(4.5, 5.75, "bob")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SPEAKER call 1 0.0 1.0\n", "line 1 has 5 fields"),
        ("SPEAKER call 1 zero 1.0 <NA> <NA> a <NA> <NA>\n", "must be numbers"),
        ("SPEAKER call 1 0.0 -1.0 <NA> <NA> a <NA> <NA>\n", "cannot be negative"),
        ("hello\n", "no SPEAKER lines"),
    ],
)
def test_parse_rttm_names_the_problem(text, message):
    with pytest.raises(RttmError, match=message):
        parse_rttm(text)


def test_speaker_totals_in_order_of_appearance():
    assert speaker_totals([T(0, 2, "b"), T(2, 3, "a"), T(3, 6, "b")]) == {"b": 5.0, "a": 1.0}


@pytest.mark.parametrize(
    ("hypothesis", "missed", "false_alarm", "confusion"),
    [
        ([T(0, 10, "x"), T(10, 20, "y")], 0, 0, 0),  # perfect, whatever the names
        ([T(0, 8, "x"), T(8, 20, "y"), T(20, 22, "z")], 0, 2, 2),  # late switch + speech after the end
        ([T(1, 9, "x"), T(12, 20, "y")], 4, 0, 0),  # edges missed
        ([T(0, 20, "x")], 0, 0, 10),  # one speaker for two: half is confusion
        ([T(0, 5, "x"), T(5, 10, "y"), T(10, 20, "z")], 0, 0, 5),  # three for two: the extra one is confusion
    ],
)
def test_der_parts_on_hand_made_turns(hypothesis, missed, false_alarm, confusion):
    parts = der_parts(REFERENCE, hypothesis)

    assert (parts.total, parts.missed, parts.false_alarm, parts.confusion) == (
        20,
        missed,
        false_alarm,
        confusion,
    )
    assert parts.der == pytest.approx((missed + false_alarm + confusion) / 20)


def test_der_collar_leaves_boundaries_unscored():
    parts = der_parts(REFERENCE, [T(0, 8, "x"), T(8, 20, "y"), T(20, 22, "z")], collar=1.0)

    assert (parts.total, parts.false_alarm, parts.confusion) == (18, 1.5, 1.5)
    assert "DER 16.7% of 18.0 s" in parts.text() and "collar 1 s" in parts.text()


def test_overlap_counts_once_per_speaker():
    parts = der_parts([T(0, 10, "A"), T(5, 15, "B")], [T(0, 15, "x")])

    assert (parts.total, parts.missed, parts.confusion) == (20, 5, 5)


def test_summary_text_lists_each_speaker():
    text = summary_text([T(0, 2, "S0"), T(2, 3, "S1"), T(3, 6, "S0")], 2, False, 7.0)

    assert (
        text == "2 speaker(s) (estimated) in 7.0 s of audio. S0: 5.0 s in 2 turn(s); S1: 1.0 s in 1 turn(s)."
    )
    assert summary_text([], 0, False, 3.0) == "No speech found in 3.0 s of audio, so no speakers."


def test_the_sample_is_found_in_the_installed_package():
    wav, rttm = pyannote_sample()

    assert Path(wav).is_file() and "site-packages/pyannote/audio/sample" in wav
    assert {t.speaker for t in parse_rttm(Path(rttm).read_text())} == {"speaker90", "speaker91"}


@pytest.mark.django_db
def test_diarize_the_sample_and_score_it(learner_request, inline_jobs):
    wav, rttm = pyannote_sample()

    timeline, summary, count, rows, rttm_path, der_text, der_plot = diarize(
        wav, 0, rttm, request=learner_request, backend=SAMPLE_BACKEND
    )

    assert count == "### 2 speakers (estimated)"
    assert summary.startswith("2 speaker(s) (estimated) in 30.0 s of audio.")
    turns = parse_rttm(Path(rttm_path).read_text())
    assert [[t.speaker, round(t.start, 2), round(t.end, 2)] for t in turns] == [r[:3] for r in rows]
    assert {r[0] for r in rows} == {"SPEAKER_00", "SPEAKER_01"}
    der = der_parts(parse_rttm(Path(rttm).read_text()), turns)
    assert der.der < 0.35
    assert der_text.startswith(f"DER {der.der:.1%} of {der.total:.1f} s of reference speech")
    assert "Reference: 2 speaker(s)." in der_text
    lanes = [t.get_text() for t in timeline.axes[0].get_yticklabels()]
    assert lanes == [
        "system: SPEAKER_00",
        "system: SPEAKER_01",
        "reference: speaker90",
        "reference: speaker91",
    ]
    assert der_plot.axes[0].get_title().startswith(f"DER {100 * der.der:.1f} %")


@pytest.mark.django_db
def test_the_overlap_switch_asks_the_diarizer_for_second_speaker_labels(learner_request, inline_jobs):
    """The switch reaches the worker's job as `label_overlap` (and only when on); the sample's two
    women talk over each other at times, which the default's labels then show."""
    from workers.models import InferenceJob

    wav, _ = pyannote_sample()

    *_, plain_rows, _rttm, _der, _plot = diarize(wav, 2, None, request=learner_request)
    *_, marked_rows, _rttm, _der, _plot = diarize(wav, 2, None, request=learner_request, label_overlap=True)

    params = sorted((job.params for job in InferenceJob.objects.all()), key=len)
    assert params == [{"num_speakers": 2}, {"num_speakers": 2, "label_overlap": True}]

    def overlaps(rows):
        return sum(
            a[0] != b[0] and a[1] < b[2] and b[1] < a[2] for i, a in enumerate(rows) for b in rows[i + 1 :]
        )

    assert overlaps(plain_rows) == 0 and overlaps(marked_rows) > 0


def test_the_overlap_switch_says_what_each_diarizer_does_with_overlap():
    note = overlap_note()
    assert "spectral-dvector with this switch" in note
    assert "vad-embedding-clustering never" in note


@pytest.mark.django_db
def test_diarize_refuses_bad_inputs(learner_request, visitor_request, tmp_path):
    wav, _ = pyannote_sample()
    junk = tmp_path / "ref.rttm"
    junk.write_text("not rttm\n")

    with pytest.raises(gr.Error, match="Upload or record a conversation"):
        diarize(None, 0, None, request=learner_request)
    with pytest.raises(gr.Error, match="0 \\(estimate it\\) or 1 to 8"):
        diarize(wav, 12, None, request=learner_request)
    with pytest.raises(gr.Error, match="no SPEAKER lines"):
        diarize(wav, 0, str(junk), request=learner_request)
    with pytest.raises(gr.Error, match="Log in"):
        diarize(wav, 0, None, request=visitor_request)


@pytest.mark.django_db
def test_forcing_three_speakers_exercise_is_measured(learner, learner_request, inline_jobs):
    exercise = EXERCISES[0]

    text = exercise_check(exercise, "Better (lower DER)", learner_request)
    answer, measured = exercise_job_result(learner)

    estimated = float(measured["DER, speaker count estimated"].rstrip("%"))
    forced = float(measured["DER, forced to 3 speakers"].rstrip("%"))
    assert answer == "Worse (higher DER)" and forced > estimated
    assert "the run says “Worse (higher DER)”" in text


@pytest.mark.django_db
def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)


def test_the_diarizer_can_be_chosen_and_the_default_comes_first():
    backends = [backend for _label, backend in available_backends()]
    assert backends[:3] == ["spectral-dvector", "spectral-resemblyzer", "vad-embedding-clustering"]
    assert SAMPLE_BACKEND in backends
