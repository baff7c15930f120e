"""PocketSphinx: the classic HMM/GMM recogniser (CMU Sphinx) with its shipped US English model."""

from __future__ import annotations

import io
import re
import threading

import numpy as np

from workers.engines._speech_common import check_english, pcm16, speech_audio, tidy_words
from workers.engines.base import Availability, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import SpeechRecognizer, Transcript

SAMPLE_RATE = 16000
ALTERNATE_PRONUNCIATION = re.compile(r"\(\d+\)$")  # "the(2)": second dictionary pronunciation


def is_filler(word: str) -> bool:
    """<s>, </s>, <sil>, [NOISE]…: the decoder's own markers, not words anyone said."""
    return word.startswith(("<", "["))


class PocketSphinxRecognizer(SpeechRecognizer):
    backend = "pocketsphinx"
    card = ModelCard(
        engine="PocketSphinx (HMM/GMM, CMU Sphinx)",
        package="pocketsphinx 5.1.1 (code and en-us model)",
        weights="en-us/ acoustic model (mdef, means, variances, sendump), en-us.lm.bin trigram LM, "
        "cmudict-en-us.dict",
        weights_bytes=37003707,  # acoustic model 6,613,677 + LM 27,114,385 + dictionary 3,275,645
        licence="BSD-2-Clause (code), BSD-style (Alpha Cephei en-us model)",
        training_data="Generic US English acoustic model trained with SphinxTrain by Alpha Cephei; "
        "a general-domain trigram language model and the CMU pronouncing dictionary",
        limits="Pre-neural: far below Whisper on anything but clean, careful, natural speech; "
        "synthetic formant voices (espeak) come out nearly unrecognised, and words outside the "
        "dictionary (e.g. 'spectrogram') can never be output.",
        classic=True,
        paper="https://doi.org/10.1109/ICASSP.2006.1659988",
    )
    sample_rate = SAMPLE_RATE
    uses_torch = False

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("pocketsphinx")

    def _load(self) -> None:
        from pocketsphinx import Decoder, Segmenter

        self._decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
        self._segmenter_class = Segmenter
        self._frame_rate = int(self._decoder.config["frate"])  # feature frames per second (100)
        self._lock = threading.Lock()  # one decoder, one utterance at a time

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, progress: ProgressFn = no_progress
    ) -> Transcript:
        check_english(language, "PocketSphinx's en-us model")
        self.ensure_loaded()
        samples = speech_audio(audio)
        duration = len(samples) / SAMPLE_RATE
        # The classic pipeline: an endpointer (WebRTC-style VAD) cuts utterances, the HMM decoder
        # reads each one. Decoding silence as an utterance makes it invent words.
        segmenter = self._segmenter_class(sample_rate=SAMPLE_RATE)
        found: list[tuple[str, float, float, float]] = []
        for utterance in segmenter.segment(io.BytesIO(pcm16(samples))):
            found.extend(self._decode(utterance.pcm, offset=utterance.start_time))
            progress(min(utterance.end_time / duration, 1.0), f"decoded up to {utterance.end_time:.1f} s")
        words = tidy_words(found, duration)
        progress(1.0, "decoding finished")
        return Transcript(" ".join(w.word for w in words), words, "en")

    def _decode(self, pcm: bytes, *, offset: float) -> list[tuple[str, float, float, float]]:
        """(word, start, end, posterior) for one utterance, fillers dropped, times in the clip."""
        with self._lock:
            decoder = self._decoder
            decoder.start_utt()
            # A whole utterance at once: the model's batch cepstral mean normalisation needs it.
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            if decoder.hyp() is None:
                return []
            segments = [(s.word, s.start_frame, s.end_frame, s.prob) for s in decoder.seg()]
        rate = self._frame_rate
        return [
            (ALTERNATE_PRONUNCIATION.sub("", word), offset + start / rate, offset + (end + 1) / rate, prob)
            for word, start, end, prob in segments
            if not is_filler(word)
        ]
