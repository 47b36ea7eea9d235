// Stock: levels by product × location with reorder points and a low-stock filter; a SKU's
// ledger history; goods received with their cost; counting sessions (scan or type, review
// the differences, post); transfers sent, in transit, then received; adjustments.

import { get, newKey, post, put } from "../api.js";
import { field, form, h, notice, refresh, replace, section, select, table, tabs, values, when } from "../ui.js";

const SECTIONS = [["levels", "Levels"], ["ledger", "History"], ["receive", "Receive goods"],
  ["counts", "Counts"], ["transfers", "Transfers"], ["adjust", "Adjust"]];

export async function render({ path }) {
  const [sub = "levels", arg] = path;
  const locations = (await get("/locations")).items;
  const screens = {
    levels: () => levels(locations, new URLSearchParams((arg || "").replace(/^\?/, ""))),
    ledger: () => ledger(arg), receive: () => receive(locations), counts: () => counts(locations),
    count: () => countSession(arg), transfers: () => transfers(locations), adjust: () => adjust(locations),
  };
  const current = sub === "count" ? "counts" : screens[sub] ? sub : "levels";
  return h("div", {}, h("h1", {}, "Stock"),
    tabs(`#/stock/${current}`, SECTIONS.map(([key, title]) => [`#/stock/${key}`, title])),
    await (screens[sub] || screens.levels)());
}

const codes = (locations) => locations.map((l) => [l.code, `${l.code} · ${l.name}`]);
const skuLink = (sku) => h("a", { href: `#/stock/ledger/${encodeURIComponent(sku)}` }, sku);

function levels(locations, params) {
  const chosen = { query: params.get("query") || "", location: params.get("location") || "", low: params.get("low") === "true" };
  const filters = h("form", { class: "row panel", id: "level-filters", onsubmit: (event) => {
    event.preventDefault();
    const v = values(event.target);
    const picked = Object.entries({ ...v, low: v.low ? "true" : "" }).filter(([, x]) => x);
    location.hash = `#/stock/levels/${encodeURIComponent(`?${new URLSearchParams(picked)}`)}`;
  } }, field("SKU or name", "query", { type: "search", value: chosen.query }),
  select("Location", "location", [["", "every location"], ...codes(locations)], { value: chosen.location }),
  h("label", {}, h("input", { type: "checkbox", name: "low", checked: chosen.low }), " Low stock only"),
  h("button", { type: "submit", class: "primary" }, "Show"));
  const results = h("div");
  const load = async (cursor) => {
    const page = await get("/stock-levels", { ...chosen, low: chosen.low ? "true" : "", limit: 100, cursor });
    replace(results, table([
      { title: "SKU", value: (r) => skuLink(r.sku) }, { title: "Name", value: (r) => r.name },
      { title: "Location", value: (r) => r.location }, { title: "On hand", value: (r) => r.on_hand, num: true },
      { title: "In transit to it", value: (r) => r.in_transit, num: true },
      { title: "Reorder point", value: (r) => reorderPoint(r) },
    ], page.items, { empty: chosen.low ? "Nothing is low." : "No stock matches.", id: "levels-table", rowClass: (r) => (r.low ? "low" : "") }),
    page.next_cursor ? h("button", { onclick: () => load(page.next_cursor) }, "Next page") : null);
    return results;
  };
  return [filters, section(null, () => load(), { id: "levels" })];
}

function reorderPoint(row) {
  const input = h("input", { value: row.reorder_point ?? "", size: 5, inputmode: "decimal", "aria-label": `Reorder point of ${row.sku} at ${row.location}`, name: "reorder_point" });
  const error = h("span", { class: "error" });
  input.addEventListener("change", async () => {
    error.textContent = "";
    try {
      await put(`/stock-levels/${encodeURIComponent(row.sku)}/${encodeURIComponent(row.location)}/reorder-point`,
        { reorder_point: input.value.trim() === "" ? null : input.value.trim() });
      input.removeAttribute("aria-invalid");
    } catch (err) {
      input.setAttribute("aria-invalid", "true");
      error.textContent = err.message;
    }
  });
  return h("span", {}, input, error);
}

