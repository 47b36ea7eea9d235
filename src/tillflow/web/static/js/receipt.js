// Receipts: one document per sale, gift, return or shift, laid out by the server
// (GET /receipts/{id}: the store's name, address, tax id, logo and footer, lines that add
// up to the subtotal). The device agent prints that document as it is; without an agent
// the browser's print dialog prints the same document. Only a sale the server has not
// seen yet (made offline) has its document made here, from the store's details the
// register keeps.

const TITLES = { sale: "RECEIPT", gift: "GIFT RECEIPT", return: "RETURN", z_report: "Z REPORT" };

// The server's document for `id` (a sale's, return's or shift's; `gift` for a sale's gift
// receipt).
export function fetchReceipt(api, id, { gift = false } = {}) {
  return api.get(`/receipts/${encodeURIComponent(id)}${gift ? "?gift=true" : ""}`);
}

// A sale recorded while the server was away, as the server will lay it out: its printed
// number is the OFFLINE- number it is found by later.
export function offlineReceipt(sale, info, money) {
  const byRate = new Map();
  for (const line of sale.lines) {
    const entry = byRate.get(line.tax_rate) || { base: 0, tax: 0 };
    entry.base += money.parse(line.net);
    entry.tax += money.parse(line.tax);
    byRate.set(line.tax_rate, entry);
  }
  const store = info.store || { name: info.location_name, address_lines: [], tax_id: null, logo: null, footer: [] };
  return {
    kind: "sale",
    store: { name: store.name, address_lines: store.address_lines, tax_id: store.tax_id, logo: store.logo, footer: store.footer },
    document_number: sale.number,
    document_id: sale.id,
    issued_at: sale.created_at,
    currency: info.currency,
    lines: sale.lines.map((l) => ({ description: l.name, quantity: String(l.quantity), unit_price: l.unit_price,
                                    line_total: l.subtotal, discount: l.discount })),
    taxes: [...byRate].map(([rate, t]) => ({ rate, base: money.format(t.base), tax: money.format(t.tax) })),
    subtotal: sale.subtotal,
    discount_total: sale.discount_total,
    tax_total: sale.tax_total,
    total: sale.total,
    tenders: sale.payments.map((p) => ({ method: p.method, amount: p.amount })),
    change: sale.change_due,
    summary: [],
    register: info.register,
    cashier: sale.created_by,
    footer: [...(store.footer?.length ? store.footer : ["Thank you!"]), "Recorded offline: keep this receipt, its number finds the sale."],
  };
}

export function reprinted(doc) {
  return { ...doc, footer: [...doc.footer, "REPRINT"] };
}

// The document as a printable element for the browser's print dialog: what the printer
// would print, amounts always with the currency's decimals.
export function receiptElement(doc, money) {
  const root = document.createElement("div");
  root.className = "receipt";
  const minor = (value) => {
    const textValue = String(value ?? "0").trim();
    const found = money.parse(textValue.replace(/^[-+]/, "")) ?? 0;
    return textValue.startsWith("-") ? -found : found;
  };
  const amount = (value, { signed = false, negate = false } = {}) => {
    const figure = negate ? -minor(value) : minor(value);
    return `${signed && figure > 0 ? "+" : ""}${money.format(figure)}`;
  };
  const row = (left, right, cls = "") => {
    const div = document.createElement("div");
    div.className = cls === "strong" ? "receipt-row strong" : "receipt-row";
    div.append(Object.assign(document.createElement("span"), { textContent: left }),
      Object.assign(document.createElement("span"), { textContent: right, className: `amount ${cls}` }));
    root.append(div);
  };
  const text = (value, cls = "") => root.append(Object.assign(document.createElement("p"), { textContent: value, className: cls }));
  const { store } = doc;
  if (store.logo) root.append(Object.assign(document.createElement("img"), { className: "logo", alt: store.name, src: `data:image/png;base64,${store.logo}` }));
  root.append(Object.assign(document.createElement("h3"), { textContent: store.name }));
  for (const part of store.address_lines) text(part, "center");
  if (store.tax_id) text(`Tax ID ${store.tax_id}`, "center");
  text(`${TITLES[doc.kind]} ${doc.document_number}`, "strong");
  text(`${new Date(doc.issued_at).toLocaleString()}${doc.register ? ` · Register ${doc.register}` : ""}`);
  if (doc.cashier) text(`Cashier: ${doc.cashier}`);
  for (const line of doc.lines) {
    if (doc.kind === "gift") {
      text(`${line.quantity} × ${line.description}`);
      continue;
    }
    row(`${line.quantity} × ${line.description} @ ${amount(line.unit_price)}`, amount(line.line_total), "line-total");
    if (minor(line.discount)) row("  discount", amount(line.discount, { negate: true }), "line-discount");
  }
  for (const item of doc.summary) row(item.label, amount(item.amount, { signed: item.signed }), "summary");
  if (doc.kind === "sale" || doc.kind === "return") {
    row("Subtotal", amount(doc.subtotal), "subtotal");
    if (minor(doc.discount_total)) row("Discount", amount(doc.discount_total, { negate: true }), "discount");
    row("Tax", amount(doc.tax_total), "tax");
    row(doc.kind === "sale" ? "Total" : "Refund", `${amount(doc.total)} ${doc.currency}`, "strong");
    for (const t of doc.tenders) row(t.method.charAt(0).toUpperCase() + t.method.slice(1), amount(t.amount), "tender");
    if (doc.kind === "sale") row("Change", amount(doc.change), "change");
  }
  for (const line of doc.footer) text(line, "center");
  return root;
}
