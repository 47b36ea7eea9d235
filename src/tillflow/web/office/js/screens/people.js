// People: customers (search, edit, purchase history) and, for an admin, staff (add,
// deactivate, reset PIN, back-office password, role, register pairing).

import { del, get, patch, post, put } from "../api.js";
import { field, form, h, notice, refresh, replace, section, select, table, tabs, when } from "../ui.js";

const ROLES = [["cashier", "cashier"], ["manager", "manager"], ["admin", "admin"]];

export async function render({ path, admin }) {
  const [sub, arg] = path;
  const nav = tabs(sub === "staff" ? "#/people/staff" : "#/people", [["#/people", "Customers"], ...(admin ? [["#/people/staff", "Staff and registers"]] : [])]);
  if (sub === "customer") return h("div", {}, h("h1", {}, "Customer"), nav, await customer(arg));
  if (sub === "staff" && admin) return h("div", {}, h("h1", {}, "Staff and registers"), nav, staff());
  return h("div", {}, h("h1", {}, "Customers"), nav, customers(sub === "search" ? arg || "" : ""));
}

function customers(query) {
  const search = h("input", { name: "query", type: "search", value: query, placeholder: "Name, email or phone", "aria-label": "Search customers" });
  const results = h("div");
  const load = async (cursor) => {
    const page = await get("/customers/search", { query, cursor, limit: 50 });
    replace(results, table([
      { title: "Name", value: (c) => h("a", { href: `#/people/customer/${c.id}` }, c.name || "(no name)") },
      { title: "Email", value: (c) => c.email ?? "" }, { title: "Phone", value: (c) => c.phone ?? "" },
    ], page.items, { empty: "No customer matches.", id: "customers-table" }),
    page.next_cursor ? h("button", { onclick: () => load(page.next_cursor) }, "Next page") : null);
    return results;
  };
  const add = form([field("Name", "name"), field("Email", "email", { type: "email" }), field("Phone", "phone")], async (v) => {
    const created = await post("/customers", { name: v.name || null, email: v.email || null, phone: v.phone || null });
    location.hash = `#/people/customer/${created.id}`;
  }, { submit: "Add customer", id: "customer-add" });
  return [
    h("form", { class: "toolbar", role: "search", onsubmit: (e) => { e.preventDefault(); location.hash = `#/people/search/${encodeURIComponent(search.value.trim())}`; } },
      search, h("button", { type: "submit" }, "Search")),
    section(null, () => load()),
    h("details", { class: "panel" }, h("summary", {}, "Add a customer"), add),
  ];
}

async function customer(id) {
  const c = await get(`/customers/${encodeURIComponent(id)}`);
  const saved = h("div");
  const edit = form([field("Name", "name", { value: c.name ?? "" }), field("Email", "email", { type: "email", value: c.email ?? "" }),
    field("Phone", "phone", { value: c.phone ?? "" })], async (v) => {
    const changed = await patch(`/customers/${encodeURIComponent(id)}`, { name: v.name || null, email: v.email || null, phone: v.phone || null });
    replace(saved, notice(`Saved ${changed.name ?? changed.email ?? changed.phone}.`));
  }, { id: "customer-form" });
  return h("div", { class: "split" },
    h("section", { class: "panel" }, h("h2", {}, c.name || "(no name)"), edit, saved),
    section("Purchase history", async () => {
      const page = await get("/sales", { customer: id, limit: 100 });
      return table([
        { title: "Number", value: (s) => h("a", { href: `#/sales/sale/${s.id}` }, s.number) },
        { title: "When", value: (s) => when(s.sold_at ?? s.created_at) }, { title: "Channel", value: (s) => s.channel },
        { title: "Total", value: (s) => s.total, num: true },
      ], page.items, { empty: "No purchase yet.", id: "purchase-history" });
    }));
}

function staff() {
  const add = form([field("Name", "name", { required: true }), select("Role", "role", ROLES),
    field("PIN (4-8 digits)", "pin", { type: "password", inputmode: "numeric", required: true, autocomplete: "off" })], async (v) => {
    await post("/staff", v);
    refresh();
  }, { submit: "Add staff member", id: "staff-add", cls: "row" });
  return [
    section("Staff", async () => {
      const members = (await get("/staff")).items;
      return table([
        { title: "Name", value: (m) => m.name },
        { title: "Role", value: (m) => h("select", { "aria-label": `Role of ${m.name}`, onchange: async (e) => { await patch(`/staff/${encodeURIComponent(m.name)}`, { role: e.target.value }); refresh(); } },
          ROLES.map(([r]) => h("option", { value: r, selected: r === m.role }, r))) },
        { title: "Active", value: (m) => (m.active ? "yes" : "no") },
        { title: "Locked until", value: (m) => when(m.locked_until) },
        { title: "", value: (m) => h("span", { class: "toolbar" },
          h("button", { class: m.active ? "warn" : "", onclick: async () => { await patch(`/staff/${encodeURIComponent(m.name)}`, { active: !m.active }); refresh(); } }, m.active ? "Deactivate" : "Activate"),
          h("button", { onclick: () => secretDialog(`New PIN for ${m.name}`, "pin", (pin) => post(`/staff/${encodeURIComponent(m.name)}/pin`, { pin })) }, "Reset PIN"),
          m.role !== "cashier" ? h("button", { onclick: () => secretDialog(`Back-office password for ${m.name}`, "password", (password) => put(`/staff/${encodeURIComponent(m.name)}/password`, { password })) }, "Set password") : null) },
      ], members, { empty: "No staff yet.", id: "staff-table" });
    }),
    h("section", { class: "panel" }, h("h2", {}, "Add a staff member"), add),
    h("section", { class: "panel" }, h("h2", {}, "Register pairing"), pairing()),
  ];
}

function secretDialog(title, name, save) {
  const dialog = h("dialog", { "aria-label": title });
  const done = h("div");
  dialog.append(h("h2", {}, title), form([field(title, name, { type: "password", required: true, autocomplete: "new-password" })], async (v) => {
    const result = await save(v[name]);
    replace(done, notice(`Saved; ${result.sessions_ended} session(s) ended.`));
    setTimeout(() => { dialog.close(); dialog.remove(); }, 800);
  }, { submit: "Save" }), done, h("button", { type: "button", onclick: () => { dialog.close(); dialog.remove(); } }, "Cancel"));
  document.body.append(dialog);
  dialog.showModal();
}

function pairing() {
  const shown = h("div", { id: "pairing-token" });
  return [
    form([field("Register code", "register", { required: true, size: 8 })], async (v) => {
      const paired = await post(`/registers/${encodeURIComponent(v.register)}/pairings`);
      replace(shown, h("p", {}, `Paste this at ${paired.register}'s /register/ page; it is shown only now:`), h("p", { class: "secret" }, paired.token));
    }, { submit: "Pair", cls: "row", id: "pair-form" }),
    form([field("Register code", "register", { required: true, size: 8 })], async (v) => {
      const ended = await del(`/registers/${encodeURIComponent(v.register)}/pairings`);
      replace(shown, notice(`${v.register} is no longer paired${ended ? ` (${ended.sessions_ended} session(s) ended)` : ""}.`));
    }, { submit: "Unpair", cls: "row", id: "unpair-form" }),
    shown,
  ];
}
