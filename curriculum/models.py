"""Phases, topics and their resources (imported from content files) and learners' progress."""

from django.conf import settings
from django.db import models


class Phase(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    duration = models.CharField(max_length=60, help_text="As shown to people, e.g. '4 weeks'.")
    weeks = models.FloatField(null=True, blank=True, help_text="Empty for continuous/ongoing phases.")
    goals = models.JSONField(default=list)
    # For each goal, the topic ids (or "notebook") that teach it, in the goals' order.
    goal_lessons = models.JSONField(default=list)
    body_html = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class TopicQuerySet(models.QuerySet):
    def active(self) -> "TopicQuerySet":
        return self.filter(is_active=True, phase__is_active=True)


class Topic(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="topics")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    levels = models.JSONField(default=list)
    skills = models.JSONField(default=list)
    demos = models.JSONField(default=list)
    estimated_hours = models.FloatField(default=1)
    body_markdown = models.TextField(blank=True)
    body_html = models.TextField(blank=True)  # the lesson, without its questions and answers
    core = models.BooleanField(default=False, help_text="A full lesson rather than a survey.")
    check_questions = models.JSONField(default=list, help_text="Check-yourself questions, as HTML.")
    # [{"heading": ..., "html": ...}] in the questions' order; shown after an attempt or a reveal.
    worked_answers = models.JSONField(default=list)
    prerequisites = models.ManyToManyField("self", symmetrical=False, related_name="unlocks", blank=True)
    # Retired topics (removed from the content) stay so that learners' progress on them is kept.
    is_active = models.BooleanField(default=True)
    source_path = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["phase__order", "order"]

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", "Papers"
        ARTICLE = "article", "Articles"
        VIDEO = "video", "Videos"
        COURSE = "course", "Courses"
        DOCS = "docs", "Documentation"
        BOOK = "book", "Books"
        TOOL = "tool", "Tools"
        CODE = "code", "Code"
        DATASET = "dataset", "Datasets"
        THESIS = "thesis", "Theses"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="resources")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["topic", "order"]

    def __str__(self) -> str:
        return self.title


class TopicProgress(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", "In progress"
        DONE = "done", "Done"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_progress"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=16, choices=Status.choices)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_progress_per_user_topic")]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic} · {self.status}"


class CheckAnswer(models.Model):
    """A learner's written attempt at a Check-yourself question, or their choice to see the answer
    without one. Written once: the worked answer is shown right after, so the attempt can't change."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_answers")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="check_answers")
    question = models.PositiveSmallIntegerField(help_text="Index in the topic's Check-yourself list.")
    attempt = models.TextField(blank=True, max_length=4000)
    # A real attempt (not blank, not a few words): it counts as evidence for the topic.
    substantive = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic", "question"], name="one_check_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic.slug} Q{self.question + 1}"
