"""A newcomer's path: an invitation that survives sign-up, a place to type a code, a "start here"
welcome, undo one stage at a time, previous/next phase links, and the footer's source offer."""

import io
import tarfile

import pytest
from django.urls import reverse

from curriculum.models import TopicProgress
from tests.factories import InstructorFactory, PhaseFactory, TopicFactory, TopicProgressFactory
from tests.webapp.cohorts.factories import CohortFactory
from webapp.accounts.models import User
from webapp.cohorts.models import Membership

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "ada@example.com", "password1": "sound-of-waves-42", "password2": "sound-of-waves-42"}


@pytest.fixture
def cohort(db):
    return CohortFactory(name="Spring speech cohort", created_by=InstructorFactory())


def test_invitation_opened_logged_out_leads_through_signup_to_the_join_confirmation(client, cohort):
    link = reverse("cohorts:join_link", args=[cohort.invite_code])

    login_page = client.get(link, follow=True)
    signup_url = f"{reverse('accounts:signup')}?next={link}"
    assert signup_url in login_page.content.decode()  # "Create an account" keeps the invitation
    signup_page = client.get(signup_url).content.decode()
    assert f'name="next" value="{link}"' in signup_page

    response = client.post(reverse("accounts:signup"), {**SIGNUP, "username": "ada", "next": link})
    assert response["Location"] == link
    confirmation = client.get(link).content.decode()
    assert "Join Spring speech cohort" in confirmation
    client.post(link)
    assert Membership.objects.filter(user__username="ada", cohort=cohort, left_at__isnull=True).exists()


def test_signup_ignores_a_next_that_leaves_the_site(client):
    response = client.post(
        reverse("accounts:signup"), {**SIGNUP, "username": "ada", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("home")
    assert User.objects.filter(username="ada").exists()


def test_new_learner_lands_on_home_with_start_here(client):
    first = TopicFactory(phase=PhaseFactory(order=1), order=1, title="Sound, sampling and Nyquist")

    response = client.post(reverse("accounts:signup"), {**SIGNUP, "username": "ada"})

    assert response["Location"] == reverse("home")
    html = client.get(reverse("home")).content.decode()
    assert "Start here" in html and "Welcome to Soundpath, ada" in html
    assert reverse("curriculum:topic", args=[first.slug]) in html
    assert reverse("demos") in html and reverse("quiz:home") in html
    assert "Continue where you left off" not in html


def test_start_here_gives_way_to_continue_once_a_topic_is_started(client, learner):
    topic = TopicFactory()
    TopicProgressFactory(user=learner, topic=topic, status="started")
    client.force_login(learner)

    html = client.get(reverse("home")).content.decode()

    assert "Start here" not in html and "Continue where you left off" in html


def test_join_page_shows_a_code_form_and_the_nav_links_it_for_learners_in_no_cohort(
    client, learner, cohort, django_capture_on_commit_callbacks
):
    client.force_login(learner)

    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("cohorts:join")}"' in home and "Join a cohort" in home
    page = client.get(reverse("cohorts:join"))
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the kept menu is renewed on commit
        client.post(reverse("cohorts:join"), {"code": cohort.invite_code})

    home = client.get(reverse("home")).content.decode()
    assert "Join a cohort" not in home and f'href="{reverse("cohorts:mine")}"' in home


def test_instructors_see_cohorts_not_join(client):
    client.force_login(InstructorFactory())

    html = client.get(reverse("home")).content.decode()

    assert "Join a cohort" not in html and f'href="{reverse("cohorts:list")}"' in html


def test_undo_from_done_goes_back_to_in_progress_then_to_not_started(
    client, learner, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    client.force_login(learner)
    url = reverse("curriculum:topic", args=[topic.slug])
    with django_capture_on_commit_callbacks(execute=True):  # the kept page is renewed on commit
        client.post(reverse("curriculum:topic_progress", args=[topic.slug]), {"status": "done"})

    page = client.get(url).content.decode()
    assert 'name="status" value="started">Undo (back to in progress)' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("curriculum:topic_progress", args=[topic.slug]), {"status": "started"})
    assert TopicProgress.objects.get(user=learner, topic=topic).status == "started"
    assert TopicProgress.objects.get(user=learner, topic=topic).completed_at is None

    page = client.get(url).content.decode()
    assert 'name="status" value="reset">Undo (back to not started)' in page


def test_phase_page_links_previous_and_next_phase(client):
    first, middle, last = (PhaseFactory(order=i, title=f"Phase title {i}") for i in (1, 2, 3))
    PhaseFactory(order=4, is_active=False)

    middle_html = client.get(reverse("curriculum:phase", args=[middle.slug])).content.decode()
    last_html = client.get(reverse("curriculum:phase", args=[last.slug])).content.decode()

    assert f'rel="prev" href="{reverse("curriculum:phase", args=[first.slug])}"' in middle_html
    assert f'rel="next" href="{reverse("curriculum:phase", args=[last.slug])}"' in middle_html
    assert 'rel="next"' not in last_html  # the retired phase 4 is not offered


def test_footer_offers_the_source_of_the_running_version(client, settings):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("source_archive")}">Source</a>' in html
    assert "version 0.1.0" in html

    settings.SOURCE_CODE_URL = "https://git.example.org/soundpath"
    assert (
        'href="https://git.example.org/soundpath">Source</a>' in client.get(reverse("home")).content.decode()
    )


def test_source_archive_holds_the_tree_without_secrets_or_runtime_files(client):
    response = client.get(reverse("source_archive"))

    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(b"".join(response.streaming_content)), mode="r:gz") as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames()}
    assert {"LICENSE", "manage.py", "webapp/source.py", "README.md"} <= names
    assert not any(
        n.startswith((".venv/", "var/", ".git/")) or n == ".env" or "__pycache__" in n for n in names
    )
