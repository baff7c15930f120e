"""The enhancement demo: SI-SDR, PESQ and STOI on known inputs, mixing at an exact SNR with every
noise type, a real enhancement job on the sample, and the babble exercise measured."""

import gradio as gr
import numpy as np
import pytest

from demos.enhancement import build, enhance, pause_levels
from demos.enhancement.exercises import EXERCISES
from demos.enhancement.metrics import pesq_wb, score, scores_table, si_sdr, stoi
from demos.enhancement.mixing import NOISE_KINDS, SR, mix_at_snr, noise_clip, snr_db
from demos.samples import NOISE_DIR, SPEECH_EN
from workers.audio_io import load_audio
from workers.models import InferenceJob


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return load_audio(SPEECH_EN, target_sr=SR).samples


def _sine_and_cosine(n: int = 1600, cycles: int = 10) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n) / n  # whole periods: zero mean, and sine ⟂ cosine exactly
    return np.sin(2 * np.pi * cycles * t), np.cos(2 * np.pi * cycles * t)


def test_si_sdr_exact_on_orthogonal_distortion():
    s, c = _sine_and_cosine()

    assert si_sdr(s, s + c) == pytest.approx(0.0, abs=1e-9)  # equal energies
    assert si_sdr(s, s + c / np.sqrt(10)) == pytest.approx(10.0)
    assert si_sdr(s, 3 * (s + c / 10)) == pytest.approx(20.0)  # the scale of the estimate is ignored
    assert si_sdr(s, 0.5 * s + 2.0) > 200  # a scaled, offset copy: exact up to rounding
    assert si_sdr(s, s) == np.inf


def test_si_sdr_rejects_mismatched_or_silent_references():
    with pytest.raises(ValueError, match="differ in length"):
        si_sdr(np.ones(4), np.ones(5))
    with pytest.raises(ValueError, match="silent"):
        si_sdr(np.zeros(8), np.ones(8))


def test_pesq_and_stoi_are_at_their_maximum_for_the_clean_clip(speech):
    assert pesq_wb(speech, speech) == pytest.approx(4.644, abs=0.01)  # wideband MOS-LQO ceiling
    assert stoi(speech, speech) == pytest.approx(1.0, abs=1e-6)


def test_scores_fall_with_noise_and_stay_in_range(speech):
    noise = noise_clip("white", len(speech))
    light, heavy = (score(speech, mix_at_snr(speech, noise, snr)[0]) for snr in (20, 0))

    assert light.si_sdr == pytest.approx(20.0, abs=0.05) and heavy.si_sdr == pytest.approx(0.0, abs=0.05)
    assert 1.0 <= heavy.pesq < light.pesq <= 4.65
    assert 0.0 <= heavy.stoi < light.stoi <= 1.0
    assert scores_table(heavy, light)[0] == [
        "SI-SDR (dB)",
        round(heavy.si_sdr, 2),
        round(light.si_sdr, 2),
        f"{light.si_sdr - heavy.si_sdr:+.2f}",
    ]


@pytest.mark.parametrize("kind", list(NOISE_KINDS))
def test_every_noise_mixes_at_the_asked_snr(speech, kind):
    noisy, noise = mix_at_snr(speech, noise_clip(kind, len(speech), seed=3), 5.0)

    assert snr_db(noisy - noise, noise) == pytest.approx(5.0, abs=0.01)
    assert len(noisy) == len(speech) and np.max(np.abs(noisy)) <= 0.99 + 1e-6


def test_shipped_noise_clips_are_small_and_full_length():
    for kind in ("babble", "music", "hum"):
        path = NOISE_DIR / f"{kind}.flac"
        assert path.stat().st_size < 250_000
        assert len(load_audio(path, target_sr=SR).samples) == 8 * SR


def test_pause_levels_measure_the_gaps_between_words():
    tone = np.sin(2 * np.pi * 250 * np.arange(32 * 512) / SR)  # 8 whole periods per 512-sample frame
    clean = np.concatenate([tone, np.zeros(32 * 512), tone])
    noise = 0.01 * np.ones_like(clean)

    levels = pause_levels(clean, {"noisy": clean + noise})

    assert levels["noisy"] == pytest.approx(
        10 * np.log10(1e-4 / 0.5), abs=0.01
    )  # noise power re a sine's 0.5
    assert pause_levels(tone, {"noisy": tone}) is None


@pytest.mark.django_db
def test_enhance_raises_si_sdr_on_the_sample(learner_request, inline_jobs):
    noisy, enhanced_path, table, figure, summary, noisy_alt, enhanced_alt, scores = enhance(
        str(SPEECH_EN), "white", 5, "nsnet2", request=learner_request
    )

    assert scores["enhanced"].si_sdr > scores["noisy"].si_sdr + 3
    assert scores["noisy"].si_sdr == pytest.approx(5.0, abs=0.05)
    assert 1.0 <= scores["noisy"].pesq < scores["enhanced"].pesq <= 4.65
    assert 0 < scores["noisy"].stoi <= 1 and 0 < scores["enhanced"].stoi <= 1
    assert InferenceJob.objects.get(capability="enhancement").backend == "nsnet2"
    assert noisy[0] == SR and len(noisy[1]) == len(load_audio(SPEECH_EN, target_sr=SR).samples)
    assert f"SI-SDR {table[0][1]} → {table[0][2]} dB" in summary
    assert [ax.get_title() for ax in figure.axes[:3]] == ["Clean", "Noisy (white, 5 dB)", "Enhanced (nsnet2)"]
    assert enhanced_path.endswith("enhanced.wav")
    assert "5 dB SNR" in noisy_alt and "nsnet2" in enhanced_alt


@pytest.mark.django_db
def test_enhance_needs_a_clip_and_a_login(learner_request, visitor_request):
    with pytest.raises(gr.Error, match="Record or upload"):
        enhance(None, "white", 5, "nsnet2", request=learner_request)
    with pytest.raises(gr.Error, match="Log in"):
        enhance(str(SPEECH_EN), "white", 5, "nsnet2", request=visitor_request)


def test_babble_exercise_is_measured():
    from workers.procedures import engines_load

    answer, measured = EXERCISES[0].experiment(*engines_load(EXERCISES[0].engines))  # as a worker does

    nsnet, gating = (float(measured[k].split(" ")[0]) for k in ("NSNet2 gain", "spectral gating gain"))
    assert measured["SI-SDR of the noisy clip (babble, 5 dB)"] == "4.99 dB"
    expected = (
        "About the same (within 0.5 dB)"
        if abs(nsnet - gating) < 0.5
        else "NSNet2"
        if nsnet > gating
        else "Spectral gating"
    )
    assert answer == expected


@pytest.mark.django_db
def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
