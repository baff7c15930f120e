"""Per-capability time limits of a job (a leaf module: services, execution and clients all read it)."""

from django.conf import settings


def time_limits(capability: str) -> tuple[int, int]:
    """(soft, hard) seconds: the soft limit stops the engine with an error the learner sees; the
    hard one kills the worker child a little later if the engine ignored the first."""
    soft = settings.JOB_TIME_LIMITS.get(capability, settings.JOB_TIME_LIMIT_DEFAULT)
    return soft, soft + settings.JOB_HARD_LIMIT_GRACE
