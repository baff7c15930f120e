"""Predict-then-run exercises (a learner's committed prediction and what the run then measured) and
voice-cloning consent (one-time phrases, and the recordings that answered them)."""

import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.text import get_valid_filename


class PredictionAttempt(models.Model):
    """A prediction, stored before its run (created_at) and settled once by the run (answered_at).

    Evidence that can't be replayed: the prediction never changes once the answer has been shown, and
    an attempt committed after this learner saw the exercise's answer is kept but marked `replay`
    (it is not evidence). demos/services.py is the only writer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="predictions")
    demo = models.CharField(max_length=40)
    exercise = models.CharField(max_length=80)
    topic = models.ForeignKey("curriculum.Topic", null=True, blank=True, on_delete=models.SET_NULL)
    prediction = models.CharField(max_length=200)
    measured = models.JSONField(default=dict)
    correct = models.BooleanField(null=True)  # None until the run settles it
    replay = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "demo"])]

    def __str__(self) -> str:
        verdict = {True: "right", False: "wrong", None: "running"}[self.correct]
        return f"{self.user} · {self.demo}/{self.exercise} · {verdict}"

    def save(self, *args, **kwargs) -> None:
        """Last line of defence under the service: a settled attempt's prediction is frozen."""
        if not self._state.adding:
            stored = PredictionAttempt.objects.filter(pk=self.pk).values("prediction", "answered_at").first()
            if stored and stored["answered_at"] is not None and stored["prediction"] != self.prediction:
                raise ValueError("A prediction cannot be changed after its answer was shown.")
        super().save(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Voice cloning consent: a one-time phrase, and the recordings that proved (or failed to prove) it


def _new_nonce() -> str:
    return secrets.token_urlsafe(16)


def consent_upload_to(instance: "ConsentRecording", filename: str) -> str:
    safe = get_valid_filename(PurePosixPath(filename.replace("\\", "/")).name) or "clip.wav"
    return f"voice-cloning/{instance.user_id}/{uuid.uuid4().hex}-{safe}"


class ConsentChallenge(models.Model):
    """A random phrase the reference speaker must read; the nonce is what the page holds, and a
    challenge is spent by the first consent check that uses it, passed or failed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_challenges"
    )
    nonce = models.CharField(max_length=40, unique=True, default=_new_nonce)
    phrase = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} · “{self.phrase}”{' (used)' if self.used else ''}"


class ConsentRecording(models.Model):
    """The reference clip and the consent reading, with what each check measured. Both files are
    deleted after VOICE_CLONING_RETENTION_HOURS (manage.py purge_voice_references)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_recordings"
    )
    challenge = models.OneToOneField(ConsentChallenge, on_delete=models.CASCADE, related_name="recording")
    reference = models.FileField(upload_to=consent_upload_to, max_length=300)
    consent_audio = models.FileField(upload_to=consent_upload_to, max_length=300)
    transcript = models.TextField(blank=True)
    phrase_match = models.FloatField(help_text="Fraction of the phrase's words heard, in order")
    phrase_verified = models.BooleanField(default=False)
    voice_score = models.FloatField(help_text="Speaker-encoder cosine, consent reading vs reference")
    voice_threshold = models.FloatField()
    voice_verified = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} · consent {'verified' if self.verified else 'refused'} ({self.created:%Y-%m-%d %H:%M})"

    @property
    def verified(self) -> bool:
        return self.phrase_verified and self.voice_verified
