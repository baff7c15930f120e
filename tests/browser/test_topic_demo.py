"""In a real browser: a topic page embeds its demo; a visitor is asked to sign in; signed in, the demo
runs on a shipped sample and a result appears."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import TopicFactory
from tests.processes import uvicorn_process
from tests.security.conftest import signed_in_cookies

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_topic_page_runs_embedded_fundamentals_demo(page):
    call_command("collectstatic", interactive=False, verbosity=0)
    topic = TopicFactory(title="The STFT and spectrograms", demos=["fundamentals"])
    cookies = signed_in_cookies()
    with uvicorn_process(db_name=connection.settings_dict["NAME"]) as base:
        page.goto(f"{base}/roadmap/topics/{topic.slug}/")
        assert page.get_by_role("heading", name="The STFT and spectrograms").is_visible()
        frame = page.locator('iframe[title="Audio fundamentals lab demo"]')
        frame.scroll_into_view_if_needed()  # the iframe loads lazily, when it comes into view
        # A visitor sees one sign-in message and no working run button (tests/security).
        frame.content_frame.get_by_text("Sign in to run this demo.").wait_for()
        assert frame.content_frame.get_by_role("button", name="Analyse").is_disabled()

        page.context.add_cookies(
            [{"name": name, "value": value, "url": base} for name, value in cookies.items()]
        )
        page.reload()
        frame.scroll_into_view_if_needed()
        demo = frame.content_frame
        demo.get_by_text("speech_en.wav").first.click()  # the shipped sample, from the Examples list
        demo.get_by_text("0:07").first.wait_for()  # loaded: the player shows the clip's 6.9 s length
        demo.get_by_role("button", name="Analyse").click()
        summary = demo.get_by_label("What the numbers say")
        try:
            page.wait_for_function(
                """() => [...document.querySelector('iframe').contentDocument.querySelectorAll('textarea')]
                         .some(t => t.value.includes('Median pitch'))""",
                timeout=120_000,
            )
        finally:
            page.screenshot(path="var/browser-topic-demo.png", full_page=False)
        text = summary.input_value()
    assert "6.89 s at 16000 Hz" in text
    assert "31.2 Hz between frequency bins" in text
