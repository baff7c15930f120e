"""The ASR demo: real recognisers as jobs on the shipped clip, WER alignment counts on hand-made
texts, CTC collapsing, noise at an SNR, and the noise exercise measured with the default engine."""

import gradio as gr
import numpy as np
import pytest

from demos.asr import available_backends, build, default_backend, recognise, wer_markdown
from demos.asr.ctc import collapse, frame_labels_markdown, runs
from demos.asr.exercises import EXERCISES, WER_CHOICES, wer_choice
from demos.asr.wer import AlignedWord, align, alignment_text
from demos.common import exercise_check
from demos.models import PredictionAttempt
from demos.samples import SPEECH_EN, SPEECH_EN_TEXT
from workers.audio_io import load_audio
from workers.models import InferenceJob


def test_alignment_counts_substitution_insertion_and_deletion():
    result = align("one two three four five six", "one too three five six seven")

    assert (result.hits, result.substitutions, result.deletions, result.insertions) == (4, 1, 1, 1)
    assert result.reference_length == 6 and result.wer == pytest.approx(3 / 6)
    assert [w.op for w in result.words] == ["ok", "S", "ok", "D", "ok", "ok", "I"]
    assert result.words[1] == AlignedWord("S", "two", "too")
    assert result.words[3] == AlignedWord("D", "four", "")
    assert result.words[6] == AlignedWord("I", "", "seven")


def test_alignment_ignores_case_punctuation_and_hyphens():
    result = align("It's a well-known fact.", "its a well known fact")

    assert result.wer == 0.0 and result.hits == 5


def test_empty_transcript_is_all_deletions_and_wer_can_exceed_one():
    assert align("one two three", "").deletions == 3
    assert align("yes", "no no no").wer == 3.0  # 1 substitution + 2 insertions over 1 word


def test_empty_reference_is_refused():
    with pytest.raises(ValueError, match="no words"):
        align(" ... ", "anything")


def test_alignment_text_lines_up_words_and_marks_errors():
    text = alignment_text(align("one two three four five six", "one too three five six seven"))

    assert text == (
        "REF:  one TWO three FOUR five six *****\n"
        "HYP:  one TOO three **** five six SEVEN\n"
        "EVAL:     S         D             I"
    )


def test_alignment_text_wraps_long_utterances():
    words = " ".join(f"word{i}" for i in range(30))

    text = alignment_text(align(words, words), width=40)

    blocks = text.split("\n\n")
    assert len(blocks) > 3 and all(len(line) <= 40 for line in text.splitlines())
    assert blocks[0].startswith("REF:  word0 word1")


def test_ctc_collapse_merges_repeats_then_drops_blanks():
    labels = ["_", "H", "H", "E", "_", "L", "L", "_", "L", "O", "|", "|", "_", "W", "E", "_"]

    assert collapse(labels) == "HELLO WE"
    assert runs(labels)[:3] == [("_", 1), ("H", 2), ("E", 1)]


def test_frame_labels_markdown_shows_runs_and_collapsed_text():
    text = frame_labels_markdown(["_", "_", "A", "A", "_", "A"], duration=0.12, backend="transformers-ctc")

    assert "6 frames of about 20 ms" in text and "_×2 A×2 _ A" in text and "`AA`" in text
    assert "50% of frames are blank" in text


def test_non_ctc_backend_says_so_plainly():
    text = frame_labels_markdown([], duration=3.0, backend="faster-whisper")

    assert "`faster-whisper` is not a CTC model" in text and "encoder–decoder" in text


@pytest.mark.parametrize(
    ("clean", "noisy", "choice"),
    [(0.10, 0.12, 1), (0.10, 0.15, 1), (0.10, 0.30, 2), (0.10, 0.31, 3), (0.10, 0.50, 3), (0.40, 0.10, 0)],
)
def test_wer_change_picks_the_right_band(clean, noisy, choice):
    assert wer_choice(clean, noisy) == WER_CHOICES[choice]


def test_backends_offered_are_the_runnable_ones_with_faster_whisper_first():
    backends = [b for _, b in available_backends()]

    assert {"faster-whisper", "pocketsphinx"} <= set(backends)
    assert default_backend(available_backends()) == "faster-whisper"
    # Hub backends appear only when their local model directory is configured.
    assert ("transformers-ctc" in backends) == bool(__import__("os").environ.get("SOUNDPATH_CTC_MODEL_PATH"))


def test_wer_markdown_without_reference_invites_one():
    assert "Reference text" in wer_markdown("  ", "anything")


