"""Hub recognisers through transformers: a Whisper seq2seq model and a wav2vec2-style CTC model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workers.engines._speech_common import speech_audio, tidy_words
from workers.engines.base import (
    Availability,
    EngineError,
    ModelCard,
    ProgressFn,
    check_imports,
    local_model_dir,
    no_progress,
)
from workers.engines.capabilities import SpeechRecognizer, Transcript

SAMPLE_RATE = 16000
WHISPER_WINDOW_SECONDS = 30  # Whisper sees 30 s at a time; longer clips are chunked
BLANK = "_"  # how a CTC blank frame is shown in Transcript.frame_labels


def _hub_availability(env_var: str) -> Availability:
    imports = check_imports("torch", "transformers")
    return imports if not imports.available else local_model_dir(env_var)


def _model_dir(env_var: str) -> str:
    availability = local_model_dir(env_var)
    if not availability.available:
        raise EngineError(availability.reason)
    return availability.weights_path


class TransformersWhisperRecognizer(SpeechRecognizer):
    backend = "transformers-whisper"
    env_var = "SOUNDPATH_WHISPER_MODEL_PATH"
    card = ModelCard(
        engine="Whisper (transformers, local checkpoint)",
        package="transformers 5.23.0 + torch 2.13.0 (code); weights from the directory in "
        "SOUNDPATH_WHISPER_MODEL_PATH",
        weights="model.safetensors of a Whisper checkpoint saved with save_pretrained (not shipped)",
        weights_bytes=None,
        licence="Apache-2.0 (transformers); the checkpoint's own licence (MIT for OpenAI Whisper)",
        training_data="Depends on the checkpoint: OpenAI's are trained on 680,000 hours of weakly "
        "supervised web audio",
        limits="Nothing ships: it runs only when the variable names a downloaded checkpoint. Word "
        "times come from cross-attention and drift by a few hundred ms.",
        paper="https://arxiv.org/abs/2212.04356",
    )
    sample_rate = SAMPLE_RATE
    uses_torch = True

    @classmethod
    def availability(cls) -> Availability:
        return _hub_availability(cls.env_var)

    def _load(self) -> None:
        from transformers import WhisperForConditionalGeneration, WhisperProcessor, pipeline

        path = _model_dir(self.env_var)
        model = WhisperForConditionalGeneration.from_pretrained(path).to(self.device).eval()
        processor = WhisperProcessor.from_pretrained(path)
        self._multilingual = bool(getattr(model.generation_config, "is_multilingual", False))
        self._pipe = pipeline(
            "automatic-speech-recognition",
            model=model,
            tokenizer=processor.tokenizer,
            feature_extractor=processor.feature_extractor,
            device=self.device,
        )

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, progress: ProgressFn = no_progress
    ) -> Transcript:
        self.ensure_loaded()
        samples = speech_audio(audio)
        duration = len(samples) / SAMPLE_RATE
        options: dict = {"return_timestamps": "word"}  # DTW over the alignment heads' attention
        if duration > WHISPER_WINDOW_SECONDS:
            options["chunk_length_s"] = WHISPER_WINDOW_SECONDS
        if language and self._multilingual:  # English-only checkpoints have no language token
            options["generate_kwargs"] = {"language": language, "task": "transcribe"}
        progress(0.0, "decoding with Whisper")
        result = self._pipe({"raw": samples.copy(), "sampling_rate": SAMPLE_RATE}, **options)
        words = tidy_words(
            (
                (c["text"], c["timestamp"][0] or 0.0, c["timestamp"][1], None)
                for c in result.get("chunks", [])
            ),
            duration,
        )
        progress(1.0, "transcription finished")
        return Transcript(result["text"].strip(), words, language or "en")


def ctc_words(
    labels: Sequence[str],
    confidence: Sequence[float],
    frame_seconds: float,
    delimiter: str,
    ignore: frozenset[str] = frozenset(),
) -> list[tuple[str, float, float, float]]:
    """Words from the best path of a CTC model, timed by the frames that emitted their letters.

    CTC collapses repeats unless a blank separates them ("l l" → "l", "l _ l" → "ll"); the
    delimiter frame (wav2vec2's "|") ends a word. Confidence is the mean best-label probability
    over the word's frames. Labels in `ignore` (<unk>, <s>…) count as blanks.
    """
    words: list[tuple[str, float, float, float]] = []
    letters: list[str] = []
    first = last = 0
    previous = BLANK
    for index, label in enumerate(labels):
        if label == delimiter and letters:
            words.append(_ctc_word(letters, first, last, confidence, frame_seconds))
            letters = []
        elif label not in (BLANK, delimiter) and label not in ignore:
            if label != previous:
                first = index if not letters else first
                letters.append(label)
            last = index + 1
        previous = label
    if letters:
        words.append(_ctc_word(letters, first, last, confidence, frame_seconds))
    return words


def _ctc_word(
    letters: list[str], first: int, last: int, confidence: Sequence[float], frame_seconds: float
) -> tuple[str, float, float, float]:
    score = float(np.mean(confidence[first:last]))
    return "".join(letters), first * frame_seconds, last * frame_seconds, round(score, 4)


class TransformersCtcRecognizer(SpeechRecognizer):
    backend = "transformers-ctc"
    env_var = "SOUNDPATH_CTC_MODEL_PATH"
    card = ModelCard(
        engine="wav2vec2-style CTC recogniser (transformers, local checkpoint)",
        package="transformers 5.23.0 + torch 2.13.0 (code); weights from the directory in "
        "SOUNDPATH_CTC_MODEL_PATH",
        weights="model.safetensors of a Wav2Vec2ForCTC checkpoint saved with save_pretrained (not shipped)",
        weights_bytes=None,
        licence="Apache-2.0 (transformers); the checkpoint's own licence (e.g. Apache-2.0 for "
        "facebook/wav2vec2-base-960h)",
        training_data="Depends on the checkpoint: e.g. wav2vec2-base-960h is self-supervised on "
        "LibriSpeech audio, then fine-tuned on its 960 transcribed hours",
        limits="Nothing ships: it runs only when the variable names a downloaded checkpoint. Letters "
        "are predicted independently per 20 ms frame, so without a language model it misspells.",
        paper="https://arxiv.org/abs/2006.11477",
    )
    sample_rate = SAMPLE_RATE
    uses_torch = True

    @classmethod
    def availability(cls) -> Availability:
        return _hub_availability(cls.env_var)

    def _load(self) -> None:
        from transformers import Wav2Vec2ForCTC, Wav2Vec2Processor

        path = _model_dir(self.env_var)
        self._model = Wav2Vec2ForCTC.from_pretrained(path).to(self.device).eval()
        self._processor = Wav2Vec2Processor.from_pretrained(path)
        # Seconds per output frame: the product of the feature encoder's conv strides (320 → 20 ms).
        self._frame_seconds = self._model.config.inputs_to_logits_ratio / SAMPLE_RATE

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, progress: ProgressFn = no_progress
    ) -> Transcript:
        import torch

        self.ensure_loaded()
        samples = speech_audio(audio)
        progress(0.0, "scoring every frame")
        inputs = self._processor(samples, sampling_rate=SAMPLE_RATE, return_tensors="pt")
        with torch.inference_mode():
            logits = self._model(inputs.input_values.to(self.device)).logits[0]
        best = logits.softmax(-1).max(-1)
        labels = self._frame_labels(best.indices.tolist())
        tokenizer = self._processor.tokenizer
        found = ctc_words(
            labels,
            best.values.tolist(),
            self._frame_seconds,
            tokenizer.word_delimiter_token,
            frozenset(tokenizer.all_special_tokens),
        )
        words = tidy_words(found, len(samples) / SAMPLE_RATE)
        progress(1.0, "transcription finished")
        return Transcript(" ".join(w.word for w in words), words, language or "en", labels)

    def _frame_labels(self, ids: list[int]) -> tuple[str, ...]:
        """Best label per frame, the padding token (CTC's blank) shown as "_"."""
        tokenizer = self._processor.tokenizer
        blank = tokenizer.pad_token_id
        tokens = tokenizer.convert_ids_to_tokens(ids)
        return tuple(BLANK if i == blank else token for i, token in zip(ids, tokens, strict=True))
