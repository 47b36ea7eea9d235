// Today's and the period's sales by channel, top products, sales by hour, and every
// connection's health at a glance.

import { all, get } from "../api.js";
import { barChart } from "../chart.js";
import { addDays, addMoney, divideMoney, h, hourOf, section, table, tabs, tile, today } from "../ui.js";

const PERIODS = { today: ["Today", 0], week: ["Last 7 days", 6], month: ["Last 30 days", 29] };

export async function render({ path }) {
  const period = PERIODS[path[0]] ? path[0] : "week";
  const now = today();
  const range = { from: addDays(now, -PERIODS[period][1]), to: addDays(now, 1) };
  const day = { from: now, to: addDays(now, 1) };
  return h("div", {},
    h("h1", {}, "Dashboard"),
    tabs(`#/dashboard/${period}`, Object.entries(PERIODS).map(([key, [title]]) => [`#/dashboard/${key}`, title])),
    section(null, () => figures(day, range, PERIODS[period][0]), { id: "figures" }),
    h("div", { class: "grid" },
      section(`By channel · ${PERIODS[period][0].toLowerCase()}`, () => byChannel(range), { id: "by-channel" }),
      section(`Top products · ${PERIODS[period][0].toLowerCase()}`, () => topProducts(range), { id: "top-products" }),
      section("Sales by hour · today", () => byHour(day), { id: "by-hour" }),
      section("Connections", connections, { id: "connections" })));
}

async function report(range, groupBy) {
  return (await get("/reports/sales", { ...range, group_by: groupBy })).rows;
}

function totals(rows) {
  const sales = rows.reduce((n, r) => n + r.sales, 0);
  const total = rows.reduce((sum, r) => addMoney(sum, r.total), "0.00");
  return { sales, total, basket: divideMoney(total, sales) };
}

async function figures(day, range, title) {
  const [today, period] = await Promise.all([report(day, "channel"), report(range, "channel")]);
  const t = totals(today), p = totals(period);
  return h("div", { class: "tiles" },
    tile("Sales today", t.total), tile("Transactions today", t.sales), tile("Average basket today", t.basket),
    tile(`Sales · ${title.toLowerCase()}`, p.total), tile(`Transactions · ${title.toLowerCase()}`, p.sales),
    tile(`Average basket · ${title.toLowerCase()}`, p.basket));
}

async function byChannel(range) {
  const rows = await report(range, "channel");
  return table([
    { title: "Channel", value: (r) => r.key === "pos" ? "Tills" : r.key },
    { title: "Sales", value: (r) => r.sales, num: true },
    { title: "Net", value: (r) => r.net, num: true },
    { title: "Total", value: (r) => r.total, num: true },
    { title: "Average basket", value: (r) => divideMoney(r.total, r.sales), num: true },
  ], rows, { empty: "No sales in this period." });
}

async function topProducts(range) {
  const rows = (await report(range, "product"))
    .filter((r) => r.key !== "shipping")
    .sort((a, b) => Number(b.total) - Number(a.total)).slice(0, 10);
  return table([
    { title: "SKU", value: (r) => h("a", { href: `#/stock/ledger/${encodeURIComponent(r.key)}` }, r.key) },
    { title: "Units", value: (r) => r.units, num: true },
    { title: "Total", value: (r) => r.total, num: true },
  ], rows, { empty: "No products sold in this period." });
}

async function byHour(day) {
  const sales = await all("/sales", day, { max: 5000 });
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, total: "0.00", count: 0 }));
  for (const sale of sales) {
    const bucket = hours[hourOf(sale.sold_at ?? sale.created_at)];
    bucket.total = addMoney(bucket.total, sale.total);
    bucket.count += 1;
  }
  const open = hours.filter((b) => b.count) ;
  const first = open.length ? Math.min(open[0].hour, 8) : 8;
  const last = open.length ? Math.max(open[open.length - 1].hour, 18) : 18;
  return barChart(hours.slice(first, last + 1).map((b) => ({
    label: `${String(b.hour).padStart(2, "0")}h`, value: Number(b.total),
    title: `${String(b.hour).padStart(2, "0")}:00 — ${b.count} sale(s), ${b.total}` })),
  { label: "Sales by hour today", id: "hour-chart" });
}

async function connections() {
  const health = (await get("/connection-health")).items;
  return table([
    { title: "Connection", value: (r) => h("a", { href: `#/integrations/${encodeURIComponent(r.name)}` }, r.name) },
    { title: "Platform", value: (r) => r.platform },
    { title: "State", value: (r) => h("span", { class: `state ${r.state}` }, r.state) },
    { title: "Lag", value: (r) => lag(r.lag_seconds), num: true },
    { title: "Queued", value: (r) => r.pending ?? "", num: true },
    { title: "Dead letters", value: (r) => r.failed ?? "", num: true },
  ], health, { empty: "No connections yet.", id: "connections-table" });
}

export function lag(seconds) {
  if (seconds === null || seconds === undefined || seconds === "") return "";
  const s = Number(seconds);
  return s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}
