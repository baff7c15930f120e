"""The page around a demo: the demos index opens each demo inside a Soundpath page (header, title,
the topics that embed it), topic pages size their demo iframes to the content, and the demo theme's
colours pass WCAG AA contrast. The browser checks are in tests/browser/test_newcomer.py."""

import pytest
from django.urls import reverse

from demos.page import MUTED_TEXT, PRIMARY, PRIMARY_DARK, gradio_page_options
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_demos_index_links_each_demo_to_its_soundpath_page_and_its_topics(client):
    topic = TopicFactory(title="The ASR pipeline", demos=["asr"])

    html = client.get(reverse("demos")).content.decode()

    assert f'href="{reverse("demo_page", args=["asr"])}">Speech recognition</a>' in html
    assert f'In <a href="{reverse("curriculum:topic", args=[topic.slug])}">The ASR pipeline</a>' in html
    assert 'href="/demos/asr/"' not in html  # never the bare Gradio app from the index


def test_demo_page_wraps_the_demo_with_title_topics_and_a_sized_iframe(client):
    topic = TopicFactory(title="Speaker diarization", demos=["diarization", "vad"])
    TopicFactory(title="Retired topic", demos=["diarization"], is_active=False)

    html = client.get(reverse("demo_page", args=["diarization"])).content.decode()

    assert "<title>Speaker diarization demo · Soundpath</title>" in html
    assert '<header class="site-header">' in html
    assert f'<a href="{reverse("curriculum:topic", args=[topic.slug])}">Speaker diarization</a>' in html
    assert "Retired topic" not in html
    assert '<iframe class="demo-iframe" src="/demos/diarization/"' in html
    assert "js/demo-frame.js" in html


def test_unknown_demo_page_is_404(client):
    assert client.get(reverse("demo_page", args=["no-such-demo"])).status_code == 404


def test_topic_page_loads_the_iframe_sizer_only_with_a_demo(client):
    with_demo = TopicFactory(demos=["asr"])
    without = TopicFactory(demos=[])

    html = client.get(reverse("curriculum:topic", args=[with_demo.slug])).content.decode()
    assert '<iframe class="demo-iframe" src="/demos/asr/"' in html and "js/demo-frame.js" in html
    assert (
        "js/demo-frame.js"
        not in client.get(reverse("curriculum:topic", args=[without.slug])).content.decode()
    )


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_demo_theme_colours_pass_wcag_aa():
    options = gradio_page_options()
    theme = options["theme"]

    assert theme.button_primary_background_fill == PRIMARY and theme.button_primary_text_color == "#ffffff"
    assert _contrast(PRIMARY, "#ffffff") >= 4.5  # the orange default was 2.8:1
    assert _contrast(PRIMARY_DARK, "#ffffff") >= 4.5
    assert _contrast(MUTED_TEXT, "#ffffff") >= 4.5  # slider min/max labels were 1.9:1
    assert "postMessage({ soundpathDemoHeight" in options["head"]


def test_each_demo_event_shows_its_progress_in_one_place():
    from demos.registry import build_demo

    blocks = build_demo("asr")

    transcribe = next(fn for fn in blocks.fns.values() if fn.api_name == "transcribe")
    assert [block.label for block in transcribe.show_progress_on] == ["Transcript"]
    for fn in blocks.fns.values():
        if len(fn.outputs) > 1:
            assert len(fn.show_progress_on) == 1, fn.api_name
            assert fn.show_progress_on[0] not in fn.inputs  # never the prediction the learner just locked in
