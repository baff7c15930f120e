"""Curriculum writes: importing the content files, and learners marking their progress."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from curriculum.content_loader import Curriculum, PhaseSpec, TopicSpec, load_curriculum
from curriculum.lessons import lesson_parts
from curriculum.models import CheckAnswer, Phase, Resource, Topic, TopicProgress
from curriculum.rendering import render_markdown
from curriculum.search import topic_search_index_sync
from webapp.fragments import fragments_invalidate_site, fragments_invalidate_user


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id) with state moved

    def summary(self) -> str:
        text = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.retired)} retired"
        )
        if self.replaced:
            text += ", learner state moved: " + ", ".join(f"{old} → {new}" for old, new in self.replaced)
        return text


def curriculum_import(*, content_dir: Path) -> ImportReport:
    """Load every file first (raising ContentError on any problem), then write it all in one transaction."""
    curriculum = load_curriculum(Path(content_dir))
    with transaction.atomic():
        report = _write_curriculum(curriculum)
        topic_search_index_sync()
        fragments_invalidate_site()
    return report


def _write_curriculum(cur: Curriculum) -> ImportReport:
    report = ImportReport()
    phases = {spec.slug: _phase_upsert(spec, report) for spec in cur.phases}
    Phase.objects.exclude(slug__in=phases).filter(is_active=True).update(is_active=False)

    topics = {spec.slug: _topic_upsert(spec, phases[spec.phase], report) for spec in cur.topics}
    for spec in cur.topics:
        topics[spec.slug].prerequisites.set([topics[p] for p in spec.prerequisites])
        for old in Topic.objects.filter(slug__in=spec.replaces):
            topic_state_move(old=old, new=topics[spec.slug])
            report.replaced.append((old.slug, spec.slug))
    retired = Topic.objects.exclude(slug__in=topics).filter(is_active=True)
    report.retired = list(retired.values_list("slug", flat=True))
    retired.update(is_active=False)
    return report


def _phase_upsert(spec: PhaseSpec, report: ImportReport) -> Phase:
    values = {
        "order": spec.order,
        "title": spec.title,
        "duration": spec.duration,
        "weeks": spec.weeks,
        "goals": list(spec.goals),
        "goal_lessons": [list(lessons) for lessons in spec.goal_lessons],
        "body_html": render_markdown(spec.body),
        "is_active": True,
        "content_hash": spec.content_hash,
    }
    existing = Phase.objects.filter(slug=spec.slug).first()
    if existing and existing.content_hash == spec.content_hash and existing.is_active:
        return existing
    phase, _ = Phase.objects.update_or_create(slug=spec.slug, defaults=values)
    return phase


def _topic_upsert(spec: TopicSpec, phase: Phase, report: ImportReport) -> Topic:
    existing = Topic.objects.filter(slug=spec.slug).first()
    unchanged = existing and existing.content_hash == spec.content_hash and existing.phase_id == phase.id
    if unchanged and existing.is_active:
        report.unchanged.append(spec.slug)
        return existing
    parts = lesson_parts(spec.body)
    values = {
        "phase": phase,
        "order": spec.order,
        "title": spec.title,
        "summary": spec.summary,
        "levels": list(spec.levels),
        "skills": list(spec.skills),
        "demos": list(spec.demos),
        "estimated_hours": spec.estimated_hours,
        "body_markdown": spec.body,
        "body_html": render_markdown(parts.lesson),
        "core": spec.core,
        "check_questions": [_inline_html(q) for q in parts.questions],
        "worked_answers": [
            {"heading": _inline_html(h), "html": render_markdown(a)} for h, a in parts.answers
        ],
        "is_active": True,
        "source_path": spec.path,
        "content_hash": spec.content_hash,
    }
    topic, created = Topic.objects.update_or_create(slug=spec.slug, defaults=values)
    (report.created if created else report.updated).append(spec.slug)
    topic.resources.all().delete()
    Resource.objects.bulk_create(
        Resource(topic=topic, order=i, title=r.title, url=r.url, kind=r.kind, note=r.note)
        for i, r in enumerate(spec.resources)
    )
    return topic


def _inline_html(markdown_text: str) -> str:
    """One line of Markdown (a question, a heading) without the paragraph around it."""
    html = render_markdown(markdown_text).strip()
    return html.removeprefix("<p>").removesuffix("</p>") if html.count("<p>") == 1 else html


_STATUS_RANK = {TopicProgress.Status.STARTED: 1, TopicProgress.Status.DONE: 2}


def topic_state_move(*, old: Topic, new: Topic) -> None:
    """Carry learners' state from a replaced topic to the one that replaces it: progress (the
    further-along status wins), demo evidence, quiz questions, cohort assignments and anything else
    that points at the topic (found through the model relations, so other apps need no hook), and
    written Check-yourself answers whose question the new topic still asks."""
    for progress in TopicProgress.objects.filter(topic=old):
        kept = TopicProgress.objects.filter(user=progress.user_id, topic=new).first()
        if kept is None:
            progress.topic = new
            progress.save(update_fields=["topic", "updated_at"])
            continue
        if _STATUS_RANK[progress.status] > _STATUS_RANK[kept.status]:
            kept.status, kept.completed_at = progress.status, progress.completed_at
        kept.started_at = min(kept.started_at, progress.started_at)
        kept.save()
        progress.delete()
    _check_answers_move(old=old, new=new)
    for relation in Topic._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        if model in (TopicProgress, CheckAnswer, Resource, Topic):  # handled above, or content's own
            continue
        if relation.many_to_many:
            for owner in model._default_manager.filter(**{name: old}):
                getattr(owner, name).add(new)
                getattr(owner, name).remove(old)
        else:
            model._default_manager.filter(**{name: old}).update(**{name: new})


def _check_answers_move(*, old: Topic, new: Topic) -> None:
    """An answer moves only to the same question (same text) in the new topic; others stay, with
    the retired topic, in the learner's history."""
    where = {question: i for i, question in enumerate(new.check_questions)}
    for answer in CheckAnswer.objects.filter(topic=old):
        question = (
            old.check_questions[answer.question] if answer.question < len(old.check_questions) else None
        )
        if question not in where:
            continue
        answer.topic, answer.question = new, where[question]
        try:
            with transaction.atomic():
                answer.save(update_fields=["topic", "question"])
        except IntegrityError:
            pass  # the learner already answered it on the new topic: that answer stands


