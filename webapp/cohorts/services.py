"""Cohort writes: creating and editing cohorts, invitation codes, co-owners, joining and leaving,
removing learners, and assignments."""

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from curriculum.models import Topic
from webapp.accounts.models import User
from webapp.cohorts.dashboard_page import cohort_dashboard_invalidate
from webapp.cohorts.models import Assignment, Cohort, Membership, invite_code_new
from webapp.fragments import fragments_invalidate_user


class CohortError(ValueError):
    """A refused change, with a message meant for the person who asked for it."""


def cohort_create(*, owner: User, name: str, description: str = "") -> Cohort:
    if not owner.is_instructor:
        raise CohortError("Only instructors can create cohorts.")
    with transaction.atomic():
        cohort = Cohort.objects.create(name=name.strip(), description=description.strip(), created_by=owner)
        cohort.owners.add(owner)
    return cohort


def cohort_update(*, cohort: Cohort, name: str, description: str) -> Cohort:
    cohort.name, cohort.description = name.strip(), description.strip()
    cohort.save(update_fields=["name", "description"])
    return cohort


def cohort_invite_regenerate(*, cohort: Cohort) -> Cohort:
    """A new invitation code; the old one (and every link made from it) stops working at once."""
    cohort.invite_code = invite_code_new()
    cohort.save(update_fields=["invite_code"])
    return cohort


def cohort_owner_add(*, cohort: Cohort, username: str) -> User:
    user = User.objects.filter(username=username.strip()).first()
    if user is None or not user.is_instructor:
        raise CohortError("Co-owners must be instructors: no instructor has that username.")
    if cohort.owners.filter(id=user.id).exists():
        raise CohortError(f"{user.shown_name} already owns this cohort.")
    cohort.owners.add(user)
    return user


def cohort_owner_remove(*, cohort: Cohort, user: User, removed_by: User) -> None:
    """An owner stops owning the cohort: by leaving (anyone but the last owner), or removed by the
    cohort's creator, the only owner who removes others (so a co-owner cannot take a cohort over).
    A creator who leaves hands the creator's role to the longest-standing remaining owner."""
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(id=cohort.id)  # two owners leaving at once: one waits
        owners = sorted(cohort.owners.values_list("id", flat=True))
        if user.id not in owners:
            raise CohortError("That instructor does not own this cohort.")
        if removed_by.id != user.id and removed_by.id != locked.created_by_id:
            raise CohortError("Only the cohort's creator removes co-owners; you can stop owning it yourself.")
        if len(owners) == 1:
            raise CohortError("A cohort needs at least one owner: add another before leaving.")
        cohort.owners.remove(user)
        if locked.created_by_id == user.id:
            locked.created_by_id = next(o for o in owners if o != user.id)
            locked.save(update_fields=["created_by"])


def membership_join(*, user: User, code: str) -> Membership:
    """Join the cohort whose invitation code this is (owners cannot join their own cohort)."""
    cohort = Cohort.objects.filter(invite_code=code.strip()).first()
    if cohort is None:
        raise CohortError("No cohort has that invitation code. Ask your instructor for a new link.")
    if cohort.owners.filter(id=user.id).exists():
        raise CohortError("You own this cohort: owners do not join their own cohorts.")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(cohort=cohort, user=user, joined_at=timezone.now())
            cohort_dashboard_invalidate(cohort_id=cohort.id)
            fragments_invalidate_user(user_id=user.pk)  # their menu's link: "My cohorts" now
            return membership
    except IntegrityError as exc:  # the constraint: one current membership per learner and cohort
        raise CohortError(f"You are already in {cohort.name}.") from exc


def membership_end(*, membership: Membership, removed_by: User | None = None) -> Membership:
    """End a membership now: the learner leaving (removed_by None) or an owner removing them.
    From this moment the cohort's owners see none of the learner's new activity."""
    if membership.left_at is None:
        membership.left_at = timezone.now()
        membership.removed_by = removed_by
        membership.save(update_fields=["left_at", "removed_by"])
        cohort_dashboard_invalidate(cohort_id=membership.cohort_id)
        fragments_invalidate_user(user_id=membership.user_id)  # their menu's cohort link
    return membership


def assignment_create(
    *,
    cohort: Cohort,
    created_by: User,
    kind: str,
    due_on: date,
    topics: Sequence[Topic] = (),
    title: str = "",
    level: str = "",
    question_count: int | None = None,
    minutes: int | None = None,
    instructions: str = "",
) -> Assignment:
    if kind not in Assignment.Kind.values:
        raise CohortError(f"Unknown assignment kind {kind!r}.")
    if kind == Assignment.Kind.TOPICS and not topics:
        raise CohortError("Choose at least one topic to finish.")
    if kind != Assignment.Kind.TOPICS and not question_count:
        raise CohortError("Say how many questions are needed.")
    with transaction.atomic():
        assignment = Assignment.objects.create(
            cohort=cohort, created_by=created_by, kind=kind, title=title.strip(), due_on=due_on,
            level=level or "", question_count=question_count if kind != Assignment.Kind.TOPICS else None,
            minutes=minutes if kind == Assignment.Kind.MOCK else None, instructions=instructions.strip(),
        )  # fmt: skip
        assignment.topics.set(topics)
        cohort_dashboard_invalidate(cohort_id=cohort.id)
    return assignment


def assignment_delete(*, assignment: Assignment) -> None:
    with transaction.atomic():
        cohort_dashboard_invalidate(cohort_id=assignment.cohort_id)
        assignment.delete()


def membership_leaderboard_set(*, membership: Membership, visible: bool) -> Membership:
    membership.on_leaderboard = visible
    membership.save(update_fields=["on_leaderboard"])
    cohort_dashboard_invalidate(cohort_id=membership.cohort_id)  # the challenge leaderboard
    return membership