def test_recognise_the_sample_with_whisper(db, learner_request, learner, inline_jobs):
    result = recognise(str(SPEECH_EN), "faster-whisper", SPEECH_EN_TEXT, False, 10, request=learner_request)

    job = InferenceJob.objects.get(owner=learner, origin="asr")
    assert job.backend == "faster-whisper" and job.status == "succeeded"
    assert "pressure wave" in result.transcript.lower() and "frequency and time" in result.transcript.lower()
    words = [row[0].lower().strip(".,") for row in result.word_rows]
    # the second word is "is" or "in" depending on the CPU's int8 kernels (see test_asr_faster_whisper)
    assert words[0] == "sound" and words[2:5] == ["a", "pressure", "wave"]
    assert result.word_rows[0][1] < 0.3 and result.word_rows[-1][2] > 6.0  # the clip is 6.9 s
    assert all(row[1] <= row[2] for row in result.word_rows)
    assert "WER " in result.wer_markdown and "/ N 16 reference words" in result.wer_markdown
    assert "REF:  sound" in result.wer_markdown and "HYP:  sound" in result.wer_markdown
    assert "not a CTC model" in result.frame_markdown
    assert result.heard[0] == 16000 and "no noise added" in result.heard_text
    assert f"{len(result.word_rows)} words between" in result.plot_summary
    assert len(result.figure.axes[0].texts) == len(result.word_rows)  # one label per word


def test_recognise_with_noise_sends_the_noisy_clip_and_says_the_snr(db, learner_request, inline_jobs):
    result = recognise(str(SPEECH_EN), "faster-whisper", SPEECH_EN_TEXT, True, 10, request=learner_request)

    sr, heard = result.heard
    clean = load_audio(SPEECH_EN, target_sr=16000).samples
    noise = heard.astype(np.float64) - clean
    assert sr == 16000 and "white noise added at 10 dB SNR" in result.heard_text
    assert 10 * np.log10(np.mean(clean.astype(np.float64) ** 2) / np.mean(noise**2)) == pytest.approx(
        10.0, abs=0.01
    )
    assert "(white noise added at 10 dB SNR)" in result.figure.axes[0].get_title()
    assert "frequency" in result.transcript.lower()


def test_recognise_with_the_classic_backend(db, learner_request, learner, inline_jobs):
    result = recognise(str(SPEECH_EN), "pocketsphinx", SPEECH_EN_TEXT, False, 10, request=learner_request)

    assert InferenceJob.objects.get(owner=learner).backend == "pocketsphinx"
    assert result.word_rows and all(0 <= row[4] <= 1 for row in result.word_rows)  # posteriors
    assert "`pocketsphinx` is not a CTC model" in result.frame_markdown and "HMM" in result.frame_markdown
    assert "/ N 16 reference words" in result.wer_markdown


def test_ctc_backend_shows_its_frames_before_collapsing(
    db, learner_request, inline_jobs, tmp_path, monkeypatch
):
    from tests.workers.engines.test_asr_transformers import FORCED_LETTER, build_tiny_ctc

    build_tiny_ctc(tmp_path)  # random wav2vec2 whose every frame's best label is FORCED_LETTER
    monkeypatch.setenv("SOUNDPATH_CTC_MODEL_PATH", str(tmp_path))
    assert "transformers-ctc" in [b for _, b in available_backends()]

    result = recognise(str(SPEECH_EN), "transformers-ctc", "", False, 10, request=learner_request)

    # wav2vec2's conv stack (strides 5·2·2·2·2·2·2 = 320) turns the 110,182 samples into 344 frames.
    assert "344 frames of about 20 ms" in result.frame_markdown
    assert f"{FORCED_LETTER}×" in result.frame_markdown and "0% of frames are blank" in result.frame_markdown
    assert f"**Collapsed** (repeats merged, blanks dropped): `{FORCED_LETTER}`" in result.frame_markdown
    assert result.transcript == FORCED_LETTER


def test_visitors_cannot_transcribe(db, visitor_request):
    with pytest.raises(gr.Error, match="Log in"):
        recognise(str(SPEECH_EN), "faster-whisper", "", False, 10, request=visitor_request)


def test_noise_exercise_measures_wer_rising_at_5_db(db, learner, learner_request, inline_jobs):
    text = exercise_check(EXERCISES[0], "It stays within 5 points", learner_request)

    assert "recogniser: **faster-whisper**" in text
    assert "the run says “It rises more than 20 points”" in text
    assert PredictionAttempt.objects.get(user=learner, demo="asr").correct is False


def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
