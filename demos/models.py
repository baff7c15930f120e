"""Predict-then-run exercises: a learner's committed prediction and what the run then measured."""

from django.conf import settings
from django.db import models


class PredictionAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="predictions")
    demo = models.CharField(max_length=40)
    exercise = models.CharField(max_length=80)
    topic = models.ForeignKey("curriculum.Topic", null=True, blank=True, on_delete=models.SET_NULL)
    prediction = models.CharField(max_length=200)
    measured = models.JSONField(default=dict)
    correct = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "demo"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.demo}/{self.exercise} · {'right' if self.correct else 'wrong'}"
