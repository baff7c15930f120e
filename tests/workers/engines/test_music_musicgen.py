"""MusicGen through transformers, with a tiny randomly initialised model built offline from configs."""

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from workers.engines.base import EngineError, JobInputs
from workers.engines.music_musicgen import ENV_VAR, MusicGenGenerator

WORDS = ["a", "calm", "piano", "melody", "with", "drums", "happy", "sad", "jazz", "rock"]


def _tiny_musicgen(folder: Path) -> None:
    """Save a ~100k-parameter MusicGen (T5 text encoder, EnCodec, decoder) and its processor to `folder`.
    The tokenizer is a small unigram vocabulary made in memory: no hub download, no sentencepiece file."""
    from transformers import (
        EncodecConfig,
        EncodecFeatureExtractor,
        MusicgenConfig,
        MusicgenDecoderConfig,
        MusicgenForConditionalGeneration,
        MusicgenProcessor,
        T5Config,
        T5Tokenizer,
    )

    vocab = ["<pad>", "</s>", "<unk>"] + [f"▁{w}" for w in WORDS] + list("abcdefghijklmnopqrstuvwxyz")
    tokenizer = T5Tokenizer(vocab=[(piece, -float(i)) for i, piece in enumerate(vocab)], extra_ids=0)
    codebook = 64  # the decoder's pad/start token is codebook_size, as in the released models
    text = T5Config(vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=64, num_layers=1, num_heads=2)
    audio = EncodecConfig(
        sampling_rate=32000, audio_channels=1, hidden_size=16, num_filters=4, num_residual_layers=1,
        upsampling_ratios=[8, 5, 4, 2], codebook_size=codebook, codebook_dim=16, num_lstm_layers=1,
        target_bandwidths=[2.2],
    )  # fmt: skip
    decoder = MusicgenDecoderConfig(
        vocab_size=codebook, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, ffn_dim=64,
        num_codebooks=audio.num_quantizers, max_position_embeddings=512, pad_token_id=codebook, bos_token_id=codebook,
    )  # fmt: skip
    config = MusicgenConfig(
        text_encoder=text.to_dict(), audio_encoder=audio.to_dict(), decoder=decoder.to_dict()
    )
    config.decoder_start_token_id = config.pad_token_id = codebook
    model = MusicgenForConditionalGeneration(config)
    for name, buffer in model.audio_encoder.named_buffers():
        if name.endswith(
            "codebook.embed"
        ):  # EnCodec starts its codebooks at zero: every code would decode alike
            buffer.normal_()
    model.generation_config.decoder_start_token_id = model.generation_config.pad_token_id = codebook
    model.save_pretrained(folder)
    MusicgenProcessor(EncodecFeatureExtractor(sampling_rate=32000), tokenizer).save_pretrained(folder)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Iterator[MusicGenGenerator]:
    folder = tmp_path_factory.mktemp("tiny-musicgen")
    _tiny_musicgen(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(folder))
        engine = MusicGenGenerator(device="cpu")
        engine.ensure_loaded()
        yield engine


def test_musicgen_is_unavailable_without_a_local_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert f"set {ENV_VAR}" in MusicGenGenerator.availability().reason
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    assert "is not a directory" in MusicGenGenerator.availability().reason


def test_musicgen_generates_audio_of_the_requested_length(engine) -> None:
    audio, rate = engine.generate_audio("a calm piano melody", 0.5, seed=0)
    assert rate == 32000 and audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) == 16000 and np.isfinite(audio).all()


def test_musicgen_seed_makes_it_repeatable(engine) -> None:
    first, _ = engine.generate_audio("happy jazz", 0.3, seed=7)
    again, _ = engine.generate_audio("happy jazz", 0.3, seed=7)
    other, _ = engine.generate_audio("happy jazz", 0.3, seed=8)
    assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_musicgen_job_returns_generated_audio(engine) -> None:
    output = engine.infer(JobInputs(text="sad rock", params={"seconds": 0.4, "seed": 1}))
    audio, rate = output.audio["generated"]
    assert (rate, len(audio)) == (32000, 12800)
    assert output.data == {"prompt": "sad rock", "duration": 0.4, "sample_rate": 32000}


def test_musicgen_generate_returns_a_transcription_of_its_audio(engine) -> None:
    result = engine.generate(length_steps=50, seed=0)
    midi = pretty_midi.PrettyMIDI(io.BytesIO(result.midi))
    assert sum(len(instrument.notes) for instrument in midi.instruments) == len(result.notes)


def test_musicgen_rejects_lengths_over_30_seconds_and_zero_temperature(engine) -> None:
    with pytest.raises(EngineError, match="30 seconds"):
        engine.generate_audio("jazz", 31)
    with pytest.raises(EngineError, match="temperature"):
        engine.generate_audio("jazz", 1, temperature=0)
