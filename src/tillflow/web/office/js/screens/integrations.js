// Integrations: every connection's health, lag and queue depth; a connection's dead letters
// with their reason and replay, its reconciliation report, its ERP postings, sync now; for
// an admin, its settings (secrets by name only) and a check.

import { csv, get, post } from "../api.js";
import { download, h, notice, refresh, replace, section, select, table, when } from "../ui.js";
import { lag } from "./dashboard.js";

export async function render({ path, admin }) {
  const [name] = path;
  if (name) return connection(name, admin);
  return h("div", {}, h("h1", {}, "Integrations"), section("Connections", async () => {
    const items = (await get("/connection-health")).items;
    return table([
      { title: "Connection", value: (c) => h("a", { href: `#/integrations/${encodeURIComponent(c.name)}` }, c.name) },
      { title: "Platform", value: (c) => c.platform },
      { title: "State", value: (c) => h("span", { class: `state ${c.state}` }, c.state) },
      { title: "Lag", value: (c) => lag(c.lag_seconds), num: true },
      { title: "Queue depth", value: (c) => c.pending ?? "", num: true },
      { title: "Retrying", value: (c) => c.retrying ?? "", num: true },
      { title: "Dead letters", value: (c) => c.failed ?? "", num: true },
      { title: "Last error", value: (c) => c.last_error ?? "" },
    ], items, { empty: "No connections yet. An admin connects shops, payments and ERPs (docs/sync.md).", id: "integrations-table" });
  }));
}

async function connection(name, admin) {
  const all = (await get("/connection-health")).items;
  const health = all.find((c) => c.name === name);
  if (!health) return h("p", { class: "notice bad" }, `No connection ${name}.`);
  const erp = "posted" in health;
  const shop = "retrying" in health || "webhook_url" in health;
  const path = encodeURIComponent(name);
  const facts = h("dl", { class: "facts" },
    [["Platform", health.platform], ["State", h("span", { class: `state ${health.state}` }, health.state)],
      ["Lag", lag(health.lag_seconds) || "—"], ["Queue depth", health.pending ?? "—"],
      ["Dead letters", health.failed ?? "—"], ["Last error", health.last_error ?? "—"]]
      .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  return h("div", { id: "connection" }, h("h1", {}, name),
    h("p", {}, h("a", { href: "#/integrations" }, "← Integrations")),
    h("section", { class: "panel" }, h("h2", {}, "Health"), facts, shop || erp ? syncNow(path, erp) : null),
    shop ? section("Dead letters", () => deadLetters(path), { id: "dead-letters" }) : null,
    shop ? section("Reconciliation", () => reconciliation(path, name), { id: "reconciliation" }) : null,
    erp ? section("ERP postings", () => postings(path), { id: "postings" }) : null,
    admin ? section("Settings (admin)", () => settings(path), { id: "settings" }) : null);
}

function syncNow(path, erp) {
  const scopes = erp ? [["receipts", "goods receipts"], ["products-in", "products from the ERP"], ["products-out", "products to the ERP"]]
    : [["all", "everything"], ["catalog", "catalog"], ["inventory", "stock"], ["customers", "customers"], ["orders", "orders"]];
  const result = h("div");
  return h("form", { class: "row", id: "sync-now", onsubmit: async (event) => {
    event.preventDefault();
    const scope = event.target.elements.scope.value;
    try {
      const answer = await post(erp ? `/erp/${path}/sync` : `/connections/${path}/sync`, { scope });
      replace(result, notice(erp ? `${answer.changed} changed.` : `Queued: ${answer.queued.join(", ") || "nothing new"}.`));
    } catch (err) {
      replace(result, h("p", { class: "error" }, err.message));
    }
  } }, select("Sync", "scope", scopes), h("button", { type: "submit", class: "primary" }, "Sync now"), result);
}

async function deadLetters(path) {
  const page = await get(`/connections/${path}/dead-letters`, { limit: 200 });
  const replay = async (ids) => {
    const answer = await post(`/connections/${path}/dead-letters/replay`, { ids });
    alertReplayed(answer.replayed);
  };
  return [
    page.items.length ? h("div", { class: "toolbar" }, h("button", { onclick: () => replay(null), id: "replay-all" }, `Replay all ${page.items.length}`)) : null,
    table([
      { title: "What", value: (d) => d.kind }, { title: "Key", value: (d) => d.key },
      { title: "Attempts", value: (d) => d.attempts, num: true },
      { title: "Reason", value: (d) => d.last_error ?? "" },
      { title: "", value: (d) => h("button", { onclick: () => replay([d.id]), dataset: { id: d.id } }, "Replay") },
    ], page.items, { empty: "No dead letters.", id: "dead-letters-table" })];
}

function alertReplayed(count) {
  sessionStorage.setItem("office:notice", `${count} dead letter(s) queued again; the worker delivers them now.`);
  refresh();
}

async function reconciliation(path, name) {
  let report;
  try {
    report = await get(`/connections/${path}/reconciliations/latest`);
  } catch (err) {
    if (err.status === 404) return h("p", { class: "muted" }, "No reconciliation yet.");
    throw err;
  }
  return [
    h("p", {}, `${when(report.started_at)}: ${report.checked} checked, ${report.drift_count} drifted${report.error ? `; error: ${report.error}` : ""}. `,
      h("button", { onclick: async () => download(`reconciliation-${name}.csv`, await csv(`/connections/${path}/reconciliations/latest`)) }, "Export CSV")),
    table([...new Set(report.items.flatMap(Object.keys))].map((c) => ({ title: c.replaceAll("_", " "), value: (r) => String(r[c] ?? "") })),
      report.items, { empty: "No drift found." }),
  ];
}

async function postings(path) {
  const items = (await get(`/erp/${path}/postings`, { limit: 200 })).items;
  return table([
    { title: "Document", value: (p) => p.reference }, { title: "Status", value: (p) => h("span", { class: `state ${p.status === "dead" ? "failing" : p.status === "pending" ? "retrying" : ""}` }, p.status) },
    { title: "Attempts", value: (p) => p.attempts, num: true }, { title: "In the ERP", value: (p) => p.external_id ?? "" },
    { title: "Last error", value: (p) => p.last_error ?? "" },
    { title: "", value: (p) => (p.status === "dead" ? h("button", { onclick: async () => { await post(`/erp/${path}/postings/${p.id}/replay`); refresh(); } }, "Replay") : "") },
  ], items, { empty: "Nothing posted yet.", id: "postings-table" });
}

async function settings(path) {
  const found = await get(`/connections/${path}`);
  const checked = h("div");
  return [
    h("pre", {}, JSON.stringify(found.settings, null, 2)),
    h("p", {}, "Secrets (never shown): ", found.secrets.join(", ") || "none"),
    h("button", { onclick: async () => {
      try {
        const result = await post(`/connections/${path}/check`);
        replace(checked, notice(result.ok ? "The connection works." : `Problems: ${(result.problems || []).join("; ")}`));
      } catch (err) { replace(checked, h("p", { class: "error" }, err.message)); }
    } }, "Check the connection"), checked];
}
