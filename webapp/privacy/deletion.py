"""Deleting an account: every row that is the user's (ownership.py finds them) and every file those
rows hold, wherever the storage is; cohorts they own pass to a co-owner or go with them."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction

from webapp.cohorts.dashboard_page import cohort_dashboard_invalidate
from webapp.cohorts.models import Membership
from webapp.fragments import fragments_invalidate_user
from webapp.privacy.demo_cache import demo_cache_copies
from webapp.privacy.ownership import owned_file_names
from webapp.privacy.trained_models import own_unpromoted_version_files, prune_empty_version_folders

# Other places a user's files live that no FileField names (e.g. trained-model folders, Gradio's
# upload cache): each collector returns storage names or absolute local paths to delete.
EXTRA_FILE_COLLECTORS: list[Callable[[object], list[str]]] = [demo_cache_copies, own_unpromoted_version_files]


@dataclass
class DeletionSummary:
    username: str
    rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    cohorts_handed_on: list[str] = field(default_factory=list)
    cohorts_deleted: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Deleted the account {self.username!r}."]
        out += [f"  {count:5d} × {label}" for label, count in sorted(self.rows.items())]
        out.append(f"  {len(self.files):5d} file(s) removed from storage")
        out += [f"  cohort passed to a co-owner: {name}" for name in self.cohorts_handed_on]
        out += [f"  cohort deleted (no co-owner): {name}" for name in self.cohorts_deleted]
        return out


def cohorts_affected(*, user) -> tuple[list, list]:
    """(cohorts that pass to a co-owner, cohorts deleted with the account) — shown as a warning first."""
    from webapp.cohorts.models import Cohort

    handed_on, deleted = [], []
    for cohort in Cohort.objects.filter(owners=user).prefetch_related("owners").order_by("name"):
        others = [owner for owner in cohort.owners.all() if owner.pk != user.pk]
        (handed_on if others else deleted).append(cohort)
    return handed_on, deleted


def _cohorts_hand_on(user, summary: DeletionSummary) -> None:
    from webapp.cohorts.models import Cohort

    handed_on, deleted = cohorts_affected(user=user)
    for cohort in handed_on:
        cohort.owners.remove(user)
        if cohort.created_by_id == user.pk:
            # The creator's rights (removing co-owners) pass to the longest-standing co-owner.
            cohort.created_by = cohort.owners.order_by("pk").first()
            cohort.save(update_fields=["created_by"])
        summary.cohorts_handed_on.append(cohort.name)
    for cohort in deleted:
        summary.cohorts_deleted.append(cohort.name)
    # The members of a deleted cohort lose their memberships with it: their menus change.
    for member_id in set(Membership.objects.filter(cohort__in=deleted).values_list("user_id", flat=True)):
        fragments_invalidate_user(user_id=member_id)
    Cohort.objects.filter(pk__in=[c.pk for c in deleted]).delete()


def user_account_delete(*, user) -> DeletionSummary:
    """Delete the user, their rows and their files. Files go after the rows: a failure part-way
    leaves files without rows (cleaned by retention), never rows pointing at missing files."""
    summary = DeletionSummary(username=user.username)
    with transaction.atomic():
        # A job still running finds its row gone when it finishes and stores nothing (workers/execution.py).
        names = owned_file_names(user)
        for collect in EXTRA_FILE_COLLECTORS:
            names += collect(user)
        _cohorts_hand_on(user, summary)
        # Their memberships go with them: the dashboards that list them (as former learners too).
        for cohort_id in set(Membership.objects.filter(user=user).values_list("cohort_id", flat=True)):
            cohort_dashboard_invalidate(cohort_id=cohort_id)
        _, per_model = user.delete()
    summary.rows = dict(Counter({label: n for label, n in per_model.items() if n}))
    for name in sorted(set(names)):
        if _delete_stored(name):
            summary.files.append(name)
    prune_empty_version_folders(summary.files)
    return summary


def _delete_stored(name: str) -> bool:
    from pathlib import Path

    if Path(name).is_absolute():
        path = Path(name)
        if path.is_file():
            path.unlink()
            return True
        return False
    if default_storage.exists(name):
        default_storage.delete(name)
        _prune_empty_parents(name)
        return True
    return False


def _prune_empty_parents(name: str) -> None:
    """On local storage, remove folders the deletion emptied (jobs/<id>/inputs, …)."""
    from pathlib import Path

    try:
        root = Path(default_storage.path(""))
        folder = Path(default_storage.path(name)).parent
    except NotImplementedError:  # object storage has no folders
        return
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
