"""Consent for voice cloning: issuing one-time phrases, recording what the checks measured, and
deleting reference recordings once their retention period is over."""

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from demos.models import ConsentChallenge, ConsentRecording
from demos.voice_cloning.phrases import MATCH_THRESHOLD, random_phrase, word_match

SLUG = "voice-cloning"
CHALLENGE_VALID_MINUTES = 15  # long enough to read and record, short enough not to be collected


class ConsentRefused(Exception):
    """The learner may not go on; the message says why and what to do."""


def consent_challenge_issue(*, user, rng: random.Random | None = None) -> ConsentChallenge:
    return ConsentChallenge.objects.create(user=user, phrase=random_phrase(rng))


def consent_challenge_open(*, user, nonce: str) -> ConsentChallenge:
    """The user's own unused, unexpired challenge for this nonce."""
    challenge = ConsentChallenge.objects.filter(user=user, nonce=nonce or "").first()
    if challenge is None:
        raise ConsentRefused("Get a phrase to read first (the phrase is made for you and works once).")
    if challenge.used:
        raise ConsentRefused("This phrase has been used already: get a new one and record it.")
    if timezone.now() - challenge.created > dt.timedelta(minutes=CHALLENGE_VALID_MINUTES):
        raise ConsentRefused(
            f"This phrase is more than {CHALLENGE_VALID_MINUTES} minutes old: get a new one."
        )
    return challenge


@transaction.atomic
def consent_recording_create(
    *,
    user,
    challenge: ConsentChallenge,
    reference_path: Path,
    consent_path: Path,
    transcript: str,
    voice_score: float,
    voice_threshold: float,
) -> ConsentRecording:
    """Spend the challenge and keep both clips with what the checks measured (passed or not)."""
    locked = ConsentChallenge.objects.select_for_update().get(pk=challenge.pk)
    if locked.used:
        raise ConsentRefused("This phrase has been used already: get a new one and record it.")
    locked.used = True
    locked.save(update_fields=["used"])
    match = word_match(locked.phrase, transcript)
    recording = ConsentRecording(
        user=user, challenge=locked, transcript=transcript[:2000],
        phrase_match=match, phrase_verified=match >= MATCH_THRESHOLD,
        voice_score=voice_score, voice_threshold=voice_threshold, voice_verified=voice_score >= voice_threshold,
    )  # fmt: skip
    for field, path in (("reference", reference_path), ("consent_audio", consent_path)):
        with Path(path).open("rb") as handle:
            getattr(recording, field).save(f"{field}{Path(path).suffix or '.wav'}", File(handle), save=False)
    recording.save()
    return recording


def consent_recording_for_cloning(*, user, recording_id: int | None) -> ConsentRecording:
    """The user's verified recording whose reference may be cloned now, or ConsentRefused."""
    recording = ConsentRecording.objects.filter(user=user, pk=recording_id or 0).first()
    if recording is None or not recording.reference:
        raise ConsentRefused(
            "No consent on record: record the phrase and pass both checks before cloning "
            f"(recordings are kept {settings.VOICE_CLONING_RETENTION_HOURS:g} hours)."
        )
    if not recording.verified:
        raise ConsentRefused("Consent was not verified for this recording: record a new phrase.")
    return recording


def consent_recording_latest_verified(*, user) -> ConsentRecording:
    """The user's newest verified recording still kept: whose reference voice may be copied now
    (cloned, or used as a voice-conversion target), or ConsentRefused."""
    recording = (
        ConsentRecording.objects.filter(user=user, phrase_verified=True, voice_verified=True)
        .exclude(reference="")
        .first()  # newest first (Meta.ordering)
    )
    if recording is None:
        raise ConsentRefused(
            "No verified consent on record: in the voice-cloning demo, have the voice's owner read a fresh "
            f"phrase and pass both checks first (recordings are kept {settings.VOICE_CLONING_RETENTION_HOURS:g} hours)."
        )
    return recording


@dataclass(frozen=True)
class PurgeReport:
    recordings: int
    challenges: int
    job_files: int
    cutoff: dt.datetime


def voice_references_purge(
    *, now: dt.datetime | None = None, retention_hours: float | None = None
) -> PurgeReport:
    """Delete consent recordings (rows and both files), spent or stale challenges, and the input and
    result files of this demo's jobs (they hold the same voice) made before the retention cutoff."""
    from workers.models import JobInputFile, JobResultFile

    hours = settings.VOICE_CLONING_RETENTION_HOURS if retention_hours is None else retention_hours
    cutoff = (now or timezone.now()) - dt.timedelta(hours=hours)
    recordings = list(ConsentRecording.objects.filter(created__lt=cutoff))
    emptied = 0
    for recording in recordings:
        if recording.reference or recording.consent_audio:
            emptied += 1
        recording.reference.delete(save=False)
        recording.consent_audio.delete(save=False)
        ConsentRecording.objects.filter(pk=recording.pk).update(reference="", consent_audio="")
    job_files = 0
    for model in (JobInputFile, JobResultFile):
        rows = list(model.objects.filter(job__origin=SLUG, job__created_at__lt=cutoff))
        for row in rows:
            row.file.delete(save=False)
        model.objects.filter(pk__in=[r.pk for r in rows]).delete()
        job_files += len(rows)
    # The consent record (who, when, which phrase, what the checks measured) is the proof behind
    # every clone made from it: it stays while any cloned audio exists, and not a moment longer.
    cloned_from = set(
        JobResultFile.objects.filter(job__origin=SLUG, job__capability="voice-cloning").values_list(
            "job__params__consent_recording", flat=True
        )
    )
    ConsentRecording.objects.filter(created__lt=cutoff).exclude(pk__in=cloned_from - {None}).delete()
    # a challenge whose recording is still kept stays with it (deleting it would cascade)
    challenges = ConsentChallenge.objects.filter(created__lt=cutoff, recording__isnull=True).delete()[0]
    return PurgeReport(emptied, challenges, job_files, cutoff)
