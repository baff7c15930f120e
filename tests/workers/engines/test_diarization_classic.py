"""Classic VAD + embedding + clustering diarization on pyannote's two-speaker sample."""

import numpy as np
import pytest

from tests.workers.engines.conftest import espeak
from workers.audio_io import load_audio
from workers.engines._voice_common import resample
from workers.engines.base import JobInputs
from workers.engines.diarization_classic import ClusteringDiarizer, speech_regions
from workers.engines.tts_piper import PiperSynthesizer


@pytest.fixture(scope="module")
def diarizer() -> ClusteringDiarizer:
    engine = ClusteringDiarizer()
    engine.ensure_loaded()
    return engine


def der(reference_rttm, turns) -> float:
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    reference, hypothesis = Annotation(), Annotation()
    for line in reference_rttm.read_text().splitlines():
        fields = line.split()
        start = float(fields[3])
        reference[Segment(start, start + float(fields[4]))] = fields[7]
    for turn in turns:
        hypothesis[Segment(turn.start, turn.end)] = turn.speaker
    return DiarizationErrorRate()(reference, hypothesis)


def test_classic_diarizer_finds_two_speakers_on_sample(diarizer, pyannote_sample):
    wav, rttm = pyannote_sample
    stages = []
    result = diarizer.diarize(load_audio(wav).samples, progress=lambda f, m: stages.append(m))
    assert result.speaker_count == 2
    assert der(rttm, result.turns) <= 0.35
    assert len(stages) >= 4


def test_classic_diarizer_respects_forced_count(diarizer, pyannote_sample):
    result = diarizer.diarize(load_audio(pyannote_sample[0]).samples, num_speakers=3)
    assert result.speaker_count == 3


def test_classic_diarizer_one_voice_is_one_speaker(diarizer, speech_16k):
    assert diarizer.diarize(speech_16k).speaker_count == 1


def test_classic_diarizer_silence_has_no_turns(diarizer):
    out = diarizer.infer(JobInputs(audio={"audio": np.zeros(32000, dtype=np.float32)}))
    assert out.data == {"speaker_count": 0, "turns": []}


def test_classic_diarizer_separates_espeak_from_piper(diarizer, tmp_path):
    text = "The quick brown fox jumps over the lazy dog. She sells sea shells by the sea shore."
    gap = np.zeros(8000, dtype=np.float32)
    first = espeak(text, tmp_path / "m")
    spoken = PiperSynthesizer().synthesize(text)
    second = resample(spoken.audio, spoken.sample_rate, 16000)
    result = diarizer.diarize(np.concatenate([first, gap, second]))
    assert result.speaker_count == 2
    switch = (len(first) + len(gap)) / 16000
    assert result.turns[0].speaker != result.turns[-1].speaker
    assert all(t.end <= switch + 0.8 or t.start >= switch - 0.8 for t in result.turns)


def test_speech_regions_bridges_short_gaps():
    probs = np.array([0.0] * 10 + [0.9] * 20 + [0.1] * 3 + [0.9] * 20 + [0.0] * 10)
    regions = speech_regions(probs, 0.032)
    assert len(regions) == 1
