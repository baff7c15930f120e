"""The voice cloning demo: phrase matching on hand-made transcripts, the consent checks through real
ASR and speaker-encoder jobs (success, wrong phrase, different voice), cloning with the clone's
similarity, the retention purge, and the page."""

import datetime as dt
import random
from pathlib import Path

import gradio as gr
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from demos.models import ConsentChallenge, ConsentRecording
from demos.samples import SPEECH_EN
from demos.voice_cloning import build, check_consent, clone, new_phrase, sample_reading
from demos.voice_cloning.exercises import EXERCISES
from demos.voice_cloning.phrases import PHRASE_WORDS, WORDS, normalise_words, random_phrase, word_match
from demos.voice_cloning.services import (
    ConsentRefused,
    consent_challenge_issue,
    consent_challenge_open,
    voice_references_purge,
)
from workers.audio_io import load_audio
from workers.disclosure import wav_disclosure
from workers.models import InferenceJob, JobInputFile

MALE, FEMALE = (
    "espeak-ng en-us (the voice of the first sample)",
    "espeak-ng en-us+f3 (the voice of the second sample)",
)
PHRASE_SEED = 11  # a phrase Whisper tiny.en hears in full from both espeak-ng readers


def test_word_match_counts_expected_words_heard_in_order():
    assert (
        word_match("camera, candle, castle, dinner, dragon", "Camera candle, hassle, dinner. Dragon!") == 0.8
    )
    assert word_match("a b c", "c b a") == pytest.approx(1 / 3)  # order matters: one word in sequence
    assert word_match("a b c", "a x b y c z") == 1.0  # extra words cost nothing
    assert word_match("a b c d", "") == 0.0


def test_normalise_spells_numbers_and_drops_apostrophes():
    assert normalise_words("Tiger's 7 planets, 20!") == ["tigers", "seven", "planets", "twenty"]


def test_random_phrase_is_six_distinct_list_words():
    words = random_phrase(random.Random(1)).split(", ")

    assert len(set(words)) == len(words) == PHRASE_WORDS
    assert set(words) <= set(WORDS)
    assert random_phrase() != random_phrase()  # system randomness: a fresh nonce phrase each time


@pytest.mark.django_db
def test_challenge_works_once_for_its_owner_within_its_time(learner, other_learner):
    challenge = consent_challenge_issue(user=learner)

    assert consent_challenge_open(user=learner, nonce=challenge.nonce) == challenge
    with pytest.raises(ConsentRefused, match="Get a phrase"):
        consent_challenge_open(user=other_learner, nonce=challenge.nonce)
    ConsentChallenge.objects.filter(pk=challenge.pk).update(created=timezone.now() - dt.timedelta(minutes=16))
    with pytest.raises(ConsentRefused, match="more than 15 minutes old"):
        consent_challenge_open(user=learner, nonce=challenge.nonce)
    ConsentChallenge.objects.filter(pk=challenge.pk).update(used=True)
    with pytest.raises(ConsentRefused, match="used already"):
        consent_challenge_open(user=learner, nonce=challenge.nonce)


@pytest.mark.django_db
def test_consent_then_clone_with_the_clones_similarity(learner, learner_request, inline_jobs):
    challenge = consent_challenge_issue(user=learner, rng=random.Random(PHRASE_SEED))
    reading = sample_reading(challenge.nonce, MALE, request=learner_request)

    message, recording_id, _, nonce = check_consent(
        str(SPEECH_EN), reading, challenge.nonce, request=learner_request
    )

    recording = ConsentRecording.objects.get(pk=recording_id)
    assert recording.verified and recording.phrase_match >= 0.8 and recording.voice_score >= 0.75
    assert message.startswith("**Consent verified.**")
    assert f"{recording.phrase_match:.0%} of the phrase's words" in message
    assert f"at {recording.voice_score:.3f}" in message
    assert nonce == challenge.nonce and ConsentChallenge.objects.get(pk=challenge.pk).used
    assert Path(recording.reference.path).read_bytes() == SPEECH_EN.read_bytes()

    text = "Thank you for calling."
    audio, alternative, similarity, score = clone(text, recording_id, request=learner_request)

    cloned = load_audio(Path(audio), target_sr=None)
    assert cloned.sample_rate == 16000 and 0.8 < len(cloned.samples) / 16000 < 4.0
    assert wav_disclosure(audio).startswith("AI-generated audio: speech synthesised in a cloned voice")
    job = InferenceJob.objects.get(capability="voice-cloning")
    assert job.backend == "piper-world" and job.inputs.get().file.read() == SPEECH_EN.read_bytes()
    assert 0.4 < score < 1.0
    scored = InferenceJob.objects.filter(capability="speaker-embedding").order_by("created_at").last()
    assert score == scored.result["score"]
    assert f"Speaker similarity of the clone to the reference: {score:.3f}" in similarity
    assert text in alternative


