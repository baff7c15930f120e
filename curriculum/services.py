"""Curriculum writes: importing the content files, and learners marking their progress."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from curriculum.content_loader import Curriculum, PhaseSpec, TopicSpec, load_curriculum
from curriculum.models import Phase, Resource, Topic, TopicProgress
from curriculum.rendering import render_markdown
from curriculum.search import topic_search_index_sync
from webapp.fragments import fragments_invalidate_site, fragments_invalidate_user


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.retired)} retired"
        )


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
        "body_html": render_markdown(spec.body),
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