class ProgressError(ValueError):
    pass


def topic_progress_mark(*, user, topic: Topic, status: str) -> TopicProgress | None:
    """Set the user's own status on a topic: 'started', 'done', or 'reset' (undo: no record)."""
    if not user.is_authenticated:
        raise ProgressError("Sign in to track your progress.")
    with transaction.atomic():
        progress = _progress_write(user=user, topic=topic, status=status)
        # Registered inside the transaction, so it runs once the write is visible to other requests.
        fragments_invalidate_user(user_id=user.pk)
    return progress


def _progress_write(*, user, topic: Topic, status: str) -> TopicProgress | None:
    now = timezone.now()
    if status == "reset":
        TopicProgress.objects.filter(user=user, topic=topic).delete()
        return None
    if status not in TopicProgress.Status.values:
        raise ProgressError(f"Unknown progress status {status!r}.")
    if not topic.is_active and not TopicProgress.objects.filter(user=user, topic=topic).exists():
        raise ProgressError("This topic has been retired from the roadmap.")
    progress, _ = TopicProgress.objects.get_or_create(
        user=user, topic=topic, defaults={"status": status, "started_at": now}
    )
    progress.status = status
    progress.completed_at = now if status == TopicProgress.Status.DONE else None
    progress.save()
    return progress


class CheckAnswerError(ValueError):
    pass


# An attempt counts as evidence when it says something: enough words, and not the question echoed back.
SUBSTANTIVE_MIN_WORDS = 12
SUBSTANTIVE_MIN_NEW_WORDS = 6


def attempt_is_substantive(*, attempt: str, question: str) -> bool:
    words = re.findall(r"[a-z0-9]+", attempt.lower())
    asked = set(re.findall(r"[a-z0-9]+", question.lower()))
    return len(words) >= SUBSTANTIVE_MIN_WORDS and len(set(words) - asked) >= SUBSTANTIVE_MIN_NEW_WORDS


def check_answer_record(*, user, topic: Topic, question: int, attempt: str, reveal: bool) -> CheckAnswer:
    """Record the learner's attempt at a Check-yourself question (or their choice to see the answer
    without one). The first record stands: once the worked answer has been shown, nothing changes it."""
    if not user.is_authenticated:
        raise CheckAnswerError("Sign in to check your answers.")
    if not 0 <= question < len(topic.check_questions):
        raise CheckAnswerError("There is no such question on this topic.")
    attempt = attempt.strip()
    if len(attempt) > CheckAnswer._meta.get_field("attempt").max_length:
        raise CheckAnswerError("That attempt is too long (4,000 characters at most).")
    if not reveal and not attempt:
        raise CheckAnswerError("Write an attempt first, or choose to see the worked answer without one.")
    existing = CheckAnswer.objects.filter(user=user, topic=topic, question=question).first()
    if existing:
        return existing
    plain_question = re.sub(r"<[^>]+>", " ", topic.check_questions[question])
    try:
        with transaction.atomic():
            fragments_invalidate_user(user_id=user.pk)  # their topic page shows it
            return CheckAnswer.objects.create(
                user=user,
                topic=topic,
                question=question,
                attempt="" if reveal and not attempt else attempt,
                substantive=bool(attempt)
                and attempt_is_substantive(attempt=attempt, question=plain_question),
            )
    except IntegrityError:  # a double submit: the first one stands
        return CheckAnswer.objects.get(user=user, topic=topic, question=question)
