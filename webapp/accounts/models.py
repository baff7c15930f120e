"""The platform's user: a learner or an instructor (staff use the admin)."""

from django.contrib.auth.models import AbstractUser
from django.db import models


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
