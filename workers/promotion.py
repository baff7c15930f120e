"""Which trained model version everyone uses: only a version staff promoted, never simply the newest.

A training job (any learner can run one, within workers/training_limits.py) writes a new version;
until staff promote it (`manage.py model_promote`), only the learner who trained it runs it by
default. Everyone else gets the promoted version, or a clear refusal before any is promoted.
The engines are unchanged: they already take `params["version"]`; this fills it in at submission.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROMOTED_FILE = "PROMOTED"  # in $SOUNDPATH_MODEL_DIR/<folder>/, holds one version name


@dataclass(frozen=True)
class TrainedEngine:
    backend: str  # the engine that loads the versions
    trainer: str  # the training backend that writes them
    folder: str  # under $SOUNDPATH_MODEL_DIR


TRAINED = {
    "keyword-spotting": TrainedEngine("dscnn", "kws-dscnn", "keyword-spotting"),
    "music-generation": TrainedEngine("symbolic-transformer", "music-transformer", "music-generation"),
}


class PromotionError(ValueError):
    """Refused; the message is for the person who asked."""


def trained_versions(*, capability: str) -> list[str]:
    """Complete versions, oldest first, as the engine itself lists them."""
    from workers.model_store import trained_versions_sync

    trained_versions_sync(capability=capability)  # versions trained on a worker on another host
    if capability == "keyword-spotting":
        from workers.engines._kws_common import versions

        return versions()
    from workers.engines.music_symbolic import trained_versions as music_versions

    return music_versions()


def _folder(capability: str) -> Path:
    from workers.engines._signal_common import model_root

    return model_root() / TRAINED[capability].folder


def promoted_version(*, capability: str) -> str | None:
    path = _folder(capability) / PROMOTED_FILE
    version = path.read_text().strip() if path.is_file() else ""
    return version if version in trained_versions(capability=capability) else None


def model_version_promote(*, capability: str, version: str) -> None:
    """Make `version` everyone's default (staff only: the command runs on the server)."""
    if capability not in TRAINED:
        raise PromotionError(f"Nothing is trained here for '{capability}'; choose {', '.join(TRAINED)}.")
    if version not in trained_versions(capability=capability):
        raise PromotionError(f"No trained {capability} version '{version}'.")
    folder = _folder(capability)
    partial = folder / f".{PROMOTED_FILE}.partial"
    partial.write_text(version + "\n")
    os.replace(partial, folder / PROMOTED_FILE)  # atomic: a job never reads half a name


def _own_versions(*, user, capability: str) -> list[str]:
    """Versions this user's own successful training jobs made, newest first."""
    from workers.models import InferenceJob

    jobs = InferenceJob.objects.filter(
        owner=user,
        capability="training",
        backend=TRAINED[capability].trainer,
        status=InferenceJob.Status.SUCCEEDED,
    ).order_by("-created_at")
    return [job.result["version"] for job in jobs if (job.result or {}).get("version")]


def trained_version_params(*, user, capability: str, backend: str, params: dict) -> dict:
    """The job's params with the version it may use: the one asked for if it is promoted or the user's
    own; otherwise the promoted one, else the user's newest own. Staff choose freely (default: newest)."""
    trained = TRAINED.get(capability)
    if trained is None or backend != trained.backend or user.is_staff:
        return params
    asked = params.get("version") or None
    promoted = promoted_version(capability=capability)
    own = _own_versions(user=user, capability=capability)
    if asked is not None:
        if asked != promoted and asked not in own:
            raise PromotionError("That model version is neither promoted nor trained by you.")
        return params
    chosen = promoted or (own[0] if own else None)
    if chosen is None:
        raise PromotionError(
            f"No {capability} model has been promoted yet: train your own, or ask staff to promote one."
        )
    return {**params, "version": chosen}
