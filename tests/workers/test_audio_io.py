"""Reading uploads: resampling and mixing down, and a specific message for each bad input."""

import subprocess

import numpy as np
import pytest
import soundfile as sf

from workers.audio_io import AudioInputError, AudioLimits, load_audio


def _tone(path, sr=48000, seconds=1.0, channels=1, subtype="PCM_16", freq=440.0):
    t = np.arange(int(sr * seconds)) / sr
    mono = 0.5 * np.sin(2 * np.pi * freq * t)
    sf.write(path, np.stack([mono] * channels, axis=1), sr, subtype=subtype)
    return path


def test_stereo_48k_becomes_mono_16k(tmp_path):
    audio = load_audio(_tone(tmp_path / "a.wav", channels=2), target_sr=16000)

    assert audio.sample_rate == 16000 and audio.source_sample_rate == 48000 and audio.source_channels == 2
    assert audio.samples.shape == (16000,) and audio.samples.dtype == np.float32
    spectrum = np.abs(np.fft.rfft(audio.samples))
    assert abs(np.argmax(spectrum) * 16000 / len(audio.samples) - 440) < 2


def test_mp3_goes_through_ffmpeg(tmp_path):
    wav = _tone(tmp_path / "a.wav")
    mp3 = tmp_path / "a.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), str(mp3)], check=True)

    audio = load_audio(mp3, target_sr=16000)

    assert abs(audio.duration - 1.0) < 0.1


def test_empty_file(tmp_path):
    (tmp_path / "e.wav").write_bytes(b"")
    with pytest.raises(AudioInputError, match="empty"):
        load_audio(tmp_path / "e.wav")


def test_text_named_wav(tmp_path):
    (tmp_path / "t.wav").write_text("this is not audio at all\n" * 20)
    with pytest.raises(AudioInputError, match="not audio we can read"):
        load_audio(tmp_path / "t.wav")


def test_too_long_is_refused_from_the_header(tmp_path):
    path = _tone(tmp_path / "long.wav", sr=8000, seconds=5)
    with pytest.raises(AudioInputError, match=r"5\.0 s long; the limit is 2\.0 s"):
        load_audio(path, limits=AudioLimits(max_seconds=2))


def test_too_big_is_refused_before_reading(tmp_path):
    path = _tone(tmp_path / "big.wav", seconds=2)
    with pytest.raises(AudioInputError, match="MB; the limit is"):
        load_audio(path, limits=AudioLimits(max_bytes=1000))


def test_nan_samples_are_refused(tmp_path):
    data = np.zeros(16000, dtype=np.float32)
    data[100] = np.nan
    sf.write(tmp_path / "nan.wav", data, 16000, subtype="FLOAT")
    with pytest.raises(AudioInputError, match="NaN"):
        load_audio(tmp_path / "nan.wav")


def test_truncated_wav_is_refused(tmp_path):
    path = _tone(tmp_path / "full.wav")
    (tmp_path / "cut.wav").write_bytes(path.read_bytes()[:30])
    with pytest.raises(AudioInputError):
        load_audio(tmp_path / "cut.wav")


@pytest.mark.parametrize(
    ("name", "codec"),
    [("a.webm", "libopus"), ("a.ogg", "libopus"), ("a.m4a", "aac"), ("a.mp4", "aac"), ("a.aac", "aac"),
     ("a.mp3", "libmp3lame"), ("a.flac", "flac"), ("a.wav", "pcm_s16le")],
)  # fmt: skip
def test_what_browsers_and_phones_record_still_decodes(tmp_path, name, codec):
    wav = _tone(tmp_path / "tone.wav")
    made = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), "-c:a", codec, str(made)], check=True)

    audio = load_audio(made, target_sr=16000)

    assert abs(audio.duration - 1.0) < 0.1
    spectrum = np.abs(np.fft.rfft(audio.samples))
    assert abs(np.argmax(spectrum) * 16000 / len(audio.samples) - 440) < 3


def test_a_playlist_naming_another_file_is_refused_not_followed(tmp_path):
    """ffmpeg's concat and HLS demuxers open what a playlist names: an upload could make the worker
    read (and hand back as audio) any file or URL. Only the upload itself may be opened."""
    _tone(tmp_path / "someone-elses.wav")
    upload = tmp_path / "upload.webm"
    upload.write_text("ffconcat version 1.0\nfile someone-elses.wav\n")
    hls = tmp_path / "upload.m4a"
    hls.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nsomeone-elses.wav\n#EXT-X-ENDLIST\n")

    for path in (upload, hls):
        with pytest.raises(AudioInputError, match="not audio we can read") as refused:
            load_audio(path)
        assert str(tmp_path) not in str(refused.value)  # no server path in the message


def test_there_is_one_resampler():
    from workers import audio_io
    from workers.engines import _signal_common, _voice_common

    assert _signal_common.resample is _voice_common.resample is audio_io.resample
