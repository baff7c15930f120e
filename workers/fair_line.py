"""The fair order of a queue's line (a leaf module, plain Python): round-robin by owner, then by
submission time, so that nobody waits behind another learner's second job."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Queued:
    """One job that has not started yet: what the order needs of it, nothing about what it does."""

    id: Hashable
    owner_id: int
    created_at: datetime
    dispatched_at: datetime | None  # None: still waiting in the database for its turn
    round: int = 0  # how many of its owner's jobs were waiting or running when it was submitted


def fair_order(queued: Sequence[Queued]) -> list[Queued]:
    """The line, first to start first. Jobs already handed to the broker come first, in the order
    they were sent (the broker serves them FIFO). The waiting ones follow by round, then age: a
    learner's second job (round 1) goes after every first job (round 0) still waiting, even one
    submitted later, so nobody waits behind another learner's second job."""
    sent = sorted(
        (j for j in queued if j.dispatched_at is not None), key=lambda j: (j.dispatched_at, j.created_at)
    )
    waiting = sorted(
        (j for j in queued if j.dispatched_at is None), key=lambda j: (j.round, j.created_at, str(j.id))
    )
    return sent + waiting


def to_release(
    line: Sequence[Queued], running_by_owner: Mapping[int, int], slots: int | None
) -> list[Queued]:
    """The waiting jobs to hand to the broker now, in `line`'s order. With `slots` known (the
    queue's live worker processes), enough to keep every worker busy and no more, so that the order
    is decided when a worker frees up; unknown (no worker has reported yet), each owner's first only."""
    waiting = [j for j in line if j.dispatched_at is None]
    if slots is not None:
        in_flight = sum(running_by_owner.values()) + sum(1 for j in line if j.dispatched_at is not None)
        return waiting[: max(slots - in_flight, 0)]
    busy = {owner for owner, n in running_by_owner.items() if n} | {
        j.owner_id for j in line if j.dispatched_at is not None
    }
    chosen = []
    for job in waiting:
        if job.owner_id not in busy:
            chosen.append(job)
            busy.add(job.owner_id)
    return chosen


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th… 11th, 12th, 13th… 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def estimated_wait_seconds(place: int, *, median_seconds: float | None, workers: int) -> int | None:
    """Until the job's result: the `place - 1` jobs ahead and the one running now shared by the
    workers, then its own run: (place / workers + 1) × the median duration. None without timings."""
    if median_seconds is None:
        return None
    return max(1, math.ceil((place / max(workers, 1) + 1) * median_seconds))


def busy_text(place: int, eta_seconds: int | None) -> str:
    """What a waiting learner reads: "busy: 12th in line, about 40 s"."""
    if eta_seconds is None:
        return f"busy: {ordinal(place)} in line"
    if eta_seconds >= 120:
        return f"busy: {ordinal(place)} in line, about {round(eta_seconds / 60)} min"
    return f"busy: {ordinal(place)} in line, about {eta_seconds} s"
