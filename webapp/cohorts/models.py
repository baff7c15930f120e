"""Cohorts an instructor runs (owners, an invitation code), learners' memberships with the time
they were members, and assignments with a due date."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from quiz.models import Level


def invite_code_new() -> str:
    """16 URL-safe characters: 96 random bits, not guessable and short enough to read out."""
    return secrets.token_urlsafe(12)


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    # Owners and co-owners alike: every owner is an instructor who sees the cohort's learners.
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="owned_cohorts")
    invite_code = models.CharField(max_length=32, unique=True, default=invite_code_new)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One stretch of time a learner was in a cohort. Leaving (or being removed) sets `left_at`;
    joining again starts a new row. Owners see a learner's data only from inside these stretches."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # Who ended the membership: an owner who removed the learner, or empty when the learner left.
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The learner's choice to appear (by display name) on the cohort's challenge leaderboard.
    on_leaderboard = models.BooleanField(default=False)

    class Meta:
        ordering = ["cohort", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], condition=Q(left_at__isnull=True), name="one_current_membership"
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("joined_at")),
                name="membership_leaves_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "user"]), models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}{' (left)' if self.left_at else ''}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class Assignment(models.Model):
    class Kind(models.TextChoices):
        TOPICS = "topics", "Topics to finish"
        QUIZ = "quiz", "Quiz"
        MOCK = "mock", "Mock interview"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=120, blank=True, help_text="Empty: described from its settings.")
    topics = models.ManyToManyField("curriculum.Topic", related_name="+", blank=True)
    level = models.CharField(max_length=16, choices=Level.choices, blank=True, help_text="Empty: any level.")
    # Quiz: graded answers needed on the topics; mock interview: its number of questions.
    question_count = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Mock interview time limit.")
    instructions = models.TextField(blank=True, max_length=2000)
    due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Only activity after this moment counts towards a quiz or an interview.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["cohort", "due_on"])]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.get_kind_display()} due {self.due_on:%Y-%m-%d}"
