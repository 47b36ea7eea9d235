// Reports: sales by day, week, month, product, tax rate, staff, register and channel, with a
// chart and CSV export; the journal and trial balance over a range; payment reconciliation.

import { csv, get } from "../api.js";
import { barChart } from "../chart.js";
import { staffLabel, staffNames } from "../staff.js";
import { addDays, addMoney, download, field, h, section, select, table, tabs, toCsv, today, values } from "../ui.js";

const GROUPS = [["day", "Day"], ["week", "Week"], ["month", "Month"], ["product", "Product"],
  ["tax_rate", "Tax rate"], ["staff", "Staff"], ["register", "Register"], ["channel", "Channel"]];
const COLUMNS = ["key", "sales", "units", "net", "tax", "total"];

export async function render({ path }) {
  const [sub = "sales", rawQuery = ""] = path;
  const params = new URLSearchParams(rawQuery.replace(/^\?/, ""));
  const now = today();
  const range = { from: params.get("from") || addDays(now, -29), to: params.get("to") || addDays(now, 1) };
  const body = sub === "books" ? books(range) : sub === "payments" ? payments(params) : sales(range, params.get("group_by") || "day");
  return h("div", {}, h("h1", {}, "Reports"),
    tabs(`#/reports/${sub}`, [["#/reports/sales", "Sales"], ["#/reports/books", "Journal and trial balance"], ["#/reports/payments", "Payment reconciliation"]]),
    body);
}

function rangeForm(sub, range, extra = [], id = "report-form") {
  return h("form", { class: "row panel", id, onsubmit: (event) => {
    event.preventDefault();
    location.hash = `#/reports/${sub}/${encodeURIComponent(`?${new URLSearchParams(values(event.target))}`)}`;
  } }, field("From", "from", { type: "date", value: range.from, required: true }),
  field("To (exclusive)", "to", { type: "date", value: range.to, required: true }), extra,
  h("button", { type: "submit", class: "primary" }, "Show"));
}

function sales(range, groupBy) {
  return [
    rangeForm("sales", range, [select("By", "group_by", GROUPS, { value: groupBy })]),
    section(`Sales by ${GROUPS.find(([g]) => g === groupBy)?.[1].toLowerCase() ?? groupBy}`, async () => {
      const { rows } = await get("/reports/sales", { ...range, group_by: groupBy });
      // Staff rows are keyed by id: shown by name, exported with both.
      const names = groupBy === "staff" ? await staffNames() : null;
      const label = (r) => (names ? staffLabel(names, r.key) : r.key ?? "none");
      const sum = (key) => rows.reduce((s, r) => addMoney(s, r[key]), "0.00");
      // A sale with lines of several products or rates counts under each: no total of sales.
      const partition = !["product", "tax_rate"].includes(groupBy);
      const totals = { key: "Total", sales: partition ? rows.reduce((n, r) => n + r.sales, 0) : "—", units: rows.reduce((s, r) => addMoney(s, String(r.units)), "0"), net: sum("net"), tax: sum("tax"), total: sum("total") };
      return [
        h("div", { class: "toolbar" }, h("button", { id: "report-csv", onclick: () => {
          const columns = names ? [...COLUMNS, "name"] : COLUMNS;
          download(`sales-by-${groupBy}-${range.from}-${range.to}.csv`, toCsv(columns, rows.map((r) => columns.map((c) => (c === "name" ? label(r) : r[c])))));
        } }, "Export CSV")),
        rows.length ? barChart(rows.map((r) => ({ label: label(r), value: Number(r.total), title: `${label(r)}: ${r.total} (${r.sales} sales)` })), { label: `Sales by ${groupBy}`, id: "report-chart" }) : null,
        table(COLUMNS.map((c) => ({ title: c === "key" ? groupBy.replace("_", " ") : c, value: (r) => (c === "key" && r !== totals ? label(r) : r[c] ?? "none"), num: c !== "key" })),
          rows.length ? [...rows, totals] : [], { empty: "No sales in this range.", id: "report-table" }),
      ];
    }, { id: "sales-report" }),
  ];
}

