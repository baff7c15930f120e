"""import_curriculum: good files, each kind of malformed file, idempotence and retirement."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from curriculum.content_loader import ContentError, load_curriculum
from curriculum.models import Phase, Resource, Topic, TopicProgress
from curriculum.services import curriculum_import
from tests.factories import UserFactory


def _import(content) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_curriculum", content_dir=content.root, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_creates_phases_topics_resources_and_prerequisites(content):
    output = _import(content)

    assert "3 created, 0 updated, 0 unchanged, 0 retired" in output
    assert list(Phase.objects.values_list("slug", "weeks")) == [("basics", 3.0), ("speech", None)]
    ctc = Topic.objects.get(slug="ctc")
    assert ctc.phase.slug == "speech"
    assert [p.slug for p in ctc.prerequisites.all()] == ["spectrograms"]
    assert ctc.demos == ["asr"]
    assert (
        Resource.objects.filter(topic=ctc, url="https://distill.pub/2017/ctc/", kind="article").count() == 1
    )
    assert '<h2 id="why">Why</h2>' in ctc.body_html


@pytest.mark.django_db
def test_import_twice_creates_no_duplicates(content):
    _import(content)
    second = _import(content)

    assert "0 created, 0 updated, 3 unchanged, 0 retired" in second
    assert Topic.objects.count() == 3
    assert Resource.objects.count() == 3


@pytest.mark.django_db
def test_edited_file_is_updated_on_reimport(content):
    _import(content)
    content.topic("ctc", "speech", 1, body="## Why\nAlignment without labels.", title="CTC, revised")

    output = _import(content)

    assert "1 updated" in output
    ctc = Topic.objects.get(slug="ctc")
    assert ctc.title == "CTC, revised"
    assert "Alignment without labels." in ctc.body_html


@pytest.mark.django_db
def test_removed_topic_is_retired_and_progress_kept(content):
    _import(content)
    learner = UserFactory()
    ctc = Topic.objects.get(slug="ctc")
    TopicProgress.objects.create(user=learner, topic=ctc, status="done", started_at=timezone.now())
    (content.root / "topics" / "speech" / "ctc.md").unlink()

    output = _import(content)

    assert "retired: ctc" in output
    ctc.refresh_from_db()
    assert ctc.is_active is False
    assert TopicProgress.objects.get(user=learner, topic=ctc).status == "done"
    assert list(Topic.objects.active().values_list("slug", flat=True)) == ["sampling", "spectrograms"]


@pytest.mark.django_db
def test_retired_topic_comes_back_when_its_file_returns(content):
    _import(content)
    path = content.root / "topics" / "speech" / "ctc.md"
    text = path.read_text()
    path.unlink()
    _import(content)
    path.write_text(text)

    _import(content)

    assert Topic.objects.get(slug="ctc").is_active is True


def _problems(content) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_curriculum(content.root)
    return [str(p) for p in info.value.problems]


def test_bad_front_matter_is_reported_with_file_name(content):
    path = content.root / "topics" / "basics" / "broken.md"
    path.write_text("---\nid: broken\ntitle: [unclosed\n---\nbody\n")

    problems = _problems(content)

    assert len(problems) == 1
    assert problems[0].startswith("topics/basics/broken.md: front matter is not valid YAML")


def test_file_without_front_matter_is_reported(content):
    (content.root / "topics" / "basics" / "plain.md").write_text("# Just a heading\n")

    assert _problems(content) == [
        "topics/basics/plain.md: no front matter: the file must start with a '---' line"
    ]


def test_unknown_phase_is_reported(content):
    content.topic("orphan", "nowhere", 1)

    assert _problems(content) == ["topics/nowhere/orphan.md: unknown phase 'nowhere'"]


def test_duplicate_topic_id_names_both_files(content):
    content.topic("sampling", "speech", 2)

    problems = _problems(content)

    assert any("duplicate topic id 'sampling'" in p and "topics/basics/sampling.md" in p for p in problems)


def test_missing_prerequisite_is_reported(content):
    content.topic("whisper", "speech", 2, prerequisites=["transformers"])

    assert _problems(content) == [
        "topics/speech/whisper.md: missing prerequisite 'transformers' (no such topic)"
    ]


def test_prerequisite_cycle_is_reported(content):
    content.topic("sampling", "basics", 1, prerequisites=["ctc"])

    problems = _problems(content)

    assert any("prerequisite cycle" in p for p in problems)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"levels": ["junior"]}, "field 'levels' must list some of mid, senior, principal"),
        ({"demos": ["karaoke"]}, "unknown demo(s): karaoke"),
        ({"estimated_hours": None}, "missing field 'estimated_hours'"),
        (
            {"resources": [{"title": "x", "url": "https://e.org", "kind": "podcast"}]},
            "unknown kind 'podcast'",
        ),
        ({"resources": [{"title": "A video", "kind": "video"}]}, "needs a 'url' (only books may omit it)"),
    ],
)
def test_invalid_topic_fields_are_reported(content, fields, reason):
    content.topic("bad", "basics", 3, **fields)

    problems = _problems(content)

    assert len(problems) == 1
    assert problems[0].startswith("topics/basics/bad.md:")
    assert reason in problems[0]


@pytest.mark.django_db
def test_malformed_file_imports_nothing(content):
    content.topic("orphan", "nowhere", 1)

    with pytest.raises(CommandError, match=r"orphan\.md: unknown phase 'nowhere'"):
        _import(content)

    assert Phase.objects.count() == 0
    assert Topic.objects.count() == 0


@pytest.mark.django_db
def test_malformed_edit_leaves_previous_import_untouched(content):
    _import(content)
    content.topic("ctc", "speech", 1, title="Changed", prerequisites=["missing-topic"])

    with pytest.raises(ContentError):
        curriculum_import(content_dir=content.root)

    assert Topic.objects.get(slug="ctc").title == "Topic ctc"
