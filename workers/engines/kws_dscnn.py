"""Keyword spotting with the DS-CNN trained in the platform (train_kws), float or int8, over a sliding 1 s window."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from workers.engines._kws_common import (
    CLIP_SAMPLES,
    SAMPLE_RATE,
    SILENCE,
    UNKNOWN,
    LoadedModel,
    checkpoint_root,
    load_checkpoint,
    log_mel,
    probabilities,
    versions,
)
from workers.engines._signal_common import require_audio
from workers.engines.base import (
    Availability,
    EngineError,
    EngineOutput,
    JobInputs,
    ModelCard,
    ProgressFn,
    check_imports,
    no_progress,
)
from workers.engines.capabilities import Detection, KeywordSpotter

DEFAULT_THRESHOLD = 0.6  # a keyword's softmax probability in one window
DEFAULT_HOP_SECONDS = 0.25  # the 1 s window moves by this much: each word is seen whole ~2-3 times
# A window that starts or ends inside a word sees a fragment of it ("st|op" looks like "up"); its
# detection lands within about half a window of the word's own (hop 0.25 s: at most ~0.55 s away).
# Of two detections closer than this, only the stronger is a word, as in TensorFlow's RecognizeCommands
# suppression. Spoken commands are rarely closer: the shipped samples' words are >= 1.2 s apart.
SUPPRESSION_SECONDS = 0.6


@dataclass(frozen=True)
class WindowScores:
    """Every window's class probabilities: what the detections were picked from."""

    starts: np.ndarray  # (windows,) seconds
    labels: tuple[str, ...]
    probabilities: np.ndarray  # (windows, labels)


class DsCnnKeywordSpotter(KeywordSpotter):
    backend = "dscnn"
    sample_rate = SAMPLE_RATE
    uses_torch = False  # ~23k parameters: always the CPU (int8 kernels exist only there)
    card = ModelCard(
        engine="DS-CNN keyword spotter (Hello Edge), trained on this server, float32 or int8",
        package="torch 2.13.0 (eager int8 quantisation, x86 kernels) + librosa 0.11.0 (mel filterbank)",
        weights="$SOUNDPATH_MODEL_DIR/keyword-spotting/<version>/model_int8.pt (or model_float.pt), "
        "made by the training job",
        weights_bytes=None,  # made by training: 53,557 B int8, 113,459 B float with the defaults
        licence="model trained here on espeak-ng-synthesised words; code AGPL-3.0-or-later",
        training_data="yes/no/up/down/stop/go (by default), other words and noise, spoken by 65 "
        "espeak-ng voices with noise, gain and time-shift augmentation (see the training job)",
        limits="Knows only the words it was trained on, from synthetic voices: real voices, accents and "
        "rooms score lower; one 1 s window per decision, so of two words closer than 0.6 s only the "
        "stronger is reported.",
        paper="https://arxiv.org/abs/1711.07128",
    )

    @classmethod
    def availability(cls) -> Availability:
        imports = check_imports("torch", "librosa")
        if not imports.available:
            return imports
        found = versions()
        if not found:
            return Availability(False, "not trained yet: run the training job")
        return Availability(
            True, f"trained version {found[-1]}", weights_path=str(checkpoint_root() / found[-1])
        )

    def _load(self) -> None:
        self._models: dict[tuple[str, bool], LoadedModel] = {}  # (version folder, int8?) → model
        found = versions()
        if found:  # load the newest int8 model and the mel filterbank now, not in the first job
            loaded = self._remember(found[-1], quantised=True)
            log_mel(np.zeros((1, CLIP_SAMPLES), dtype=np.float32), loaded.features)

    def model(self, version: str | None = None, *, quantised: bool = True) -> LoadedModel:
        """The newest version (looked up on every call, so a new training run is used at once) or `version`."""
        self.ensure_loaded()
        found = versions()
        if not found:
            raise EngineError("not trained yet: run the training job")
        return self._remember(version or found[-1], quantised=quantised)

    def _remember(self, version: str, *, quantised: bool) -> LoadedModel:
        key = (str(checkpoint_root() / version), quantised)  # the folder: the model dir may change
        if key not in self._models:
            self._models[key] = load_checkpoint(version, quantised=quantised)
        return self._models[key]

    def keywords(self) -> tuple[str, ...]:
        return tuple(label for label in self.model().labels if label not in (UNKNOWN, SILENCE))

    def scores(
        self,
        audio: np.ndarray,
        *,
        version: str | None = None,
        quantised: bool = True,
        hop_seconds: float = DEFAULT_HOP_SECONDS,
    ) -> WindowScores:
        """Class probabilities of every 1 s window (the last one ends with the clip; short clips are padded)."""
        audio = require_audio(audio, self.sample_rate)
        if not 0.05 <= hop_seconds <= 1.0:
            raise EngineError("Choose a hop between 0.05 and 1 s.")
        loaded = self.model(version, quantised=quantised)
        if len(audio) < CLIP_SAMPLES:
            audio = np.pad(audio, (0, CLIP_SAMPLES - len(audio)))
        hop = int(hop_seconds * self.sample_rate)
        starts = list(range(0, len(audio) - CLIP_SAMPLES + 1, hop))
        if starts[-1] != len(audio) - CLIP_SAMPLES:
            starts.append(len(audio) - CLIP_SAMPLES)
        windows = np.lib.stride_tricks.sliding_window_view(audio, CLIP_SAMPLES)[starts]
        probs = probabilities(loaded.model, log_mel(windows, loaded.features))
        return WindowScores(np.asarray(starts) / self.sample_rate, loaded.labels, probs)

    def spot(
        self,
        audio: np.ndarray,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        version: str | None = None,
        quantised: bool = True,
        hop_seconds: float = DEFAULT_HOP_SECONDS,
    ) -> tuple[Detection, ...]:
        """16 kHz float32 in; one detection per run of windows won by the same keyword at or above
        `threshold`, timed at the score-weighted centre of its windows."""
        if not 0.0 < threshold < 1.0:
            raise EngineError("Choose a threshold between 0 and 1.")
        windows = self.scores(audio, version=version, quantised=quantised, hop_seconds=hop_seconds)
        return detections(windows, threshold)

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        """Params: threshold, hop_seconds, version, quantised (default true). Adds every window's
        probabilities to the result, for the timeline."""
        p = inputs.params
        audio = inputs.audio.get("audio")
        if audio is None:
            raise EngineError("This engine needs an audio input named 'audio'.")
        quantised = str(p.get("quantised", True)).lower() not in ("false", "0", "no")
        options = {"version": p.get("version") or None, "quantised": quantised,
                   "hop_seconds": float(p.get("hop_seconds", DEFAULT_HOP_SECONDS))}  # fmt: skip
        threshold = float(p.get("threshold", DEFAULT_THRESHOLD))
        if not 0.0 < threshold < 1.0:
            raise EngineError("Choose a threshold between 0 and 1.")
        windows = self.scores(audio, **options)
        loaded = self.model(options["version"], quantised=quantised)
        return EngineOutput(
            {
                "keywords": [k for k in loaded.labels if k not in (UNKNOWN, SILENCE)],
                "detections": [asdict(d) for d in detections(windows, threshold)],
                "version": loaded.version,
                "quantised": quantised,
                "threshold": threshold,
                "hop_seconds": options["hop_seconds"],
                "labels": list(windows.labels),
                "window_starts": [round(float(s), 3) for s in windows.starts],
                "probabilities": np.round(windows.probabilities.astype(np.float64), 4).tolist(),
            }
        )


