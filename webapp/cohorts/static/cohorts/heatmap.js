// The cohort dashboard's mastery heatmap: a tooltip per cell ("Ada · Whisper: 84% over 3 answers"),
// written from the cell's data-v ("84 3": percent, answers), its row's label and its column's, so the
// page need not carry a <title> per cell (thousands of them). With the chart's region focused, the
// arrow keys move from cell to cell and the tooltip, a status region, is read out. Without this
// script the chart keeps its colours, and the table below it the numbers (webapp/cohorts/charts.py).
document.addEventListener("DOMContentLoaded", () => {
  for (const svg of document.querySelectorAll("svg.heatmap[data-step]")) heatmapTooltips(svg);
});

const ARROWS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];

function fullLabel(text) {
  // A shortened axis label keeps its full text in a <title>; textContent is never parsed as HTML.
  const title = text.querySelector("title");
  return (title || text).textContent;
}

function heatmapTooltips(svg) {
  const region = svg.closest("[tabindex]") || svg.parentElement;
  const step = Number(svg.dataset.step);
  const columns = svg.querySelectorAll(".heat-cols > text");
  const rows = [...svg.querySelectorAll(".heat-row")].filter((row) => row.querySelector("rect[data-v]"));
  const tip = document.createElement("div");
  tip.className = "heat-tip";
  tip.setAttribute("role", "status");
  tip.hidden = true;
  region.append(tip);
  region.setAttribute("aria-label", `${region.getAttribute("aria-label")}; arrow keys read the cells`);
  let current = null;

  function describe(cell) {
    const [percent, answers] = cell.dataset.v.split(" ");
    const learner = fullLabel(cell.parentNode.querySelector("text"));
    const topic = fullLabel(columns[Math.round(Number(cell.getAttribute("x")) / step)]);
    return `${learner} \u00b7 ${topic}: ${percent}% over ${answers} answer${answers === "1" ? "" : "s"}`;
  }

  function show(cell) {
    if (current) current.classList.remove("current");
    current = cell;
    cell.classList.add("current");
    tip.textContent = describe(cell);
    tip.hidden = false;
    // Below the cell, inside the scrolled box (kept from running past its right edge).
    const box = cell.getBoundingClientRect();
    const outer = region.getBoundingClientRect();
    const centre = box.left - outer.left + region.scrollLeft + box.width / 2 - tip.offsetWidth / 2;
    const right = region.scrollLeft + region.clientWidth - tip.offsetWidth;
    tip.style.left = `${Math.max(region.scrollLeft, Math.min(centre, right))}px`;
    tip.style.top = `${box.bottom - outer.top + region.scrollTop + 4}px`;
  }

  function hide() {
    if (current) current.classList.remove("current");
    current = null;
    tip.hidden = true;
  }

  function nearest(row, x) {
    // The cell of `row` closest to column x (rows have cells only where the learner answered).
    let best = null;
    for (const cell of row.querySelectorAll("rect[data-v]")) {
      const distance = Math.abs(Number(cell.getAttribute("x")) - x);
      if (!best || distance < best.distance) best = { cell, distance };
    }
    return best && best.cell;
  }

  function next(cell, key) {
    const row = cell.parentNode;
    if (key === "ArrowLeft" || key === "ArrowRight") {
      const cells = [...row.querySelectorAll("rect[data-v]")];
      return cells[cells.indexOf(cell) + (key === "ArrowLeft" ? -1 : 1)];
    }
    const other = rows[rows.indexOf(row) + (key === "ArrowUp" ? -1 : 1)];
    return other && nearest(other, Number(cell.getAttribute("x")));
  }

  svg.addEventListener("pointerover", (event) => {
    const cell = event.target.closest("rect[data-v]");
    if (cell) show(cell);
    else hide();
  });
  svg.addEventListener("pointerleave", hide);
  region.addEventListener("focusout", hide);
  region.addEventListener("keydown", (event) => {
    if (event.key === "Escape") return hide();
    if (!ARROWS.includes(event.key) || !rows.length) return;
    event.preventDefault(); // the arrows move between cells here, scrolling the box to each
    const cell = current ? next(current, event.key) : rows[0].querySelector("rect[data-v]");
    if (!cell) return;
    cell.scrollIntoView({ block: "nearest", inline: "nearest" });
    show(cell);
  });
}
