"""Predict-then-run exercises of the keyword-spotting demo: the int8 accuracy cost and speed-up, measured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from demos.exercise import Exercise
from workers.procedures import EngineNeed

if TYPE_CHECKING:
    from workers.engines.kws_dscnn import DsCnnKeywordSpotter

ACCURACY_CHOICES = ("Yes, more than 2 points", "No, 2 points or less")
SPEED_CHOICES = ("int8 is slower", "About the same (within 10%)", "1.1× to 2× faster", "More than 2× faster")
LATENCY_RUNS = 200


def _latest() -> tuple[str, dict]:
    from workers.engines._kws_common import latest_curves, versions
    from workers.engines.base import EngineError

    curves = latest_curves()
    if curves is None:
        raise EngineError("No keyword model is trained yet: press Train first, then run the experiment.")
    return versions()[-1], curves["metrics"]


def _accuracy_experiment() -> tuple[str, dict]:
    """Read from the newest training run: both models were scored on the same held-out clips."""
    version, m = _latest()
    drop = m["int8_accuracy_drop_points"]
    return ACCURACY_CHOICES[0] if drop > 2 else ACCURACY_CHOICES[1], {
        "model version": version,
        "float32 held-out accuracy": f"{m['float_accuracy']:.1%}",
        "int8 held-out accuracy": f"{m['int8_accuracy']:.1%}",
        "accuracy lost by int8": f"{drop:+.2f} points on {m['test_clips']} held-out clips",
        "float and int8 agree on": f"{m['float_int8_agreement']:.1%} of the clips",
    }


def measure_speedup(spotter: DsCnnKeywordSpotter, runs: int = LATENCY_RUNS) -> tuple[float, float]:
    """(float ms, int8 ms): median single-window latency of the newest model, measured now in this process."""
    from demos.samples import KWS_YES_NO_UP_DOWN
    from workers.audio_io import load_audio
    from workers.engines._kws_common import CLIP_SAMPLES, log_mel, median_latency_ms

    window = load_audio(KWS_YES_NO_UP_DOWN, target_sr=16000).samples[:CLIP_SAMPLES]
    timings = []
    for quantised in (False, True):
        loaded = spotter.model(quantised=quantised)
        timings.append(median_latency_ms(loaded.model, log_mel(window, loaded.features), runs))
    return timings[0], timings[1]


def _speed_experiment(spotter: DsCnnKeywordSpotter) -> tuple[str, dict]:
    version, _ = _latest()
    float_ms, int8_ms = measure_speedup(spotter)
    ratio = float_ms / int8_ms
    answer = SPEED_CHOICES[0 if ratio < 0.9 else 1 if ratio <= 1.1 else 2 if ratio <= 2 else 3]
    return answer, {
        "model version": version,
        f"float32, median of {LATENCY_RUNS} runs": f"{float_ms:.3f} ms",
        f"int8, median of {LATENCY_RUNS} runs": f"{int8_ms:.3f} ms",
        "speed-up": f"{ratio:.2f}×",
    }


EXERCISES = (
    Exercise(
        id="kws-int8-accuracy-cost",
        demo="keyword-spotting",
        topic="model-optimisation",
        question="The trained DS-CNN is converted from 32-bit floats to 8-bit integers (weights and "
        "activations). Will int8 quantisation cost more than 2 points of held-out accuracy?",
        choices=ACCURACY_CHOICES,
        experiment=_accuracy_experiment,
        explanation="Static quantisation maps each layer's weights (per channel) and activations (ranges "
        "seen on calibration clips) to 256 levels. A small CNN with batch norm folded into its "
        "convolutions usually loses well under a point: the rounding noise is far smaller than the margin "
        "between classes. Larger drops come from outlier activations or too few calibration clips.",
    ),
    Exercise(
        id="kws-int8-speedup",
        demo="keyword-spotting",
        topic="model-optimisation",
        question="One 1 s window through the model on this server's CPU (one thread): how much faster "
        "is int8 than float32?",
        choices=SPEED_CHOICES,
        experiment=_speed_experiment,
        engines=(EngineNeed("keyword-spotting", "dscnn", device="cpu"),),  # the CPU is what is timed
        explanation="int8 kernels move a quarter of the bytes and do four times as many multiply-adds per "
        "vector instruction, but a model this small (~23k parameters, ~11 M multiply-adds per window) is dominated by "
        "per-layer overhead and the quantise/dequantise steps, so the gain is smaller than 4×. On a "
        "microcontroller without a floating-point unit, int8 is what makes it run at all.",
    ),
)