def detections(windows: WindowScores, threshold: float) -> tuple[Detection, ...]:
    """Group consecutive windows whose winner is the same keyword above `threshold`, keep each group's
    best, then, strongest first, drop any within SUPPRESSION_SECONDS of one kept (a fragment of it)."""
    kept: list[Detection] = []
    for d in sorted(_groups(windows, threshold), key=lambda d: (-d.score, d.time)):  # strongest first
        if all(abs(k.time - d.time) >= SUPPRESSION_SECONDS for k in kept):
            kept.append(d)
    return tuple(sorted(kept, key=lambda d: d.time))


def _groups(windows: WindowScores, threshold: float) -> list[Detection]:
    found: list[Detection] = []
    group: list[tuple[float, str, float]] = []  # (start, keyword, probability)
    for start, row in zip(windows.starts, windows.probabilities, strict=True):
        best = int(row.argmax())
        label, score = windows.labels[best], float(row[best])
        hit = label not in (UNKNOWN, SILENCE) and score >= threshold
        if group and (not hit or label != group[-1][1]):
            found.append(_best(group))
            group = []
        if hit:
            group.append((float(start), label, score))
    if group:
        found.append(_best(group))
    return found


def _best(group: list[tuple[float, str, float]]) -> Detection:
    """The group's best score, timed at the score-weighted mean of its window centres: a word fully
    inside several windows sits near the middle of their centres."""
    starts, scores = np.array([g[0] for g in group]), np.array([g[2] for g in group])
    centre = float(np.sum((starts + 0.5) * scores) / scores.sum())
    return Detection(keyword=group[0][1], time=round(centre, 3), score=round(float(scores.max()), 4))
