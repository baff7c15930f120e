"""The menu kept per user (webapp/site_nav.py) and pages kept whole (webapp/pages.py): nobody else's
menu or page is ever served, a change to what they show appears at once, a one-off message is
shown once, and a page reads its fragment tokens in one cache call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.services import curriculum_import
from tests.factories import InstructorFactory, TopicFactory, UserFactory
from tests.webapp.cohorts.factories import CohortFactory
from webapp.cohorts import services as cohort_services
from webapp.cohorts.models import Membership
from webapp.privacy.deletion import user_account_delete

pytestmark = pytest.mark.django_db

JOIN, MINE = ">Join a cohort<", ">My cohorts<"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _menu(html: str) -> str:
    return html[html.index('<nav class="nav"') : html.index("</nav>", html.index('<nav class="nav"'))]


@pytest.fixture(params=["privacy:my_data", "curriculum:roadmap"], ids=["menu-alone", "page-kept-whole"])
def url(request, db):
    TopicFactory()  # a roadmap with a phase
    return reverse(request.param)


def test_a_learners_kept_menu_is_never_served_to_another_or_a_visitor(client, url):
    ann = UserFactory(username="ann", display_name="Ann Example")
    cohort_services.membership_join(user=ann, code=CohortFactory().invite_code)
    bob = UserFactory(username="bob", display_name="Bob Other")
    client.force_login(ann)
    assert "Ann Example" in _menu(_page(client, url))
    assert MINE in _menu(_page(client, url))  # kept, read back

    client.force_login(bob)
    bobs = _menu(_page(client, url))
    client.logout()
    visitors = _menu(_page(client, reverse("curriculum:roadmap")))

    assert "Bob Other" in bobs and "Ann Example" not in bobs
    assert JOIN in bobs and MINE not in bobs
    assert "Ann Example" not in visitors and MINE not in visitors and ">Log in<" in visitors


def test_joining_and_leaving_a_cohort_shows_in_the_kept_menu(
    client, learner, url, django_capture_on_commit_callbacks
):
    cohort = CohortFactory()
    client.force_login(learner)
    assert JOIN in _menu(_page(client, url))

    with django_capture_on_commit_callbacks(execute=True):
        membership = cohort_services.membership_join(user=learner, code=cohort.invite_code)
    after_join = _menu(_page(client, url))
    with django_capture_on_commit_callbacks(execute=True):
        cohort_services.membership_end(membership=membership)
    after_leave = _menu(_page(client, url))

    assert MINE in after_join and JOIN not in after_join
    assert JOIN in after_leave and MINE not in after_leave


def test_a_cohort_deleted_with_its_owners_account_leaves_its_members_menus(
    client, learner, url, django_capture_on_commit_callbacks
):
    owner = InstructorFactory()
    cohort = CohortFactory(created_by=owner)
    cohort_services.membership_join(user=learner, code=cohort.invite_code)
    client.force_login(learner)
    assert MINE in _menu(_page(client, url))

    with django_capture_on_commit_callbacks(execute=True):
        user_account_delete(user=owner)

    assert not Membership.objects.filter(user=learner).exists()
    assert JOIN in _menu(_page(client, url))


def test_a_renamed_user_sees_the_new_name_at_once(client, learner, url):
    client.force_login(learner)
    _page(client, url)

    learner.display_name = "Renamed Learner"
    learner.save(update_fields=["display_name"])  # part of the menu's key; the kept row is renewed at once

    assert "Renamed Learner" in _menu(_page(client, url))


def test_the_kept_menu_marks_the_current_section(client, learner):
    TopicFactory()
    client.force_login(learner)
    _page(client, reverse("workers:jobs"))  # the menu kept for the job list first

    roadmap_menu = _menu(_page(client, reverse("curriculum:roadmap")))

    assert f'<a href="{reverse("curriculum:roadmap")}" aria-current="page">' in roadmap_menu
    assert 'aria-current="page">My jobs' not in roadmap_menu


def test_a_kept_menu_and_page_carry_each_requests_own_csrf_token(learner, url):
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(learner)
    second.force_login(learner)
    _page(first, url)  # kept by the first session

    html = _page(second, url)  # read back by the second

    assert "csrf-token-stand-in" not in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert second.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_message_is_shown_once_on_a_page_kept_whole(client, learner):
    topic = TopicFactory()
    client.force_login(learner)
    _page(client, reverse("curriculum:roadmap"))  # kept

    # An unknown status is refused with a message, shown on the page the learner is sent back to.
    client.post(
        reverse("curriculum:topic_progress", args=[topic.slug]),
        {"status": "bogus", "next": reverse("curriculum:roadmap")},
    )
    with_message = client.get(reverse("curriculum:roadmap"))  # shown here, and so consumed
    again = _page(client, reverse("curriculum:roadmap"))

    assert "Unknown progress status" in with_message.content.decode()
    assert "Unknown progress status" not in again


def test_a_phase_retitled_by_an_import_shows_on_its_page(
    client, learner, content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        curriculum_import(content_dir=content.root)
    client.force_login(learner)
    url = reverse("curriculum:phase", args=["basics"])
    assert "<h1>Phase basics</h1>" in _page(client, url)

    content.phase("basics", 1, title="Basics, rewritten")
    with django_capture_on_commit_callbacks(execute=True):
        curriculum_import(content_dir=content.root)

    assert "<h1>Basics, rewritten</h1>" in _page(client, url)


def test_a_page_reads_its_fragment_tokens_in_one_cache_call(client, learner):
    topic = TopicFactory()
    client.force_login(learner)
    url = reverse("curriculum:topic", args=[topic.slug])
    _page(client, url)

    with CaptureQueriesContext(connection) as warm:
        _page(client, url)

    token_reads = [q["sql"] for q in warm.captured_queries if "fragver:" in q["sql"]]
    assert len(token_reads) == 1  # the site value's and the page's tokens together


def test_memberships_removed_in_the_admin_show_in_the_learners_kept_menu(
    client, url, django_capture_on_commit_callbacks
):
    """The admin bypasses the cohort services: its own hooks renew the learners' kept pages when a
    membership, or a whole cohort, is deleted there."""
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    staff = UserFactory(username="root", is_staff=True, is_superuser=True)
    first, second = CohortFactory(), CohortFactory()
    cohort_services.membership_join(user=ann, code=first.invite_code)
    cohort_services.membership_join(user=bob, code=second.invite_code)
    for learner in (ann, bob):
        client.force_login(learner)
        assert MINE in _menu(_page(client, url))  # kept with the cohort link

    client.force_login(staff)
    membership = Membership.objects.get(user=ann)
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(
            reverse("admin:cohorts_membership_delete", args=[membership.pk]), {"post": "yes"}
        )
        assert deleted.status_code == 302
        deleted = client.post(reverse("admin:cohorts_cohort_delete", args=[second.pk]), {"post": "yes"})
        assert deleted.status_code == 302

    for learner in (ann, bob):
        client.force_login(learner)
        menu = _menu(_page(client, url))
        assert JOIN in menu and MINE not in menu


def test_the_embedded_cache_keeps_a_class_worth_of_pages_and_their_tokens(client, learner):
    """The database cache (no Redis) culls a third of itself, by key order, on each write past
    MAX_ENTRIES: at Django's 300, 30 learners' kept pages were re-rendered on nearly every write."""
    from django.core.cache import cache

    TopicFactory()
    client.force_login(learner)
    _page(client, reverse("curriculum:roadmap"))  # the learner's and the site's tokens exist now
    tokens = {key: cache.get(key) for key in ("fragver:site", f"fragver:user:{learner.pk}")}
    pages = {f"frag:page:roadmap:user:{n}:kept": f"<main>page {n}</main>" for n in range(1000)}

    cache.set_many(pages, 3600)  # forty learners' five pages each, five times over
    cache.set("one-more-write", 1, 60)  # each write checks the size, and culls past it

    assert all(tokens.values()) and {key: cache.get(key) for key in tokens} == tokens
    assert len(cache.get_many(list(pages))) == len(pages)
