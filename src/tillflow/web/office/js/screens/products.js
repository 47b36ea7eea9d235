// Products with options (Size, Colour, …): create one with its variants, change its name,
// category and options, and each variant's price, cost, barcodes and sale; add and remove
// variants. The catalog's list links here from each variant.

import { get, patch, post } from "../api.js";
import { field, form, h, notice, refresh, replace, table } from "../ui.js";

export function newProduct() {
  const grid = h("div", { id: "variant-grid" });
  const options = h("textarea", { name: "options", rows: 3, required: true,
    placeholder: "Size: S, M, L\nColour: Red, Blue", "aria-label": "Options" });
  const saved = h("div");
  const fields = [
    field("Name", "name", { required: true }),
    field("Category (a path, e.g. Clothing/Tees)", "category"),
    field("Tax rate", "tax_rate", { value: "0", inputmode: "decimal" }),
    field("Price of every variant", "price", { required: true, inputmode: "decimal" }),
    field("SKU prefix (each variant's SKU is the prefix and its values)", "prefix", { required: true }),
    h("label", {}, "Options, one per line: name, a colon, its values separated by commas ", options),
    grid,
  ];
  const preview = () => {
    const parsed = readOptions(options.value);
    const rows = combinations(parsed);
    replace(grid, rows.length ? h("p", { class: "muted" }, `${rows.length} variants: `,
      rows.slice(0, 12).map((values) => values.join(" / ")).join(", "), rows.length > 12 ? ", …" : "") : null);
  };
  options.addEventListener("input", preview);
  const create = form(fields, async (v) => {
    const parsed = readOptions(v.options);
    const variants = combinations(parsed).map((values) => ({
      sku: skuOf(v.prefix, values),
      options: Object.fromEntries(parsed.map((option, i) => [option.name, values[i]])),
      price: v.price,
    }));
    const made = await post("/products", { name: v.name, tax_rate: v.tax_rate || "0",
      ...(v.category ? { category: v.category } : {}), options: parsed, variants });
    replace(saved, notice(`Created ${made.name} with ${made.variants.length} variants.`));
    location.hash = `#/catalog/product/${made.id}`;
  }, { id: "product-with-options-form", submit: "Create product" });
  return h("div", {}, h("h1", {}, "New product with options"),
    h("p", {}, h("a", { href: "#/catalog" }, "← Catalog")),
    h("div", { class: "panel" }, create, saved));
}

// What the last change did, shown once the page is drawn again with its result.
let saidLast = null;

export async function productPage(id) {
  const product = await get(`/product-groups/${encodeURIComponent(id)}`);
  const saved = h("div", { id: "product-saved" }, saidLast ? notice(saidLast) : null);
  saidLast = null;
  const done = (text) => { saidLast = text; refresh(); };
  return h("div", {}, h("h1", {}, product.name),
    h("p", {}, h("a", { href: "#/catalog" }, "← Catalog")),
    saved,
    h("section", { class: "panel" }, h("h2", {}, "Product"), details(product, done)),
    h("section", { class: "panel" }, h("h2", {}, "Variants"), variants(product, done)),
    h("section", { class: "panel" }, h("h2", {}, "Add a variant"), adder(product, done)));
}

function details(product, done) {
  const names = product.options.map((o) => o.name);
  return form([
    field("Name", "name", { required: true, value: product.name }),
    field("Category", "category", { value: product.category ?? "" }),
    field("Tax rate", "tax_rate", { value: product.tax_rate, inputmode: "decimal" }),
    ...product.options.map((o, i) => field(`${o.name}: values (add new ones at the end)`, `option${i}`,
      { value: o.values.join(", ") })),
    field("A new option (name: values), given to every variant as its first value", "new_option",
      { placeholder: "Fit: Regular" }),
  ], async (v) => {
    const options = names.map((name, i) => ({ name, values: splitValues(v[`option${i}`]) }));
    if (v.new_option) options.push(...readOptions(v.new_option));
    const added = options.slice(names.length);
    const body = { name: v.name, tax_rate: v.tax_rate || "0", options,
      ...(v.category ? { category: v.category } : {}) };
    if (added.length) {
      // Every variant takes a value of a new option: the first one given.
      body.variants = product.variants.map((variant) => ({ sku: variant.sku, options: {
        ...variant.options, ...Object.fromEntries(added.map((o) => [o.name, o.values[0]])) } }));
    }
    const changed = await patch(`/product-groups/${product.id}`, body);
    done(`Saved ${changed.name} (version ${changed.version}).`);
  }, { id: "product-details-form", submit: "Save product" });
}

