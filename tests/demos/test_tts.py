"""The TTS demo: text checks and pause markup, the pause measurement, Piper and espeak-ng jobs on
real text, and the speed exercise measured by synthesising twice."""

import gradio as gr
import numpy as np
import pytest

from demos.common import exercise_check
from demos.tts import build, speak, voice_choices
from demos.tts.analysis import pauses, summarise
from demos.tts.exercises import EXERCISES
from demos.tts.text import TextRefused, foreign_characters, pause_seconds, prepare_text, spoken_words
from tests.demos.conftest import exercise_job_result
from workers.audio_io import load_audio
from workers.disclosure import wav_disclosure

SR = 16000


def _tone(seconds: float) -> np.ndarray:
    return (0.5 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * SR)) / SR)).astype(np.float32)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


def test_pauses_finds_gaps_between_sounds_only():
    audio = np.concatenate([_silence(0.3), _tone(0.5), _silence(0.4), _tone(0.5), _silence(0.1), _tone(0.2)])

    # the 0.3 s lead-in is not a pause; the 0.1 s gap is too short to count
    assert pauses(audio, SR) == [(0.8, 1.2)]


def test_summary_counts_words_per_minute_without_the_pauses():
    audio = np.concatenate([_tone(1.0), _silence(1.0), _tone(1.0)])

    summary = summarise(audio, SR, "one two three four five six")

    assert summary.pauses == [(1.0, 2.0)]
    assert summary.words_per_minute == pytest.approx(180.0)  # 6 words in 2 s of sound
    assert "1 pause(s)" in summary.text() and "1.00–2.00 s (1.00 s)" in summary.text()


def test_pause_markup_is_parsed_and_left_out_of_the_text_alternative():
    text = "One. [pause 500ms] Two [PAUSE 1.5s] three."

    assert pause_seconds(text) == 2.0
    assert spoken_words(text) == "One. Two three."


@pytest.mark.django_db
def test_empty_and_markup_only_text_is_refused():
    for text in ("", "   \n", "[pause 1s]", "..."):
        with pytest.raises(TextRefused, match="Type some text to speak first"):
            prepare_text(text, "piper")


@pytest.mark.django_db
def test_text_over_the_limit_is_refused_with_its_length():
    with pytest.raises(TextRefused, match="1,001 characters; this demo speaks at most 1,000"):
        prepare_text("a" * 1001, "piper")


@pytest.mark.django_db
def test_pause_markup_kept_for_piper_and_rewritten_for_espeak():
    text = "Wait [pause 800ms] now."

    piper = prepare_text(text, "piper")
    espeak = prepare_text(text, "espeak-ng")

    assert (piper.text, piper.notes) == (text, ())
    assert espeak.text == "Wait  ...  now."
    assert "espeak-ng has no pause markup" in espeak.notes[0]


@pytest.mark.django_db
def test_emoji_rtl_and_invisible_characters_get_notes_not_crashes():
    prepared = prepare_text("Hello 😀 שלום\u200f world", "piper")

    assert "\u200f" not in prepared.text
    assert foreign_characters(prepared.text) == {"emoji": ["😀"], "Hebrew (right-to-left)": list("שלום")}
    assert any("Emoji (😀)" in n for n in prepared.notes)
    assert any("Hebrew (right-to-left) characters (שלום)" in n for n in prepared.notes)
    assert any("invisible control character" in n for n in prepared.notes)


def test_voice_lists_come_from_the_engines():
    assert voice_choices("piper") == [("Joe (US English, male) (en_US-joe-medium)", "en_US-joe-medium")]
    ids = [voice for _, voice in voice_choices("espeak-ng")]
    assert {"en-us", "en-gb", "en-gb-scotland", "en-us+f3"} <= set(ids)


@pytest.mark.django_db
def test_piper_job_speaks_with_the_requested_pause(learner_request, inline_jobs):
    text = "Sound is a pressure wave. [pause 1s] A spectrogram shows its energy."

    path, alternative, phonemes, figure, summary, notes, download = speak(
        text, "piper", "en_US-joe-medium", 1.0, 0, request=learner_request
    )

    audio = load_audio(path, target_sr=None)
    assert audio.sample_rate == 22050 and 3.0 < audio.duration < 8.0
    longest = max(e - s for s, e in summarise(audio.samples, audio.sample_rate, "").pauses)
    assert 1.0 <= longest < 1.6  # the requested second, plus Piper's own silence at the full stop
    assert alternative.endswith("“Sound is a pressure wave. A spectrogram shows its energy.”")
    assert "pɹˈɛʃɚ" in phonemes  # IPA for "pressure"
    assert "pause(s)" in summary and download == path
    assert notes == "The whole text could be read as written."
    assert len(figure.axes) >= 2
    assert wav_disclosure(path).startswith("AI-generated audio: speech synthesised from text by Piper")


@pytest.mark.django_db
def test_espeak_job_reads_emoji_by_name_and_says_so(learner_request, inline_jobs):
    path, alternative, phonemes, _, _, notes, _ = speak(
        "Good morning 😀", "espeak-ng", "en-us+f3", 1.2, 2, request=learner_request
    )

    assert load_audio(path, target_sr=None).duration > 1.0
    assert "gr'InIN" in phonemes  # "grinning (face)" in espeak-ng's ASCII phonemes
    assert "Emoji (😀) are read out by their names" in notes
    assert "en-us+f3" in alternative and "speed 1.2, pitch +2 st" in alternative


@pytest.mark.django_db
def test_refusals_are_gradio_errors(learner_request, visitor_request, inline_jobs):
    with pytest.raises(gr.Error, match="Type some text"):
        speak("", "piper", None, 1.0, 0, request=learner_request)
    with pytest.raises(gr.Error, match="Log in to run this demo"):
        speak("Hello", "piper", None, 1.0, 0, request=visitor_request)
    with pytest.raises(gr.Error, match="espeak-ng can shift pitch"):
        speak("Hello", "espeak-ng", "en-us", 1.0, 12, request=learner_request)


@pytest.mark.django_db
def test_speed_exercise_measures_two_thirds(learner, learner_request, inline_jobs):
    exercise = next(e for e in EXERCISES if e.id == "speed-1.5-duration")

    text = exercise_check(exercise, "The same length", learner_request)
    answer, measured = exercise_job_result(learner)

    assert answer == "About 2/3 as long"
    assert 0.6 < float(measured["ratio"].split(" ")[0]) < 0.8
    assert "the run says “About 2/3 as long”" in text


@pytest.mark.django_db
def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
