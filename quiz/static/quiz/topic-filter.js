// Quiz set-up: filter the topic checklist as the learner types (ticked topics always stay visible).
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("topic-filter");
  const status = document.getElementById("topic-filter-status");
  if (!input) return;
  const groups = [...document.querySelectorAll(".topic-group")];
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const group of groups) {
      const phase = group.querySelector("legend").textContent.toLowerCase();
      let inGroup = 0;
      for (const item of group.querySelectorAll("li")) {
        const text = phase + " " + item.textContent.toLowerCase();
        const match = item.querySelector("input").checked || words.every((w) => text.includes(w));
        item.hidden = !match;
        inGroup += match ? 1 : 0;
      }
      group.hidden = inGroup === 0;
      shown += inGroup;
    }
    status.textContent = words.length ? `${shown} topic${shown === 1 ? "" : "s"} shown` : "";
  });
});