function ledger(sku = "") {
  const lookup = h("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); location.hash = `#/stock/ledger/${encodeURIComponent(e.target.elements.sku.value.trim())}`; } },
    h("input", { name: "sku", value: sku, placeholder: "SKU", "aria-label": "SKU", required: true }), h("button", { type: "submit" }, "Show"));
  if (!sku) return lookup;
  const history = h("div");
  const load = async (cursor) => {
    const page = await get(`/inventory/${encodeURIComponent(sku)}/movements`, { limit: 100, cursor });
    replace(history, table([
      { title: "When", value: (m) => when(m.occurred_at) }, { title: "Location", value: (m) => m.location },
      { title: "Why", value: (m) => m.kind }, { title: "Change", value: (m) => (Number(m.delta) > 0 ? `+${m.delta}` : m.delta), num: true },
      { title: "On hand after", value: (m) => m.on_hand, num: true },
      { title: "Explained", value: (m) => [m.reason, m.reference].filter(Boolean).join(" · ") },
      { title: "By", value: (m) => m.actor ?? "" },
    ], page.items, { empty: "No movement yet.", id: "ledger-table" }),
    page.next_cursor ? h("button", { onclick: () => load(page.next_cursor) }, "Older movements") : null);
    return history;
  };
  return [lookup,
    section(`Levels of ${sku}`, async () => {
      const [found, stock] = await Promise.all([get(`/products/${encodeURIComponent(sku)}`), get(`/inventory/${encodeURIComponent(sku)}`)]);
      return [h("p", {}, found.name), table([
        { title: "Location", value: (l) => l.location }, { title: "On hand", value: (l) => l.on_hand, num: true },
        { title: "Available", value: (l) => l.available, num: true },
      ], stock.levels, { empty: "No stock anywhere yet.", id: "sku-levels" })];
    }, { id: "sku-stock" }),
    section("Ledger", () => load(), { id: "ledger" })];
}

// Lines of SKU and quantity (and unit cost) typed one after another; Enter adds a line.
function lineEditor(withCost) {
  const body = h("tbody");
  const add = () => {
    const row = h("tr", {},
      h("td", {}, h("input", { name: "sku", "aria-label": "SKU", required: body.children.length === 0 })),
      h("td", {}, h("input", { name: "quantity", "aria-label": "Quantity", inputmode: "decimal", size: 6 })),
      withCost ? h("td", {}, h("input", { name: "unit_cost", "aria-label": "Unit cost", inputmode: "decimal", size: 8 })) : null,
      h("td", {}, h("button", { type: "button", onclick: () => row.remove() }, "Remove")));
    body.append(row);
    row.querySelector("input").focus();
  };
  add();
  const editor = h("div", { class: "lines" }, h("table", {},
    h("thead", {}, h("tr", {}, h("th", {}, "SKU"), h("th", {}, "Quantity"), withCost ? h("th", {}, "Unit cost") : null, h("th", {}))), body),
  h("button", { type: "button", class: "add-line", onclick: add }, "Add a line"));
  editor.lines = () => [...body.children].map((row) => Object.fromEntries([...row.querySelectorAll("input")].map((i) => [i.name, i.value.trim()])))
    .filter((line) => line.sku);
  return editor;
}

// A refusal naming `lines.N.field` marks that input.
function markLine(editor, err) {
  const match = /^lines\.(\d+)\.(\w+)$/.exec(err.details?.field || "");
  if (!match) return;
  const input = editor.querySelectorAll("tbody tr")[Number(match[1])]?.querySelector(`[name=${match[2]}]`);
  if (input) input.setAttribute("aria-invalid", "true");
}

