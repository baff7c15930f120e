"""The fundamentals lab's analysis on the shipped clips, checked against what we know they contain."""

import numpy as np
import pytest

from demos.fundamentals.analysis import analyse, plot_analysis
from demos.samples import SCALE_C_MAJOR, SPEECH_EN
from workers.audio_io import load_audio


@pytest.fixture(scope="module")
def scale():
    audio = load_audio(SCALE_C_MAJOR, target_sr=16000)
    return analyse(audio.samples, audio.sample_rate)


def test_resolutions_follow_window_and_hop():
    audio = load_audio(SPEECH_EN, target_sr=16000)

    result = analyse(audio.samples, audio.sample_rate, n_fft=1024, hop_length=256, n_mels=40)

    assert result.frequency_resolution_hz == 16000 / 1024
    assert result.time_resolution_ms == 16.0
    assert result.stft_db.shape[0] == 513
    assert result.mel_db.shape[0] == 40 and result.mfcc.shape[0] == 13 and result.chroma.shape[0] == 12
    assert abs(result.duration_s - 6.89) < 0.01


def test_scale_pitch_stays_within_c4_to_c5(scale):
    voiced = scale.f0_hz[np.isfinite(scale.f0_hz)]

    assert np.percentile(voiced, 5) > 240 and np.percentile(voiced, 95) < 560  # C4 = 261.6 Hz, C5 = 523.3 Hz
    assert scale.dominant_chroma == "C"


def test_scale_onsets_fall_on_note_starts(scale):
    note_starts = np.arange(1, 8) * 0.45  # notes are 0.45 s long; the first starts at 0

    found = np.array(scale.onset_times_s)
    nearest = [np.min(np.abs(found - t)) for t in note_starts]

    assert max(nearest) < 0.05


def test_speech_pitch_is_in_the_male_voice_range():
    audio = load_audio(SPEECH_EN, target_sr=16000)

    result = analyse(audio.samples, audio.sample_rate)

    assert 70 < result.median_f0_hz < 180
    assert "Median pitch" in result.summary()


def test_plot_has_five_panels(scale):
    figure = plot_analysis(scale)

    assert [ax.get_title().split(" ")[0] for ax in figure.axes if ax.get_title()] == [
        "Waveform", "Log-frequency", "Mel", "MFCC", "Chroma",
    ]  # fmt: skip


def test_hop_longer_than_window_is_refused():
    with pytest.raises(ValueError, match="hop must not be longer"):
        analyse(np.zeros(16000, dtype=np.float32), 16000, n_fft=256, hop_length=512)
