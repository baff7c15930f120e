"""Every file of the bad-input corpus through load_audio, the one place user audio is decoded."""

import time

import numpy as np
import pytest

from tests.bad_input.conftest import ACCEPTED, CORPUS, REFUSED
from workers.audio_io import AudioInputError, AudioLimits, load_audio

CORPUS_NAMES = {p.name for p in CORPUS.iterdir() if p.suffix not in {".py", ".md"}}


def test_corpus_is_complete_and_small():
    assert sorted(CORPUS_NAMES) == sorted([*REFUSED, *ACCEPTED])
    assert sum((CORPUS / name).stat().st_size for name in CORPUS_NAMES) < 500_000


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bad_file_is_refused_with_its_own_message(name):
    with pytest.raises(AudioInputError) as refused:
        load_audio(CORPUS / name)

    assert str(refused.value) == REFUSED[name]
    assert str(CORPUS) not in str(refused.value)  # no server path in what the uploader reads


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_unusual_but_legal_audio_is_decoded_to_mono_16k(name):
    audio = load_audio(CORPUS / name, target_sr=16000)

    assert (audio.source_sample_rate, audio.source_channels) == ACCEPTED[name]
    assert audio.sample_rate == 16000 and audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert abs(audio.duration - 0.5) < 0.06  # MP3 adds a few ms of encoder padding
    assert np.isfinite(audio.samples).all() and np.abs(audio.samples).max() <= 1.0


@pytest.mark.parametrize(
    "name", ["rate_8k.wav", "rate_96k.wav", "pcm_u8.wav", "pcm_24.wav", "pcm_32.wav", "float32.wav",
             "stereo.wav", "six_channel.wav", "mp3_named.flac"],
)  # fmt: skip
def test_tone_survives_every_rate_depth_and_layout(name):
    samples = load_audio(CORPUS / name, target_sr=16000).samples
    spectrum = np.abs(np.fft.rfft(samples))

    assert abs(np.argmax(spectrum) * 16000 / len(samples) - 440) < 4


def test_silence_and_noise_decode_as_they_are():
    assert np.abs(load_audio(CORPUS / "silence.wav").samples).max() == 0.0
    noise = load_audio(CORPUS / "noise.wav").samples
    assert abs(noise.std() * np.sqrt(3) - 0.9) < 0.05  # uniform noise in ±0.9 has std 0.9/√3


def test_two_hour_file_is_refused_from_its_size_then_from_its_header(large_files):
    path = large_files["two_hours"]

    with pytest.raises(AudioInputError, match=r"^The file is 230\.4 MB; the limit is 50 MB\.$"):
        load_audio(path)
    started = time.perf_counter()
    with pytest.raises(AudioInputError) as too_long:
        load_audio(path, limits=AudioLimits(max_bytes=10**9))

    assert str(too_long.value) == "The recording is 120.0 minutes long; the limit is 10.0 minutes."
    assert time.perf_counter() - started < 1.0  # from the header: 230 MB were not decoded


def test_500_mb_file_is_refused_before_reading_it(large_files):
    path = large_files["five_hundred_mb"]
    started = time.perf_counter()

    with pytest.raises(AudioInputError) as too_big:
        load_audio(path)

    assert str(too_big.value) == "The file is 500.0 MB; the limit is 50 MB."
    assert time.perf_counter() - started < 0.5


def test_compressed_file_longer_than_the_limit_names_the_limit_not_a_wrong_length(tmp_path):
    """ffmpeg stops decoding just past the limit, so the true length is unknown: say so."""
    import subprocess

    m4a = tmp_path / "three_seconds.m4a"  # AAC: libsndfile cannot read it, ffmpeg decodes it
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
                    "-c:a", "aac", "-b:a", "32k", str(m4a)], check=True)  # fmt: skip

    with pytest.raises(AudioInputError) as too_long:
        load_audio(m4a, limits=AudioLimits(max_seconds=1.0))

    assert str(too_long.value) == "The recording is longer than the limit of 1.0 s."


def test_wav_a_few_bytes_short_is_still_accepted(tmp_path):
    """Some writers get the data size a little wrong; only a real cut is refused."""
    data = (CORPUS / "pcm_16.wav").read_bytes()
    (tmp_path / "sloppy.wav").write_bytes(data[:-4])

    assert abs(load_audio(tmp_path / "sloppy.wav").duration - 0.5) < 0.01
