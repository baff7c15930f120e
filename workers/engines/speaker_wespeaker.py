"""WeSpeaker ResNet34 speaker embeddings (ONNX) through pyannote.audio, from a local or pulled folder.

A hub backend: `manage.py models pull wespeaker-resnet34` fetches `speaker-embedding.onnx`
(the VoxCeleb-trained ResNet34-LM that pyannote's own pipelines use) into the model folder, or
SOUNDPATH_WESPEAKER_MODEL_PATH names a folder holding it. pyannote.audio computes WeSpeaker's
80-band Kaldi fbank and runs the ONNX graph with onnxruntime, so the weights need no torch code.
"""

from __future__ import annotations

import os

import numpy as np

from workers.engines.base import Availability, EngineError, ModelCard, local_model_files
from workers.engines.capabilities import SpeakerEncoder

ENV_VAR = "SOUNDPATH_WESPEAKER_MODEL_PATH"
MODEL_FILE = "speaker-embedding.onnx"
MIN_SECONDS = 0.5  # pyannote refuses fewer fbank frames than the ResNet's pooling needs


class WeSpeakerEncoder(SpeakerEncoder):
    """ResNet34 embeddings (256-d for the VoxCeleb model) of the whole clip; input 16 kHz mono."""

    backend = "wespeaker-resnet34"
    sample_rate = 16000
    uses_torch = True  # the fbank front end is torchaudio's Kaldi implementation
    # Not measured here: the hub weights cannot be fetched on the build machine. Calibrate it with
    # the speaker-verification challenge or the development set once the model is pulled.
    threshold = 0.5
    card = ModelCard(
        engine="WeSpeaker ResNet34-LM speaker embedding (ONNX, via pyannote.audio)",
        package="pyannote.audio 4.0.7 + onnxruntime",
        weights=f"{MODEL_FILE} in ${ENV_VAR} or `manage.py models pull wespeaker-resnet34`",
        weights_bytes=None,
        licence="pyannote.audio MIT; weights CC-BY-4.0 (WeSpeaker, trained on VoxCeleb)",
        training_data="VoxCeleb2 dev (about 5,994 speakers), with large-margin fine-tuning",
        limits=(
            "Hub backend: loads only from a local folder. WeSpeaker reports about 0.7-0.9 % EER on "
            "VoxCeleb1-O for this model; the decision threshold of 0.5 is a starting point, not a "
            "measured one: calibrate it on your recordings."
        ),
        paper="https://arxiv.org/abs/2210.17016",
    )

    @classmethod
    def availability(cls) -> Availability:
        found = local_model_files(ENV_VAR, (MODEL_FILE,), "pyannote.audio", "onnxruntime", "torch")
        if not found.available:
            return found
        return Availability(True, found.reason, weights_path=os.path.join(found.weights_path, MODEL_FILE))

    def _load(self) -> None:
        import onnxruntime
        import torch
        from pyannote.audio.pipelines.speaker_verification import ONNXWeSpeakerPretrainedSpeakerEmbedding

        found = self.availability()
        if not found.available:
            raise EngineError(f"The WeSpeaker model is not available: {found.reason}")
        on_gpu = (
            self.device.startswith("cuda")
            and "CUDAExecutionProvider" in onnxruntime.get_available_providers()
        )
        self._model = ONNXWeSpeakerPretrainedSpeakerEmbedding(
            found.weights_path, device=torch.device(self.device if on_gpu else "cpu")
        )

    def embed(self, audio: np.ndarray) -> np.ndarray:
        import torch

        if len(audio) < MIN_SECONDS * self.sample_rate:
            raise EngineError(f"The clip is too short: at least {MIN_SECONDS} s of speech is needed.")
        self.ensure_loaded()
        waveform = torch.from_numpy(np.asarray(audio, dtype=np.float32))[None, None]
        vector = np.asarray(self._model(waveform)[0], dtype=np.float32)
        if not np.all(np.isfinite(vector)):
            raise EngineError("The speaker model returned no embedding for this clip.")
        return vector / (np.linalg.norm(vector) + 1e-9)