function receive(locations) {
  const done = h("div", { id: "received" });
  const lines = lineEditor(true);
  let key = newKey();
  const receiving = form([select("Location", "location", codes(locations)), field("Delivery note or order", "reference", { placeholder: "PO-1042" }), lines], async (v) => {
    try {
      const receipt = await post("/goods-receipts", { location: v.location, reference: v.reference || null,
        lines: lines.lines().map((l) => ({ sku: l.sku, quantity: l.quantity, unit_cost: l.unit_cost })) }, { "Idempotency-Key": key });
      key = newKey();
      replace(done, notice(`Received ${receipt.number}: ${receipt.lines.length} line(s), cost ${receipt.total_cost}.`));
    } catch (err) {
      markLine(lines, err);
      throw err;
    }
  }, { submit: "Receive", id: "receive-form" });
  return [h("section", { class: "panel" }, h("h2", {}, "Receive goods"),
    h("p", { class: "muted" }, "Each line is a receipt movement at the location, with its unit cost."), receiving, done),
  section("Recent goods receipts", async () => table([
    { title: "Number", value: (r) => r.number }, { title: "When", value: (r) => when(r.created_at) },
    { title: "Location", value: (r) => r.location }, { title: "Reference", value: (r) => r.reference ?? "" },
    { title: "Lines", value: (r) => r.lines.map((l) => `${l.quantity} × ${l.sku} @ ${l.unit_cost}`).join(", ") },
    { title: "Cost", value: (r) => r.total_cost, num: true },
  ], (await get("/goods-receipts", { limit: 20 })).items, { empty: "Nothing received yet.", id: "receipts-table" }))];
}

function counts(locations) {
  let key = newKey();
  const open = form([select("Location", "location", codes(locations)), field("Note", "note", { placeholder: "Aisle 3" })], async (v) => {
    const opened = await post("/stock-counts", { location: v.location, note: v.note || null }, { "Idempotency-Key": key });
    key = newKey();
    location.hash = `#/stock/count/${opened.id}`;
  }, { submit: "Start a count", id: "count-open", cls: "row" });
  return [h("section", { class: "panel" }, h("h2", {}, "Start a counting session"), open),
    section("Counting sessions", async () => table([
      { title: "Number", value: (c) => h("a", { href: `#/stock/count/${c.id}` }, c.number) },
      { title: "Location", value: (c) => c.location }, { title: "Status", value: (c) => c.status },
      { title: "Opened", value: (c) => `${when(c.opened_at)} · ${c.opened_by ?? ""}` },
      { title: "Lines", value: (c) => c.lines.length, num: true }, { title: "Note", value: (c) => c.note ?? "" },
    ], (await get("/stock-counts", { limit: 50 })).items, { empty: "No count yet.", id: "counts-table" }))];
}

