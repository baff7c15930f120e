"""The voice conversion demo: F0 and envelope analysis on synthetic voices with known pitch and
formant, a real WORLD conversion job with its similarity jobs, and the similarity-rise exercise."""

import gradio as gr
import numpy as np
import pytest

from demos.samples import SPEECH_EN, SPEECH_EN_F
from demos.voice_conversion import CONSENTED_VOICE, build, convert, similarity_markdown, target_path
from demos.voice_conversion.analysis import SR, profiles_summary, semitones, voice_profile
from demos.voice_conversion.exercises import EXERCISES
from workers.disclosure import wav_disclosure
from workers.models import InferenceJob

FEMALE = "espeak-ng en-us+f3 (female, speech_en_f.wav)"


def _vowel(f0: float, formant: float, seconds: float = 1.0) -> np.ndarray:
    """A glottal pulse train at f0 through one resonance at `formant` Hz (a crude sustained vowel)."""
    from scipy.signal import lfilter

    n = int(seconds * SR)
    pulses = np.zeros(n)
    pulses[:: round(SR / f0)] = 1.0
    r, theta = 0.97, 2 * np.pi * formant / SR
    voiced = lfilter([1.0], [1.0, -2 * r * np.cos(theta), r * r], pulses)
    return (0.5 * voiced / np.max(np.abs(voiced))).astype(np.float32)


def test_semitones_between_frequencies():
    assert semitones(110.0, 220.0) == pytest.approx(12.0)
    assert semitones(200.0, 100.0) == pytest.approx(-12.0)
    assert semitones(100.0, 100.0 * 2 ** (7 / 12)) == pytest.approx(7.0)


def test_voice_profile_finds_pitch_and_formant_of_a_synthetic_vowel():
    profile = voice_profile(_vowel(160.0, 1000.0))

    assert profile.median_f0 == pytest.approx(160.0, rel=0.02)
    assert profile.f0_spread_semitones < 0.5  # a monotone: well under a semitone (edge frames wobble)
    band = profile.frequencies_hz > 300
    peak = profile.frequencies_hz[band][np.argmax(profile.envelope_db[band])]
    assert peak == pytest.approx(1000.0, abs=80.0)
    assert np.isnan(profile.f0_hz).sum() < 0.1 * len(profile.f0_hz)


def test_profiles_summary_reports_how_far_pitch_moved():
    low, high = voice_profile(_vowel(100.0, 800.0)), voice_profile(_vowel(200.0, 1000.0))

    text = profiles_summary({"source": low, "target": high, "converted": high})

    assert (
        "the target sits +12.0 semitones from the source; the conversion moved the median F0 by +12.0 semitones"
        in text
    )
    assert text.startswith("source: median F0 100 Hz")


def test_silence_has_no_profile():
    with pytest.raises(ValueError, match="no voiced frames"):
        voice_profile(np.zeros(SR, dtype=np.float32))


def test_similarity_markdown_says_which_voice_won():
    assert "more like the target" in similarity_markdown(0.8, 0.7, 0.6)
    assert "closer to the source" in similarity_markdown(0.7, 0.8, 0.6)
    assert "(the source scored 0.600 against it: +0.100)" in similarity_markdown(0.7, 0.8, 0.6)


@pytest.mark.django_db
def test_convert_moves_pitch_to_the_target_and_scores_both_ways(learner_request, inline_jobs):
    audio, alternative, figure, summary, markdown, scores = convert(
        str(SPEECH_EN), FEMALE, request=learner_request
    )

    job = InferenceJob.objects.get(capability="voice-conversion")
    assert job.backend == "world" and job.status == "succeeded"
    assert InferenceJob.objects.filter(capability="speaker-embedding", status="succeeded").count() == 3
    assert scores["to target"] > scores["before"]  # the conversion moved toward the target
    assert f"Similarity to the target: {scores['to target']:.3f}" in markdown
    # male espeak (about 100 Hz) → female variant (about 210 Hz): the median F0 follows the target's
    lines = summary.splitlines()
    source_f0, target_f0, converted_f0 = (
        float(line.split("median F0 ")[1].split(" Hz")[0]) for line in lines[:3]
    )
    assert source_f0 < 130 and target_f0 > 180
    assert abs(semitones(target_f0, converted_f0)) < 1.0
    assert [line.get_label().split(" ")[0] for line in figure.axes[0].get_lines()] == [
        "source",
        "target",
        "converted",
    ]
    assert f"median {converted_f0:.0f} Hz" in alternative
    assert audio.endswith("converted.wav")
    assert wav_disclosure(audio).startswith(
        "AI-generated audio: speech converted to sound like another voice"
    )


@pytest.mark.django_db
def test_convert_needs_a_source_a_target_and_a_login(learner_request, visitor_request):
    with pytest.raises(gr.Error, match="Give the source speech and pick a target voice"):
        convert(str(SPEECH_EN), None, request=learner_request)
    with pytest.raises(gr.Error, match="Log in"):
        convert(str(SPEECH_EN), FEMALE, request=visitor_request)


@pytest.mark.django_db
def test_conversion_then_clone_route_is_refused_at_the_conversion(learner_request, tmp_path):
    """Someone holds a clip of a person who never agreed: converting their own reading of a consent
    phrase toward that voice would pass cloning's voice check. The conversion is refused first."""
    victim = tmp_path / "victim.wav"
    victim.write_bytes(SPEECH_EN_F.read_bytes())  # an uploaded clip, as Gradio hands it over

    for target in (str(victim), str(SPEECH_EN_F)):  # a path is never a target, even a shipped file's
        with pytest.raises(gr.Error, match="needs that person's checked consent"):
            convert(str(SPEECH_EN), target, request=learner_request)
    with pytest.raises(gr.Error, match="No verified consent on record"):
        convert(str(SPEECH_EN), CONSENTED_VOICE, request=learner_request)
    assert not InferenceJob.objects.exists()  # nothing ran, so there is no converted voice to clone from


@pytest.mark.django_db
def test_the_learners_verified_consent_recording_is_a_target(learner):
    from demos.voice_cloning.services import consent_challenge_issue, consent_recording_create

    challenge = consent_challenge_issue(user=learner)
    recording = consent_recording_create(
        user=learner, challenge=challenge, reference_path=SPEECH_EN_F, consent_path=SPEECH_EN_F,
        transcript=challenge.phrase, voice_score=0.9, voice_threshold=0.75,
    )  # fmt: skip

    assert target_path(CONSENTED_VOICE, user=learner) == recording.reference.path
    assert target_path(FEMALE, user=learner) == str(SPEECH_EN_F)


@pytest.mark.django_db
def test_the_converted_speech_player_says_it_is_ai_generated():
    notes = [b.value for b in build().blocks.values() if isinstance(b, gr.Markdown)]

    assert any("AI-generated audio: speech converted to sound like another voice" in (n or "") for n in notes)


def test_similarity_rise_exercise_is_measured():
    from workers.procedures import engines_load

    answer, measured = EXERCISES[0].experiment(*engines_load(EXERCISES[0].engines))  # as a worker does

    rise = float(measured["rise"])
    after, before = (
        float(measured[f"similarity of the {k} to the target"]) for k in ("converted clip", "source")
    )
    assert rise == pytest.approx(after - before, abs=2e-3)
    assert answer == EXERCISES[0].choices[0 if rise > 0.05 else 1]


@pytest.mark.django_db
def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
