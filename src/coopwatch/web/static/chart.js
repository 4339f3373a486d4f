// Events per month, stacked by sector: an SVG drawn from the JSON the page embeds. No libraries.
(function () {
  "use strict";
  const holder = document.getElementById("chart");
  const source = document.getElementById("chart-data");
  if (!holder || !source) return;
  const rows = JSON.parse(source.textContent); // [{month, sector, events}]
  const SVG = "http://www.w3.org/2000/svg";
  // each sector's colour, from sectors.toml as the page gives it (a sector without one is grey)
  const colours = document.getElementById("chart-colours");
  const COLORS = colours ? JSON.parse(colours.textContent) : {};
  if (!rows.length) { holder.textContent = "No dated events yet."; return; }

  const months = [...new Set(rows.map(r => r.month))].sort();
  const sectors = [...new Set(rows.map(r => r.sector))].sort();
  const byMonth = new Map(months.map(m => [m, {}]));
  rows.forEach(r => { byMonth.get(r.month)[r.sector] = r.events; });
  const totals = months.map(m => Object.values(byMonth.get(m)).reduce((a, b) => a + b, 0));
  const max = Math.max(...totals);

  const width = Math.max(320, holder.clientWidth || 640), height = 240;
  const pad = {left: 34, right: 8, top: 10, bottom: 42};
  const plotW = width - pad.left - pad.right, plotH = height - pad.top - pad.bottom;
  const step = plotW / months.length, barW = Math.max(2, step * 0.8);
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  };
  const svg = el("svg", {viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
                         "aria-label": "events per month stacked by sector", class: "chart-svg"});
  // y axis: 0, half, max
  [0, Math.ceil(max / 2), max].forEach(v => {
    const y = pad.top + plotH - (v / max) * plotH;
    el("line", {x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: "grid"}, svg);
    el("text", {x: pad.left - 4, y: y + 4, "text-anchor": "end", class: "axis"}, svg).textContent = v;
  });
  const labelEvery = Math.ceil(months.length / Math.max(1, Math.floor(plotW / 56)));
  months.forEach((month, i) => {
    const x = pad.left + i * step + (step - barW) / 2;
    let y = pad.top + plotH;
    sectors.forEach(sector => {
      const n = byMonth.get(month)[sector];
      if (!n) return;
      const h = (n / max) * plotH;
      y -= h;
      const rect = el("rect", {x, y, width: barW, height: h, fill: COLORS[sector] || "#999",
                               "data-month": month, "data-sector": sector, class: "bar"}, svg);
      el("title", {}, rect).textContent = `${month} · ${sector}: ${n} event${n > 1 ? "s" : ""}`;
      rect.addEventListener("click", () => {
        const [yy, mm] = month.split("-").map(Number);
        const last = new Date(Date.UTC(yy, mm, 0)).toISOString().slice(0, 10);
        location.href = `/events?sector=${encodeURIComponent(sector)}&date_from=${month}-01&date_to=${last}`;
      });
    });
    if (i % labelEvery === 0) {
      el("text", {x: x + barW / 2, y: height - pad.bottom + 14, "text-anchor": "middle", class: "axis"}, svg)
        .textContent = month;
    }
  });
  holder.appendChild(svg);
  const legend = document.createElement("ul");
  legend.className = "chart-legend";
  sectors.forEach(sector => {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = COLORS[sector] || "#999";
    const text = document.createElement("a");
    text.href = `/events?sector=${encodeURIComponent(sector)}`;
    text.textContent = sector;
    item.append(swatch, text);
    legend.appendChild(item);
  });
  holder.appendChild(legend);
})();
