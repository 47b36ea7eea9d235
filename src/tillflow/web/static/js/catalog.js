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

  async load(api) {
    const items = [];
    let cursor = "";
    do {
      const page = await api.get(`/products?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`);
      items.push(...page.items);
      cursor = page.next_cursor ? encodeURIComponent(page.next_cursor) : "";
    } while (cursor);
    this.replace(items.filter((p) => p.active !== false));
    this.loadedAt = Date.now();
  }

  replace(products) {
    this.products = products.map((p) => ({ ...p, haystack: `${p.sku} ${p.name}`.toLowerCase() }));
    this.bySku = new Map(this.products.map((p) => [p.sku, p]));
    this.byBarcode = new Map();
    for (const p of this.products) {
      for (const code of p.barcodes || []) this.byBarcode.set(gtin14(code), p);
    }
  }

  // SKU and name, every word must match; exact and leading SKU matches first.
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
    found.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
    return found.slice(0, MAX_RESULTS).map(([, p]) => p);
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
