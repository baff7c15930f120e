"""RNNoise (Xiph) speech enhancement through pyrnnoise's compiled library, frame by frame at 48 kHz."""

from __future__ import annotations

import ctypes

import numpy as np

from workers.engines._signal_common import fit_length, require_audio, resample
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import Enhancer

MODEL_SR = 48000  # RNNoise only runs at 48 kHz
FRAME = 480  # 10 ms frames, fixed by the library
DELAY = 2 * FRAME  # measured output latency: cleaned sample n appears at n + 960
INT16_SCALE = 32768.0  # the library expects int16-range floats


class RnnoiseEnhancer(Enhancer):
    backend = "rnnoise"
    sample_rate = 16000
    uses_torch = False
    card = ModelCard(
        engine="RNNoise (GRU noise suppressor, Xiph)",
        package="pyrnnoise 0.4.5",
        weights="librnnoise.so (weights compiled into the library)",
        weights_bytes=14_840_960,
        licence="Apache-2.0 (pyrnnoise) / BSD-3-Clause (RNNoise and its weights)",
        training_data="Xiph's RNNoise training set: clean speech mixed with many recorded noise types",
        limits="Predicts 22 band gains plus a pitch filter: light and real-time, but coarse in frequency, "
        "so musical noise and dulled consonants appear at low SNR; tuned for speech, not music.",
        paper="https://arxiv.org/abs/1709.08243",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("pyrnnoise")

    def _load(self) -> None:
        # The low-level module only: pyrnnoise's RNNoise class pulls audiolab and ffmpeg graphs we don't need.
        from pyrnnoise import rnnoise

        self._lib = rnnoise.lib

    def enhance(self, audio: np.ndarray) -> np.ndarray:
        """16 kHz float32 in, 16 kHz float32 out, same length (latency removed)."""
        audio = require_audio(audio, self.sample_rate)
        self.ensure_loaded()
        upsampled = resample(audio, self.sample_rate, MODEL_SR) * INT16_SCALE
        # room for the latency plus the last partial frame
        total = -(-(len(upsampled) + DELAY) // FRAME) * FRAME
        frames = np.zeros(total, dtype=np.float32)
        frames[: len(upsampled)] = upsampled
        cleaned = self._process(frames)[DELAY:]
        out = resample(cleaned / INT16_SCALE, MODEL_SR, self.sample_rate)
        return np.clip(fit_length(out, len(audio)), -1.0, 1.0)

    def _process(self, frames: np.ndarray) -> np.ndarray:
        """Run every 480-sample frame through one fresh RNNoise state (the state carries the GRU memory)."""
        state = self._lib.rnnoise_create(None)
        out = np.empty_like(frames)
        pointer = ctypes.POINTER(ctypes.c_float)
        try:
            for start in range(0, len(frames), FRAME):
                source = np.ascontiguousarray(frames[start : start + FRAME])
                target = out[start : start + FRAME]
                self._lib.rnnoise_process_frame(
                    state, target.ctypes.data_as(pointer), source.ctypes.data_as(pointer)
                )
        finally:
            self._lib.rnnoise_destroy(state)
        return out