async function countSession(id) {
  const count = await get(`/stock-counts/${encodeURIComponent(id)}`);
  const review = h("div", { id: "count-review" });
  const show = (c) => replace(review, table([
    { title: "SKU", value: (l) => skuLink(l.sku) }, { title: "Name", value: (l) => l.name },
    { title: "Counted", value: (l) => l.counted, num: true }, { title: "On hand", value: (l) => l.on_hand, num: true },
    { title: "Difference", value: (l) => (Number(l.difference) > 0 ? `+${l.difference}` : l.difference), num: true },
  ], c.lines, { empty: "Nothing counted yet." }));
  show(count);
  const open = count.status === "open";
  const scan = form([field("Scan a barcode (adds one)", "barcode", { autocomplete: "off", autofocus: true })], async (v, el) => {
    show(await post(`/stock-counts/${id}/entries`, { barcode: v.barcode }));
    el.elements.barcode.value = "";
    el.elements.barcode.focus();
  }, { submit: "Add", id: "count-scan", cls: "row" });
  const typed = form([field("SKU", "sku", { required: true }), field("Counted", "quantity", { required: true, inputmode: "decimal", size: 6 })], async (v, el) => {
    show(await post(`/stock-counts/${id}/entries`, { sku: v.sku, quantity: v.quantity }));
    el.reset();
    el.elements.sku.focus();
  }, { submit: "Set", id: "count-typed", cls: "row" });
  const finish = h("div", { class: "toolbar" },
    h("button", { class: "primary", id: "count-post", onclick: async () => { await post(`/stock-counts/${id}/post`); refresh(); } }, "Post the differences"),
    h("button", { class: "warn", onclick: async () => { await post(`/stock-counts/${id}/cancel`); refresh(); } }, "Cancel the count"));
  return h("div", { id: "count-session" },
    h("p", {}, h("a", { href: "#/stock/counts" }, "← Counts")),
    h("section", { class: "panel" }, h("h2", {}, `${count.number} · ${count.location} · ${count.status}`),
      count.note ? h("p", {}, count.note) : null,
      open ? [scan, typed] : h("p", { class: "muted" }, `Closed ${when(count.closed_at)} by ${count.closed_by ?? ""}.`),
      h("h2", {}, "Review"), review, open ? finish : null));
}

function transfers(locations) {
  const lines = lineEditor(false);
  let key = newKey();
  const send = form([select("From", "from_location", codes(locations)), select("To", "to_location", codes(locations), { value: locations[1]?.code }),
    field("Note", "note"), lines], async (v) => {
    try {
      const sent = await post("/stock-transfers", { from_location: v.from_location, to_location: v.to_location, note: v.note || null,
        lines: lines.lines().map((l) => ({ sku: l.sku, quantity: l.quantity })) }, { "Idempotency-Key": key });
      key = newKey();
      sessionStorage.setItem("office:notice", `${sent.number} sent: in transit until ${sent.to_location ?? v.to_location} receives it.`);
      refresh();
    } catch (err) {
      markLine(lines, err);
      throw err;
    }
  }, { submit: "Send", id: "transfer-form" });
  const act = (t, what) => async () => { await post(`/stock-transfers/${t.id}/${what}`); refresh(); };
  return [h("section", { class: "panel" }, h("h2", {}, "Send goods to another location"),
    h("p", { class: "muted" }, "They leave now and are in transit, at neither location, until received."), send),
  section("Transfers", async () => table([
    { title: "Number", value: (t) => t.number }, { title: "From", value: (t) => t.from_location }, { title: "To", value: (t) => t.to_location },
    { title: "Lines", value: (t) => t.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ") },
    { title: "Status", value: (t) => h("span", { class: `state ${t.status === "sent" ? "retrying" : t.status === "cancelled" ? "failing" : ""}` }, t.status === "sent" ? "in transit" : t.status) },
    { title: "", value: (t) => (t.status === "sent" ? h("span", { class: "toolbar" },
      h("button", { class: "primary", onclick: act(t, "receive") }, "Receive"), h("button", { onclick: act(t, "cancel") }, "Cancel")) : "") },
  ], (await get("/stock-transfers", { limit: 50 })).items, { empty: "No transfer yet.", id: "transfers-table" }))];
}

function adjust(locations) {
  const done = h("div", { id: "adjusted" });
  return h("section", { class: "panel" }, h("h2", {}, "Adjust"),
    h("p", { class: "muted" }, "Damage, theft, samples: a change with its reason."),
    form([select("Location", "location", codes(locations)), field("SKU", "sku", { required: true }),
      field("Change (e.g. -2)", "delta", { required: true }), field("Reason", "reason", { required: true })], async (v) => {
      const m = await post("/inventory/adjustments", v);
      replace(done, notice(`Recorded: ${m.sku} at ${m.location} ${Number(m.delta) > 0 ? "+" : ""}${m.delta}, now ${m.on_hand} on hand.`));
    }, { submit: "Adjust", id: "adjust-form" }), done);
}
