// What a cashier does at the till besides selling, each through the server: cash put in
// or taken out of the drawer, a mid-shift X report, stock here and at the other
// locations, sales parked and resumed, and the register's favourite products.

import { Unreachable } from "./api.js";
import { formatQuantity, parseQuantity } from "./money.js";
import { fetchReceipt } from "./receipt.js";
import { $, ask, el, show } from "./ui.js";

export class TillActs {
  constructor(register) {
    this.register = register;
    this.favourites = [];
    this.report = null;
  }

  bind() {
    const on = (id, handler) => $(id).addEventListener("click", () => handler.call(this));
    on("#cash-button", this.moveCash);
    on("#x-report-button", this.xReport);
    on("#x-print", this.printReport);
    on("#x-back", () => this.register.toSell());
    on("#stock-button", this.stockLookup);
    on("#park-button", this.park);
    on("#parked-button", this.openParked);
    on("#parked-back", () => this.register.toSell());
    on("#favourite-button", this.toggleFavourite);
  }

  get r() { return this.register; }

  path(suffix) { return `/registers/${encodeURIComponent(this.r.info.register)}${suffix}`; }

  say(message) { $("#sell-error").textContent = message; }

  needsServer(error, what) {
    return error instanceof Unreachable ? `${what} needs the server; it cannot be reached.` : error.message;
  }

  // ---- cash in / out -------------------------------------------------------------

  // Cash put in (change from the bank) or taken out (to the safe, a supplier paid): the
  // server records it with its reason (audited), then the device agent opens the drawer.
  async moveCash() {
    const m = this.r.money;
    let movement = null;
    const answer = await ask({
      title: "Cash in or out of the drawer",
      fields: [{ name: "direction", label: "Cash", options: ["out", "in"], value: "out" },
               { name: "amount", label: "Amount", inputmode: "decimal" },
               { name: "reason", label: "Why" }],
      check: async ({ direction, amount, reason }) => {
        const minor = m.parse(amount);
        if (!minor) return "An amount such as 20.00";
        if (!reason.trim()) return "Say why the cash moves.";
        try {
          movement = await this.r.call(() => this.r.api.post(`/shifts/${this.r.shift.id}/cash-movements`,
            { amount: m.format(direction === "in" ? minor : -minor), reason: reason.trim() }));
          return null;
        } catch (error) {
          return this.needsServer(error, "Moving cash");
        }
      },
    });
    if (!answer) return;
    const direction = movement.amount.startsWith("-") ? "out" : "in";
    this.say("");
    $("#sell-status").textContent = `Cash ${direction}: ${movement.amount.replace("-", "")} (${movement.reason}).`;
    await this.openDrawer({ reason: `cash ${direction}: ${movement.reason}`, key: `cash:${this.r.shift.id}:${Date.now()}` });
  }

  async openDrawer({ reason, key }) {
    if (!this.r.printer.agent) {
      $("#sell-status").textContent += " This register has no device agent: open the drawer by hand.";
      return;
    }
    try {
      await this.r.printer.agent.openDrawer({ user: this.r.session.name, reason, key, kind: "cash" });
    } catch (error) {
      this.say(`Drawer: ${error.message}`);
    }
  }

  // ---- X report ------------------------------------------------------------------

  async xReport() {
    try {
      this.report = await this.r.call(() => fetchReceipt(this.r.api, this.r.shift.id));
    } catch (error) {
      this.say(this.needsServer(error, "The X report"));
      return;
    }
    $("#x-title").textContent = `X report — register ${this.r.info.register}, shift still open`;
    this.r.renderReport($("#x-report tbody"), this.report);
    $("#x-status").textContent = "";
    show("report");
    $("#x-print").focus();
  }

  async printReport() {
    if (!this.report) return;
    await this.r.print(this.report, { key: `${this.report.document_id}:x:${Date.now()}`, status: "#x-status" });
  }

  // ---- stock lookup --------------------------------------------------------------

  // The selected line's product, or the first search result: on hand and available at
  // every location, this one first.
  async stockLookup() {
    const line = this.r.selectedLine();
    const product = line ? this.r.catalog.bySku.get(line.sku) : this.r.searchResults?.[0];
    if (!product) {
      this.say("Select a line, or search for a product, to see its stock.");
      return;
    }
    let stock;
    try {
      stock = await this.r.call(() => this.r.api.get(`/inventory/${encodeURIComponent(product.sku)}`));
    } catch (error) {
      this.say(this.needsServer(error, "Stock lookup"));
      return;
    }
    const here = this.r.info.location;
    const levels = [...stock.levels].sort((a, b) => (b.location === here) - (a.location === here));
    const rows = levels.length ? levels.map((l) => `${l.location}${l.location === here ? " (here)" : ""}: `
      + `${formatQuantity(parseQuantity(String(l.on_hand)) ?? 0)} on hand, ${l.available} available`).join("\n")
      : "No stock recorded anywhere.";
    await ask({ title: `Stock of ${product.name} (${product.sku})`, fields: [], text: rows });
  }

