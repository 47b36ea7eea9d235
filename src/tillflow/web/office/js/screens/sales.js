// Sales: a list filtered by date, register, staff, channel and customer; a sale's detail
// with its receipt, returns, payments and journal entry; Z reports by shift.

import { get } from "../api.js";
import { staffLabel, staffNames } from "../staff.js";
import { addDays, field, h, replace, section, select, table, tabs, today, values, when } from "../ui.js";

export async function render({ path }) {
  const [sub, arg] = path;
  if (sub === "sale") return detail(arg);
  if (sub === "shifts") return shifts(arg);
  if (sub === "shift") return shift(arg);
  return list(new URLSearchParams(sub && sub.startsWith("?") ? sub.slice(1) : ""));
}

function header(current) {
  return [h("h1", {}, "Sales"), tabs(current, [["#/sales", "Sales"], ["#/sales/shifts", "Z reports by shift"]])];
}

async function list(filters) {
  const now = today();
  const chosen = {
    from: filters.get("from") ?? addDays(now, -6), to: filters.get("to") ?? addDays(now, 1),
    register: filters.get("register") ?? "", staff: filters.get("staff") ?? "",
    channel: filters.get("channel") ?? "", customer: filters.get("customer") ?? "", number: filters.get("number") ?? "",
  };
  const names = await staffNames();
  const filterForm = h("form", { class: "row panel", id: "sale-filters", onsubmit: (event) => {
    event.preventDefault();
    const picked = Object.entries(values(event.target)).filter(([, v]) => v);
    location.hash = `#/sales/${encodeURIComponent(`?${new URLSearchParams(picked)}`)}`;
  } },
  field("From", "from", { type: "date", value: chosen.from }),
  field("To (exclusive)", "to", { type: "date", value: chosen.to }),
  field("Register", "register", { value: chosen.register, size: 6 }),
  select("Staff", "staff", [["", "anyone"], ...[...names].map(([id, name]) => [String(id), name])], { value: chosen.staff }),
  field("Channel", "channel", { value: chosen.channel, size: 10, placeholder: "pos, shopify…" }),
  field("Customer id", "customer", { value: chosen.customer, size: 12 }),
  field("Number", "number", { value: chosen.number, size: 10 }),
  h("button", { type: "submit", class: "primary" }, "Filter"));
  const results = h("div");
  const load = async (cursor) => {
    const page = await get("/sales", { ...chosen, limit: 50, cursor });
    replace(results, table([
      { title: "Number", value: (s) => h("a", { href: `#/sales/sale/${s.id}` }, s.number) },
      { title: "When", value: (s) => when(s.sold_at ?? s.created_at) },
      { title: "Channel", value: (s) => s.channel },
      { title: "Register", value: (s) => s.register ?? "" },
      { title: "Staff", value: (s) => (s.staff === null ? "" : staffLabel(names, s.staff)) },
      { title: "Customer", value: (s) => s.customer ?? "" },
      { title: "Status", value: (s) => s.status },
      { title: "Total", value: (s) => s.total, num: true },
    ], page.items, { empty: "No sale matches these filters.", id: "sales-table" }),
    page.next_cursor ? h("button", { onclick: () => load(page.next_cursor) }, "Next page") : null);
    return results;
  };
  return h("div", {}, header("#/sales"), filterForm, section(null, () => load()));
}

