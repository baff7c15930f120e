"""A tiny, fast DS-CNN keyword training run shared by the keyword-spotting engine and demo tests."""

from pathlib import Path

# About 25 s on the shared 2-core machine; reaches 83-90% on the held-out synthetic set (chance 12.5%).
# Training is reproducible bit for bit on one machine (seeded numpy and torch, one torch thread, espeak-ng
# is deterministic), but not across CPUs: torch picks AVX-512 or AVX2 kernels by CPU, their rounding
# differs, and eight epochs amplify it (measured: 83.5% with AVX-512, 89.4% with ATEN_CPU_CAPABILITY=avx2,
# different weights). Tests therefore assert what any model at this accuracy does.
TINY_PARAMS = {
    "epochs": 8,
    "per_word": 30,
    "copies": 2,
    "test_per_word": 10,
    "batch_size": 16,
    "learning_rate": 0.005,
    "latency_runs": 30,
}


def train_tiny(root: Path, progress=None):
    """Train into `root` (the caller points SOUNDPATH_MODEL_DIR at it); returns the TrainingResult."""
    from workers.engines.base import no_progress
    from workers.engines.train_kws import DsCnnKeywordTrainer

    return DsCnnKeywordTrainer(device="cpu").train(params=dict(TINY_PARAMS), progress=progress or no_progress)