function variants(product, done) {
  const names = product.options.map((o) => o.name);
  const row = (variant) => ({ variant,
    price: h("input", { name: `price:${variant.sku}`, value: variant.price, inputmode: "decimal", size: 8, "aria-label": `Price of ${variant.sku}` }),
    cost: h("input", { name: `cost:${variant.sku}`, value: variant.cost ?? "", inputmode: "decimal", size: 8, "aria-label": `Cost of ${variant.sku}` }),
    barcodes: h("input", { name: `barcodes:${variant.sku}`, value: variant.barcodes.join(" "), size: 16, "aria-label": `Barcodes of ${variant.sku}` }),
    active: h("input", { type: "checkbox", name: `active:${variant.sku}`, checked: variant.active, "aria-label": `${variant.sku} on sale` }),
    remove: h("input", { type: "checkbox", name: `remove:${variant.sku}`, "aria-label": `Remove ${variant.sku}` }),
  });
  const rows = product.variants.map(row);
  const shown = table([
    { title: "SKU", value: (r) => h("a", { href: `#/catalog/edit/${encodeURIComponent(r.variant.sku)}` }, r.variant.sku) },
    ...names.map((name) => ({ title: name, value: (r) => r.variant.options[name] ?? "" })),
    { title: "Price", value: (r) => r.price, num: true },
    { title: "Cost", value: (r) => r.cost, num: true },
    { title: "Barcodes", value: (r) => r.barcodes },
    { title: "On sale", value: (r) => r.active },
    { title: "Remove", value: (r) => r.remove },
    { title: "", value: (r) => h("a", { href: `#/stock/ledger/${encodeURIComponent(r.variant.sku)}` }, "Stock") },
  ], rows, { id: "variants" });
  return form([shown], async () => {
    const changes = [];
    const remove = [];
    for (const r of rows) {
      if (r.remove.checked) { remove.push(r.variant.sku); continue; }
      const change = { sku: r.variant.sku };
      if (r.price.value.trim() !== r.variant.price) change.price = r.price.value.trim();
      if (r.cost.value.trim() && r.cost.value.trim() !== (r.variant.cost ?? "")) change.cost = r.cost.value.trim();
      const codes = r.barcodes.value.split(/[\s|]+/).filter(Boolean);
      if (codes.join(" ") !== r.variant.barcodes.join(" ")) change.barcodes = codes;
      if (r.active.checked !== r.variant.active) change.active = r.active.checked;
      if (Object.keys(change).length > 1) changes.push(change);
    }
    if (!changes.length && !remove.length) { done("Nothing to change."); return; }
    const changed = await patch(`/product-groups/${product.id}`, { variants: changes, remove });
    done(`Saved ${changes.length} variants, removed ${remove.length} (version ${changed.version}).`);
  }, { id: "variants-form", submit: "Save variants" });
}

function adder(product, done) {
  return form([
    field("SKU", "sku", { required: true }),
    ...product.options.map((o, i) => h("label", {}, `${o.name} `, h("input", { name: `value${i}`, required: true,
      list: `values-${i}`, "aria-label": o.name }), h("datalist", { id: `values-${i}` }, o.values.map((v) => h("option", { value: v }))))),
    field("Price", "price", { required: true, inputmode: "decimal" }),
    field("Barcodes (separated by spaces)", "barcodes"),
  ], async (v) => {
    const values = product.options.map((o, i) => v[`value${i}`]);
    // A value the product does not have yet is added to its option first.
    const options = product.options.map((o, i) => ({ name: o.name,
      values: o.values.includes(values[i]) ? o.values : [...o.values, values[i]] }));
    const changed = await patch(`/product-groups/${product.id}`, { options, variants: [{
      sku: v.sku, price: v.price, barcodes: v.barcodes.split(/[\s|]+/).filter(Boolean),
      options: Object.fromEntries(product.options.map((o, i) => [o.name, values[i]])) }] });
    done(`Added ${v.sku} (version ${changed.version}).`);
  }, { id: "variant-add-form", submit: "Add variant" });
}

// "Size: S, M, L" lines → [{ name: "Size", values: ["S", "M", "L"] }]
function readOptions(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const at = line.indexOf(":");
    return at < 0 ? { name: line, values: [] } : { name: line.slice(0, at).trim(), values: splitValues(line.slice(at + 1)) };
  });
}

function splitValues(text) {
  return [...new Set(String(text || "").split(",").map((v) => v.trim()).filter(Boolean))];
}

function combinations(options) {
  return options.reduce((rows, option) => rows.flatMap((row) => option.values.map((v) => [...row, v])), [[]])
    .filter((row) => row.length === options.length && row.length > 0);
}

function skuOf(prefix, values) {
  return [prefix.trim(), ...values.map((v) => v.toUpperCase().replace(/[^A-Z0-9]+/g, ""))].join("-");
}