async function detail(id) {
  const sale = await get(`/sales/${encodeURIComponent(id)}`);
  const facts = h("dl", { class: "facts" }, [
    ["Number", sale.number], ["Status", sale.status], ["When", when(sale.created_at)],
    ["Channel", sale.channel], ["Location", sale.location], ["Register", sale.register ?? "—"],
    ["Customer", sale.customer ?? "—"], ["Subtotal", sale.subtotal], ["Discounts", sale.discount_total],
    ["Tax", sale.tax_total], ["Total", sale.total], ["Change given", sale.change_due],
  ].map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  return h("div", { id: "sale-detail" },
    h("h1", {}, `Sale ${sale.number}`),
    h("p", {}, h("a", { href: "#/sales" }, "← Sales")),
    h("div", { class: "split" },
      h("div", {},
        h("section", { class: "panel" }, h("h2", {}, "Summary"), facts),
        h("section", { class: "panel" }, h("h2", {}, "Lines"), table([
          { title: "SKU", value: (l) => l.sku }, { title: "Name", value: (l) => l.name },
          { title: "Qty", value: (l) => l.quantity, num: true }, { title: "Unit", value: (l) => l.unit_price, num: true },
          { title: "Discount", value: (l) => l.discount, num: true }, { title: "Tax", value: (l) => l.tax, num: true },
          { title: "Total", value: (l) => l.total, num: true },
        ], sale.lines)),
        h("section", { class: "panel", id: "payments" }, h("h2", {}, "Payments"), table([
          { title: "Method", value: (p) => p.method }, { title: "Status", value: (p) => p.status ?? "" },
          { title: "Reference", value: (p) => p.reference ?? "" }, { title: "Amount", value: (p) => p.amount, num: true },
        ], sale.payments, { empty: "No payment." })),
        section("Returns", () => returns(sale), { id: "returns" }),
        section("Journal entry", () => journal(sale), { id: "journal-entry" })),
      h("section", { class: "panel" }, h("h2", {}, "Receipt"),
        h("img", { src: `/api/v1/sales/${encodeURIComponent(sale.id)}/receipt`, alt: `Receipt of sale ${sale.number}`, class: "receipt-image", id: "receipt" }))));
}

async function returns(sale) {
  const found = (await get(`/sales/${encodeURIComponent(sale.id)}/returns`)).items;
  return table([
    { title: "Number", value: (r) => r.number }, { title: "When", value: (r) => when(r.created_at) },
    { title: "Lines", value: (r) => r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ") },
    { title: "Refunds", value: (r) => r.refunds.map((t) => `${t.method} ${t.amount}`).join(", ") },
    { title: "Total", value: (r) => r.total, num: true },
  ], found, { empty: "Nothing returned." });
}

async function journal(sale) {
  const { entries } = await get("/journal", { document: sale.number });
  if (!entries.length) return h("p", { class: "muted" }, "No journal entry for this sale.");
  return entries.map((entry) => h("div", {}, h("p", {}, `${entry.kind} · ${entry.description ?? ""}`), table([
    { title: "Account", value: (l) => l.account }, { title: "Role", value: (l) => l.role },
    { title: "Debit", value: (l) => l.debit, num: true }, { title: "Credit", value: (l) => l.credit, num: true },
  ], entry.lines)));
}

async function shifts(raw = "") {
  const params = new URLSearchParams(raw.replace(/^\?/, ""));
  const chosen = { register: params.get("register") || "", status: params.get("status") || "" };
  const registers = (await get("/registers")).items;
  const filters = h("form", { class: "row panel", id: "shift-filters", onsubmit: (event) => {
    event.preventDefault();
    const picked = Object.entries(values(event.target)).filter(([, v]) => v);
    location.hash = `#/sales/shifts/${encodeURIComponent(`?${new URLSearchParams(picked)}`)}`;
  } }, select("Register", "register", [["", "every register"], ...registers.map((r) => [r.code, `${r.code} · ${r.location}`])], { value: chosen.register }),
  select("Status", "status", [["", "open and closed"], ["open", "open"], ["closed", "closed"]], { value: chosen.status }),
  h("button", { type: "submit", class: "primary" }, "Show"));
  return h("div", {}, header("#/sales/shifts"), filters, section(null, async () => {
    const found = (await get("/shifts", { ...chosen, limit: 100 })).items;
    return table([
      { title: "Register", value: (s) => s.register },
      { title: "Opened", value: (s) => `${when(s.opened_at)} · ${s.opened_by ?? ""}` },
      { title: "Closed", value: (s) => when(s.closed_at) },
      { title: "Status", value: (s) => s.status },
      { title: "Counted cash", value: (s) => s.counted_cash ?? "", num: true },
      { title: "", value: (s) => h("a", { href: `#/sales/shift/${s.id}` }, s.status === "closed" ? "Z report" : "X report") },
    ], found, { empty: "No shift matches.", id: "shifts-table" });
  }));
}

async function shift(id) {
  const [record, report] = await Promise.all([get(`/shifts/${id}`), get(`/shifts/${id}/report`)]);
  return h("div", { id: "z-report" }, h("h1", {}, `${record.status === "closed" ? "Z" : "X"} report · ${record.register}`),
    h("p", {}, h("a", { href: "#/sales/shifts" }, "← Shifts")),
    h("section", { class: "panel" }, facts(report)));
}

// A report's figures as they come: scalars as rows, lists as tables.
function facts(report) {
  const scalars = Object.entries(report).filter(([, v]) => v === null || typeof v !== "object");
  const nested = Object.entries(report).filter(([, v]) => v !== null && typeof v === "object");
  return [
    h("dl", { class: "facts" }, scalars.map(([k, v]) => [h("dt", {}, k.replaceAll("_", " ")), h("dd", {}, v ?? "—")])),
    nested.map(([k, v]) => {
      const rows = Array.isArray(v) ? v : Object.entries(v).map(([key, value]) => (typeof value === "object" ? { key, ...value } : { key, value }));
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return [h("h2", {}, k.replaceAll("_", " ")), table(columns.map((c) => ({ title: c.replaceAll("_", " "), value: (r) => (typeof r[c] === "object" && r[c] !== null ? JSON.stringify(r[c]) : r[c] ?? "") })), rows)];
    }),
  ];
}