@pytest.mark.django_db
def test_consent_fails_when_the_reading_is_another_phrase(learner, learner_request, inline_jobs):
    asked = consent_challenge_issue(user=learner, rng=random.Random(PHRASE_SEED))
    other = consent_challenge_issue(user=learner, rng=random.Random(PHRASE_SEED + 1))
    reading = sample_reading(other.nonce, MALE, request=learner_request)  # right voice, wrong words

    message, recording_id, phrase, nonce = check_consent(
        str(SPEECH_EN), reading, asked.nonce, request=learner_request
    )

    recording = ConsentRecording.objects.get(challenge=asked)
    assert recording_id is None and not recording.phrase_verified and recording.voice_verified
    assert "**Consent refused: the words check failed.**" in message
    assert f"{recording.phrase_match:.0%} of the phrase's words in order (at least 80% needed)" in message
    assert nonce not in (asked.nonce, other.nonce)  # a fresh phrase is shown
    assert ConsentChallenge.objects.get(nonce=nonce).phrase in phrase
    with pytest.raises(gr.Error, match="used already"):
        check_consent(str(SPEECH_EN), reading, asked.nonce, request=learner_request)
    with pytest.raises(gr.Error, match="not verified"):
        clone("Hello.", recording.pk, request=learner_request)


@pytest.mark.django_db
def test_consent_fails_when_the_reading_is_another_voice(learner, learner_request, inline_jobs):
    challenge = consent_challenge_issue(user=learner, rng=random.Random(PHRASE_SEED))
    reading = sample_reading(challenge.nonce, FEMALE, request=learner_request)

    message, recording_id, _, _ = check_consent(
        str(SPEECH_EN), reading, challenge.nonce, request=learner_request
    )

    recording = ConsentRecording.objects.get(challenge=challenge)
    assert recording_id is None and recording.phrase_verified and not recording.voice_verified
    # the threshold is the default speaker encoder's own (its model card says how it was set)
    assert recording.voice_score < recording.voice_threshold
    assert "**Consent refused: the voice check failed.**" in message
    assert f"at {recording.voice_score:.3f} (at least {recording.voice_threshold:.2f} needed" in message


@pytest.mark.django_db
def test_cloning_and_phrases_need_a_login_and_consent(learner_request, visitor_request):
    with pytest.raises(gr.Error, match="Log in"):
        new_phrase(request=visitor_request)
    with pytest.raises(gr.Error, match="No consent on record"):
        clone("Hello.", None, request=learner_request)
    markdown, nonce = new_phrase(request=learner_request)
    assert ConsentChallenge.objects.get(nonce=nonce).phrase in markdown


def _recording(user, age_hours: float) -> ConsentRecording:
    challenge = ConsentChallenge.objects.create(user=user, phrase="camera, candle", used=True)
    recording = ConsentRecording(
        user=user, challenge=challenge, phrase_match=1.0, phrase_verified=True,
        voice_score=0.9, voice_threshold=0.75, voice_verified=True,
    )  # fmt: skip
    recording.reference.save("reference.wav", ContentFile(b"RIFF"), save=False)
    recording.consent_audio.save("consent.wav", ContentFile(b"RIFF"), save=False)
    recording.save()
    then = timezone.now() - dt.timedelta(hours=age_hours)
    ConsentRecording.objects.filter(pk=recording.pk).update(created=then)
    ConsentChallenge.objects.filter(pk=challenge.pk).update(created=then)
    return recording


@pytest.mark.django_db
def test_purge_deletes_recordings_and_job_files_past_retention(learner, settings):
    settings.VOICE_CLONING_RETENTION_HOURS = 24
    old, fresh = _recording(learner, 25), _recording(learner, 23)
    stale_challenge = ConsentChallenge.objects.create(user=learner, phrase="x")
    ConsentChallenge.objects.filter(pk=stale_challenge.pk).update(
        created=timezone.now() - dt.timedelta(days=2)
    )
    jobs = {}
    for origin, age in (("voice-cloning", 30), ("voice-cloning", 1), ("tts", 30)):
        job = InferenceJob.objects.create(owner=learner, capability="tts", backend="piper", origin=origin)
        InferenceJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=age))
        row = JobInputFile(job=job, name="reference")
        row.file.save("ref.wav", ContentFile(b"RIFF"))
        jobs[(origin, age)] = row
    old_files = [
        Path(old.reference.path),
        Path(old.consent_audio.path),
        Path(jobs[("voice-cloning", 30)].file.path),
    ]

    call_command("purge_voice_references")

    assert not any(p.exists() for p in old_files)
    assert list(ConsentRecording.objects.all()) == [fresh]
    assert Path(fresh.reference.path).exists() and Path(fresh.consent_audio.path).exists()
    assert set(ConsentChallenge.objects.all()) == {fresh.challenge}
    assert set(JobInputFile.objects.all()) == {jobs[("voice-cloning", 1)], jobs[("tts", 30)]}
    assert InferenceJob.objects.count() == 3  # the job rows (history) stay; only the voice files go
    assert voice_references_purge(retention_hours=22).recordings == 1  # the setting can be overridden


def test_clone_verification_exercise_is_measured():
    exercise = EXERCISES[0]

    answer, measured = exercise.experiment()

    clone_score = float(measured["similarity of the clone to the reference"])
    plain_score = float(measured["similarity of plain Piper (joe) to the reference"])
    assert answer == (exercise.choices[0] if clone_score >= 0.75 else exercise.choices[1])
    assert clone_score > plain_score + 0.1  # the conversion moves Piper's voice toward the reference


@pytest.mark.django_db
def test_build_returns_blocks_with_a_disclosure_beside_the_clone():
    demo = build()

    assert isinstance(demo, gr.Blocks)
    notes = [b.value or "" for b in demo.blocks.values() if isinstance(b, gr.Markdown)]
    assert any("AI-generated audio: speech synthesised in a cloned voice" in n for n in notes)
