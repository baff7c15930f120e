"""Interview questions (imported from content files), learners' attempts, FSRS cards and mock interviews."""

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"
    PRINCIPAL = "principal", "Principal"


class QuestionQuerySet(models.QuerySet):
    def active(self) -> "QuestionQuerySet":
        return self.filter(is_active=True)


class Question(models.Model):
    class Kind(models.TextChoices):
        MCQ = "mcq", "Multiple choice"
        FREE = "free", "Free text"
        BOTH = "both", "Multiple choice and free text"

    slug = models.SlugField(max_length=80, unique=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    prompt = models.TextField()
    answer = models.TextField(help_text="The reference answer.")
    tags = models.JSONField(default=list)
    topics = models.ManyToManyField("curriculum.Topic", related_name="questions")
    main_topic = models.ForeignKey(
        "curriculum.Topic", on_delete=models.PROTECT, related_name="main_questions"
    )
    # Retired questions (removed from the content) stay so that learners' attempts on them are kept.
    is_active = models.BooleanField(default=True)
    source_path = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        indexes = [models.Index(fields=["level", "is_active"])]

    def __str__(self) -> str:
        return self.slug

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.MCQ, self.Kind.BOTH)

    @property
    def has_free_text(self) -> bool:
        return self.kind in (self.Kind.FREE, self.Kind.BOTH)

    @property
    def options_graded(self) -> bool:
        """A principal question is answered in free text; its options are a self-check afterwards."""
        return self.has_options and self.level != Level.PRINCIPAL


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    correct = models.BooleanField(default=False)
    why = models.TextField()

    class Meta:
        ordering = ["question", "order"]

    def __str__(self) -> str:
        return self.text


class KeyPoint(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_points")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    terms = models.JSONField(default=list)
    # [{"value", "unit", "tolerance"}] checked by value; null: the numbers written in `text`.
    numbers = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["question", "order"]

    def __str__(self) -> str:
        return self.text


class MockInterview(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mock_interviews"
    )
    level = models.CharField(max_length=16, choices=Level.choices)
    topics = models.ManyToManyField("curriculum.Topic", related_name="+", blank=True)
    question_count = models.PositiveSmallIntegerField()
    time_limit_seconds = models.PositiveIntegerField()
    question_ids = models.JSONField(default=list, help_text="The planned questions (ids), in order.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.level} mock · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Attempt(models.Model):
    class Mode(models.TextChoices):
        QUIZ = "quiz", "Quiz"
        REVIEW = "review", "Review"
        MOCK = "mock", "Mock interview"

    class Status(models.TextChoices):
        PENDING = "pending", "Transcribing"  # a spoken answer waiting for its ASR job
        GRADING = "grading", "Grading"  # a typed or transcribed answer queued for the grader (a worker)
        OPTIONS = "options", "Options to choose"  # "both": the text is graded, the options come next
        GRADED = "graded", "Graded"
        FAILED = "failed", "Not graded"  # the ASR job failed: nothing to grade

    class Rating(models.IntegerChoices):  # the same numbers as fsrs.Rating
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=8, choices=Mode.choices)
    mock = models.ForeignKey(
        MockInterview, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.GRADED)
    answer_text = models.TextField(blank=True)
    # The texts of the chosen options as shown then (options are rewritten on re-import).
    selected_options = models.JSONField(default=list, blank=True)
    options_correct = models.BooleanField(null=True, blank=True)
    # The option texts in the order this attempt showed them (shuffled per attempt).
    options_shown = models.JSONField(default=list, blank=True)
    # False for a principal question's options: a self-check after the answer, not part of the grade.
    options_counted = models.BooleanField(default=True)
    transcript = models.TextField(blank=True)
    recording = models.ForeignKey(
        "workers.InferenceJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(null=True, blank=True, help_text="0..1")
    # [{"point", "evidence", "similarity", "terms"}] and [{"point", "similarity"}]
    points_hit = models.JSONField(default=list, blank=True)
    points_missed = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True, help_text="Remarks from the grader for the learner.")
    delivery = models.JSONField(null=True, blank=True, help_text="Spoken answers: pace, fillers, pauses.")
    graded_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        choices=Rating.choices, null=True, blank=True, help_text="The rating given to FSRS."
    )
    rating_overridden = models.BooleanField(default=False)
    # The card as it was before this attempt's review: an override replays the review from here.
    card_before = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    seconds_taken = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["user", "question"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · {self.score}"

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else round(100 * self.score)


class Card(models.Model):
    """One question a learner has met, as FSRS schedules it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="cards")
    state = models.JSONField(help_text="fsrs.Card.to_dict()")
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    last_score = models.FloatField(default=0.0)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_card_per_user_question")
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · due {self.due:%Y-%m-%d %H:%M}"
