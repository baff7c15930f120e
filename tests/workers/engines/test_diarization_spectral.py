"""The meeting diarizer (spectral clustering, eigengap speaker count) on conversations simulated from
real utterances (pyannote's telephone sample, film clips shipped in gradio), with references."""

import itertools

import numpy as np
import pytest

from benchmarks.devset.score import der_metric, hypothesis_annotation
from benchmarks.devset.simulate import conversation, halves
from benchmarks.devset.sources import utterances
from workers.engines._diarization_common import merge_close_clusters, spectral_labels, viterbi
from workers.engines.base import JobInputs
from workers.engines.diarization_spectral import (
    SpectralDiarizer,
    SpectralDVectorDiarizer,
    SpectralResemblyzerDiarizer,
)


@pytest.fixture(scope="module", params=[SpectralResemblyzerDiarizer, SpectralDVectorDiarizer])
def diarizer(request) -> SpectralDiarizer:
    engine = request.param()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def pool():
    tune, _held = halves(utterances())
    return tune


def _der(conv, result) -> float:
    return der_metric()(conv.annotation(), hypothesis_annotation(result.turns, conv.name))


def test_three_real_voices_without_a_count(diarizer, pool):
    conv = conversation(pool, ["sample-speaker91", "cate", "sample-speaker90"], seconds=40, seed=2, name="t3")
    stages = []
    result = diarizer.diarize(conv.audio, progress=lambda f, m: stages.append(m))
    assert 2 <= result.speaker_count <= 4
    assert _der(conv, result) < 0.45
    assert len(stages) >= 4


def test_forced_count_is_kept(diarizer, pool):
    conv = conversation(pool, ["sample-speaker90", "cate"], seconds=30, seed=5, name="t2")
    assert diarizer.diarize(conv.audio, num_speakers=3).speaker_count == 3


def test_one_real_voice_is_one_speaker():
    """One voice in one recording, with the d-vector variant (the default). Known limits, in the model
    cards: two recordings of one voice joined can come out as two speakers, and the resemblyzer
    variant splits single voices (2-4 "speakers" on these clips)."""
    diarizer = SpectralDVectorDiarizer()
    items = utterances()
    one_call = np.concatenate([u.audio for u in items if u.speaker == "sample-speaker91"])
    one_scene = next(u.audio for u in items if u.origin == "cate-1")
    assert diarizer.diarize(one_call).speaker_count == 1
    assert diarizer.diarize(one_scene).speaker_count == 1


def test_silence_has_no_turns(diarizer):
    out = diarizer.infer(JobInputs(audio={"audio": np.zeros(32000, dtype=np.float32)}))
    assert out.data == {"speaker_count": 0, "turns": []}


def test_two_clear_clusters_are_found_and_near_duplicates_merged():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(16), rng.standard_normal(16)
    windows = np.stack([a + 0.1 * rng.standard_normal(16) for _ in range(10)]
                       + [b + 0.1 * rng.standard_normal(16) for _ in range(10)])  # fmt: skip
    labels = spectral_labels(windows, num_speakers=None, max_speakers=8)
    assert len(set(labels[:10])) == 1 and len(set(labels[10:])) == 1 and labels[0] != labels[10]
    same = np.stack([a + 0.05 * rng.standard_normal(16) for _ in range(20)])
    assert len(set(merge_close_clusters(same, np.r_[np.zeros(10, int), np.ones(10, int)], 0.85))) == 1


def test_viterbi_ignores_a_one_window_blip_but_follows_a_change():
    scores = np.array([[1, 0]] * 4 + [[0, 0.5]] + [[1, 0]] * 3 + [[0, 1]] * 5, dtype=float)
    spans = [(0.5 * i, 0.5 * i + 1.5) for i in range(len(scores))]
    path = viterbi(scores * 10, 6.0, spans)
    assert list(path) == [0] * 8 + [1] * 5


def test_resemblyzer_variant_finds_both_speakers_of_the_real_telephone_sample(pyannote_sample):
    """The one real conversation shipped: the resemblyzer variant separates its two women; the
    default (d-vectors, chosen on the held-apart figures of the development set) finds one, as its
    model card says."""
    from benchmarks.devset.sources import pyannote_sample as sample_with_reference
    from workers.engines.registry import engine_class

    assert engine_class("diarization") is SpectralDVectorDiarizer
    audio, reference, _rows = sample_with_reference()
    result = SpectralResemblyzerDiarizer().diarize(audio)
    assert result.speaker_count == 2
    assert der_metric()(reference, hypothesis_annotation(result.turns, "sample")) < 0.3


