"""The whole journey in a real browser, against uvicorn and a real Celery worker: sign up → home →
roadmap → topic → mark done → quiz → a demo job with its progress bar → the instructor's dashboard.
Screenshots of each page go to $SCREENSHOT_DIR (var/screenshots; `make screenshots` → docs/)."""

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import InstructorFactory
from tests.processes import ROOT, uvicorn_process
from webapp.cohorts.services import cohort_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "var" / "screenshots"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_learner_and_instructor_journey(browser, celery_worker):
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("import_curriculum", verbosity=0)
    call_command("import_questions", verbosity=0)
    instructor = InstructorFactory(username="prof")
    cohort = cohort_create(owner=instructor, name="Speech AI, spring cohort")

    with uvicorn_process(db_name=connection.settings_dict["NAME"]) as base:
        learner = browser.new_context(viewport={"width": 1280, "height": 900})
        page = learner.new_page()
        page.set_default_timeout(60_000)

        page.goto(f"{base}/accounts/signup/")
        page.fill("#id_username", "ada")
        page.fill("#id_email", "ada@example.com")
        page.fill("#id_password1", "sound-of-waves-42")
        page.fill("#id_password2", "sound-of-waves-42")
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")  # home, with "start here" for a new learner
        assert page.get_by_role("heading", name="Start here").is_visible()
        page.goto(f"{base}/roadmap/")
        assert page.get_by_role("heading", name="The roadmap").is_visible()
        _shot(page, "roadmap")

        page.goto(f"{base}/cohorts/join/{cohort.invite_code}/")
        page.click("main button[type=submit]")

        page.goto(f"{base}/roadmap/topics/sampling-nyquist/")
        _shot(page, "topic")
        page.get_by_role("button", name="Mark as done").click()
        assert page.locator(".progress-box").get_by_text("Done", exact=True).is_visible()

        page.goto(f"{base}/practice/quiz/new/")
        page.fill("#id_count", "1")
        page.click("main button[type=submit]")
        options = page.locator("input[name=options]")
        if options.count():
            options.first.check()
        else:
            page.fill(
                "textarea[name=answer]", "Sampling below twice the highest frequency folds it back: aliasing."
            )
        page.get_by_role("button", name="Submit answer").click()
        reference = page.locator("main").get_by_text("Reference answer", exact=False).first
        choose = page.get_by_role("button", name="Submit choice")
        # A "both" question asks for the explanation first, then shows its options (the quiz draws
        # its one question at random, so either kind can come up).
        reference.or_(choose).first.wait_for(timeout=120_000)
        if choose.is_visible():
            page.locator("input[name=options]").first.check()
            choose.click()
        reference.wait_for(timeout=120_000)
        _shot(page, "quiz-feedback")

        page.goto(f"{base}/roadmap/topics/asr-pipeline/")
        frame = page.locator('iframe[title="Speech recognition demo"]')
        frame.scroll_into_view_if_needed()
        demo = frame.content_frame
        demo.get_by_text("speech_en.wav").first.click()
        demo.get_by_text("0:07").first.wait_for()
        demo.get_by_role("button", name="Transcribe").click()
        transcript = demo.get_by_label("Transcript", exact=True)
        deadline = time.monotonic() + 180  # the job runs on the worker; the progress bar shows meanwhile
        while not transcript.input_value() and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        frame.screenshot(path=str(SHOTS / "demo-asr.png"))
        assert "pressure wave" in transcript.input_value().lower()

        page.goto(f"{base}/jobs/")
        page.get_by_role("link").filter(has_text=":").first.click()  # the newest job's page
        assert page.locator("progress").get_attribute("value") == "100"
        _shot(page, "job")
        learner.close()

        teacher = browser.new_context(viewport={"width": 1280, "height": 900})
        page = teacher.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "prof")
        page.fill("#id_password", "correct-horse-battery")
        page.click("main button[type=submit]")
        page.goto(f"{base}/cohorts/{cohort.id}/")
        assert page.get_by_role("heading", name="Speech AI, spring cohort").is_visible()
        assert page.get_by_text("ada").first.is_visible()
        _shot(page, "dashboard")
        teacher.close()
