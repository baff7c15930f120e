"""Per-user bounds on training jobs, from settings: a learner's training run cannot take the workers over.

The engines keep their own hard ranges (what the code can do at all); these are what one user may ask
of a shared platform. Staff are not bounded: they operate it.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

# backend → {parameter: (its default when not given, setting that bounds it)}
_BOUNDED = {
    "kws-dscnn": {"epochs": (10, "TRAINING_MAX_EPOCHS")},
    "music-transformer": {"steps": (300, "TRAINING_MAX_STEPS")},
}
_KWS_KEYWORDS = 6  # the default keyword list's length


def _number(params: dict, name: str, default: int) -> int:
    try:
        return int(params.get(name, default))
    except (TypeError, ValueError):
        return default  # the engine refuses it with its own message


def _kws_recordings(params: dict) -> int:
    """Synthesised recordings a keyword-spotting run makes: (keywords + unknown) × (training + held-out)."""
    keywords = params.get("keywords")
    count = len([w for w in keywords.split(",") if w.strip()]) if isinstance(keywords, str) else _KWS_KEYWORDS
    if isinstance(keywords, list | tuple):
        count = len(keywords)
    return (count + 1) * (_number(params, "per_word", 60) + _number(params, "test_per_word", 20))


def training_limits_problem(*, user, backend: str, params: dict) -> str | None:
    """Why this training job is refused, for the person who asked; None when it is within bounds."""
    from workers.models import InferenceJob

    if user.is_staff:
        return None
    for name, (default, setting) in _BOUNDED.get(backend, {}).items():
        limit = getattr(settings, setting)
        if _number(params, name, default) > limit:
            return f"Training is limited to {limit} {name} per run here; ask for fewer."
    if backend == "kws-dscnn" and _kws_recordings(params) > settings.TRAINING_MAX_RECORDINGS:
        return (
            f"This run would synthesise {_kws_recordings(params):,} recordings; the limit here is "
            f"{settings.TRAINING_MAX_RECORDINGS:,}. Ask for fewer recordings per word."
        )
    today = InferenceJob.objects.filter(
        owner=user, capability="training", created_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    if today >= settings.TRAINING_MAX_PER_DAY_PER_USER:
        return f"You have started {today} training runs in the last 24 hours, the daily limit. Try tomorrow."
    return None
