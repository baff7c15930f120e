"""Every predict-then-run exercise, and the job procedure that runs one's experiment on a worker
(registered by demos.apps, so `workers` never imports demos)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from demos.exercise import Exercise
    from workers.engines.base import Engine, ProgressFn
    from workers.procedures import EngineNeed

from demos.exercise import CAPABILITY


@functools.cache
def exercises_by_id() -> dict[str, Exercise]:
    from demos.asr.exercises import EXERCISES as asr
    from demos.diarization.exercises import EXERCISES as diarization
    from demos.enhancement.exercises import EXERCISES as enhancement
    from demos.fundamentals.exercises import EXERCISES as fundamentals
    from demos.keyword_spotting.exercises import EXERCISES as keyword_spotting
    from demos.music.exercises import EXERCISES as music
    from demos.separation.exercises import EXERCISES as separation
    from demos.speaker_verification.exercises import EXERCISES as speaker_verification
    from demos.tts.exercises import EXERCISES as tts
    from demos.vad.exercises import EXERCISES as vad
    from demos.voice_cloning.exercises import EXERCISES as voice_cloning
    from demos.voice_conversion.exercises import EXERCISES as voice_conversion

    every = (*asr, *diarization, *enhancement, *fundamentals, *keyword_spotting, *music, *separation,
             *speaker_verification, *tts, *vad, *voice_cloning, *voice_conversion)  # fmt: skip
    return {exercise.id: exercise for exercise in every}


def exercise_ids() -> frozenset[str]:
    return frozenset(exercises_by_id())


def exercise_engines(exercise_id: str) -> tuple[EngineNeed, ...]:
    return exercises_by_id()[exercise_id].engines


def exercise_experiment_run(
    exercise_id: str, params: dict[str, Any], progress: ProgressFn, engines: tuple[Engine, ...]
) -> dict[str, Any]:
    """On a worker, with the engines the exercise names (loaded there): run its experiment; the
    job's result is the answer and what was measured."""
    exercise = exercises_by_id()[exercise_id]
    progress(0.1, "Running the experiment…")
    answer, measured = exercise.experiment(*engines)
    return {"answer": answer, "measured": {str(k): str(v) for k, v in measured.items()}}


def exercise_procedure_register() -> None:
    from workers.procedures import Procedure, procedure_register

    procedure_register(
        Procedure(
            CAPABILITY,
            "Predict-then-run experiment",
            names=exercise_ids,
            run=exercise_experiment_run,
            needs=exercise_engines,
        )
    )
