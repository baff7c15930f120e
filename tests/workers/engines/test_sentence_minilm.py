import json

import numpy as np
import pytest

from workers.engines.base import EngineError, JobInputs
from workers.engines.sentence_minilm import MiniLmSentenceEncoder

ANCHOR = "A spectrogram shows how the energy of a sound is spread over frequency and time."
PARAPHRASE = "A spectrogram displays the distribution of a signal's energy across frequencies over time."
UNRELATED = "The recipe needs two eggs and a cup of flour."


@pytest.fixture(scope="module")
def encoder() -> MiniLmSentenceEncoder:
    engine = MiniLmSentenceEncoder(device="cpu")
    engine.ensure_loaded()
    return engine


def test_minilm_paraphrase_closer_than_unrelated(encoder):
    anchor, paraphrase, unrelated = encoder.encode([ANCHOR, PARAPHRASE, UNRELATED])
    assert anchor @ paraphrase > 0.7
    assert anchor @ paraphrase > anchor @ unrelated + 0.4


def test_minilm_rows_are_normalised_384d(encoder):
    vectors = encoder.encode([ANCHOR, UNRELATED])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


def test_minilm_infer_embeds_text(encoder):
    output = encoder.infer(JobInputs(text=ANCHOR))
    assert output.data["dimensions"] == 384
    assert len(output.data["embeddings"]) == 1
    json.dumps(output.data)


def test_minilm_refuses_empty_list(encoder):
    with pytest.raises(EngineError, match="no sentences"):
        encoder.encode([])
