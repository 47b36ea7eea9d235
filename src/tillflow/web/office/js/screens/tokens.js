// API tokens (admin): created with the secret shown once, listed, revoked.

import { del, get, post } from "../api.js";
import { field, form, h, refresh, replace, section, select, table, when } from "../ui.js";

export async function render() {
  const shown = h("div", { id: "new-token" });
  const create = form([field("Name", "name", { required: true }),
    select("Role", "role", [["integration", "integration"], ["manager", "manager"], ["cashier", "cashier"], ["admin", "admin"]]),
    field("Register (cashier or manager only)", "register"), field("Expires", "expires_at", { type: "date" })], async (v) => {
    const made = await post("/tokens", { name: v.name, role: v.role, register: v.register || null,
      expires_at: v.expires_at ? new Date(`${v.expires_at}T23:59:59`).toISOString() : null });
    replace(shown, h("p", {}, `The token of "${made.name}", shown only now. Copy it to where it is used:`),
      h("p", { class: "secret", id: "token-secret" }, made.token),
      h("button", { onclick: refresh }, "Done, I copied it"));
  }, { submit: "Create token", id: "token-form" });
  return h("div", {}, h("h1", {}, "API tokens"),
    h("section", { class: "panel" }, h("h2", {}, "New token"), create, shown),
    section("Live tokens", async () => table([
      { title: "Name", value: (t) => t.name }, { title: "Role", value: (t) => t.role },
      { title: "Register", value: (t) => t.register ?? "" }, { title: "Created", value: (t) => when(t.created_at) },
      { title: "Expires", value: (t) => when(t.expires_at) || "never" }, { title: "Last used", value: (t) => when(t.last_used_at) },
      { title: "", value: (t) => h("button", { class: "warn", onclick: async () => {
        if (!confirm(`Revoke the token "${t.name}"? Whatever uses it stops working.`)) return;
        await del(`/tokens/${t.id}`);
        refresh();
      } }, "Revoke") },
    ], (await get("/tokens")).items, { id: "tokens-table" })));
}
