"""How every demo page looks, whichever demo it is: Soundpath's colours with WCAG AA contrast, and
a small script in each Gradio page that (1) tells the Soundpath page embedding it how tall its
content is, so the iframe grows with the results instead of scrolling inside itself, and (2)
gives each plot image a real text alternative: its label and the "What the plot shows" text.

Passed to `gr.mount_gradio_app` (Gradio 6 takes theme, CSS and head there, not in Blocks);
`progress_in_one_place` is applied to every demo by demos.registry.build_demo."""

from typing import Any

# Soundpath's purple (app.css --brand-2 / --brand): white text on it is 6.6:1 and 11:1.
PRIMARY, PRIMARY_DARK = "#5a4bc2", "#3b2f80"
MUTED_TEXT = "#5d5a72"  # 6.4:1 on white: slider min/max and other subdued labels

DEMO_CSS = """
/* The label badge sits above a plot, not over its title. */
.block:has(> [data-testid="matplotlib"]) { padding-top: 2.2rem; }
/* Slider min/max, info texts and the audio player's times at AA contrast. */
.gradio-container .min_value, .gradio-container .max_value, .gradio-container [data-testid="block-info"],
.gradio-container #time, .gradio-container #duration, .gradio-container .playback {
  color: #5d5a72 !important; }
"""

# Runs in each Gradio page. The parent (webapp/static/js/demo-frame.js) accepts messages only from
# its own origin and only for the iframe that sent them.
DEMO_HEAD = """
<script>
(() => {
  const embedded = window.parent !== window;
  let last = 0;
  const report = () => {
    const app = document.querySelector("gradio-app") || document.body;
    const height = Math.ceil(app.getBoundingClientRect().height);
    if (embedded && height && Math.abs(height - last) > 2) {
      last = height;
      window.parent.postMessage({ soundpathDemoHeight: height }, window.location.origin);
    }
  };
  const describePlots = () => {
    for (const img of document.querySelectorAll('[data-testid="matplotlib"] img')) {
      const block = img.closest(".block");
      const label = block?.querySelector('[data-testid="block-label"]')?.textContent?.trim() || "Plot";
      let text = label;
      const next = block?.parentElement?.querySelectorAll(".block") || [];
      for (const other of next) {
        const name = other.querySelector("label span, [data-testid='block-info']")?.textContent || "";
        const area = other.querySelector("textarea");
        if (name.startsWith("What the plot shows") && area && area.value) text = `${label}. ${area.value}`;
      }
      if (img.alt !== text) img.alt = text;
    }
  };
  // Gradio markup that axe flags as serious: aria-label on role-less "empty" icons, and upload
  // buttons whose aria-label hides their visible text from speech-input users.
  const fixAria = () => {
    for (const icon of document.querySelectorAll(".empty[aria-label]:not([role])")) icon.setAttribute("role", "img");
    for (const button of document.querySelectorAll("button.boundedheight[aria-label], button.playback[aria-label]")) {
      button.title = button.getAttribute("aria-label");  // still said on hover, no longer hiding the text
      button.removeAttribute("aria-label");
    }
  };
  // Tabbing out of an open dropdown leaves its list open over the next fields: close it as Escape does.
  document.addEventListener("focusout", (event) => {
    const box = event.target;
    if (!box.matches?.('input[role="combobox"]')) return;
    setTimeout(() => {
      if (box.getAttribute("aria-expanded") === "true" && document.activeElement !== box) {
        box.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
      }
    }, 0);
  });
  const update = () => { describePlots(); fixAria(); report(); };
  const start = () => {
    new ResizeObserver(report).observe(document.body);
    new MutationObserver(update).observe(document.body, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["src", "style", "class"] });
    update();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
</script>
"""


def demo_theme():
    import gradio as gr

    return gr.themes.Default().set(
        button_primary_background_fill=PRIMARY,
        button_primary_background_fill_dark=PRIMARY,
        button_primary_background_fill_hover=PRIMARY_DARK,
        button_primary_background_fill_hover_dark=PRIMARY_DARK,
        button_primary_text_color="#ffffff",
        button_primary_text_color_dark="#ffffff",
        button_primary_border_color=PRIMARY,
        button_primary_border_color_dark=PRIMARY,
        body_text_color_subdued=MUTED_TEXT,
        slider_color=PRIMARY,
    )


def progress_in_one_place(blocks):
    """Show each event's progress on one output (the first that is not also an input) instead of
    on every output box at once; events that already chose where keep their choice."""
    for fn in blocks.fns.values():
        if fn.show_progress_on is not None or len(fn.outputs) < 2:
            continue
        inputs = {id(block) for block in fn.inputs}
        target = next((block for block in fn.outputs if id(block) not in inputs), fn.outputs[0])
        fn.show_progress_on = [target]
    return blocks


def gradio_page_options() -> dict[str, Any]:
    """Keyword arguments for gr.mount_gradio_app shared by every demo."""
    return {"theme": demo_theme(), "css": DEMO_CSS, "head": DEMO_HEAD}
