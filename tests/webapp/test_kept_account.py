"""The signed-in user's row kept in the shared cache (webapp/accounts/backends.py): read from the
cache on later requests, and never served once the account changed — deactivated, deleted, its
password changed or its name edited, the next request sees it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TopicFactory, UserFactory
from webapp.accounts.backends import SharedCacheModelBackend
from webapp.fragments import account_row_keep, account_row_read
from webapp.privacy.deletion import user_account_delete

pytestmark = pytest.mark.django_db

USER_TABLE = '"accounts_user"'


@pytest.fixture
def roadmap(db) -> str:
    TopicFactory()
    return reverse("curriculum:roadmap")


def _signed_in(client, url: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return ">Log in<" not in response.content.decode()


def _user_row_reads(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1 for q in queries.captured_queries if q["sql"].startswith("SELECT") and USER_TABLE in q["sql"]
    )


def test_the_signed_in_users_row_is_read_from_the_database_once_then_kept(client, roadmap):
    client.force_login(UserFactory())
    _user_row_reads(client, roadmap)  # first request: read and kept

    assert _user_row_reads(client, roadmap) == 0  # ModelBackend alone reads it on every request


def test_a_deactivated_user_is_signed_out_at_the_next_request(
    client, roadmap, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    assert _signed_in(client, roadmap)

    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save(update_fields=["is_active"])

    assert not _signed_in(client, roadmap)


def test_a_password_change_signs_out_the_other_sessions(client, roadmap, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    assert _signed_in(client, roadmap)

    with django_capture_on_commit_callbacks(execute=True):
        user.set_password("a whole new passphrase 42")
        user.save()

    assert not _signed_in(client, roadmap)


def test_a_deleted_account_is_signed_out_and_not_served_from_the_kept_row(
    client, roadmap, django_capture_on_commit_callbacks
):
    user = UserFactory()
    other = Client()  # a second browser of the same learner keeps its session cookie
    other.force_login(user)
    assert _signed_in(other, roadmap)

    with django_capture_on_commit_callbacks(execute=True):
        user_account_delete(user=user)

    assert not _signed_in(other, roadmap)


def test_an_edited_name_shows_at_the_next_request(client, roadmap, django_capture_on_commit_callbacks):
    user = UserFactory(display_name="Ann Before")
    client.force_login(user)
    assert "Ann Before" in client.get(roadmap).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        user.display_name = "Ann After"
        user.save(update_fields=["display_name"])

    page = client.get(roadmap).content.decode()
    assert "Ann After" in page and "Ann Before" not in page


def test_a_kept_row_and_page_come_in_the_same_cache_call_as_the_tokens(client, roadmap):
    """A warm kept page asks the cache twice, as Django's whole-page cache does: the session, then
    the account row, the page's tokens and the page kept for this address, together. (Four when the
    row and the page were reads of their own.)"""
    from django.conf import settings

    client.force_login(UserFactory())
    client.get(roadmap)  # the row and the page kept
    table = settings.CACHES["default"]["LOCATION"]

    with CaptureQueriesContext(connection) as warm:
        assert client.get(roadmap).status_code == 200

    reads = [q["sql"] for q in warm.captured_queries if q["sql"].startswith("SELECT") and table in q["sql"]]
    assert len(reads) == 2
    assert sum("account-row:" in sql and "fragver:" in sql and "frag:slot:" in sql for sql in reads) == 1


def test_one_learners_kept_row_is_never_anothers(roadmap):
    ann, bob = UserFactory(display_name="Ann Example"), UserFactory(display_name="Bob Other")
    ann_client, bob_client = Client(), Client()
    ann_client.force_login(ann)
    bob_client.force_login(bob)
    for _ in range(2):  # the second round from the kept rows
        ann_page = ann_client.get(roadmap).content.decode()
        bob_page = bob_client.get(roadmap).content.decode()
        assert "Ann Example" in ann_page and "Bob Other" not in ann_page
        assert "Bob Other" in bob_page and "Ann Example" not in bob_page


def test_a_row_read_while_a_change_is_uncommitted_is_not_served_after_the_commit(
    client, roadmap, django_capture_on_commit_callbacks
):
    """Another request reading between the save and the commit keeps the old row under the token of
    the first bump: the bump after the commit must make it unreachable."""
    user = UserFactory(display_name="Before Commit")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        user.display_name = "After Commit"
        user.save(update_fields=["display_name"])
        # What a reader outside this transaction would have kept: the committed row, as it was.
        stale = type(user).objects.get(pk=user.pk)
        stale.display_name = "Before Commit"
        token, _kept = account_row_read(user.pk)
        account_row_keep(user.pk, token, stale, 60)

    assert SharedCacheModelBackend().get_user(user.pk).display_name == "After Commit"
    assert "After Commit" in client.get(roadmap).content.decode()
