// Building the screens: elements, tables, forms and their errors, CSV files, dates.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// columns: [{ title, value: (row) => text|Node, num: bool }]
export function table(columns, rows, { empty = "Nothing to show.", id, onRow, rowClass } = {}) {
  if (!rows.length) return h("p", { class: "muted", id }, empty);
  return h("table", { id },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.num ? "num" : null, scope: "col" }, c.title)))),
    h("tbody", {}, rows.map((row) => h("tr", {
      class: [onRow ? "clickable" : "", rowClass ? rowClass(row) : ""].join(" ").trim() || null,
      onclick: onRow ? () => onRow(row) : null,
    }, columns.map((c) => h("td", { class: c.num ? "num" : null }, c.value(row)))))));
}

export function field(label, name, { type = "text", value = "", required = false, ...rest } = {}) {
  return h("label", {}, label, " ", h("input", { name, type, value, required, ...rest }));
}

export function select(label, name, options, { value = "", ...rest } = {}) {
  return h("label", {}, label, " ", h("select", { name, ...rest },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))));
}

export function values(form) {
  const found = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    found[el.name] = el.type === "checkbox" ? el.checked : el.value.trim();
  }
  return found;
}

// A form whose submission runs `action(values)`; a refusal is shown under it and the field
// the server names is marked.
export function form(children, action, { submit = "Save", id, cls } = {}) {
  const error = h("p", { class: "error", role: "alert" });
  const el = h("form", { id, class: cls }, children, h("button", { class: "primary", type: "submit" }, submit), error);
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const marked of el.querySelectorAll("[aria-invalid]")) marked.removeAttribute("aria-invalid");
    error.textContent = "";
    const button = el.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await action(values(el), el);
    } catch (err) {
      showError(error, err, el);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

export function showError(target, err, scope) {
  const name = err.details && err.details.field;
  target.textContent = describe(err);
  if (name && scope) {
    const input = scope.querySelector(`[name="${CSS.escape(String(name))}"]`);
    if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
  }
}

export function describe(err) {
  if (!err || !err.code) return String(err);
  const field = err.details && err.details.field;
  if (err.status === 403 && err.code === "forbidden") return `Not allowed for your role: ${err.message}`;
  return field ? `${err.message} (${field})` : err.message;
}

export function errorPanel(err) {
  return h("p", { class: "notice bad", role: "alert" }, describe(err));
}

export function notice(text) { return h("p", { class: "notice", role: "status" }, text); }

// Days and hours are the store's (its time zone setting), as the reports count them.
let zone;
export function useTimeZone(name) { zone = name; }

export function when(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

// The day `days` after (or before) a `YYYY-MM-DD` day.
export function addDays(day, days) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function hourOf(iso) {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(new Date(iso)));
}

export function toCsv(header, rows) {
  const cell = (v) => {
    const text = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

export function download(name, text, type = "text/csv") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Decimal strings added as integers of minor units, never as floats.
export function addMoney(a, b) {
  const [units, digits] = [a, b].map(split);
  const places = Math.max(units[1], digits[1]);
  const sum = scale(units, places) + scale(digits, places);
  return join(sum, places);
}

export function divideMoney(amount, count) {
  if (!count) return "0.00";
  const [value, places] = split(amount);
  const quotient = (value * 2n + BigInt(count)) / (2n * BigInt(count));  // half up, non-negative
  return join(quotient, places);
}

function split(text) {
  const [whole, fraction = ""] = String(text || "0").split(".");
  const negative = whole.startsWith("-");
  const value = BigInt(whole.replace("-", "") + fraction) * (negative ? -1n : 1n);
  return [value, fraction.length];
}

function scale([value, places], to) { return value * 10n ** BigInt(to - places); }

function join(value, places) {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, "0");
  const text = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return negative ? `-${text}` : text;
}

export function tabs(current, entries) {
  return h("nav", { class: "tabs", "aria-label": "Sections" }, entries.map(([hash, text]) =>
    h("a", { href: hash, "aria-current": hash === current ? "page" : null }, text)));
}

// A panel that fills itself: the screen shows at once and each part loads on its own.
export function section(title, load, { id } = {}) {
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const panel = h("section", { class: "panel", id, "data-pending": true }, title ? h("h2", {}, title) : null, body);
  Promise.resolve().then(load).then(
    (content) => { replace(body, content); panel.removeAttribute("data-pending"); },
    (err) => { replace(body, errorPanel(err)); panel.removeAttribute("data-pending"); });
  return panel;
}

// Draw the current screen again (after a change it shows).
export function refresh() { window.dispatchEvent(new HashChangeEvent("hashchange")); }

export function tile(label, figure) {
  return h("div", { class: "tile" }, h("div", { class: "figure" }, figure), h("div", { class: "label" }, label));
}

export function money(text) { return text ?? ""; }
