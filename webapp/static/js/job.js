// Polls a job's status once a second and updates the progress bar; reloads when it finishes
// so the result (rendered by the server) appears. Without JavaScript the page refreshes itself.
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const url = box.dataset.statusUrl;
  const field = (name) => box.querySelector(`[data-field="${name}"]`);
  const bar = box.querySelector("progress");
  let wasFinished = null;
  async function poll() {
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(response.statusText);
      data = await response.json();
    } catch (e) {
      setTimeout(poll, 3000);
      return;
    }
    if (wasFinished === null) wasFinished = data.finished;
    bar.value = Math.round(data.progress * 100);
    bar.textContent = `${bar.value}%`;
    field("status_label").textContent = data.status_label;
    field("status_label").className = `job-status job-${data.status}`;
    field("message").textContent = data.message;
    field("queue").hidden = !data.queue_position;
    // Pages that show the place in line as a sentence ("busy: 12th in line, about 40 s") or a number.
    if (field("queue_text")) field("queue_text").textContent = data.queue_text || "";
    if (field("queue_position")) field("queue_position").textContent = data.queue_position || "";
    if (data.error) { field("error").hidden = false; field("error").textContent = data.error; }
    if (data.finished) {
      if (!wasFinished) window.location.reload();
      return;
    }
    setTimeout(poll, 1000);
  }
  poll();
})();
