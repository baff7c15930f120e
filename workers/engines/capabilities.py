"""One small interface per capability. A backend subclasses one of these and implements its one
method; `infer` (shared) turns job inputs into that call and the typed result into EngineOutput.

Sample rates: every interface receives float32 mono numpy audio at `self.sample_rate`.
"""

from __future__ import annotations

import io
import json
from abc import abstractmethod
from dataclasses import asdict, dataclass, field
from typing import ClassVar

import numpy as np

from workers.engines.base import Engine, EngineError, EngineOutput, JobInputs, ProgressFn, no_progress

# ---------------------------------------------------------------------------------------------
# Typed results (frozen dataclasses; times in seconds, frequencies in Hz)


@dataclass(frozen=True)
class Segment:
    start: float
    end: float


@dataclass(frozen=True)
class VadResult:
    segments: tuple[Segment, ...]
    frame_seconds: float  # spacing of `probabilities`
    probabilities: tuple[float, ...]  # speech probability per frame (0/1 for hard-decision VADs)


@dataclass(frozen=True)
class Word:
    word: str
    start: float
    end: float
    probability: float | None = None


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]
    language: str = "en"
    # CTC models only: the best label per frame before collapsing (blank as "_")
    frame_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    language: str = "en-US"


@dataclass(frozen=True)
class Synthesis:
    audio: np.ndarray  # float32 mono
    sample_rate: int
    phonemes: str = ""


@dataclass(frozen=True)
class Turn:
    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Diarization:
    turns: tuple[Turn, ...]
    speaker_count: int

    def rttm(self, uri: str = "audio") -> str:
        return "".join(
            f"SPEAKER {uri} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {t.speaker} <NA> <NA>\n"
            for t in self.turns
        )


@dataclass(frozen=True)
class PitchTrack:
    times: np.ndarray  # (frames,)
    f0_hz: np.ndarray  # (frames,), NaN where unvoiced
    confidence: np.ndarray  # (frames,) in 0..1


@dataclass(frozen=True)
class Note:
    pitch: int  # MIDI note number
    start: float
    end: float
    velocity: int


@dataclass(frozen=True)
class MidiTranscription:
    notes: tuple[Note, ...]
    midi: bytes  # a Standard MIDI File


@dataclass(frozen=True)
class Tag:
    label: str
    score: float


@dataclass(frozen=True)
class Detection:
    keyword: str
    time: float
    score: float


@dataclass(frozen=True)
class Stems:
    stems: dict[str, np.ndarray] = field(default_factory=dict)  # name → float32 mono at the input rate


def wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    import soundfile as sf

    buffer = io.BytesIO()
    sf.write(buffer, audio, sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def _one_audio(inputs: JobInputs, name: str = "audio") -> np.ndarray:
    if name not in inputs.audio:
        raise EngineError(f"This engine needs an audio input named '{name}'.")
    return inputs.audio[name]


# ---------------------------------------------------------------------------------------------
# The interfaces


class VoiceActivityDetector(Engine):
    capability = "vad"

    @abstractmethod
    def detect(self, audio: np.ndarray, *, threshold: float = 0.5) -> VadResult: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        result = self.detect(_one_audio(inputs), threshold=float(inputs.params.get("threshold", 0.5)))
        speech = sum(s.end - s.start for s in result.segments)
        return EngineOutput(
            {
                "segments": [asdict(s) for s in result.segments],
                "speech_seconds": round(speech, 3),
                "frame_seconds": result.frame_seconds,
                "probabilities": [round(p, 3) for p in result.probabilities],
            }
        )


class SpeechRecognizer(Engine):
    capability = "asr"

    @abstractmethod
    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, progress: ProgressFn = no_progress
    ) -> Transcript: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        result = self.transcribe(
            _one_audio(inputs), language=inputs.params.get("language"), progress=progress
        )
        return EngineOutput(
            {
                "text": result.text,
                "language": result.language,
                "words": [asdict(w) for w in result.words],
                "frame_labels": list(result.frame_labels),
            }
        )


class SpeechSynthesizer(Engine):
    capability = "tts"

    @abstractmethod
    def voices(self) -> tuple[Voice, ...]: ...

    @abstractmethod
    def synthesize(
        self, text: str, *, voice: str | None = None, speed: float = 1.0, pitch_semitones: float = 0.0
    ) -> Synthesis: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        if not inputs.text.strip():
            raise EngineError("There is no text to speak.")
        p = inputs.params
        result = self.synthesize(
            inputs.text,
            voice=p.get("voice"),
            speed=float(p.get("speed", 1.0)),
            pitch_semitones=float(p.get("pitch_semitones", 0.0)),
        )
        data = {
            "phonemes": result.phonemes,
            "duration": round(len(result.audio) / result.sample_rate, 3),
            "text": inputs.text,
        }
        return EngineOutput(data, audio={"speech": (result.audio, result.sample_rate)})


