"""Cohort reads. Here: the membership window that bounds an owner's view of a learner's data, and
who may see which cohort and member. Beside it: one learner's drill-down (learner.py), assignments
and each learner's status (assignments.py), the dashboard (dashboard.py) and its forgetting
forecast (forecast.py).

The rules, in one place: an instructor sees a cohort only while owning it; a learner's data is
visible to the owners only where it was created while the learner was a member (between joining
and leaving); a learner sees only their own memberships and assignments. Lookups that fail the
rules raise DoesNotExist, which the views answer with 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from curriculum.models import TopicProgress
from quiz.models import Attempt, MockInterview
from webapp.accounts.models import User
from webapp.cohorts.models import Cohort, Membership

# ---------------------------------------------------------------------------------------------
# The membership window


def visible(*, cohort_id: int, at: str, user: str = "user") -> Exists:
    """True for rows whose `at` moment lies inside one of the user's memberships of the cohort:
    joined at or before it, and not left by then. Filter any learner data with it."""
    stretches = Membership.objects.filter(
        cohort_id=cohort_id, user=OuterRef(user), joined_at__lte=OuterRef(at)
    )
    return Exists(stretches.filter(Q(left_at__isnull=True) | Q(left_at__gt=OuterRef(at))))


@dataclass(frozen=True)
class Windows:
    """The same rule as `visible`, for rows already in Python: each user's stretches in a cohort."""

    stretches: dict[int, list[tuple[datetime, datetime | None]]]

    def contains(self, user_id: int, moment: datetime | None) -> bool:
        if moment is None:
            return False
        return any(
            joined <= moment and (left is None or moment < left)
            for joined, left in self.stretches.get(user_id, ())
        )


def cohort_windows(*, cohort: Cohort) -> Windows:
    stretches: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for user_id, joined, left in Membership.objects.filter(cohort=cohort).values_list(
        "user_id", "joined_at", "left_at"
    ):
        stretches[user_id].append((joined, left))
    return Windows(dict(stretches))


def attempts_visible(*, cohort: Cohort) -> QuerySet[Attempt]:
    return Attempt.objects.filter(visible(cohort_id=cohort.id, at="created_at"))


def progress_visible(*, cohort: Cohort) -> QuerySet[TopicProgress]:
    """Progress rows started or completed inside the window, each annotated `started_seen` and
    `completed_seen`: a topic finished after the learner left shows as started, not done."""
    return TopicProgress.objects.annotate(
        started_seen=visible(cohort_id=cohort.id, at="started_at"),
        completed_seen=visible(cohort_id=cohort.id, at="completed_at"),
    ).filter(Q(started_seen=True) | Q(completed_seen=True))


def challenge_attempts_visible(*, cohort: Cohort) -> QuerySet:
    """Scored challenge attempts made inside the membership window."""
    from webapp.challenges.models import ChallengeAttempt

    return ChallengeAttempt.objects.filter(status="scored").filter(
        visible(cohort_id=cohort.id, at="created_at")
    )


def mocks_visible(*, cohort: Cohort) -> QuerySet[MockInterview]:
    """Interviews started inside the window; an unfinished one, or one finished after leaving,
    counts as started only (see `mock_visible_report`)."""
    return MockInterview.objects.filter(visible(cohort_id=cohort.id, at="started_at"))


# ---------------------------------------------------------------------------------------------
# Cohorts and members


def cohorts_owned(*, user: User) -> list[Cohort]:
    if not user.is_authenticated or not user.is_instructor:
        return []
    current = Q(memberships__left_at__isnull=True)
    return list(
        Cohort.objects.filter(owners=user)
        .annotate(member_count=Count("memberships", filter=current, distinct=True))
        .order_by("name", "id")
    )


def cohort_for_owner(*, cohort_id: int, user: User) -> Cohort:
    """The cohort, if this user is an instructor who owns it; DoesNotExist otherwise."""
    if not user.is_authenticated or not user.is_instructor:
        raise Cohort.DoesNotExist
    return Cohort.objects.filter(owners=user).prefetch_related("owners").get(id=cohort_id)


def cohort_for_code(*, code: str) -> Cohort | None:
    return (
        Cohort.objects.filter(invite_code=code.strip()).prefetch_related("owners").first() if code else None
    )


