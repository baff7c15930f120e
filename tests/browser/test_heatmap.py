"""The cohort dashboard's heatmap in a real browser (Debian's Chromium): cells sized by the stylesheet,
and the tooltip script (cohorts/heatmap.js) under the site's Content-Security-Policy — by pointer and
by arrow keys, with a learner's name that is HTML shown as text — and axe-core's check of the page
with a tooltip open. The page comes from Django's test
client and the static files from the finders, handed to the browser through Playwright's routing:
no server process needed."""

import mimetypes
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.browser.axe import serious_violations
from tests.factories import InstructorFactory, PhaseFactory, TopicFactory
from tests.quiz.factories import QuestionFactory
from tests.webapp.cohorts.conftest import scored_members
from tests.webapp.cohorts.factories import CohortFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SITE = "http://soundpath.test"
HOSTILE = '<img src=x onerror="window.pwned = 1">'


def _serve(page, response, path: str) -> list[str]:
    """The dashboard at `path` with its own headers (CSP included), static files from the finders;
    returns the console's errors (a CSP refusal is one)."""

    def fulfil(route):
        asked = urlsplit(route.request.url).path
        if asked == path:
            headers = {"Content-Type": response["Content-Type"]}
            headers["Content-Security-Policy"] = response["Content-Security-Policy"]
            return route.fulfill(status=200, headers=headers, body=response.content)
        found = asked.startswith("/static/") and finders.find(asked.removeprefix("/static/"))
        if not found:
            return route.fulfill(status=404, body="")
        return route.fulfill(path=found, content_type=mimetypes.guess_type(found)[0])

    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.route(f"{SITE}/**", fulfil)
    return errors


def test_heatmap_tooltips_by_pointer_and_keyboard(page, client):
    phase = PhaseFactory(order=1, title="Phase 1")
    topics = [TopicFactory(phase=phase, order=j, title=f"Topic {j}") for j in (1, 2)]
    questions = [QuestionFactory(main_topic=t, kind="free", level="mid") for t in topics]
    owner = InstructorFactory(username="prof-owner")
    cohort = CohortFactory(name="Browser cohort", created_by=owner)
    ada = [(questions[0], 0.8), (questions[0], 0.88), (questions[1], 0.5)]
    scored_members(cohort, {"Ada": ada, HOSTILE: [(questions[1], 0.3)]})
    client.force_login(owner)
    path = reverse("cohorts:dashboard", args=[cohort.id])
    errors = _serve(page, client.get(path), path)

    page.goto(SITE + path)

    cells = page.locator("svg.heatmap .heat-row rect")
    assert cells.count() == 3
    box = cells.first.bounding_box()
    assert box["width"] >= 20 and box["height"] >= 20  # the stylesheet's --cell-w and --cell-h
    tip = page.locator(".heat-tip")
    cells.first.hover()
    assert tip.text_content() == "Ada · Topic 1: 84% over 2 answers"
    page.mouse.move(0, 0)
    assert tip.is_hidden()

    page.locator(".chart-scroll").focus()
    page.keyboard.press("ArrowRight")  # the first cell
    assert tip.text_content() == "Ada · Topic 1: 84% over 2 answers"
    page.keyboard.press("ArrowRight")
    assert tip.text_content() == "Ada · Topic 2: 50% over 1 answer"
    page.keyboard.press("ArrowDown")
    assert tip.text_content() == f"{HOSTILE} · Topic 2: 30% over 1 answer"
    assert tip.get_attribute("role") == "status" and tip.is_visible()
    assert serious_violations(page) == []  # axe-core, with the tooltip and the current cell shown
    page.keyboard.press("Escape")
    assert tip.is_hidden()

    assert page.evaluate("window.pwned") is None
    assert errors == []
