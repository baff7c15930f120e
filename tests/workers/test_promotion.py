"""A trained model becomes everyone's default only when staff promote that version."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import UserFactory
from workers.models import InferenceJob
from workers.services import JobRefused, job_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def models(tmp_path, monkeypatch, settings):
    """Two trained keyword-spotting versions on disk (as the trainer leaves them), and a storage of
    their own (versions other tests' training jobs published must not be synced in here)."""
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("workers.services.job_enqueue", lambda job: None)
    for version in ("20260101-000000", "20260202-000000"):
        (tmp_path / "keyword-spotting" / version).mkdir(parents=True)
        (tmp_path / "keyword-spotting" / version / "config.json").write_text("{}")
    return tmp_path


def _trained(user, version):
    InferenceJob.objects.create(owner=user, capability="training", backend="kws-dscnn",
                                status=InferenceJob.Status.SUCCEEDED, result={"version": version})  # fmt: skip


def _spot(user, **params):
    return job_submit(user=user, capability="keyword-spotting", backend="dscnn", text="", params=params)


def test_a_learners_new_model_is_theirs_until_staff_promote_it(models, learner, other_learner):
    _trained(learner, "20260202-000000")

    assert _spot(learner).params["version"] == "20260202-000000"  # their own
    with pytest.raises(JobRefused, match="No keyword-spotting model has been promoted yet"):
        _spot(other_learner)
    with pytest.raises(JobRefused, match="neither promoted nor trained by you"):
        _spot(other_learner, version="20260202-000000")

    call_command("model_promote", "keyword-spotting", "20260101-000000", stdout=StringIO())

    assert _spot(other_learner).params["version"] == "20260101-000000"
    assert (models / "keyword-spotting" / "PROMOTED").read_text().strip() == "20260101-000000"


def test_staff_choose_freely_and_only_existing_versions_are_promoted(models):
    staff = UserFactory(is_staff=True)
    listing = StringIO()

    with pytest.raises(CommandError, match="No trained keyword-spotting version 'nope'"):
        call_command("model_promote", "keyword-spotting", "nope")
    call_command("model_promote", "keyword-spotting", "20260202-000000", stdout=StringIO())
    call_command("model_promote", "keyword-spotting", stdout=listing)

    assert "version" not in _spot(staff).params  # the engine's own default: the newest
    assert listing.getvalue().splitlines() == ["  20260101-000000", "  20260202-000000  (promoted)"]
