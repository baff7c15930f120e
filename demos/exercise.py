"""What a predict-then-run exercise is (a leaf module: each demo's exercises, the registry in
demos/exercises.py and the Gradio helpers in demos/common.py all import it, and it imports no
other demos module)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from workers.procedures import EngineNeed

CAPABILITY = "exercise"  # the job capability that runs an exercise's experiment on a worker


@dataclass(frozen=True)
class Exercise:
    """A question whose answer the learner commits before running the experiment that settles it."""

    id: str
    demo: str
    topic: str  # curriculum topic slug the evidence counts for
    question: str
    choices: tuple[str, ...]
    # (*engines) → (correct choice, measured figures); the worker hands in the engines `engines` names
    experiment: Callable[..., tuple[str, dict]] = field(compare=False)
    explanation: str = ""
    engines: tuple[EngineNeed, ...] = ()  # none for the model-free ones (they may also run in-process)
