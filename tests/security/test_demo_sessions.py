"""Attack: keep running demos with a session Django no longer honours. `request_user` used to read
`_auth_user_id` straight from the session, so a password change (after a stolen cookie, say) did
not sign the demos out. Now Django's own `get_user` decides, in handlers and at the upload route.
Also: visitors see one "Sign in to run this demo" banner with a login link, and no run button."""

import gradio as gr
import httpx
import pytest
from django.conf import settings

from demos.common import job_submit_and_wait, request_user, require_user
from demos.samples import SPEECH_EN
from tests.demos.conftest import FakeGradioRequest as GradioRequest
from tests.factories import UserFactory
from tests.security.conftest import demo_config, run_event, signed_in_cookies
from workers.models import InferenceJob

pytestmark = pytest.mark.django_db(transaction=True)


def test_password_change_signs_the_demos_out():
    user = UserFactory()
    old = GradioRequest(signed_in_cookies(user))
    assert request_user(old) == user

    user.set_password("a-new-password-after-a-leak")
    user.save()

    assert request_user(old) is None
    with pytest.raises(gr.Error, match="Log in to run this demo"):
        job_submit_and_wait(old, "vad", audio={"audio": SPEECH_EN})
    assert InferenceJob.objects.count() == 0
    assert request_user(GradioRequest(signed_in_cookies(user))) == user  # signing in again works


def test_deactivated_user_and_forged_session_cannot_run_demos():
    from django.contrib.sessions.backends.db import SessionStore

    user = UserFactory()
    cookies = signed_in_cookies(user)
    forged = SessionStore()
    forged["_auth_user_id"] = str(user.pk)  # what the old code trusted: no backend, no auth hash
    forged.create()

    assert request_user(GradioRequest({settings.SESSION_COOKIE_NAME: forged.session_key})) is None
    user.is_active = False
    user.save()
    with pytest.raises(gr.Error):
        require_user(GradioRequest(cookies))


@pytest.mark.integration
def test_old_cookie_cannot_upload_after_a_password_change(server):
    user = UserFactory()
    cookies = signed_in_cookies(user)
    upload = f"{server}/demos/asr/gradio_api/upload"
    files = [("files", ("a.wav", b"RIFF" + b"\0" * 100, "audio/wav"))]
    assert httpx.post(upload, files=files, cookies=cookies, timeout=30).status_code == 200

    user.set_password("a-new-password-after-a-leak")
    user.save()

    assert httpx.post(upload, files=files, cookies=cookies, timeout=30).status_code == 401


def _banner_event(config: dict) -> tuple[int, int, list[int]]:
    """(fn index, banner id, ids of the buttons it turns off) of the sign-in banner's load event."""
    banner = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == "sign-in-to-run")
    dep = next(d for d in config["dependencies"] if d["outputs"] and d["outputs"][0] == banner)
    return dep["id"], banner, dep["outputs"][1:]


@pytest.mark.integration
@pytest.mark.parametrize("slug", ["asr", "fundamentals", "voice-cloning"])
def test_visitors_see_one_sign_in_message_and_no_run_button(server, slug):
    config = demo_config(server, slug)
    fn, banner, buttons = _banner_event(config)
    button_ids = {c["id"] for c in config["components"] if c["type"] == "button"}

    visitor = run_event(server, slug, fn, [])
    member = run_event(server, slug, fn, [], cookies=signed_in_cookies())

    assert set(buttons) == button_ids and buttons
    shown, *disabled = visitor["output"]["data"]
    assert visitor["success"] and shown["visible"] is True
    assert "Sign in to run this demo." in shown["value"]
    assert f'href="/accounts/login/?next=/demos/{slug}/" target="_top"' in shown["value"]
    assert all(update["interactive"] is False for update in disabled)
    hidden, *untouched = member["output"]["data"]
    assert member["success"] and hidden["visible"] is False
    assert all(
        update == {"__type__": "update"} or update.get("__type__") == "skip" for update in untouched
    ), untouched
    # The banner is the first thing on the page; the model card is still shown to visitors.
    assert config["layout"]["children"][0]["id"] == banner


@pytest.mark.integration
def test_a_visitor_event_does_no_work(server):
    """Buttons aside, a visitor's event (here the fundamentals analysis of a shipped example, sent
    straight to the queue) answers "no change" without running; signed in, the same event runs."""
    config = demo_config(server, "fundamentals")
    dep = next(d for d in config["dependencies"] if d["api_name"] == "analyse")
    dataset = next(c["id"] for c in config["components"] if c["type"] == "dataset")
    loader = next(d for d in config["dependencies"] if d["inputs"] == [dataset] and d["backend_fn"])
    components = {c["id"]: c for c in config["components"]}

    def analyse(cookies):
        loaded = run_event(server, "fundamentals", loader["id"], [0], cookies=cookies)["output"]["data"][0]
        clip = loaded.get("value", loaded)  # examples load for visitors too
        data = [
            clip if components[i]["type"] == "audio" else components[i]["props"].get("value")
            for i in dep["inputs"]
        ]
        return run_event(server, "fundamentals", dep["id"], data, cookies=cookies, timeout=120)

    visitor, member = analyse(None), analyse(signed_in_cookies())

    assert visitor["success"] and all(out == {"__type__": "update"} for out in visitor["output"]["data"])
    assert member["success"] and any(out != {"__type__": "update"} for out in member["output"]["data"])
