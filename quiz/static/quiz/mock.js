// Mock interview page: the countdown (submits "finish" at zero), recording an answer in the
// browser (MediaRecorder → upload as a normal form post), and polling pending transcriptions.
// Without JavaScript the page still works: type, or upload a recording with the file field.
(function () {
  const finishForm = document.getElementById("finish-form");

  const timer = document.getElementById("timer");
  if (timer) {
    let left = parseInt(timer.dataset.secondsLeft, 10) || 0;
    const show = () => {
      const m = Math.floor(left / 60), s = left % 60;
      timer.textContent = `${m}:${String(s).padStart(2, "0")}`;
      timer.classList.toggle("low", left <= 60);
      if (left === 60 || left === 10) timer.setAttribute("aria-label", `${left} seconds left`);
    };
    show();
    const tick = setInterval(() => {
      left = Math.max(0, left - 1);
      show();
      if (left === 0) { clearInterval(tick); if (finishForm) finishForm.submit(); }
    }, 1000);
  }

  document.querySelectorAll(".pending-job").forEach((box) => {
    const poll = async () => {
      try {
        const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
        const data = await response.json();
        const label = box.querySelector('[data-field="status_label"]');
        if (label) label.textContent = data.status_label;
        if (data.finished) { window.location.reload(); return; }
      } catch (e) { /* try again below */ }
      setTimeout(poll, 2000);
    };
    setTimeout(poll, 1500);
  });

  const recorder = document.getElementById("recorder");
  if (!recorder || !window.MediaRecorder || !navigator.mediaDevices) return;
  recorder.hidden = false;
  const startButton = recorder.querySelector('[data-action="start"]');
  const stopButton = recorder.querySelector('[data-action="stop"]');
  const status = recorder.querySelector('[data-field="status"]');
  const meter = recorder.querySelector("meter");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"].find((t) => MediaRecorder.isTypeSupported(t)) || "";
  let media = null, chunks = [], stream = null, audioContext = null;

  startButton.addEventListener("click", async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      status.textContent = "The microphone is not available: allow it in the browser, or type your answer.";
      return;
    }
    chunks = [];
    media = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    media.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
    media.addEventListener("stop", upload);
    media.start(1000);
    showLevel(stream);
    startButton.disabled = true;
    stopButton.disabled = false;
    stopButton.focus();
    status.textContent = "Recording… press “Stop and submit” when you have finished.";
  });

  stopButton.addEventListener("click", () => {
    stopButton.disabled = true;
    if (media && media.state !== "inactive") media.stop();
    if (stream) stream.getTracks().forEach((track) => track.stop());
    if (audioContext) audioContext.close();
  });

  function showLevel(source) {
    audioContext = new AudioContext();
    const analyser = audioContext.createAnalyser();
    audioContext.createMediaStreamSource(source).connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const draw = () => {
      if (audioContext.state === "closed") return;
      analyser.getByteTimeDomainData(data);
      let peak = 0;
      for (const v of data) peak = Math.max(peak, Math.abs(v - 128) / 128);
      meter.value = peak;
      requestAnimationFrame(draw);
    };
    draw();
  }

  async function upload() {
    status.textContent = "Uploading your recording…";
    const mime = (media.mimeType || "audio/webm").split(";")[0];
    const blob = new Blob(chunks, { type: mime });
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("question", recorder.dataset.question);
    body.append("audio", blob, mime.includes("ogg") ? "answer.ogg" : "answer.webm");
    try {
      const response = await fetch(recorder.dataset.uploadUrl, { method: "POST", body, credentials: "same-origin" });
      if (response.redirected) { window.location.href = response.url; return; }
      document.open(); document.write(await response.text()); document.close();  // the page with the error shown
    } catch (e) {
      status.textContent = "The upload failed. Check your connection and try again, or type your answer.";
      startButton.disabled = false;
    }
  }
})();