class SpeakerEncoder(Engine):
    capability = "speaker-embedding"
    # cosine at or above which two clips count as one speaker, unless a job sets its own; each
    # encoder's scores sit in a different range, so each sets the value measured for it
    threshold: ClassVar[float] = 0.75

    @abstractmethod
    def embed(self, audio: np.ndarray) -> np.ndarray:
        """One L2-normalised embedding vector (float32) for the whole clip."""

    def similarity(self, a: np.ndarray, b: np.ndarray) -> float:
        ea, eb = self.embed(a), self.embed(b)
        return float(np.dot(ea, eb) / (np.linalg.norm(ea) * np.linalg.norm(eb) + 1e-9))

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        if "enrolment" in inputs.audio and "test" in inputs.audio:
            score = self.similarity(inputs.audio["enrolment"], inputs.audio["test"])
            threshold = float(inputs.params.get("threshold", self.threshold))
            return EngineOutput(
                {"score": round(score, 4), "threshold": threshold, "same_speaker": score >= threshold}
            )
        vector = self.embed(_one_audio(inputs))
        return EngineOutput(
            {"embedding": [round(float(x), 5) for x in vector], "dimensions": int(vector.shape[0])}
        )


class Diarizer(Engine):
    capability = "diarization"
    # How a backend treats overlapped speech: "never" (one label per moment), "on request" (a second
    # speaker where two voices fit about equally, when `label_overlap` asks for it) or "always" (a
    # trained overlap model). The demo says which, beside its overlap switch.
    overlap_labels: ClassVar[str] = "never"

    @abstractmethod
    def diarize(
        self,
        audio: np.ndarray,
        *,
        num_speakers: int | None = None,
        label_overlap: bool = False,
        progress: ProgressFn = no_progress,
    ) -> Diarization: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        n = inputs.params.get("num_speakers")
        result = self.diarize(
            _one_audio(inputs), num_speakers=int(n) if n else None,
            label_overlap=inputs.params.get("label_overlap") is True, progress=progress,
        )  # fmt: skip
        data = {"speaker_count": result.speaker_count, "turns": [asdict(t) for t in result.turns]}
        return EngineOutput(data, files={"diarization.rttm": result.rttm().encode()})


class Enhancer(Engine):
    capability = "enhancement"

    @abstractmethod
    def enhance(self, audio: np.ndarray) -> np.ndarray: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        enhanced = self.enhance(_one_audio(inputs))
        return EngineOutput(
            {"duration": round(len(enhanced) / self.sample_rate, 3)},
            audio={"enhanced": (enhanced, self.sample_rate)},
        )


class Separator(Engine):
    capability = "separation"

    @abstractmethod
    def separate(self, audio: np.ndarray, *, progress: ProgressFn = no_progress) -> Stems: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        result = self.separate(_one_audio(inputs), progress=progress)
        return EngineOutput(
            {"stems": sorted(result.stems)}, audio={k: (v, self.sample_rate) for k, v in result.stems.items()}
        )


class VoiceConverter(Engine):
    capability = "voice-conversion"

    @abstractmethod
    def convert(
        self, source: np.ndarray, target: np.ndarray, *, progress: ProgressFn = no_progress
    ) -> np.ndarray: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        converted = self.convert(
            _one_audio(inputs, "source"), _one_audio(inputs, "target"), progress=progress
        )
        return EngineOutput(
            {"duration": round(len(converted) / self.sample_rate, 3)},
            audio={"converted": (converted, self.sample_rate)},
        )


class VoiceCloner(Engine):
    capability = "voice-cloning"

    @abstractmethod
    def clone(self, text: str, reference: np.ndarray, *, progress: ProgressFn = no_progress) -> Synthesis: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        if not inputs.text.strip():
            raise EngineError("There is no text to speak.")
        result = self.clone(inputs.text, _one_audio(inputs, "reference"), progress=progress)
        return EngineOutput(
            {"text": inputs.text, "phonemes": result.phonemes},
            audio={"cloned": (result.audio, result.sample_rate)},
        )


