"""Transformers x-vector heads (WavLM / Wav2Vec2 / UniSpeech-SAT ForXVector) from a local folder."""

from __future__ import annotations

import numpy as np

from workers.engines.base import Availability, EngineError, ModelCard, check_imports, local_model_dir
from workers.engines.capabilities import SpeakerEncoder

ENV_VAR = "SOUNDPATH_XVECTOR_MODEL_PATH"
MIN_SECONDS = 0.5  # the TDNN head pools frames; under half a second there is little voice to pool


class TransformersXVectorEncoder(SpeakerEncoder):
    """Self-supervised speech transformer + TDNN x-vector head; embeddings from `.embeddings`.

    Point SOUNDPATH_XVECTOR_MODEL_PATH at a saved model folder (config.json, weights and
    preprocessor_config.json), e.g. a local copy of microsoft/wavlm-base-plus-sv.
    """

    backend = "transformers-xvector"
    sample_rate = 16000
    uses_torch = True
    card = ModelCard(
        engine="Transformers *ForXVector (e.g. WavLM-base-plus-sv)",
        package="transformers 5.23.0",
        weights=f"config.json + model.safetensors in ${ENV_VAR}",
        weights_bytes=None,
        licence="transformers Apache-2.0; weights: the chosen model's (wavlm-base-plus-sv: MIT)",
        training_data="depends on the model (wavlm-base-plus-sv: pre-trained on 94k h, fine-tuned on VoxCeleb1)",
        limits=(
            "Hub backend: load only from a local folder. Embedding size depends on the model "
            "(512 for wavlm-base-plus-sv); thresholds differ from resemblyzer's."
        ),
        paper="https://arxiv.org/abs/2110.13900",
    )

    @classmethod
    def availability(cls) -> Availability:
        found = check_imports("transformers", "torch")
        return found if not found.available else local_model_dir(ENV_VAR)

    def _load(self) -> None:
        from transformers import AutoFeatureExtractor, AutoModelForAudioXVector

        found = self.availability()
        if not found.available:
            raise EngineError(f"The x-vector model is not available: {found.reason}")
        path = found.weights_path
        self._extractor = AutoFeatureExtractor.from_pretrained(path, local_files_only=True)
        self._model = AutoModelForAudioXVector.from_pretrained(path, local_files_only=True)
        self._model.to(self.device).eval()

    def embed(self, audio: np.ndarray) -> np.ndarray:
        import torch

        if len(audio) < MIN_SECONDS * self.sample_rate:
            raise EngineError(f"The clip is too short: at least {MIN_SECONDS} s of speech is needed.")
        self.ensure_loaded()
        inputs = self._extractor(
            np.asarray(audio, dtype=np.float32), sampling_rate=self.sample_rate, return_tensors="pt"
        )
        with torch.no_grad():
            vector = self._model(**inputs.to(self.device)).embeddings[0].cpu().numpy()
        return (vector / (np.linalg.norm(vector) + 1e-9)).astype(np.float32)
