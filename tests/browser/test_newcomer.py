"""A newcomer's journeys in a real browser (Debian's Chromium) against uvicorn and a Celery worker,
at 1280×900 and on a phone (390×844): sign-up through an invitation, a quiz set started from an
assignment, search with typos, a demo whose result shows without scrolling inside the iframe, a
demo in its own Soundpath page, the
phone menu and pages that fit the screen, and an axe-core check (no serious or critical
violations) of the roadmap, a topic page with its demo, practice and the cohort dashboard.
Screenshots go to $SCREENSHOT_DIR (var/screenshots; `make screenshots` → docs/screenshots)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from curriculum.models import Topic
from tests.browser.axe import serious_violations
from tests.factories import InstructorFactory
from tests.processes import ROOT, uvicorn_process
from webapp.cohorts.services import assignment_create, cohort_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def _shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _context(browser, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(60_000)
    return context, context.new_page()


def _no_serious_violations(page, where: str) -> None:
    found = serious_violations(page)
    assert not found, f"{where}: " + "; ".join(found)


def _fits_the_screen(page, url: str) -> None:
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px screen"


def test_newcomer_journeys_at_desktop_and_phone_sizes(browser, celery_worker):
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("import_curriculum", verbosity=0)
    call_command("import_questions", verbosity=0)
    instructor = InstructorFactory(username="prof")
    cohort = cohort_create(owner=instructor, name="Speech AI, spring cohort")
    whisper = Topic.objects.get(slug="whisper")
    assignment_create(
        cohort=cohort, created_by=instructor, kind="quiz", topics=[whisper], question_count=3,
        due_on=timezone.localdate() + timedelta(days=7), title="Whisper warm-up",
    )  # fmt: skip

    with uvicorn_process(db_name=connection.settings_dict["NAME"]) as base:
        context, page = _context(browser, DESKTOP)
        _invitation_through_signup(page, base, cohort.invite_code)
        _quiz_from_assignment(page, base)
        _search_with_typos(page, base)
        _demo_result_without_inner_scrolling(page, base)
        _demo_page_and_its_dropdown(page, base)
        for path in ("/roadmap/", "/practice/"):
            page.goto(base + path)
            _no_serious_violations(page, path)
        context.close()

        context, page = _context(browser, PHONE)
        _log_in(page, base, "ada", "sound-of-waves-42")
        _phone_menu(page, base)
        for path in (
            "/jobs/",
            "/practice/",
            "/practice/history/",
            "/practice/readiness/",
            "/roadmap/search/?q=wer",
        ):
            _fits_the_screen(page, base + path)
        page.goto(base + "/")
        _shot(page, "phone-home")
        context.close()

        for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
            context, page = _context(browser, viewport)
            _log_in(page, base, "prof", "correct-horse-battery")
            page.goto(f"{base}/cohorts/{cohort.id}/")
            assert page.get_by_role("heading", name="Speech AI, spring cohort").is_visible()
            assert page.get_by_text("ada").first.is_visible()
            _no_serious_violations(page, f"dashboard{suffix}")
            if viewport is PHONE:
                _fits_the_screen(page, f"{base}/cohorts/{cohort.id}/")
            _shot(page, f"cohort-dashboard{suffix}")
            context.close()


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _invitation_through_signup(page, base: str, code: str) -> None:
    invitation = f"{base}/cohorts/join/{code}/"
    page.goto(invitation)  # logged out: the login page, which offers sign-up and keeps the invitation
    page.get_by_role("link", name="Create an account").click()
    page.fill("#id_username", "ada")
    page.fill("#id_email", "ada@example.com")
    page.fill("#id_password1", "sound-of-waves-42")
    page.fill("#id_password2", "sound-of-waves-42")
    page.click("main button[type=submit]")
    page.wait_for_url(invitation)
    assert page.get_by_role("heading", name="Join Speech AI, spring cohort").is_visible()
    _shot(page, "join-after-signup")
    page.get_by_role("button", name="Join the cohort").click()
    page.wait_for_url(f"{base}/cohorts/mine/")
    assert page.get_by_text("You joined Speech AI, spring cohort").is_visible()

    page.goto(f"{base}/")
    assert page.get_by_role("heading", name="Start here").is_visible()
    _shot(page, "home-start-here", full_page=True)


def _quiz_from_assignment(page, base: str) -> None:
    page.get_by_role("link", name="Start the quiz").click()
    page.wait_for_url(re.compile(r".*/practice/quiz/new/\?.*count=3.*"))
    assert page.locator("#id_count").input_value() == "3"
    assert page.locator('input[name=topics][value="whisper"]').is_checked()
    page.fill("#topic-filter", "diariz")
    diarization = page.locator('input[name=topics][value="speaker-diarization"]')
    assert diarization.is_visible() and page.locator('input[name=topics][value="ctc"]').is_hidden()
    assert page.locator('input[name=topics][value="whisper"]').is_visible()  # ticked: always shown
    _shot(page, "quiz-setup")
    page.fill("#topic-filter", "")
    page.get_by_role("button", name="Start").click()
    assert page.get_by_text("question 1 of 3").is_visible()
    assert page.locator(".question-card .meta").get_by_role("link", name=re.compile("Whisper")).is_visible()


def _search_with_typos(page, base: str) -> None:
    page.goto(f"{base}/")
    page.fill("#nav-q", "xvector")
    page.press("#nav-q", "Enter")
    assert page.get_by_text("Showing results for").is_visible()
    results = page.locator(".search-results h2 a")
    assert "Speaker verification and speaker embeddings" in results.all_inner_texts()
    assert page.locator(".search-results mark").first.is_visible()
    _shot(page, "search-xvector")

    page.fill("#q", "whispr")
    page.get_by_role("button", name="Search").click()
    assert results.first.inner_text().startswith("Whisper")


def _demo_result_without_inner_scrolling(page, base: str) -> None:
    page.goto(f"{base}/roadmap/topics/fourier-fft/")
    frame = page.locator('iframe[title="Audio fundamentals lab demo"]')
    frame.scroll_into_view_if_needed()  # loads lazily
    demo = frame.content_frame
    demo.get_by_text("speech_en.wav").first.click()
    demo.get_by_text("0:07").first.wait_for()
    demo.get_by_role("button", name="Analyse").click()
    summary = demo.get_by_label("What the numbers say")
    page.wait_for_function(
        """() => [...document.querySelector('iframe.demo-iframe').contentDocument.querySelectorAll('textarea')]
                 .some(t => t.value.includes('Median pitch'))""",
        timeout=180_000,
    )
    # The iframe grows to its content: nothing is left to scroll inside it.
    page.wait_for_function(
        """() => { const f = document.querySelector('iframe.demo-iframe');
                   return f.contentDocument.documentElement.scrollHeight <= f.clientHeight + 2; }"""
    )
    summary.scroll_into_view_if_needed()  # the page scrolls, not the iframe
    assert summary.is_visible() and demo.locator("html").evaluate("e => e.scrollTop") == 0
    assert "6.89 s at 16000 Hz" in summary.input_value()
    alts = demo.locator('[data-testid="matplotlib"] img').evaluate_all("imgs => imgs.map(i => i.alt)")
    assert alts and not any("undefined" in alt or "visualising provided data" in alt for alt in alts)
    _shot(page, "demo-fundamentals")
    _no_serious_violations(page, "topic page")
    _no_serious_violations(frame.element_handle().content_frame(), "embedded demo")


def _demo_page_and_its_dropdown(page, base: str) -> None:
    page.goto(f"{base}/demos/")
    page.get_by_role("link", name="Speech recognition", exact=True).click()
    page.wait_for_url(f"{base}/demo/asr/")  # a Soundpath page around the demo, not bare Gradio
    assert page.title() == "Speech recognition demo · Soundpath"
    assert page.get_by_role("link", name="The ASR pipeline and WER evaluation").first.is_visible()
    demo = page.frame_locator("iframe.demo-iframe")
    recogniser = demo.get_by_label("Recogniser")
    recogniser.click()
    assert demo.get_by_role("listbox").is_visible()
    page.keyboard.press("Tab")  # tabbing past the dropdown closes its list
    demo.get_by_role("listbox").wait_for(state="hidden")
    _shot(page, "demo-page")


def _phone_menu(page, base: str) -> None:
    page.goto(f"{base}/roadmap/")
    menu = page.get_by_role("button", name="Menu")
    practice = page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice")
    assert menu.is_visible() and practice.is_hidden()
    assert page.locator(".site-header").bounding_box()["height"] < 80  # one row, not three
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and practice.is_visible()
    _shot(page, "phone-nav-open")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and practice.is_hidden()
    _no_serious_violations(page, "roadmap on a phone")
