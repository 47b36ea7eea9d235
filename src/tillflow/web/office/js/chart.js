// Bar charts drawn as inline SVG: no library, nothing the Content-Security-Policy blocks.

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

// points: [{ label, value (a number for drawing only), title }]
export function barChart(points, { height = 180, label = "chart", id } = {}) {
  // Drawn 100 % wide: a wide viewBox keeps the labels small when there are few bars.
  const width = Math.max(720, points.length * 36);
  const top = 10, bottom = 30, left = 8;
  const max = Math.max(...points.map((p) => p.value), 0) || 1;
  const step = (width - left) / Math.max(points.length, 1);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": label });
  if (id) chart.id = id;
  chart.append(svg("line", { x1: left, x2: width, y1: height - bottom, y2: height - bottom, class: "axis" }));
  const every = Math.ceil(points.length / 14);
  points.forEach((point, i) => {
    const barHeight = ((height - top - bottom) * Math.max(point.value, 0)) / max;
    const x = left + i * step + step * 0.15;
    const bar = svg("rect", { x, y: height - bottom - barHeight, width: step * 0.7, height: barHeight,
      class: `bar${i % 2 ? " alt" : ""}`, "data-label": point.label });
    bar.append(svg("title", {}, point.title || `${point.label}: ${point.value}`));
    chart.append(bar);
    if (i % every === 0) {
      chart.append(svg("text", { x: x + step * 0.35, y: height - bottom + 14, "text-anchor": "middle" },
        shorten(point.label)));
    }
  });
  return chart;
}

function shorten(text) {
  const value = String(text ?? "—");
  return value.length > 10 ? `${value.slice(0, 9)}…` : value;
}