def test_second_speaker_label_where_two_voices_score_alike():
    """The overlap heuristic (off in the default diarizer, measured to cost DER) labels both."""
    from workers.engines._diarization_common import label_turns

    spans = [(0.0, 1.5), (0.5, 2.0), (1.0, 2.5), (1.5, 3.0)]
    scores = np.array([[0.9, 0.2], [0.9, 0.88], [0.9, 0.89], [0.9, 0.1]])
    path = np.zeros(4, dtype=int)
    turns = label_turns([(0.0, 3.0)], spans, scores, path, overlap_margin=0.05, min_turn=0.2)
    assert {t.speaker for t in turns} == {"SPEAKER_00", "SPEAKER_01"}
    second = next(t for t in turns if t.speaker == "SPEAKER_01")
    assert second.start >= 0.7 and second.end <= 2.3
    alone = label_turns([(0.0, 3.0)], spans, scores, path, overlap_margin=None, min_turn=0.2)
    assert [(t.start, t.end, t.speaker) for t in alone] == [(0.0, 3.0, "SPEAKER_00")]


def _clusters(sizes: list[int], *, dim: int = 32, spread: float = 0.15, seed: int = 0) -> np.ndarray:
    """Windows around len(sizes) random, nearly orthogonal voice centres (fixed seed)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((len(sizes), dim))
    return np.concatenate(
        [
            c + spread * np.linalg.norm(c) / np.sqrt(dim) * rng.standard_normal((n, dim))
            for c, n in zip(centres, sizes, strict=True)
        ]
    )


@pytest.mark.parametrize("sizes", [[40, 6], [30, 12, 6], [40, 20, 10, 6], [25, 20, 15, 10, 6]])
def test_count_estimate_finds_unbalanced_speakers(sizes):
    from workers.engines._diarization_common import cluster_reliable

    windows = _clusters(sizes)
    labels = cluster_reliable(windows, np.full(len(windows), 1.5), num_speakers=None, max_speakers=8,
                              merge_cosine=0.85, reliable_s=1.4)  # fmt: skip
    assert len(set(labels)) == len(sizes)
    bounds = np.cumsum([0, *sizes])
    for a, b in itertools.pairwise(bounds):
        assert len(set(labels[a:b])) == 1  # each voice is one cluster


def test_count_estimate_keeps_one_voice_whole():
    from workers.engines._diarization_common import cluster_reliable

    windows = _clusters([50], spread=0.4)
    labels = cluster_reliable(windows, np.full(50, 1.5), num_speakers=None, max_speakers=8,
                              merge_cosine=0.85, reliable_s=1.4)  # fmt: skip
    assert set(labels) == {0}


def test_short_windows_join_clusters_without_making_their_own():
    """Three short windows (cut by pauses) with stray embeddings: with reliable_s they join the one
    voice; without it, they shape the graph and come out as a speaker of their own."""
    from workers.engines._diarization_common import cluster_reliable

    voice = _clusters([40], spread=0.3)
    stray = _clusters([3], spread=0.05, seed=7)
    windows = np.concatenate([voice, stray])
    lengths = np.r_[np.full(40, 1.5), np.full(3, 0.4)]
    kept = cluster_reliable(
        windows, lengths, num_speakers=None, max_speakers=8, merge_cosine=0.85, reliable_s=1.4
    )
    assert set(kept) == {0}
    everywhere = cluster_reliable(windows, lengths, num_speakers=None, max_speakers=8, merge_cosine=0.85,
                                  reliable_s=None)  # fmt: skip
    assert len(set(everywhere)) == 2 and set(everywhere[40:]) != set(everywhere[:1])


def _overlapping_pairs(turns: list[dict]) -> int:
    return sum(
        a["speaker"] != b["speaker"] and a["start"] < b["end"] and b["start"] < a["end"]
        for a, b in itertools.combinations(turns, 2)
    )


def test_a_second_speaker_is_labelled_where_voices_overlap_only_when_asked(pool):
    """The default diarizer gives one label per moment unless the job asks for overlap labels
    (the demo's switch): then it adds the runner-up speaker where two voices fit about equally."""
    conv = conversation(pool, ["sample-speaker91", "cate", "heath"], seconds=40, seed=11, name="ov")
    assert conv.annotation().get_overlap().duration() > 1.0  # the mix has overlapped speech to find
    diarizer = SpectralDVectorDiarizer()
    audio = {"audio": conv.audio}

    plain = diarizer.infer(JobInputs(audio=audio)).data
    marked = diarizer.infer(JobInputs(audio=audio, params={"label_overlap": True})).data

    assert _overlapping_pairs(plain["turns"]) == 0
    assert _overlapping_pairs(marked["turns"]) > 0
    assert SpectralDVectorDiarizer.overlap_labels == "on request"
