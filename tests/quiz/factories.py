"""factory_boy factories for the quiz models: a question comes with options and a rubric."""

import factory
from django.utils import timezone

from quiz import scheduling
from quiz.models import Attempt, Card, KeyPoint, MockInterview, Option, Question
from tests.factories import TopicFactory, UserFactory

NYQUIST_POINTS = [
    ("A 10 kHz tone sampled at 16 kHz folds to 6 kHz (aliasing).", ["alias", "fold", "6 kHz"]),
    ("The Nyquist frequency is half the sample rate, 8 kHz here.", ["nyquist", "half", "8 kHz"]),
    (
        "An analogue low-pass (anti-aliasing) filter before the converter removes content above 8 kHz.",
        ["anti-aliasing", "low-pass"],
    ),
]
NYQUIST_OPTIONS = [
    ("It appears as a 6 kHz tone.", True, "16 - 10 = 6 kHz; content above Nyquist mirrors around it."),
    (
        "It is recorded faithfully because 10 kHz < 16 kHz.",
        False,
        "The limit is half the sample rate, 8 kHz.",
    ),
    (
        "It disappears completely.",
        False,
        "Sampling does not remove energy; it moves it to a lower frequency.",
    ),
]


class QuestionFactory(factory.django.DjangoModelFactory):
    """The README's Nyquist question, at any level and kind; its main topic is also in `topics`."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"question-{n}")
    level = "mid"
    kind = Question.Kind.BOTH
    prompt = (
        "A microphone signal contains energy up to 11 kHz and you record it at 16 kHz without a filter. "
        "What happens to a 10 kHz tone, and how do you prevent it?"
    )
    answer = (
        "Sampling at 16 kHz can only represent frequencies up to the Nyquist frequency, 8 kHz. The 10 kHz "
        "tone folds back and appears as a 6 kHz alias. An analogue anti-aliasing low-pass filter before "
        "the converter prevents it."
    )
    tags = factory.LazyFunction(lambda: ["sampling"])
    main_topic = factory.SubFactory(TopicFactory)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create:
            obj.topics.set(extracted or [obj.main_topic])

    @factory.post_generation
    def rubric(obj, create, extracted, **kwargs):
        if not create:
            return
        for i, (text, terms) in enumerate(extracted or NYQUIST_POINTS):
            KeyPoint.objects.create(question=obj, order=i, text=text, terms=terms)
        if obj.kind != Question.Kind.FREE:
            for i, (text, correct, why) in enumerate(kwargs.get("options") or NYQUIST_OPTIONS):
                Option.objects.create(question=obj, order=i, text=text, correct=correct, why=why)


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    state = factory.LazyFunction(scheduling.new_state)
    due = factory.LazyFunction(timezone.now)
    last_score = 0.5
    reviews = 1


class MockInterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MockInterview

    user = factory.SubFactory(UserFactory)
    level = "mid"
    question_count = 1
    time_limit_seconds = 600
    question_ids = factory.LazyFunction(list)
    started_at = factory.LazyFunction(timezone.now)


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attempt

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    mode = Attempt.Mode.QUIZ
    status = Attempt.Status.GRADED
    answer_text = "The tone aliases to 6 kHz."
    score = 0.5
    rating = Attempt.Rating.HARD
    graded_rating = Attempt.Rating.HARD
    points_hit = factory.LazyFunction(
        lambda: [
            {"point": NYQUIST_POINTS[0][0], "evidence": "The tone aliases to 6 kHz.", "terms": ["alias"]}
        ]
    )
    points_missed = factory.LazyFunction(lambda: [{"point": NYQUIST_POINTS[1][0]}])
