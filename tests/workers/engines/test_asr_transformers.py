import itertools
import json
from pathlib import Path

import pytest

from workers.engines.asr_transformers import (
    BLANK,
    TransformersCtcRecognizer,
    TransformersWhisperRecognizer,
    ctc_words,
)
from workers.engines.base import JobInputs

SR = 16000
LETTERS = list("abcdefghijklmnopqrstuvwxyz'")
FORCED_LETTER = "e"
WHISPER_SPECIALS = [
    "<|startoftranscript|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nospeech|>",
    "<|notimestamps|>",
] + [f"<|{i * 0.02:.2f}|>" for i in range(1501)]  # Whisper's timestamp tokens, 20 ms apart


def build_tiny_whisper(folder: Path) -> None:
    """An English-only Whisper with random weights and a byte-level BPE trained here, offline."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import (
        GenerationConfig,
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperProcessor,
        WhisperTokenizer,
    )

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        ["sound is a pressure wave"], vocab_size=300, min_frequency=1, show_progress=False
    )
    bpe.save_model(str(folder))
    end = "<|endoftext|>"
    tokenizer = WhisperTokenizer(
        str(folder / "vocab.json"),
        str(folder / "merges.txt"),
        unk_token=end,
        bos_token=end,
        eos_token=end,
        pad_token=end,
    )
    tokenizer.add_tokens(WHISPER_SPECIALS, special_tokens=True)
    ids = dict(
        zip(
            [end, *WHISPER_SPECIALS[:7]],
            tokenizer.convert_tokens_to_ids([end, *WHISPER_SPECIALS[:7]]),
            strict=True,
        )
    )
    WhisperProcessor(
        feature_extractor=WhisperFeatureExtractor(feature_size=80), tokenizer=tokenizer
    ).save_pretrained(folder)
    config = WhisperConfig(
        vocab_size=len(tokenizer), d_model=64, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=128, decoder_ffn_dim=128, max_target_positions=64,
        pad_token_id=ids[end], bos_token_id=ids[end], eos_token_id=ids[end],
        decoder_start_token_id=ids["<|startoftranscript|>"],
    )  # fmt: skip
    torch.manual_seed(0)  # random weights, but the same ones every run
    model = WhisperForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=ids["<|startoftranscript|>"], eos_token_id=ids[end], pad_token_id=ids[end],
        bos_token_id=ids[end], no_timestamps_token_id=ids["<|notimestamps|>"], is_multilingual=False,
        alignment_heads=[[0, 0], [0, 1]], begin_suppress_tokens=[ids[end]], max_initial_timestamp_index=50,
        max_length=24,
    )  # fmt: skip
    model.save_pretrained(folder)


def build_tiny_ctc(folder: Path) -> int:
    """A tiny wav2vec2 CTC model over letters whose output layer always prefers one letter."""
    import torch
    from transformers import (
        Wav2Vec2Config,
        Wav2Vec2CTCTokenizer,
        Wav2Vec2FeatureExtractor,
        Wav2Vec2ForCTC,
        Wav2Vec2Processor,
    )

    vocab = {"<pad>": 0, "<unk>": 1, "|": 2} | {letter: i + 3 for i, letter in enumerate(LETTERS)}
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = Wav2Vec2CTCTokenizer(
        str(folder / "vocab.json"), pad_token="<pad>", unk_token="<unk>", word_delimiter_token="|"
    )
    extractor = Wav2Vec2FeatureExtractor(
        feature_size=1, sampling_rate=SR, do_normalize=True, return_attention_mask=False
    )
    Wav2Vec2Processor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(folder)
    config = Wav2Vec2Config(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        conv_dim=(16, 16, 16, 16, 16, 16, 16), num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=2,
        pad_token_id=0,
    )  # fmt: skip
    model = Wav2Vec2ForCTC(config)
    with torch.no_grad():  # every frame's best label is FORCED_LETTER, whatever the audio
        model.lm_head.weight.zero_()
        model.lm_head.bias.zero_()
        model.lm_head.bias[vocab[FORCED_LETTER]] = 5.0
    model.save_pretrained(folder)
    return vocab[FORCED_LETTER]


@pytest.fixture(scope="module")
def whisper(tmp_path_factory) -> TransformersWhisperRecognizer:
    folder = tmp_path_factory.mktemp("tiny_whisper")
    build_tiny_whisper(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TransformersWhisperRecognizer.env_var, str(folder))
        assert TransformersWhisperRecognizer.availability().available
        engine = TransformersWhisperRecognizer(device="cpu")
        engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def ctc(tmp_path_factory) -> TransformersCtcRecognizer:
    folder = tmp_path_factory.mktemp("tiny_ctc")
    build_tiny_ctc(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TransformersCtcRecognizer.env_var, str(folder))
        engine = TransformersCtcRecognizer(device="cpu")
        engine.ensure_loaded()
    return engine


@pytest.mark.parametrize("cls", [TransformersWhisperRecognizer, TransformersCtcRecognizer])
def test_hub_recognizer_unavailable_without_local_dir(cls, monkeypatch, tmp_path):
    monkeypatch.delenv(cls.env_var, raising=False)
    assert cls.env_var in cls.availability().reason
    monkeypatch.setenv(cls.env_var, str(tmp_path / "missing"))
    availability = cls.availability()
    assert not availability.available
    assert "not a directory" in availability.reason


def test_whisper_tiny_model_returns_transcript(whisper, speech_16k):
    transcript = whisper.transcribe(speech_16k)
    duration = len(speech_16k) / SR
    assert isinstance(transcript.text, str)
    assert transcript.words  # word timings came back from the cross-attention alignment
    assert all(0.0 <= w.start <= w.end <= duration for w in transcript.words)
    assert all(a.start <= b.start for a, b in itertools.pairwise(transcript.words))
    assert transcript.frame_labels == ()


def test_ctc_frame_labels_one_per_frame(ctc, speech_16k):
    transcript = ctc.transcribe(speech_16k)
    frames = int(ctc._model._get_feat_extract_output_lengths(len(speech_16k)))
    assert len(transcript.frame_labels) == frames
    assert set(transcript.frame_labels) == {FORCED_LETTER}


def test_ctc_collapses_repeats_into_one_timed_word(ctc, speech_16k):
    transcript = ctc.transcribe(speech_16k)
    frames = len(transcript.frame_labels)
    assert transcript.text == FORCED_LETTER
    (word,) = transcript.words
    assert word.start == 0.0
    assert word.end == pytest.approx(min(frames * 0.02, len(speech_16k) / SR), abs=1e-3)


def test_ctc_infer_returns_frame_labels(ctc, speech_16k):
    output = ctc.infer(JobInputs(audio={"audio": speech_16k}))
    assert len(output.data["frame_labels"]) > 300
    json.dumps(output.data)


def test_ctc_words_follow_collapse_rules():
    labels = ["_", "h", "h", "_", "i", "|", "_", "t", "_", "t", "o", "o", "<unk>", "o", "_"]
    confidence = [0.5] * len(labels)
    words = ctc_words(labels, confidence, 0.02, "|", frozenset({"<unk>"}))
    assert [w[0] for w in words] == ["hi", "ttoo"]
    assert words[0][1:3] == pytest.approx((0.02, 0.10))
    assert words[1][1:3] == pytest.approx((0.14, 0.28))
    assert BLANK == "_"
