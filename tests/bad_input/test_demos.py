"""The bad-input corpus through the Gradio demos, called as Gradio calls them: the fundamentals
lab (decodes uploads in the web process) and job_submit_and_wait (every demo that runs a job)."""

import gradio as gr
import pytest

from demos import fundamentals
from demos.common import job_submit_and_wait
from tests.bad_input.conftest import ACCEPTED, CORPUS, REFUSED, TRAVERSAL_NAME, assert_inside_media_root
from workers.models import InferenceJob

pytestmark = pytest.mark.django_db

# What Gradio calls when the lab's buttons are pressed (each tab's handler behind _guard).
LAB_TABS = {
    "spectrogram": lambda path: fundamentals._guard(fundamentals.spectrogram_tab)(path, 512, 160, 64),
    "sampling": lambda path: fundamentals._guard(fundamentals.sampling_tab)(path, 4000),
    "quantisation": lambda path: fundamentals._guard(fundamentals.quantisation_tab)(path, 4, False),
    "filter": lambda path: fundamentals._guard(fundamentals.filter_tab)(path, "low-pass", 300, 3400, 4),
}


@pytest.mark.parametrize("tab", sorted(LAB_TABS))
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_lab_shows_the_specific_message_for_a_bad_file(name, tab):
    with pytest.raises(gr.Error) as shown:
        LAB_TABS[tab](str(CORPUS / name))

    assert shown.value.message == REFUSED[name]


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_lab_handles_unusual_but_legal_audio(name):
    quantised, _figure, summary = LAB_TABS["quantisation"](str(CORPUS / name))

    assert quantised[0] == fundamentals.ANALYSIS_SR and len(quantised[1]) == fundamentals.ANALYSIS_SR // 2
    assert summary.startswith("4-bit quantisation")


@pytest.mark.parametrize("name", ["silence.wav", "noise.wav", "six_channel.wav", "rate_96k.wav"])
def test_lab_spectrogram_of_extreme_signals_does_not_crash(name):
    figure, summary = LAB_TABS["spectrogram"](str(CORPUS / name))

    assert figure is not None and summary


def test_lab_refuses_large_files_by_size_before_decoding(large_files):
    for path in large_files.values():
        with pytest.raises(gr.Error) as shown:
            LAB_TABS["spectrogram"](str(path))
        size = path.stat().st_size / 1e6
        assert shown.value.message == f"The file is {size:.1f} MB; the limit is 20 MB."


def test_lab_bad_file_is_a_gradio_error_never_a_crash():
    """Holds today, quotes or not: every refused file ends as gr.Error naming the problem."""
    for name, message in REFUSED.items():
        for tab in LAB_TABS.values():
            with pytest.raises(gr.Error) as shown:
                tab(str(CORPUS / name))
            assert message in shown.value.message


def test_lab_without_a_clip_asks_for_one():
    with pytest.raises(gr.Error, match="Record or upload a clip"):
        LAB_TABS["filter"](None)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_job_demo_shows_the_specific_message_for_a_bad_file(learner_request, inline_jobs, name):
    with pytest.raises(gr.Error) as shown:
        job_submit_and_wait(learner_request, "vad", audio={"audio": CORPUS / name}, origin="demo:vad")

    expected = "The file for 'audio' is empty (0 bytes)." if name == "empty.wav" else REFUSED[name]
    assert shown.value.message == expected
    assert all(job.is_finished for job in InferenceJob.objects.all())


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_job_demo_runs_unusual_but_legal_audio(learner_request, inline_jobs, name):
    job = job_submit_and_wait(learner_request, "vad", audio={"audio": CORPUS / name}, origin="demo:vad")

    assert job.status == "succeeded"


def test_job_demo_refuses_the_500_mb_file_without_storing_it(learner_request, inline_jobs, large_files):
    with pytest.raises(gr.Error) as shown:
        job_submit_and_wait(learner_request, "vad", audio={"audio": large_files["five_hundred_mb"]})

    assert shown.value.message == "The file for 'audio' is 500.0 MB; the limit is 50 MB."
    assert InferenceJob.objects.count() == 0


def test_job_demo_with_a_traversal_path_stores_inside_the_media_root(
    learner_request, inline_jobs, settings, tmp_path
):
    """Gradio hands demos a local path; a crafted one cannot steer where the job's copy goes."""
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd.wav").write_bytes((CORPUS / "pcm_16.wav").read_bytes())

    job = job_submit_and_wait(learner_request, "vad", audio={"audio": f"{folder}/{TRAVERSAL_NAME}"})

    stored = job.inputs.get()
    assert stored.original_name == "passwd.wav"
    assert_inside_media_root(stored.file.path, settings.MEDIA_ROOT)
