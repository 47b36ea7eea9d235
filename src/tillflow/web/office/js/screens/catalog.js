// Products: search, create, edit, deactivate; bulk import with its per-row report; export.

import { get, patch, post } from "../api.js";
import { download, field, form, h, notice, refresh, replace, section, table, toCsv } from "../ui.js";
import { newProduct, productPage } from "./products.js";

const COLUMNS = ["sku", "name", "price", "tax_rate", "barcodes", "active", "cost"];
// A product with options: its rows share `product`, each naming its values (the importer's
// columns, so an exported file imports back as it was).
const OPTION_COLUMNS = ["category", "product", "option1_name", "option1_value",
  "option2_name", "option2_value", "option3_name", "option3_value"];

export async function render({ path }) {
  const [sub, arg] = path;
  if (sub === "new") return editor(null);
  if (sub === "new-with-options") return newProduct();
  if (sub === "product") return productPage(arg);
  if (sub === "edit") return editor(await get(`/products/${encodeURIComponent(arg)}`));
  if (sub === "import") return importer();
  return list(sub === "search" ? arg || "" : "");
}

function list(query) {
  const search = h("input", { name: "query", type: "search", value: query, placeholder: "SKU, name or barcode", "aria-label": "Search products" });
  const results = h("div", { id: "product-results" });
  const run = async (cursor) => {
    const page = await get("/products", { query: search.value.trim(), limit: 50, cursor });
    const shown = table([
      { title: "SKU", value: (p) => p.sku },
      { title: "Name", value: (p) => p.name },
      { title: "Options", value: (p) => optionsOf(p) },
      { title: "Price", value: (p) => p.price, num: true },
      { title: "Tax rate", value: (p) => p.tax_rate, num: true },
      { title: "Cost", value: (p) => p.cost ?? "", num: true },
      { title: "Barcodes", value: (p) => p.barcodes.join(" ") },
      { title: "Active", value: (p) => (p.active ? "yes" : "no") },
      { title: "", value: (p) => h("span", {},
        h("a", { href: `#/catalog/edit/${encodeURIComponent(p.sku)}` }, "Edit"), " · ",
        h("a", { href: `#/stock/ledger/${encodeURIComponent(p.sku)}` }, "Stock")) },
    ], page.items, { empty: "No product matches." });
    const more = page.next_cursor ? h("button", { onclick: () => run(page.next_cursor) }, "Next page") : null;
    replace(results, shown, more);
  };
  const bar = h("form", { class: "toolbar", role: "search", onsubmit: (e) => { e.preventDefault(); location.hash = `#/catalog/search/${encodeURIComponent(search.value.trim())}`; } },
    search, h("button", { type: "submit" }, "Search"),
    h("a", { href: "#/catalog/new" }, h("button", { type: "button", class: "primary" }, "New product")),
    h("a", { href: "#/catalog/new-with-options" }, h("button", { type: "button" }, "New product with options")),
    h("a", { href: "#/catalog/import" }, h("button", { type: "button" }, "Import CSV")),
    h("button", { type: "button", id: "export-csv", onclick: exportCsv }, "Export CSV"));
  return h("div", {}, h("h1", {}, "Catalog"), bar, section(null, async () => { await run(); return results; }));
}

