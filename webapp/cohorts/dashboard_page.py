"""The dashboard's body (every figure below its settings form), rendered once per cohort, settings
and hour and kept in the shared cache, so ten instructors opening a 200-learner dashboard cost one
computation, not ten.

It is a group fragment (webapp/fragments.py) under the cohort's token. The token is bumped on
commit by any change to a member's data — progress, an answer or its grade, a card's review, a mock
interview, a challenge result, a demo prediction: the writes that renew the learner's own pages
bump the groups `cohort_groups_of_user` names (registered in apps.py) — and by any change to the
cohort's memberships and assignments (`cohort_dashboard_invalidate`). The hour in the key keeps
"inactive for N days" and the dates relative to today true; who may see it is checked before (the
view's `cohort_or_404`). After a member's change the body last built is served, with its age, while
the new one is built; after a change to the memberships or assignments it never is (a learner
removed or deleted must not be shown).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from webapp.cohorts import selectors
from webapp.cohorts.figures import dashboard_figures, forgetting_rows, progress_grid_rows, topic_mastery_rows
from webapp.cohorts.models import Cohort, Membership
from webapp.cohorts.selectors import ChallengeResults
from webapp.cohorts.selectors.dashboard import Dashboard, DashboardOptions, cohort_dashboard
from webapp.fragments import fragments_invalidate_group, group_fragment_get_or_render


def _group(cohort_id: int) -> str:
    return f"cohort:{cohort_id}"


def cohort_groups_of_user(user_id: int) -> list[str]:
    """Every cohort the user is or was in: a former member's leaving date shows on the dashboard."""
    cohort_ids = Membership.objects.filter(user_id=user_id).values_list("cohort_id", flat=True).distinct()
    return [_group(cohort_id) for cohort_id in cohort_ids]


def cohort_dashboard_invalidate(*, cohort_id: int) -> None:
    """After commit: the cohort's memberships or assignments changed (members' own data changes
    reach the dashboard through their tokens)."""
    fragments_invalidate_group(group=_group(cohort_id))


@dataclass(frozen=True)
class DashboardBody:
    html: SafeString
    learner_count: int
    data: Dashboard | None  # the read model when this request computed the body served; None when cached
    stale_age_s: int | None = None  # how old the body is when served stale while being rebuilt


def dashboard_body_context(*, cohort: Cohort, d: Dashboard, challenge_results: ChallengeResults) -> dict:
    """What cohorts/_dashboard_body.html renders: the read model, its figures, and the long tables'
    rows written in Python (figures.py: the template engine is slow over thousands of cells)."""
    return {
        "cohort": cohort,
        "d": d,
        "figures": dashboard_figures(d),
        "grid_rows": progress_grid_rows(d),
        "forgetting_rows": forgetting_rows(d),
        "topic_mastery_rows": topic_mastery_rows(d),
        "challenge_results": challenge_results,
    }


def dashboard_body(
    *, cohort: Cohort, options: DashboardOptions, now: datetime | None = None
) -> DashboardBody:
    now = now or timezone.now()
    computed: list[Dashboard] = []

    def render() -> str:
        d = cohort_dashboard(cohort=cohort, options=options, now=now)
        computed.append(d)
        results = selectors.challenge_results(cohort=cohort, members=[row.membership for row in d.learners])
        context = dashboard_body_context(cohort=cohort, d=d, challenge_results=results)
        return render_to_string("cohorts/_dashboard_body.html", context)

    local = timezone.localtime(now)
    fragment = group_fragment_get_or_render(
        name="cohort-dashboard", group=_group(cohort.id), render=render,
        parts=(*astuple(options), local.date().isoformat(), local.hour),
    )  # fmt: skip
    # A stale body may have been rebuilt by this request (with no background thread): not the one served.
    served = computed[0] if computed and not fragment.stale else None
    count = len(served.learners) if served else selectors.member_count_current(cohort=cohort)
    age_s = None
    if fragment.built_at is not None:
        age_s = max(0, round((timezone.now() - fragment.built_at).total_seconds()))
    # Safe: rendered by the template engine, with autoescaping, from this cohort's data only.
    return DashboardBody(mark_safe(fragment.html), count, served, age_s)
