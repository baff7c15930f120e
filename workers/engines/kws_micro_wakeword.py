"""microWakeWord keyword spotting with the four TFLite models shipped in pymicro-wakeword."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import require_audio
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import Detection, KeywordSpotter

SAMPLE_RATE = 16000
FEATURE_SECONDS = 0.01  # the micro front end emits one 40-band feature vector per 10 ms
WINDOW_SECONDS = 0.03  # … computed over a 30 ms window
REFRACTORY_SECONDS = 1.0  # one utterance of a wake word keeps the score high for several frames


class MicroWakeWordSpotter(KeywordSpotter):
    backend = "micro-wakeword"
    sample_rate = SAMPLE_RATE
    uses_torch = False
    card = ModelCard(
        engine="microWakeWord (streaming inception-style CNNs, TFLite int8)",
        package="pymicro-wakeword 2.5.0 (pymicro-features front end, bundled libtensorflowlite_c)",
        weights="okay_nabu.tflite, hey_jarvis.tflite, hey_mycroft.tflite, alexa.tflite",
        weights_bytes=246_200,  # 80,824 + 52,272 + 57,248 + 55,856
        licence="Apache-2.0 (code and models)",
        training_data="Piper-synthesised samples of each wake word, augmented with room impulse responses and "
        "background noise; negatives from speech, music and noise corpora",
        limits="Only the four fixed phrases; trained on synthetic voices, so real speakers may be missed "
        "('hey jarvis' was missed in our test) and thresholds trade misses against false wakes.",
        paper="https://github.com/kahrendt/microWakeWord",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("pymicro_wakeword", "pymicro_features")

    def _load(self) -> None:
        from pymicro_wakeword import MicroWakeWord, Model

        self._models = [MicroWakeWord.from_builtin(model) for model in Model]

    def keywords(self) -> tuple[str, ...]:
        self.ensure_loaded()
        return tuple(model.wake_word for model in self._models)

    def spot(self, audio: np.ndarray) -> tuple[Detection, ...]:
        """16 kHz float32 in; one detection per utterance, timed at the feature where the score crossed
        the model's own cut-off (the end of the phrase)."""
        audio = require_audio(audio, self.sample_rate)
        self.ensure_loaded()
        features = _features(audio)
        detections = [d for model in self._models for d in _detect(model, features)]
        return tuple(sorted(detections, key=lambda d: d.time))


def _features(audio: np.ndarray) -> list[np.ndarray]:
    from pymicro_wakeword import MicroWakeWordFeatures

    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    return list(MicroWakeWordFeatures().process_streaming(pcm))


def _detect(model: object, features: list[np.ndarray]) -> list[Detection]:
    """Stream every feature through one model from a fresh state; keep crossings of its cut-off."""
    model.reset()  # type: ignore[attr-defined]
    found: list[Detection] = []
    for index, feature in enumerate(features):
        probability = model.process_streaming_prob(feature)  # type: ignore[attr-defined]
        if probability is None or probability <= model.probability_cutoff:  # type: ignore[attr-defined]
            continue
        time = index * FEATURE_SECONDS + WINDOW_SECONDS
        if found and time - found[-1].time < REFRACTORY_SECONDS:
            continue
        found.append(Detection(keyword=model.wake_word, time=round(time, 2), score=round(probability, 3)))  # type: ignore[attr-defined]
    return found