function editor(product) {
  const creating = product === null;
  const p = product || { sku: "", name: "", price: "", tax_rate: "0", barcodes: [], active: true, cost: null };
  const fields = [
    creating ? field("SKU", "sku", { required: true, value: p.sku }) : h("p", {}, "SKU ", h("strong", {}, p.sku)),
    field("Name", "name", { required: true, value: p.name }),
    field("Price", "price", { required: true, value: p.price, inputmode: "decimal" }),
    field("Tax rate", "tax_rate", { value: p.tax_rate, inputmode: "decimal", placeholder: "0.08" }),
    field("Cost (what a unit costs the store)", "cost", { value: p.cost ?? "", inputmode: "decimal" }),
    field("Barcodes (separated by spaces)", "barcodes", { value: p.barcodes.join(" ") }),
    h("label", {}, h("input", { type: "checkbox", name: "active", checked: p.active }), " Active (sold and synced)"),
  ];
  const saved = h("div");
  const edit = form(fields, async (v) => {
    const body = { name: v.name, price: v.price, tax_rate: v.tax_rate || "0",
      barcodes: v.barcodes.split(/[\s|]+/).filter(Boolean), active: v.active, ...(v.cost ? { cost: v.cost } : {}) };
    const result = creating ? await post("/products", { sku: v.sku, ...body })
      : await patch(`/products/${encodeURIComponent(p.sku)}`, body);
    replace(saved, notice(`Saved ${result.sku} (version ${result.version}).`));
    if (creating) location.hash = `#/catalog/edit/${encodeURIComponent(result.sku)}`;
  }, { id: "product-form", submit: creating ? "Create product" : "Save changes" });
  const deactivate = !creating && p.active ? h("button", { class: "warn", id: "deactivate", onclick: async () => {
    await patch(`/products/${encodeURIComponent(p.sku)}`, { active: false });
    refresh();
  } }, "Deactivate") : null;
  return h("div", {}, h("h1", {}, creating ? "New product" : `Product ${p.sku}`),
    h("p", {}, h("a", { href: "#/catalog" }, "← Catalog"),
      !creating && Object.keys(p.options || {}).length ? [" · a variant of ",
        h("a", { href: `#/catalog/product/${p.product_id}`, id: "variant-of" }, "its product"), ` (${optionText(p)})`] : null),
    h("div", { class: "panel" }, edit, deactivate, saved));
}

// A variant's values, linking to its product with options; nothing for a simple product.
function optionsOf(p) {
  if (!Object.keys(p.options || {}).length) return "";
  return h("a", { href: `#/catalog/product/${p.product_id}` }, optionText(p));
}

function optionText(p) { return Object.values(p.options).join(" / "); }

function importer() {
  const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv", required: true });
  const report = h("div", { id: "import-report" });
  const upload = form([h("label", {}, "CSV file ", file)], async () => {
    const text = await file.files[0].text();
    const result = await post("/products/imports", { csv: text });
    replace(report,
      notice(`${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected.length} refused.`),
      table([
        { title: "Line", value: (r) => r.line, num: true },
        { title: "SKU", value: (r) => r.sku },
        { title: "Why it was refused", value: (r) => r.reason },
      ], result.rejected, { empty: "Every row was imported." }));
  }, { submit: "Import", id: "import-form" });
  return h("div", {}, h("h1", {}, "Import products"),
    h("p", {}, h("a", { href: "#/catalog" }, "← Catalog")),
    h("div", { class: "panel" },
      h("p", {}, "Columns: ", h("code", {}, COLUMNS.join(",")), "; for products with options also ",
        h("code", {}, OPTION_COLUMNS.join(",")),
        " (the rows of one product share its ", h("code", {}, "product"), " and land together or not at all)",
        ". Each good row lands; each bad one is reported with its line and changes nothing."),
      upload, report));
}

async function exportCsv() {
  // Each page also names the products with options its SKUs belong to: their rows carry
  // the product's name, as the importer reads it, not the variant's.
  const products = [];
  const names = new Map();
  let cursor;
  do {
    const page = await get("/products", { limit: 500, cursor });
    products.push(...page.items);
    for (const product of page.products || []) names.set(product.id, product.name);
    cursor = page.next_cursor;
  } while (cursor);
  download("products.csv", toCsv([...COLUMNS, ...OPTION_COLUMNS], products.map((p) => {
    const options = Object.entries(p.options || {}).slice(0, 3);
    const cells = [p.category ?? "", options.length ? `product-${p.product_id}` : ""];
    for (let i = 0; i < 3; i++) cells.push(...(options[i] || ["", ""]));
    const name = options.length ? names.get(p.product_id) ?? p.name : p.name;
    return [p.sku, name, p.price, p.tax_rate, p.barcodes.join(" "), p.active ? "true" : "false", p.cost ?? "", ...cells];
  })));
}