function books(range) {
  const bounds = { from: `${range.from}T00:00:00Z`, to: `${range.to}T00:00:00Z` };
  return [
    rangeForm("books", range),
    section("Trial balance", async () => {
      const { days } = await get("/journal/trial-balance", bounds);
      const accounts = new Map();
      for (const day of days) {
        for (const a of day.accounts) {
          const seen = accounts.get(a.account) || { account: a.account, debit: "0.00", credit: "0.00" };
          seen.debit = addMoney(seen.debit, a.debit);
          seen.credit = addMoney(seen.credit, a.credit);
          accounts.set(a.account, seen);
        }
      }
      const rows = [...accounts.values()].map((r) => ({ ...r, balance: addMoney(r.debit, `-${r.credit}`) }));
      return table([
        { title: "Account", value: (r) => r.account }, { title: "Debit", value: (r) => r.debit, num: true },
        { title: "Credit", value: (r) => r.credit, num: true }, { title: "Balance", value: (r) => r.balance, num: true },
      ], rows, { empty: "No entries in this range.", id: "trial-balance" });
    }, { id: "trial-balance-panel" }),
    section("Journal", async () => {
      const { entries } = await get("/journal", bounds);
      const rows = entries.flatMap((e) => e.lines.map((l, i) => ({ ...l, entry: i === 0 ? e : null })));
      return [
        h("div", { class: "toolbar" }, h("button", { onclick: () => download(`journal-${range.from}-${range.to}.csv`,
          toCsv(["occurred_at", "kind", "document", "account", "role", "debit", "credit"], entries.flatMap((e) =>
            e.lines.map((l) => [e.occurred_at, e.kind, e.document_number, l.account, l.role, l.debit, l.credit])))) }, "Export CSV")),
        table([
          { title: "When", value: (r) => (r.entry ? new Date(r.entry.occurred_at).toLocaleString() : "") },
          { title: "Document", value: (r) => (r.entry ? `${r.entry.kind} ${r.entry.document_number ?? ""}` : "") },
          { title: "Account", value: (r) => r.account }, { title: "Role", value: (r) => r.role },
          { title: "Debit", value: (r) => r.debit, num: true }, { title: "Credit", value: (r) => r.credit, num: true },
        ], rows, { empty: "No entries in this range.", id: "journal" })];
    }),
  ];
}

function payments(params) {
  const chosen = { date: params.get("date") || addDays(today(), -1), connection: params.get("connection") || "" };
  const pick = h("form", { class: "row panel", id: "reconcile-form", onsubmit: (event) => {
    event.preventDefault();
    location.hash = `#/reports/payments/${encodeURIComponent(`?${new URLSearchParams(values(event.target))}`)}`;
  } }, field("Day", "date", { type: "date", value: chosen.date, required: true }),
  field("Payments connection", "connection", { value: chosen.connection, required: true, placeholder: "stripe" }),
  h("button", { type: "submit", class: "primary" }, "Reconcile"));
  if (!chosen.connection) return [pick, h("p", { class: "muted" }, "Name the payments connection to reconcile a day of its card payments against the sales.")];
  return [pick, section(`Reconciliation of ${chosen.connection} on ${chosen.date}`, async () => {
    const report = await get("/payments/reconciliation", chosen);
    const lists = Object.entries(report).filter(([, v]) => Array.isArray(v));
    const figures = Object.entries(report).filter(([, v]) => !Array.isArray(v) && typeof v !== "object");
    return [
      h("div", { class: "toolbar" }, h("button", { onclick: async () => download(`payments-${chosen.connection}-${chosen.date}.csv`, await csv("/payments/reconciliation", chosen)) }, "Export CSV")),
      h("dl", { class: "facts" }, figures.map(([k, v]) => [h("dt", {}, k.replaceAll("_", " ")), h("dd", {}, String(v))])),
      lists.map(([k, rows]) => [h("h2", {}, k.replaceAll("_", " ")), table([...new Set(rows.flatMap(Object.keys))].map((c) => ({ title: c.replaceAll("_", " "), value: (r) => (r[c] !== null && typeof r[c] === "object" ? JSON.stringify(r[c]) : r[c] ?? "") })), rows, { empty: "None." })]),
    ];
  })];
}

