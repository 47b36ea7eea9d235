// The catalog held in memory for instant search and scanning. Pages come from the API,
// through the service worker, which keeps the last copy for when the server is away.

const PAGE = 500;
const MAX_RESULTS = 12;
// In-store weight and price codes (EAN-13, prefix 21: weight in grams; 23: price in
// cents), the server's default rules, read here only while the server is unreachable.
const RCN_RULES = [
  { prefix: "21", measure: "weight", valueDigits: 5, decimals: 3 },
  { prefix: "23", measure: "price", valueDigits: 5, decimals: 2 },
];

export function checkDigit(payload) {
  let sum = 0;
  [...payload].reverse().forEach((d, i) => { sum += Number(d) * (i % 2 === 0 ? 3 : 1); });
  return String((10 - (sum % 10)) % 10);
}

const gtin14 = (code) => code.padStart(14, "0");

export class Catalog {
  constructor() {
    this.products = [];
    this.bySku = new Map();
    this.byBarcode = new Map();
    this.loadedAt = 0;
  }

  // Each page carries, beside its SKUs, the products with options they are variants of.
  async load(api) {
    const items = [];
    const products = new Map();
    let cursor = "";
    do {
      const page = await api.get(`/products?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`);
      items.push(...page.items);
      for (const product of page.products || []) products.set(product.id, product);
      cursor = page.next_cursor ? encodeURIComponent(page.next_cursor) : "";
    } while (cursor);
    this.replace(items.filter((p) => p.active !== false), products);
    this.loadedAt = Date.now();
  }

  // A variant's name is its product's and its option values (``Tee - M / Red``).
  replace(variants, products = new Map()) {
    this.products = variants.map((p) => {
      const values = Object.values(p.options || {}).join(" ");
      return { ...p, label: p.name, haystack: `${p.sku} ${p.name} ${values}`.toLowerCase() };
    });
    this.bySku = new Map(this.products.map((p) => [p.sku, p]));
    this.byBarcode = new Map();
    for (const p of this.products) {
      for (const code of p.barcodes || []) this.byBarcode.set(gtin14(code), p);
    }
    this.groups = groupVariants(this.products, products);
  }

  // The product a variant belongs to, when it has more than one variant to choose from.
  groupOf(variant) {
    return this.groups.get(variant.product_id) || null;
  }

  // What the cashier picks from: a product with variants once, a simple product as itself.
  entries() {
    const seen = new Set();
    const entries = [];
    for (const p of this.products) {
      const group = this.groupOf(p);
      if (!group) entries.push(p);
      else if (!seen.has(group.id)) {
        seen.add(group.id);
        entries.push(group);
      }
    }
    return entries;
  }

  // SKU, name and option values, every word must match; exact and leading SKU matches
  // first. A product of which several variants match is offered once, to pick from; a
  // SKU typed or a single variant left by the words is offered as itself.
  search(query) {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length === 0) return [];
    const first = terms[0];
    const found = [];
    for (const p of this.products) {
      if (terms.every((t) => p.haystack.includes(t))) {
        const sku = p.sku.toLowerCase();
        const rank = sku === first ? 0 : sku.startsWith(first) ? 1 : p.haystack.startsWith(first) ? 2 : 3;
        found.push([rank, p]);
      }
    }
    const matchedPerGroup = new Map();
    for (const [rank, p] of found) {
      if (rank > 1 && this.groupOf(p)) matchedPerGroup.set(p.product_id, (matchedPerGroup.get(p.product_id) || 0) + 1);
    }
    const offered = new Map();
    for (const [rank, p] of found) {
      const collapse = rank > 1 && (matchedPerGroup.get(p.product_id) || 0) > 1;
      const entry = collapse ? this.groupOf(p) : p;
      const key = collapse ? `group:${entry.id}` : `sku:${p.sku}`;
      if (!offered.has(key)) offered.set(key, [rank, entry]);
    }
    const ranked = [...offered.values()];
    ranked.sort((a, b) => a[0] - b[0] || a[1].label.localeCompare(b[1].label));
    return ranked.slice(0, MAX_RESULTS).map(([, entry]) => entry);
  }

  // A plain EAN/UPC of a product, without asking the server.
  exact(code) {
    return /^\d{8,14}$/.test(code) ? this.byBarcode.get(gtin14(code)) || null : null;
  }

  // {product, quantity?, unit_price?} as the server's by-barcode answers, from memory.
  offlineLookup(code) {
    const product = this.exact(code);
    if (product) return { product };
    if (!/^\d{13}$/.test(code)) return null;
    const rule = RCN_RULES.find((r) => code.startsWith(r.prefix));
    if (!rule) return null;
    const valueAt = 12 - rule.valueDigits;
    const lookup = code.slice(0, valueAt) + "0".repeat(rule.valueDigits);
    const base = this.exact(lookup + checkDigit(lookup));
    if (!base) return null;
    const raw = code.slice(valueAt, 12);
    const value = `${raw.slice(0, raw.length - rule.decimals)}.${raw.slice(-rule.decimals)}`;
    return rule.measure === "weight" ? { product: base, quantity: value } : { product: base, unit_price: value };
  }
}

// Products of more than one variant on sale, by id, with their options in their order.
function groupVariants(variants, products) {
  const byProduct = new Map();
  for (const v of variants) {
    if (!products.has(v.product_id)) continue;
    if (!byProduct.has(v.product_id)) byProduct.set(v.product_id, []);
    byProduct.get(v.product_id).push(v);
  }
  const groups = new Map();
  for (const [id, members] of byProduct) {
    if (members.length < 2) continue;
    const { name, options } = products.get(id);
    groups.set(id, { id, name, label: name, options, variants: members, isGroup: true });
  }
  return groups;
}
