// Receipts: one neutral document per sale, return or Z report, printed by the device
// agent (its ReceiptData JSON) or, without an agent, through the browser's print dialog.

const METHODS = { cash: "Cash", card: "Card" };

function taxes(lines, money) {
  const byRate = new Map();
  for (const line of lines) {
    const entry = byRate.get(line.tax_rate) || { base: 0, tax: 0 };
    entry.base += money.parse(line.net);
    entry.tax += money.parse(line.tax);
    byRate.set(line.tax_rate, entry);
  }
  return [...byRate].map(([rate, t]) => ({ rate, base: money.format(t.base), tax: money.format(t.tax) }));
}

// A sale as the API returns it (or as the register priced it while offline).
export function saleDocument(sale, money) {
  return {
    kind: "sale",
    number: sale.number,
    id: sale.id,
    issuedAt: sale.created_at,
    cashier: sale.created_by,
    lines: sale.lines.map((l) => ({
      description: l.name,
      quantity: String(l.quantity),
      unit_price: l.unit_price,
      line_total: money.format(money.parse(l.subtotal) - money.parse(l.discount)),
      discount: l.discount,
    })),
    taxes: taxes(sale.lines, money),
    subtotal: sale.subtotal,
    discount_total: sale.discount_total,
    tax_total: sale.tax_total,
    total: sale.total,
    tenders: sale.payments.map((p) => ({ method: METHODS[p.method] || p.method, amount: p.amount })),
    change: sale.change_due,
    summary: [],
    footer: sale.offline ? ["Recorded offline: the sale number follows."] : ["Thank you!"],
  };
}

export function returnDocument(record, sale) {
  const names = new Map(sale.lines.map((l) => [l.line_no, l]));
  return {
    kind: "return",
    number: record.number,
    id: record.id,
    issuedAt: record.created_at,
    cashier: record.created_by,
    lines: record.lines.map((l) => ({
      description: names.get(l.line_no)?.name || l.sku,
      quantity: String(l.quantity),
      unit_price: names.get(l.line_no)?.unit_price || l.total,
      line_total: l.total,
      discount: "0",
    })),
    taxes: [],
    subtotal: record.net_total,
    discount_total: "0",
    tax_total: record.tax_total,
    total: record.total,
    tenders: record.refunds.map((p) => ({ method: `Refund ${METHODS[p.method] || p.method}`, amount: p.amount })),
    change: "0",
    summary: [],
    footer: [`Return of ${sale.number}`],
  };
}

export function zDocument(report) {
  const summary = [
    ["Opening float", report.opening_float],
    [`Sales (${report.sales.count})`, report.sales.total],
    ["Discounts", report.sales.discounts],
    [`Returns (${report.returns.count})`, report.returns.total],
    ["Net sales", report.net_sales],
    ["Tax", report.tax_total],
    ...report.tenders.map((t) => [`${METHODS[t.method] || t.method} net`, t.net]),
    ["Cash in", report.cash_in],
    ["Cash out", report.cash_out],
    ["Expected cash", report.expected_cash],
    ["Counted cash", report.counted_cash],
    ["Over / short", report.over_short],
  ].map(([label, amount]) => ({ label, amount }));
  return {
    kind: "z_report", number: `Z ${report.register}`, id: report.shift_id,
    issuedAt: report.closed_at || new Date().toISOString(), cashier: null, lines: [], taxes: [],
    subtotal: "0", discount_total: "0", tax_total: report.tax_total, total: report.net_sales,
    tenders: [], change: "0", summary, footer: [`Shift opened ${report.opened_at}`],
  };
}

// The device agent's ReceiptData.
export function agentReceipt(doc, info) {
  return {
    kind: doc.kind,
    store: { name: info.location_name, address_lines: [] },
    document_number: doc.number,
    document_id: doc.id,
    issued_at: doc.issuedAt,
    currency: info.currency,
    lines: doc.lines,
    taxes: doc.taxes,
    subtotal: doc.subtotal,
    discount_total: doc.discount_total,
    tax_total: doc.tax_total,
    total: doc.total,
    tenders: doc.tenders,
    change: doc.change,
    summary: doc.summary,
    register: info.register,
    cashier: doc.cashier,
    footer: doc.footer,
  };
}

// The same document as a printable element for the browser's print dialog.
export function receiptElement(doc, info) {
  const root = document.createElement("div");
  root.className = "receipt";
  const row = (left, right, cls = "") => {
    const div = document.createElement("div");
    div.className = `receipt-row ${cls}`;
    div.append(Object.assign(document.createElement("span"), { textContent: left }),
      Object.assign(document.createElement("span"), { textContent: right }));
    root.append(div);
  };
  const title = document.createElement("h3");
  title.textContent = info.location_name;
  root.append(title);
  row(doc.number, new Date(doc.issuedAt).toLocaleString());
  for (const line of doc.lines) {
    row(`${line.quantity} × ${line.description}`, line.line_total);
    if (line.discount && line.discount !== "0" && !/^0[.,]?0*$/.test(line.discount)) row("  discount", `-${line.discount}`, "muted");
  }
  for (const item of doc.summary) row(item.label, item.amount);
  if (doc.kind !== "z_report") {
    row("Subtotal", doc.subtotal);
    row("Discounts", doc.discount_total);
    row("Tax", doc.tax_total);
    row("Total", `${doc.total} ${info.currency}`, "strong");
    for (const t of doc.tenders) row(t.method, t.amount);
    row("Change", doc.change);
  }
  for (const text of doc.footer) root.append(Object.assign(document.createElement("p"), { textContent: text }));
  return root;
}
