// "Copy link" buttons: copy the value of the input named by data-copy, and say so.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
      } catch {
        source.select(); // no clipboard permission: select it so Ctrl/Cmd-C works
        document.execCommand("copy");
      }
      if (status) status.textContent = "Copied.";
    });
  }
});
