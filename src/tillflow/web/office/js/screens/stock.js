// Stock: levels by product × location, a SKU's levels, goods received, counts, transfers
// between locations and adjustments — each a movement of the ledger with its reason.

import { get, post } from "../api.js";
import { field, form, h, notice, replace, section, select, table, tabs } from "../ui.js";

const SECTIONS = [["levels", "Levels"], ["sku", "A product's stock"], ["receive", "Receive goods"],
  ["count", "Count"], ["transfer", "Transfer"], ["adjust", "Adjust"]];

export async function render({ path }) {
  const [sub = "levels", arg] = path;
  const locations = (await get("/locations")).items;
  const body = {
    levels: () => levels(locations, arg), sku: () => product(arg), ledger: () => product(arg),
    receive: () => receive(locations), count: () => count(locations), transfer: () => transfer(locations),
    adjust: () => adjust(locations),
  }[sub] || (() => levels(locations));
  return h("div", {}, h("h1", {}, "Stock"),
    tabs(`#/stock/${sub === "ledger" ? "sku" : sub}`, SECTIONS.map(([key, title]) => [`#/stock/${key}`, title])), body());
}

const codes = (locations) => locations.map((l) => [l.code, `${l.code} · ${l.name}`]);

function levels(locations, query = "") {
  const search = h("input", { name: "query", type: "search", value: query, placeholder: "SKU or name", "aria-label": "Search products" });
  return [
    h("form", { class: "toolbar", role: "search", onsubmit: (e) => { e.preventDefault(); location.hash = `#/stock/levels/${encodeURIComponent(search.value.trim())}`; } },
      search, h("button", { type: "submit" }, "Search")),
    section(null, async () => {
      const products = (await get("/products", { query, limit: 25 })).items;
      const stock = await Promise.all(products.map((p) => get(`/inventory/${encodeURIComponent(p.sku)}`)));
      const rows = products.map((p, i) => ({ product: p, levels: new Map(stock[i].levels.map((l) => [l.location, l])) }));
      return table([
        { title: "SKU", value: (r) => h("a", { href: `#/stock/sku/${encodeURIComponent(r.product.sku)}` }, r.product.sku) },
        { title: "Name", value: (r) => r.product.name },
        ...locations.map((loc) => ({ title: loc.code, num: true, value: (r) => r.levels.get(loc.code)?.on_hand ?? "0" })),
      ], rows, { empty: "No product matches.", id: "levels-table" });
    }, { id: "levels" }),
  ];
}

function product(sku = "") {
  const lookup = h("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); location.hash = `#/stock/sku/${encodeURIComponent(e.target.elements.sku.value.trim())}`; } },
    h("input", { name: "sku", value: sku, placeholder: "SKU", "aria-label": "SKU", required: true }), h("button", { type: "submit" }, "Show"));
  if (!sku) return lookup;
  return [lookup, section(`Levels of ${sku}`, async () => {
    const [found, stock] = await Promise.all([get(`/products/${encodeURIComponent(sku)}`), get(`/inventory/${encodeURIComponent(sku)}`)]);
    return [h("p", {}, found.name),
      table([
        { title: "Location", value: (l) => l.location }, { title: "On hand", value: (l) => l.on_hand, num: true },
        { title: "Available", value: (l) => l.available, num: true },
      ], stock.levels, { empty: "No stock anywhere yet.", id: "sku-levels" })];
  }, { id: "sku-stock" })];
}

function movement(result) {
  const one = (m) => `${m.sku} at ${m.location}: ${Number(m.delta) > 0 ? "+" : ""}${m.delta}, now ${m.on_hand} on hand`;
  return notice(result.from ? `Moved: ${one(result.from)}; ${one(result.to)}.` : `Recorded: ${one(result)}.`);
}

function receive(locations) {
  const done = h("div", { id: "received" });
  return h("section", { class: "panel" }, h("h2", {}, "Receive goods"),
    h("p", { class: "muted" }, "Each line is a receipt movement in the ledger at the location that took the goods in."),
    form([select("Location", "location", codes(locations)), field("SKU", "sku", { required: true }),
      field("Quantity received", "delta", { required: true, inputmode: "decimal" }),
      field("Delivery note or supplier", "reason", { required: true, placeholder: "PO 1042, Acme Ltd" })], async (v, el) => {
      replace(done, movement(await post("/inventory/adjustments", { sku: v.sku, location: v.location, delta: v.delta, reason: `receipt: ${v.reason}` })));
      el.elements.sku.value = ""; el.elements.delta.value = ""; el.elements.sku.focus();
    }, { submit: "Receive", id: "receive-form" }), done);
}

function count(locations) {
  const done = h("div", { id: "counted" });
  return h("section", { class: "panel" }, h("h2", {}, "Count"),
    h("p", { class: "muted" }, "Scan or type the SKU and the units on the shelf; the difference is recorded as a count movement."),
    form([select("Location", "location", codes(locations)), field("SKU", "sku", { required: true, autofocus: true }),
      field("Counted", "counted", { required: true, inputmode: "decimal" })], async (v, el) => {
      replace(done, movement(await post("/inventory/counts", { sku: v.sku, location: v.location, counted: v.counted })));
      el.elements.sku.value = ""; el.elements.counted.value = ""; el.elements.sku.focus();
    }, { submit: "Record count", id: "count-form" }), done);
}

function transfer(locations) {
  const done = h("div", { id: "transferred" });
  return h("section", { class: "panel" }, h("h2", {}, "Transfer between locations"),
    form([select("From", "from_location", codes(locations)), select("To", "to_location", codes(locations), { value: locations[1]?.code }),
      field("SKU", "sku", { required: true }), field("Quantity", "quantity", { required: true, inputmode: "decimal" })], async (v) => {
      replace(done, movement(await post("/inventory/transfers", v)));
    }, { submit: "Transfer", id: "transfer-form" }), done);
}

function adjust(locations) {
  const done = h("div", { id: "adjusted" });
  return h("section", { class: "panel" }, h("h2", {}, "Adjust"),
    h("p", { class: "muted" }, "Damage, theft, samples: a negative or positive change with its reason."),
    form([select("Location", "location", codes(locations)), field("SKU", "sku", { required: true }),
      field("Change (e.g. -2)", "delta", { required: true }), field("Reason", "reason", { required: true })], async (v) => {
      replace(done, movement(await post("/inventory/adjustments", v)));
    }, { submit: "Adjust", id: "adjust-form" }), done);
}
