"""Jobs that run a named procedure rather than one engine call — a demo's predict-then-run
experiment runs several engines and scores what they return. The app that defines a procedure
registers it at start-up (its AppConfig.ready), so a worker runs it without `workers` importing
that app, and it goes through the same job path as an engine: quotas, time limits, heartbeat,
retries, progress. A procedure names the engines it needs; the worker looks them up in the
registry and hands them in, so the defining app never obtains an engine itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.engines.base import Engine, ProgressFn


@dataclass(frozen=True)
class EngineNeed:
    """One engine a procedure is handed: what `get_engine` would be asked for."""

    capability: str
    backend: str | None = None  # None: the configured default
    device: str | None = None  # None: CUDA when the backend uses torch and one is present


def no_engines(key: str) -> tuple[EngineNeed, ...]:
    return ()


@dataclass(frozen=True)
class Procedure:
    capability: str  # what the job row says instead of an engine capability, e.g. "exercise"
    label: str  # shown as the job's engine
    names: Callable[[], frozenset[str]]  # what a job may ask for (its `backend`), e.g. exercise ids
    # (key, params, progress, engines) → JSON-safe result; runs on a worker with the engines
    # that `needs(key)` names, loaded and in that order
    run: Callable[[str, dict[str, Any], ProgressFn, tuple[Engine, ...]], dict[str, Any]]
    needs: Callable[[str], tuple[EngineNeed, ...]] = no_engines


_PROCEDURES: dict[str, Procedure] = {}


def procedure_register(procedure: Procedure) -> None:
    """Called once per process by the defining app; registering the same capability again replaces it."""
    _PROCEDURES[procedure.capability] = procedure


def procedure_for(capability: str) -> Procedure | None:
    """The procedure a job of this capability runs, or None when it is an engine capability."""
    return _PROCEDURES.get(capability)


def engines_load(needs: tuple[EngineNeed, ...]) -> tuple[Engine, ...]:
    """The engines `needs` names, loaded once per process by the registry (on a worker, or in a test)."""
    from workers.engines.registry import get_engine

    return tuple(get_engine(need.capability, need.backend, need.device) for need in needs)
