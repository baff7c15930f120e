"""Which backends exist for each capability, which one is the default, and one loaded instance
of each per process (engines are expensive to load and safe to reuse).

Defaults can be changed with SOUNDPATH_ENGINE_<CAPABILITY> (e.g. SOUNDPATH_ENGINE_ASR=transformers-whisper);
otherwise the first available backend in the list below is used.
"""

from __future__ import annotations

import importlib
import threading

from webapp.env import env  # the one reader of settings (no Django setup)
from workers.engines.base import Availability, Engine, EngineError, pick_device

# capability → backends in order of preference ("module:Class"). Add a backend by adding a line.
BACKENDS: dict[str, list[str]] = {
    "vad": ["workers.engines.vad_silero:SileroVad", "workers.engines.vad_webrtc:WebRtcVad"],
    "asr": [
        "workers.engines.asr_faster_whisper:FasterWhisperRecognizer",
        "workers.engines.asr_whisper_base:WhisperBaseRecognizer",
        "workers.engines.asr_pocketsphinx:PocketSphinxRecognizer",
        "workers.engines.asr_transformers:TransformersWhisperRecognizer",
        "workers.engines.asr_transformers:TransformersCtcRecognizer",
        "workers.engines.asr_whisper_base:FasterWhisperHubRecognizer",
    ],
    "tts": [
        "workers.engines.tts_piper:PiperSynthesizer",
        "workers.engines.tts_espeak:EspeakSynthesizer",
        "workers.engines.tts_coqui:CoquiSynthesizer",
    ],
    "speaker-embedding": [
        "workers.engines.speaker_dvector:DVectorEncoder",
        "workers.engines.speaker_resemblyzer:ResemblyzerEncoder",
        "workers.engines.speaker_xvector:TransformersXVectorEncoder",
        "workers.engines.speaker_wespeaker:WeSpeakerEncoder",
    ],
    "diarization": [
        "workers.engines.diarization_spectral:SpectralDVectorDiarizer",
        "workers.engines.diarization_spectral:SpectralResemblyzerDiarizer",
        "workers.engines.diarization_classic:ClusteringDiarizer",
        "workers.engines.diarization_pyannote:PyannoteDiarizer",
    ],
    "enhancement": [
        "workers.engines.enhancement_nsnet2:NsNet2Enhancer",
        "workers.engines.enhancement_deepfilternet:DeepFilterNetEnhancer",
        "workers.engines.enhancement_rnnoise:RnnoiseEnhancer",
        "workers.engines.enhancement_spectral:SpectralGateEnhancer",
    ],
    "separation": [
        "workers.engines.separation_classic:HpssSeparator",
        "workers.engines.separation_classic:RepetSeparator",
        "workers.engines.separation_classic:NmfSeparator",
    ],
    "voice-conversion": [
        "workers.engines.vc_world:WorldVoiceConverter",
        "workers.engines.vc_coqui:FreeVcConverter",
    ],
    "voice-cloning": [
        "workers.engines.cloning_piper_world:PiperWorldCloner",
        "workers.engines.cloning_coqui:XttsCloner",
    ],
    "pitch": [
        "workers.engines.pitch_torchcrepe:CrepePitchTracker",
        "workers.engines.pitch_pyin:PyinPitchTracker",
    ],
    "audio-to-midi": ["workers.engines.midi_basic_pitch:BasicPitchTranscriber"],
    "audio-tagging": ["workers.engines.tagging_yamnet:YamnetTagger"],
    "keyword-spotting": [
        "workers.engines.kws_micro_wakeword:MicroWakeWordSpotter",
        "workers.engines.kws_dscnn:DsCnnKeywordSpotter",
    ],
    "music-generation": [
        "workers.engines.music_symbolic:SymbolicTransformerGenerator",
        "workers.engines.music_musicgen:MusicGenGenerator",
    ],
    "sentence-embedding": ["workers.engines.sentence_minilm:MiniLmSentenceEncoder"],
    "training": [
        "workers.engines.train_music:MusicTransformerTrainer",
        "workers.engines.train_kws:DsCnnKeywordTrainer",
    ],
}

_loaded: dict[tuple[str, str, str], Engine] = {}
_lock = threading.Lock()


def _import(path: str) -> type[Engine]:
    module_name, class_name = path.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def engine_classes(capability: str) -> list[type[Engine]]:
    if capability not in BACKENDS:
        raise EngineError(f"Unknown capability '{capability}'. Known: {', '.join(sorted(BACKENDS))}.")
    return [_import(path) for path in BACKENDS[capability]]


def all_engine_classes() -> list[type[Engine]]:
    return [cls for capability in BACKENDS for cls in engine_classes(capability)]


def engine_class(capability: str, backend: str | None = None) -> type[Engine]:
    """The class for `backend`, or the configured/first available default for the capability."""
    classes = engine_classes(capability)
    wanted = backend or env.str(f"SOUNDPATH_ENGINE_{capability.upper().replace('-', '_')}", default="")
    if wanted:
        for cls in classes:
            if cls.backend == wanted:
                return cls
        known = ", ".join(c.backend for c in classes)
        raise EngineError(f"No backend '{wanted}' for {capability}. Known: {known}.")
    reasons = []
    for cls in classes:
        availability = cls.availability()
        if availability.available:
            return cls
        reasons.append(f"{cls.backend}: {availability.reason}")
    raise EngineError(f"No available engine for {capability} ({'; '.join(reasons) or 'none registered'}).")


def engine_availability(cls: type[Engine]) -> Availability:
    try:
        return cls.availability()
    except Exception as exc:  # an availability check must never take the listing down
        return Availability(False, f"check failed: {exc}")


def get_engine(capability: str, backend: str | None = None, device: str | None = None) -> Engine:
    """A loaded engine, created once per (capability, backend, device) in this process."""
    cls = engine_class(capability, backend)
    availability = cls.availability()
    if not availability.available:
        raise EngineError(f"{capability}/{cls.backend} is not available: {availability.reason}")
    device = device or (pick_device() if cls.uses_torch else "cpu")
    key = (capability, cls.backend, device)
    with _lock:
        engine = _loaded.get(key)
        if engine is None:
            engine = cls(device=device)
            engine.ensure_loaded()
            _loaded[key] = engine
    return engine


def loaded_engines() -> list[Engine]:
    return list(_loaded.values())