  // ---- park and resume -----------------------------------------------------------

  async park() {
    const cart = this.r.cart;
    if (cart.lines.length === 0) return;
    let parked = null;
    const answer = await ask({
      title: "Park this sale",
      fields: [{ name: "label", label: "Name it (the customer, what they wear)", value: cart.customer?.name || "" }],
      check: async ({ label }) => {
        try {
          parked = await this.r.call(() => this.r.api.post(this.path("/parked-sales"), { label: label.trim(), cart: this.cartBody() }));
          return null;
        } catch (error) {
          return this.needsServer(error, "Parking a sale");
        }
      },
    });
    if (!answer) return;
    this.r.clearCart();
    $("#sell-status").textContent = `Parked: ${parked.label}.`;
    await this.countParked();
  }

  // The cart as the server keeps it: what the sale will send, plus its customer.
  cartBody() {
    const { lines, discount, customer } = this.r.saleBody();
    return { lines, discount, ...(customer ? { customer } : {}) };
  }

  async countParked() {
    try {
      const parked = await this.r.call(() => this.r.api.get(this.path("/parked-sales")));
      $("#parked-button").textContent = `Parked sales (${parked.items.length})`;
      return parked.items;
    } catch {
      return null;
    }
  }

  async openParked() {
    const items = await this.countParked();
    if (items === null) {
      this.say("Parked sales need the server; it cannot be reached.");
      return;
    }
    $("#parked-list").replaceChildren(...items.map((p) => el("li", {},
      el("strong", { textContent: p.label }),
      el("span", { className: "muted", textContent: ` · ${p.cart.lines.length} line(s) · parked by ${p.parked_by} at ${new Date(p.parked_at).toLocaleTimeString()}` }),
      el("button", { type: "button", className: "resume", textContent: "Resume", onclick: () => this.resume(p) }))));
    $("#parked-empty").hidden = items.length > 0;
    $("#parked-error").textContent = "";
    show("parked");
  }

  async resume(parked) {
    if (this.r.cart.lines.length) {
      $("#parked-error").textContent = "Finish or park the sale in the cart first.";
      return;
    }
    let taken;
    try {
      taken = await this.r.call(() => this.r.api.delete(this.path(`/parked-sales/${encodeURIComponent(parked.id)}`)));
    } catch (error) {
      $("#parked-error").textContent = this.needsServer(error, "Resuming a sale");
      return;
    }
    await this.r.restoreCart(taken.cart);
    await this.countParked();
    this.r.toSell();
    $("#sell-status").textContent = `Resumed: ${taken.label}.`;
  }

  // ---- favourites ----------------------------------------------------------------

  async loadFavourites() {
    try {
      this.favourites = (await this.r.call(() => this.r.api.get(this.path("/favourites")))).skus;
    } catch {
      // Offline the grid keeps the favourites read last.
    }
    this.renderFavourites();
  }

  renderFavourites() {
    const products = this.favourites.map((sku) => this.r.catalog.bySku.get(sku)).filter(Boolean);
    $("#favourites").replaceChildren(...products.map((p) => el("button", {
      type: "button", className: "tile", dataset: { sku: p.sku },
      onclick: () => this.r.addProduct(p),
    }, el("span", { textContent: p.name }), el("small", { textContent: p.price }))));
    $("#favourites").hidden = products.length === 0;
    const manager = ["manager", "admin"].includes(this.r.session?.role);
    $("#favourite-button").hidden = !manager;
  }

  // A manager adds the selected line's product to the register's buttons, or takes it off.
  async toggleFavourite() {
    const line = this.r.selectedLine();
    if (!line) {
      this.say("Select a line to add its product to the favourites, or take it off.");
      return;
    }
    const skus = this.favourites.includes(line.sku) ? this.favourites.filter((s) => s !== line.sku) : [...this.favourites, line.sku];
    try {
      const saved = await this.r.call(() => this.r.api.request("PUT", this.path("/favourites"), { body: { skus } }));
      this.favourites = saved.skus;
      this.renderFavourites();
    } catch (error) {
      this.say(this.needsServer(error, "Changing favourites"));
    }
  }
}
