"""Jobs that run a named procedure rather than one engine call — a demo's predict-then-run
experiment runs several engines and scores what they return. The app that defines a procedure
registers it at start-up (its AppConfig.ready), so a worker runs it without `workers` importing
that app, and it goes through the same job path as an engine: quotas, time limits, heartbeat,
retries, progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workers.engines.base import ProgressFn


@dataclass(frozen=True)
class Procedure:
    capability: str  # what the job row says instead of an engine capability, e.g. "exercise"
    label: str  # shown as the job's engine
    names: Callable[[], frozenset[str]]  # what a job may ask for (its `backend`), e.g. exercise ids
    # (key, params, progress) → JSON-safe result; runs on a worker, may load any engine
    run: Callable[[str, dict[str, Any], ProgressFn], dict[str, Any]]


_PROCEDURES: dict[str, Procedure] = {}


def procedure_register(procedure: Procedure) -> None:
    """Called once per process by the defining app; registering the same capability again replaces it."""
    _PROCEDURES[procedure.capability] = procedure


def procedure_for(capability: str) -> Procedure | None:
    """The procedure a job of this capability runs, or None when it is an engine capability."""
    return _PROCEDURES.get(capability)
