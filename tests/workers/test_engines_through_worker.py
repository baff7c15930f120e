"""Each main engine on real audio, submitted as a job and run by a real Celery worker on Redis."""

import io
import time

import jiwer
import numpy as np
import pytest
import soundfile as sf

from demos.samples import SPEECH_EN, SPEECH_EN_F, SPEECH_EN_TEXT
from workers.models import InferenceJob
from workers.services import UploadedInput, job_submit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _upload(name: str, path) -> UploadedInput:
    data = path.read_bytes()
    return UploadedInput(name, io.BytesIO(data), path.name, len(data))


def _run(user, capability, files, **kwargs) -> InferenceJob:
    job = job_submit(user=user, capability=capability, files=files, **kwargs)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            assert job.status == "succeeded", job.error
            return job
        time.sleep(0.25)
    raise AssertionError(f"{capability} job did not finish: {job.status} {job.progress_message}")


def _with_silences(tmp_path, seconds=2.0):
    speech, sr = sf.read(SPEECH_EN, dtype="float32")
    gap = np.zeros(int(seconds * sr), dtype=np.float32)
    path = tmp_path / "gapped.wav"
    sf.write(path, np.concatenate([gap, speech, gap]), sr)
    loud = np.flatnonzero(np.abs(speech) > 0.01)  # the clip's own first and last audible samples
    return path, seconds + loud[0] / sr, seconds + loud[-1] / sr


def _noisy(tmp_path, snr_db=5.0):
    clean, sr = sf.read(SPEECH_EN, dtype="float32")
    noise = np.random.default_rng(1).standard_normal(len(clean)).astype(np.float32)
    noise *= np.sqrt(np.mean(clean**2) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
    path = tmp_path / "noisy.wav"
    sf.write(path, clean + noise, sr)
    return path, clean, clean + noise


def _si_sdr(reference, estimate) -> float:
    n = min(len(reference), len(estimate))
    reference, estimate = reference[:n], estimate[:n]
    target = np.dot(estimate, reference) / np.dot(reference, reference) * reference
    return float(10 * np.log10(np.sum(target**2) / np.sum((estimate - target) ** 2)))


def test_vad_finds_the_speech_between_known_silences(learner, celery_worker, tmp_path):
    path, start, end = _with_silences(tmp_path)

    segments = _run(learner, "vad", [_upload("audio", path)]).result["segments"]

    assert abs(segments[0]["start"] - start) < 0.3 and abs(segments[-1]["end"] - end) < 0.3


def test_asr_transcribes_a_known_sentence(learner, celery_worker):
    text = _run(learner, "asr", [_upload("audio", SPEECH_EN)]).result["text"]

    normalise = jiwer.Compose(
        [jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()]
    )
    assert jiwer.wer(normalise(SPEECH_EN_TEXT), normalise(text)) <= 0.2


def test_verification_scores_same_speaker_above_different_speaker(learner, celery_worker, tmp_path):
    other_sentence = tmp_path / "same-voice.wav"
    import subprocess

    subprocess.run(
        [
            "espeak-ng",
            "-v",
            "en-us",
            "-s",
            "150",
            "-w",
            str(other_sentence),
            "Voices differ in pitch and timbre.",
        ],
        check=True,
    )
    same = _run(
        learner, "speaker-embedding", [_upload("enrolment", SPEECH_EN), _upload("test", other_sentence)]
    )
    different = _run(
        learner, "speaker-embedding", [_upload("enrolment", SPEECH_EN), _upload("test", SPEECH_EN_F)]
    )

    assert same.result["score"] > different.result["score"] + 0.05


def test_diarization_finds_two_speakers_in_a_real_conversation(learner, celery_worker, tmp_path):
    """Two real voices (a film clip shipped in gradio, a speaker of pyannote's telephone sample) in
    turns, as the development set simulates them; the default diarizer has no speaker count."""
    from benchmarks.devset.simulate import conversation
    from benchmarks.devset.sources import utterances

    conv = conversation(utterances(), ["sample-speaker90", "cate"], seconds=30, seed=5, name="two")
    path = tmp_path / "two_voices.wav"
    sf.write(path, conv.audio, 16000)
    job = _run(learner, "diarization", [_upload("audio", path)])

    assert 2 <= job.result["speaker_count"] <= 3  # the count is estimated: one extra is within its error
    assert job.result_files.get(name="diarization.rttm").size > 0


def test_enhancement_raises_si_sdr_of_noisy_speech(learner, celery_worker, tmp_path):
    path, clean, noisy = _noisy(tmp_path)

    job = _run(learner, "enhancement", [_upload("audio", path)])

    enhanced, _ = sf.read(job.result_files.get(name="enhanced.wav").file.path, dtype="float32")
    assert _si_sdr(clean, enhanced) > _si_sdr(clean, noisy) + 3
