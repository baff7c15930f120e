"""pyannote.audio speaker-diarization pipeline loaded from a local folder (SOUNDPATH_PYANNOTE_PIPELINE_PATH)."""

from __future__ import annotations

from typing import Any

import numpy as np

from workers.engines.base import (
    Availability,
    EngineError,
    ModelCard,
    ProgressFn,
    local_model_files,
    no_progress,
)
from workers.engines.capabilities import Diarization, Diarizer, Turn

ENV_VAR = "SOUNDPATH_PYANNOTE_PIPELINE_PATH"
MAX_SPEAKERS = 20


def annotation_of(result: Any) -> Any:
    """pyannote 4 pipelines return DiarizeOutput; 3.x pipelines return the Annotation itself."""
    return getattr(result, "speaker_diarization", result)


class PyannoteDiarizer(Diarizer):
    """End-to-end segmentation + embedding + clustering pipeline (e.g. speaker-diarization-3.1 or
    community-1), loaded with `Pipeline.from_pretrained(<local folder with config.yaml>)`.

    The folder's config.yaml must name its models by local paths: nothing is fetched from the hub.
    """

    backend = "pyannote"
    sample_rate = 16000
    overlap_labels = "always"
    uses_torch = True
    card = ModelCard(
        engine="pyannote.audio speaker-diarization pipeline",
        package="pyannote.audio 4.0.7",
        weights=f"config.yaml + segmentation and embedding checkpoints in ${ENV_VAR}",
        weights_bytes=None,
        licence="pyannote.audio MIT; pipeline weights: see the model (3.1: MIT, gated on the hub)",
        training_data="depends on the pipeline (3.1: AISHELL, AliMeeting, AMI, AVA-AVD, DIHARD, Ego4D, MSDWild, REPERE, VoxConverse)",
        limits=(
            "Hub backend: the gated weights must be copied locally and config.yaml edited to point "
            "at them. Handles overlapped speech, unlike the classic clustering backend."
        ),
        paper="https://arxiv.org/abs/2310.13025",
    )

    @classmethod
    def availability(cls) -> Availability:
        return local_model_files(ENV_VAR, ("config.yaml",), "pyannote.audio", "torch")

    def _load(self) -> None:
        import torch
        from pyannote.audio import Pipeline

        found = self.availability()
        if not found.available:
            raise EngineError(f"The pyannote pipeline is not available: {found.reason}")
        self._pipeline = Pipeline.from_pretrained(found.weights_path)  # a local folder: no download
        if self._pipeline is None:
            raise EngineError(f"pyannote could not build a pipeline from {found.weights_path}.")
        self._pipeline.to(torch.device(self.device))

    def diarize(
        self,
        audio: np.ndarray,
        *,
        num_speakers: int | None = None,
        label_overlap: bool = False,  # unused: its segmentation model labels overlap whatever is asked
        progress: ProgressFn = no_progress,
    ) -> Diarization:
        import torch

        if num_speakers is not None and not 1 <= num_speakers <= MAX_SPEAKERS:
            raise EngineError(f"The number of speakers must be between 1 and {MAX_SPEAKERS}.")
        self.ensure_loaded()
        steps: list[str] = []

        def hook(
            step: str, artifact: Any, file: Any = None, total: int | None = None, completed: int | None = None
        ) -> None:
            if step not in steps:
                steps.append(step)
            done = (completed or 0) / total if total else 1.0
            progress(min(0.95, 0.2 * (len(steps) - 1) + 0.2 * done), step)

        waveform = torch.from_numpy(np.asarray(audio, dtype=np.float32))[None, :]
        result = self._pipeline(
            {"waveform": waveform, "sample_rate": self.sample_rate}, num_speakers=num_speakers, hook=hook
        )
        annotation = annotation_of(result)
        names = {label: f"SPEAKER_{i:02d}" for i, label in enumerate(annotation.labels())}
        turns = tuple(
            Turn(round(segment.start, 3), round(segment.end, 3), names[label])
            for segment, _, label in annotation.itertracks(yield_label=True)
        )
        progress(1.0, "done")
        return Diarization(turns=turns, speaker_count=len(names))
