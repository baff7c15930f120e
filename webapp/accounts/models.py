"""The platform's user: a learner or an instructor (staff use the admin), and staff's instructor invitations."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        INSTRUCTOR = "instructor", "Instructor"

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.LEARNER)
    display_name = models.CharField(max_length=80, blank=True)

    @property
    def is_instructor(self) -> bool:
        return self.role == self.Role.INSTRUCTOR

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


def _invitation_expiry():
    return timezone.now() + timedelta(days=7)


class InstructorInvitation(models.Model):
    """A single-use link, made by staff, that makes the account that opens it an instructor.

    Instructor is never a self-chosen role: an instructor sees their cohort members' progress and
    answers, so only staff grant it (here, or by editing the user in the admin)."""

    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    note = models.CharField(max_length=120, blank=True, help_text="Who it is for (shown to staff only).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instructor_invitations_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"instructor invitation {self.note or self.pk}"
