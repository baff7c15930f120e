// Feedback page while a worker grades the answer: poll the attempt's status and reload once it is
// graded. Without JavaScript the page refreshes itself (a <noscript> meta refresh).
(function () {
  const box = document.getElementById("grading");
  if (!box) return;
  let delay = 250;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (data.finished) { window.location.reload(); return; }
    } catch (e) { /* try again below */ }
    delay = Math.min(2000, delay * 1.5);
    setTimeout(poll, delay);
  };
  setTimeout(poll, delay);
})();
