"""Importing the question bank: questions, options and key points upserted by id, and the learner
state of questions that content `replaces` carried over to the question that took them over."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction

from curriculum.models import Topic
from curriculum.services import ImportReport
from quiz.content_loader import QuestionSpec, load_question_bank
from quiz.models import Attempt, Card, KeyPoint, MockInterview, Option, Question
from webapp.fragments import fragments_invalidate_site


@dataclass
class QuestionImportReport(ImportReport):
    # "old-id → new-id: 3 attempts, 2 cards (1 merged), 1 interview plan"
    carried: list[str] = field(default_factory=list)


def question_bank_import(*, content_dir: Path) -> QuestionImportReport:
    """Load every file first (raising ContentError on any problem), then write it all in one transaction."""
    known_topics = set(Topic.objects.filter(is_active=True).values_list("slug", flat=True))
    specs = load_question_bank(Path(content_dir), known_topics=known_topics)
    with transaction.atomic():
        report = QuestionImportReport()
        topics = Topic.objects.in_bulk({slug for spec in specs for slug in spec.topics}, field_name="slug")
        existing = Question.objects.in_bulk(field_name="slug")
        questions = {
            spec.slug: _question_upsert(spec, existing.get(spec.slug), topics, report) for spec in specs
        }
        for spec in specs:
            for old_slug in spec.replaces:
                old = existing.get(old_slug)
                if old is not None:
                    report.carried.append(question_carry_over(old=old, new=questions[spec.slug]))
        retired = Question.objects.exclude(slug__in=[s.slug for s in specs]).filter(is_active=True)
        report.retired = sorted(retired.values_list("slug", flat=True))
        retired.update(is_active=False)
        fragments_invalidate_site()  # the practice pages' cached question bank, after commit
    return report


def _question_upsert(spec: QuestionSpec, question: Question | None, topics: dict, report) -> Question:
    if question and question.content_hash == spec.content_hash and question.is_active:
        report.unchanged.append(spec.slug)
        return question
    (report.updated if question else report.created).append(spec.slug)
    question = question or Question(slug=spec.slug)
    question.level, question.kind = spec.level, spec.kind
    question.prompt, question.answer, question.tags = spec.prompt, spec.answer, list(spec.tags)
    question.main_topic = topics[spec.topics[0]]
    question.is_active, question.source_path, question.content_hash = True, spec.path, spec.content_hash
    question.save()
    question.topics.set([topics[slug] for slug in spec.topics])
    # Attempts keep the texts of chosen options and of hit key points, so rows can be rewritten.
    question.options.all().delete()
    Option.objects.bulk_create(
        Option(question=question, order=i, text=o.text, correct=o.correct, why=o.why)
        for i, o in enumerate(spec.options)
    )
    question.key_points.all().delete()
    KeyPoint.objects.bulk_create(
        KeyPoint(
            question=question, order=i, text=kp.text, terms=list(kp.terms),
            numbers=None if kp.numbers is None else [asdict(n) for n in kp.numbers],
        )
        for i, kp in enumerate(spec.key_points)
    )  # fmt: skip
    return question


def question_carry_over(*, old: Question, new: Question) -> str:
    """Move a replaced question's learner state to the question that replaces it, then delete it.

    Attempts move as they are (they keep the texts they were graded on). A learner's card moves
    too; one who has cards on both keeps the one reviewed last, with the reviews of both counted,
    so merging never gives anyone two cards for one question. Interview plans point at the new id.
    """
    attempts = Attempt.objects.filter(question=old).update(question=new)
    merged = 0
    new_cards = {c.user_id: c for c in Card.objects.select_for_update().filter(question=new)}
    for card in Card.objects.select_for_update().filter(question=old):
        kept = new_cards.get(card.user_id)
        if kept is None:
            card.question = new
            card.save(update_fields=["question"])
            continue
        merged += 1
        newer, older = (card, kept) if _reviewed_at(card) > _reviewed_at(kept) else (kept, card)
        kept.state, kept.due, kept.last_review = newer.state, newer.due, newer.last_review
        kept.last_score = newer.last_score
        kept.reviews, kept.lapses = newer.reviews + older.reviews, newer.lapses + older.lapses
        card.delete()
        kept.save()
    plans = 0
    for mock in MockInterview.objects.only("id", "question_ids").iterator():
        if old.id in mock.question_ids:
            ids = [new.id if qid == old.id else qid for qid in mock.question_ids]
            mock.question_ids = list(dict.fromkeys(ids))  # a plan that held both asks it once
            mock.save(update_fields=["question_ids"])
            plans += 1
    old_slug = old.slug
    old.delete()
    return (
        f"{old_slug} → {new.slug}: {attempts} attempt(s), {merged} card(s) merged, {plans} interview plan(s)"
    )


def _reviewed_at(card: Card):
    return card.last_review or card.due
