"""The benchmark database: a dedicated PostgreSQL database, migrated, with the curriculum, the
question bank, an instructor, a cohort of learners with some progress, and their sessions."""

import os
import subprocess
from dataclasses import dataclass

SETTINGS = "benchmarks.bench_settings"
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "soundpath_bench")
PG = ["-h", "127.0.0.1", "-U", "postgres"]
LEARNERS = 30  # the cohort's size: the dashboard's work grows with it
TOPICS_DONE_EACH = 6
ANSWERS_EACH = 4


@dataclass(frozen=True)
class Seed:
    learner_cookies: tuple[str, ...]  # "sessionid=…; csrftoken=…", one per learner in the cohort
    instructor_cookie: str
    csrf_token: str
    cohort_id: int
    question_id: int  # a question graded on free text (and options where it has them)
    answer_body: str  # the form body of one good answer to it (CSRF token included)
    learner_username: str
    phase_slug: str  # the phase of the topic page measured (ctc)


def setup_django(*, fresh: bool) -> None:
    """Create (or re-create) the database and set Django up against it in this process."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    if os.environ.get("BENCH_CONFIG") == "embedded":
        _sqlite_prepare(fresh=fresh)
    else:
        _postgres_prepare(fresh=fresh)
    import django

    django.setup()


def _sqlite_prepare(*, fresh: bool) -> None:
    """The embedded default's files live in SOUNDPATH_VAR_DIR (set by the caller, as run.sh does)."""
    from pathlib import Path

    var = Path(os.environ["SOUNDPATH_VAR_DIR"])
    var.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CACHE_URL", None)
    if fresh:
        for name in ("soundpath.sqlite3", "cache.sqlite3", "celery-broker.sqlite3"):
            for suffix in ("", "-wal", "-shm"):
                (var / f"{name}{suffix}").unlink(missing_ok=True)


def _postgres_prepare(*, fresh: bool) -> None:
    os.environ.setdefault("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
    if fresh:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", DB_NAME], check=True, timeout=60)
    exists = subprocess.run(
        ["psql", *PG, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"],
        capture_output=True, text=True, check=True, timeout=30,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(["createdb", *PG, DB_NAME], check=True, timeout=60)


def prepare(*, fresh: bool = True) -> Seed:
    from django.core.management import call_command

    setup_django(fresh=fresh)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # the embedded default's shared cache, as run.sh makes it
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: served from STATIC_ROOT
    if fresh:
        from django.core.cache import cache

        cache.clear()  # nothing cached by an earlier run (Redis outlives the dropped database)
    call_command("import_curriculum", verbosity=0)
    call_command("import_questions", verbosity=0)
    return seed()


def seed() -> Seed:
    from django.utils.crypto import get_random_string

    from curriculum.models import Topic
    from webapp.accounts.models import User
    from webapp.cohorts.models import Cohort

    instructor = _user("bench-instructor", User.Role.INSTRUCTOR)
    cohort = Cohort.objects.filter(name="Benchmark cohort").first() or _cohort(instructor)
    learners = [_learner(i, cohort) for i in range(LEARNERS)]
    csrf = get_random_string(32)  # a CSRF cookie the client may choose; the form repeats it
    question, body = _answer_for_benchmark(csrf)
    return Seed(
        learner_cookies=tuple(f"sessionid={_session(learner)}; csrftoken={csrf}" for learner in learners),
        instructor_cookie=f"sessionid={_session(instructor)}; csrftoken={csrf}",
        csrf_token=csrf,
        cohort_id=cohort.id,
        question_id=question.id,
        answer_body=body,
        learner_username=learners[0].username,
        phase_slug=Topic.objects.select_related("phase").get(slug="ctc").phase.slug,
    )


def _user(username: str, role: str):
    from webapp.accounts.models import User
    from webapp.accounts.services import user_create

    existing = User.objects.filter(username=username).first()
    return existing or user_create(
        username=username, email=f"{username}@example.com", password=username, role=role
    )


def _cohort(instructor):
    from webapp.cohorts.services import cohort_create

    return cohort_create(
        owner=instructor, name="Benchmark cohort", description="Made by benchmarks/benchdb.py"
    )


def _learner(i: int, cohort):
    from curriculum.models import Topic
    from curriculum.services import topic_progress_mark
    from quiz.models import Question
    from quiz.services import attempt_submit
    from webapp.accounts.models import User
    from webapp.cohorts.models import Membership
    from webapp.cohorts.services import membership_join

    user = _user(f"bench-learner-{i:02d}", User.Role.LEARNER)
    if Membership.objects.filter(user=user, cohort=cohort).exists():
        return user
    membership_join(user=user, code=cohort.invite_code)
    topics = list(Topic.objects.active().order_by("id"))
    for topic in topics[i % 5 : i % 5 + TOPICS_DONE_EACH]:
        topic_progress_mark(user=user, topic=topic, status="done")
    # multiple choice answered by options alone (principal questions and "both" take free text first)
    with_options = (
        Question.objects.filter(is_active=True, kind="mcq").exclude(level="principal").order_by("id")
    )
    for question in with_options[i : i + ANSWERS_EACH]:
        first = question.options.order_by("id").first()
        attempt_submit(user=user, question=question, mode="quiz", option_ids=[first.id])
    return user


def _session(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _answer_for_benchmark(csrf: str):
    """A free-text question and a good answer to it: its key points written out, as a learner might."""
    from urllib.parse import urlencode

    from quiz.models import Question

    question = next(q for q in Question.objects.filter(is_active=True).order_by("id") if q.has_free_text)
    answer = " ".join(f"{kp.text.rstrip('.')}." for kp in question.key_points.all())
    fields = [
        ("csrfmiddlewaretoken", csrf),
        ("question", question.id),
        ("mode", "review"),
        ("answer", answer),
    ]
    if question.has_options:
        correct = question.options.filter(correct=True).order_by("id").first()
        fields.append(("options", correct.id))
    return question, urlencode(fields)
