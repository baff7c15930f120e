"""Silero VAD: a small neural voice activity detector run from its ONNX file with onnxruntime."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from workers.engines._speech_common import frames_to_segments, speech_audio
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import VadResult, VoiceActivityDetector

SAMPLE_RATE = 16000
FRAME_SAMPLES = 512  # 32 ms: the only window the 16 kHz model accepts
CONTEXT_SAMPLES = 64  # tail of the previous window the model sees before each new one
STATE_SHAPE = (2, 1, 128)  # LSTM (h, c) carried from window to window
MODEL_FILE = "silero_vad.onnx"


def _model_path() -> Path | None:
    # Found without importing silero_vad: its __init__ imports torch and sets torch's thread
    # count for the whole process.
    spec = importlib.util.find_spec("silero_vad")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "data" / MODEL_FILE


class SileroVad(VoiceActivityDetector):
    backend = "silero"
    card = ModelCard(
        engine="Silero VAD v6 (ONNX)",
        package="silero-vad 6.2.3 (weights), onnxruntime 1.31.1 (runtime)",
        weights=MODEL_FILE,
        weights_bytes=2327524,
        licence="MIT (code and weights)",
        training_data="Silero's undisclosed mix of speech and noise corpora in 6,000+ languages",
        limits="A speech/non-speech score per 32 ms window, not who speaks or what; loud music or "
        "singing can score as speech.",
        paper="https://github.com/snakers4/silero-vad",
    )
    sample_rate = SAMPLE_RATE
    uses_torch = False

    @classmethod
    def availability(cls) -> Availability:
        imports = check_imports("onnxruntime")
        if not imports.available:
            return imports
        path = _model_path()
        if path is None or not path.is_file():
            return Availability(False, f"silero-vad is not installed (no {MODEL_FILE} found)")
        return Availability(True, f"weights in {path}", weights_path=str(path))

    def _load(self) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One window at a time: more threads only add overhead on a 512-sample input.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(_model_path()), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def detect(self, audio: np.ndarray, *, threshold: float = 0.5) -> VadResult:
        self.ensure_loaded()
        samples = speech_audio(audio)
        probabilities = self._probabilities(samples)
        frame_seconds = FRAME_SAMPLES / SAMPLE_RATE
        segments = frames_to_segments(
            probabilities, frame_seconds, threshold, duration=len(samples) / SAMPLE_RATE
        )
        return VadResult(segments, frame_seconds, tuple(float(p) for p in probabilities))

    def _probabilities(self, samples: np.ndarray) -> np.ndarray:
        """Speech probability of each 32 ms window; the recurrent state runs through the clip."""
        frames = -(-len(samples) // FRAME_SAMPLES)
        padded = np.zeros(CONTEXT_SAMPLES + frames * FRAME_SAMPLES, dtype=np.float32)
        padded[CONTEXT_SAMPLES : CONTEXT_SAMPLES + len(samples)] = samples
        state = np.zeros(STATE_SHAPE, dtype=np.float32)
        rate = np.array(SAMPLE_RATE, dtype=np.int64)
        probabilities = np.empty(frames, dtype=np.float32)
        for index in range(frames):
            start = index * FRAME_SAMPLES  # window plus the context just before it
            window = padded[start : start + CONTEXT_SAMPLES + FRAME_SAMPLES][np.newaxis]
            output, state = self._session.run(None, {"input": window, "state": state, "sr": rate})
            probabilities[index] = output[0, 0]
        return probabilities