def members_current(*, cohort: Cohort) -> list[Membership]:
    return list(
        Membership.objects.filter(cohort=cohort, left_at__isnull=True)
        .select_related("user")
        .order_by("user__username")
    )


@dataclass(frozen=True)
class ChallengeResults:
    challenges: list[str]  # slugs anyone in the cohort attempted, in catalogue order
    rows: list[
        tuple[User, list[tuple[float | None, bool]]]
    ]  # per member: best score and passed, per challenge
    leaderboard: list[tuple[str, int]]  # opted-in members: (name, challenges passed), most first


def challenge_results(*, cohort: Cohort, members: list[Membership] | None = None) -> ChallengeResults:
    """Each current member's best score per challenge (inside the membership window), and the
    leaderboard of those who chose to appear on it. `members`: the current members, when known."""
    from webapp.challenges.catalog import CHALLENGES

    best: dict[tuple[int, str], tuple[float | None, bool]] = {}
    for user_id, slug, score, passed in challenge_attempts_visible(cohort=cohort).values_list(
        "user_id", "challenge", "score", "passed"
    ):
        higher = CHALLENGES[slug].higher_is_better if slug in CHALLENGES else True
        old = best.get((user_id, slug))
        better = old is None or (score is not None and (old[0] is None or (score > old[0]) == higher))
        if better:
            best[(user_id, slug)] = (score, bool(passed) or bool(old and old[1]))
        elif passed:
            best[(user_id, slug)] = (old[0], True)
    slugs = [s for s in CHALLENGES if any(key[1] == s for key in best)]
    members = members_current(cohort=cohort) if members is None else members
    rows = [(m.user, [best.get((m.user_id, s), (None, False)) for s in slugs]) for m in members]
    board = sorted(
        ((m.user.shown_name, sum(best.get((m.user_id, s), (None, False))[1] for s in slugs)) for m in members
         if m.on_leaderboard),
        key=lambda item: (-item[1], item[0]),
    )  # fmt: skip
    return ChallengeResults(slugs, rows, board)


def member_count_current(*, cohort: Cohort) -> int:
    return Membership.objects.filter(cohort=cohort, left_at__isnull=True).count()


def members_former(*, cohort: Cohort) -> list[Membership]:
    """Learners who have left (and not come back), latest stretch each."""
    current = Membership.objects.filter(cohort=cohort, left_at__isnull=True).values("user_id")
    rows = (
        Membership.objects.filter(cohort=cohort, left_at__isnull=False)
        .exclude(user_id__in=current)
        .select_related("user")
        .order_by("user__username", "-left_at")
    )
    latest: dict[int, Membership] = {}
    for row in rows:
        latest.setdefault(row.user_id, row)
    return list(latest.values())


def learner_for_owner(*, cohort: Cohort, user_id: int) -> User:
    """A learner who is or was a member of this cohort (the caller owns it); DoesNotExist otherwise."""
    return User.objects.filter(cohort_memberships__cohort=cohort).distinct().get(id=user_id)


def memberships_of(*, cohort: Cohort, user: User) -> list[Membership]:
    """Every stretch this learner has spent in the cohort, oldest first."""
    return list(Membership.objects.filter(cohort=cohort, user=user).order_by("joined_at"))


def memberships_current(*, user: User) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, left_at__isnull=True)
        .select_related("cohort")
        .prefetch_related("cohort__owners")
        .order_by("cohort__name")
    )


def membership_current(*, user: User, cohort_id: int) -> Membership:
    return Membership.objects.select_related("cohort").get(
        user=user, cohort_id=cohort_id, left_at__isnull=True
    )


def membership_of_member(*, cohort: Cohort, user_id: int) -> Membership:
    return Membership.objects.select_related("user").get(cohort=cohort, user_id=user_id, left_at__isnull=True)


def membership_exists(*, user: User) -> bool:
    """For the navigation: does this learner belong to any cohort now?"""
    return user.is_authenticated and Membership.objects.filter(user=user, left_at__isnull=True).exists()


def menu_facts(user: User) -> dict:
    """What the site's menu shows of a signed-in user's cohorts (webapp/site_nav.py): an instructor
    gets the cohorts they own by role; a learner in a cohort the link to it, else the one to join."""
    return {"in_a_cohort": not user.is_instructor and membership_exists(user=user)}