class PitchTracker(Engine):
    capability = "pitch"

    @abstractmethod
    def track(self, audio: np.ndarray) -> PitchTrack: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        r = self.track(_one_audio(inputs))
        voiced = r.f0_hz[np.isfinite(r.f0_hz)]
        return EngineOutput(
            {
                "times": [round(float(t), 4) for t in r.times],
                "f0_hz": [None if not np.isfinite(f) else round(float(f), 2) for f in r.f0_hz],
                "confidence": [round(float(c), 3) for c in r.confidence],
                "median_f0_hz": round(float(np.median(voiced)), 2) if voiced.size else None,
            }
        )


class AudioToMidi(Engine):
    capability = "audio-to-midi"

    @abstractmethod
    def transcribe_notes(self, audio: np.ndarray) -> MidiTranscription: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        r = self.transcribe_notes(_one_audio(inputs))
        return EngineOutput({"notes": [asdict(n) for n in r.notes]}, files={"transcription.mid": r.midi})


class AudioTagger(Engine):
    capability = "audio-tagging"

    @abstractmethod
    def tag(self, audio: np.ndarray, *, top_k: int = 5) -> tuple[Tag, ...]: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        tags = self.tag(_one_audio(inputs), top_k=int(inputs.params.get("top_k", 5)))
        return EngineOutput({"tags": [asdict(t) for t in tags]})


class KeywordSpotter(Engine):
    capability = "keyword-spotting"

    @abstractmethod
    def keywords(self) -> tuple[str, ...]: ...

    @abstractmethod
    def spot(self, audio: np.ndarray) -> tuple[Detection, ...]: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        return EngineOutput(
            {
                "keywords": list(self.keywords()),
                "detections": [asdict(d) for d in self.spot(_one_audio(inputs))],
            }
        )


class MusicGenerator(Engine):
    capability = "music-generation"

    @abstractmethod
    def generate(
        self,
        *,
        length_steps: int = 128,
        temperature: float = 1.0,
        seed: int | None = None,
        progress: ProgressFn = no_progress,
    ) -> MidiTranscription: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        p = inputs.params
        seed = p.get("seed")
        r = self.generate(
            length_steps=int(p.get("length_steps", 128)),
            temperature=float(p.get("temperature", 1.0)),
            seed=int(seed) if seed is not None else None,
            progress=progress,
        )
        return EngineOutput({"notes": [asdict(n) for n in r.notes]}, files={"generated.mid": r.midi})


class SentenceEncoder(Engine):
    capability = "sentence-embedding"
    sample_rate = 0  # text only

    @abstractmethod
    def encode(self, sentences: list[str]) -> np.ndarray:
        """(n, d) float32, L2-normalised rows."""

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        sentences = inputs.params.get("sentences") or [inputs.text]
        vectors = self.encode([str(s) for s in sentences])
        return EngineOutput(
            {"dimensions": int(vectors.shape[1]), "embeddings": np.round(vectors, 5).tolist()}
        )


@dataclass(frozen=True)
class TrainingResult:
    version: str  # the checkpoint's version (a UTC timestamp), kept under the model directory
    checkpoint_dir: str
    losses: tuple[float, ...]  # training loss per logged step
    metrics: dict = field(default_factory=dict)  # e.g. held-out accuracy, latency float vs int8


class ModelTrainer(Engine):
    """Trains a small model in the platform (music generator, keyword spotter) as a job: progress
    per step, a loss curve, and a versioned checkpoint that the matching engine then loads."""

    capability = "training"
    sample_rate = 0  # no audio input

    @abstractmethod
    def train(self, *, params: dict, progress: ProgressFn = no_progress) -> TrainingResult: ...

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        result = self.train(params=inputs.params, progress=progress)
        data = {
            "version": result.version,
            "checkpoint_dir": result.checkpoint_dir,
            "losses": [round(x, 5) for x in result.losses],
            "metrics": result.metrics,
        }
        return EngineOutput(data, files={"training.json": json.dumps(data, indent=2).encode()})


CAPABILITY_INTERFACES: dict[str, type[Engine]] = {
    cls.capability: cls
    for cls in (
        VoiceActivityDetector, SpeechRecognizer, SpeechSynthesizer, SpeakerEncoder, Diarizer, Enhancer,
        Separator, VoiceConverter, VoiceCloner, PitchTracker, AudioToMidi, AudioTagger, KeywordSpotter,
        MusicGenerator, SentenceEncoder, ModelTrainer,
    )
}  # fmt: skip
