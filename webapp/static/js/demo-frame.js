// Embedded demos grow with their content: each Gradio page posts its height (demos/page.py), and
// the iframe that sent it takes that height, so results never hide in a scroll box inside the page.
window.addEventListener("message", (event) => {
  if (event.origin !== window.location.origin) return;
  const height = event.data && event.data.soundpathDemoHeight;
  if (typeof height !== "number" || height < 100 || height > 40000) return;
  for (const frame of document.querySelectorAll("iframe.demo-iframe")) {
    if (frame.contentWindow === event.source) {
      frame.style.height = `${height + 4}px`;
      frame.classList.add("sized");
    }
  }
});
