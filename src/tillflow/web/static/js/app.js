// The register: pairing, PIN sign-in, shift, selling, tenders, receipts. Every sale
// passes through the outbox, so a sale made while the server is unreachable is kept and
// recorded later, exactly once.

import { TillActs } from "./acts.js";
import { Api, ApiError, Unreachable, newKey } from "./api.js";
import { Catalog } from "./catalog.js";
import { neededActs } from "./controls.js";
import { DeviceAgent, Printer } from "./devices.js";
import { ProductGrid } from "./grid.js";
import { Money, formatQuantity, parseQuantity, priceSale, quickCash } from "./money.js";
import { Outbox, tillTime } from "./outbox.js";
import { fetchReceipt, offlineReceipt, reprinted } from "./receipt.js";
import { Refused } from "./refused.js";
import { Returns } from "./returns.js";
import { WedgeScanner } from "./scanner.js";
import { FLOWS, settle } from "./tenders.js";
import { TerminalFlow } from "./terminal.js";
import { $, ask, current, el, show } from "./ui.js";
import { VariantPicker } from "./variants.js";

const HEARTBEAT_MS = 2000;
// How often an idle register checks that its session (and its pairing) still stand.
const SESSION_CHECK_MS = 10_000;
// Prices and products change during the day; a new sale picks them up after this long.
const CATALOG_MAX_AGE_MS = 5 * 60 * 1000;
// One Idempotency-Key per cart, kept across retries until the sale is recorded, so a manager's
// approval (bound to that key, naming the acts it approves) and a card outcome always
// belong to this one sale.
// One manager's PIN covers the rest of the sale: the approval names every act a cashier
// may need for it (a stock override is asked for only when the server refuses the stock).
const COVERING_ACTS = ["discount", "price"];
// The number an offline sale's receipt prints; the server keeps it with the sale.
const offlineNumber = (register, key) => `OFFLINE-${register}-${key.replaceAll("-", "").slice(0, 12)}`;
// A sale recorded as made offline says when the till made it; the server's clock dates the rest.
const madeAt = (offline) => (offline ? { sold_at: tillTime() } : {});
const emptyCart = () => ({ lines: [], orderDiscount: 0, customer: null, selected: -1, key: newKey(),
                           approval: null, approvalActs: [], stockOverride: false });

export class Register {
  constructor(store) {
    this.store = store;
    this.api = new Api();
    this.catalog = new Catalog();
    this.outbox = new Outbox({ store, api: this.api, onChange: () => this.renderStatus() });
    this.cart = emptyCart();
    this.payments = [];
    this.online = navigator.onLine;
    // Counts the times the network was found gone: an answer to a request sent before the
    // latest loss says nothing of now, and must not put the register back online.
    this.losses = 0;
    this.money = new Money(2);
    this.returns = new Returns(this);
    this.terminal = new TerminalFlow(this);
    this.refused = new Refused(this);
    this.acts = new TillActs(this);
    this.grid = new ProductGrid(this);
    this.variants = new VariantPicker(this);
    this.checkedAt = Date.now();
  }

  async start() {
    this.bind();
    new WedgeScanner((code) => this.scanned(code)).attach();
    window.addEventListener("online", () => this.heartbeat());
    window.addEventListener("offline", () => this.setOnline(false));
    setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    this.info = await this.store.get("pairing");
    this.session = await this.store.get("session");
    this.shift = await this.store.get("shift");
    this.lastDoc = (await this.store.get("lastReceipt")) || null;
    await this.configurePrinter();
    this.renderStatus();
    if (!this.info) return show("pair");
    this.money = new Money(this.info.minor_digits);
    $("#where").textContent = `${this.info.location_name} · ${this.info.register}`;
    if (!this.session || new Date(this.session.expires_at) <= new Date()) return this.toSignIn();
    return this.afterSignIn();
  }

  async configurePrinter() {
    const agent = await this.store.get("agent");
    this.printer = new Printer({ agent: agent ? new DeviceAgent(agent) : null, area: $("#print-area") });
  }

  // ---- connection -------------------------------------------------------------------

  setOnline(online) {
    if (!online) this.losses += 1;
    this.online = online;
    this.renderStatus();
  }

  // The server answered a request sent when `losses` was `before`.
  answered(before) {
    if (before === this.losses) this.setOnline(true);
  }

  async heartbeat() {
    const waiting = (await this.outbox.waiting()).length;
    if (this.online && waiting === 0) return this.checkSession();
    const before = this.losses;
    try {
      await this.api.get("/health", { token: null });
    } catch {
      return this.setOnline(false);
    }
    this.answered(before);
    if (!this.online) return;
    if (this.session) await this.replay();
  }

  // A session ended or a pairing revoked elsewhere shows at once, not at the next sale.
  async checkSession() {
    if (!this.session || this.terminal.busy || Date.now() - this.checkedAt < SESSION_CHECK_MS) return;
    this.checkedAt = Date.now();
    try {
      await this.call(() => this.api.get(`/registers/${encodeURIComponent(this.info.register)}`));
    } catch {
      // call() has already moved to the sign-in or pairing screen where needed.
    }
  }

  async replay() {
    const result = await this.outbox.flush();
    if (result.stoppedBy?.code === "register_unpaired") return this.unpaired();
    if (result.stoppedBy instanceof ApiError && result.stoppedBy.status === 401) this.toSignIn();
    if (result.stoppedBy instanceof Unreachable) this.setOnline(false);
  }

  async renderStatus() {
    const waiting = (await this.outbox.waiting()).length;
    const failed = (await this.outbox.failed()).length;
    const sales = `${waiting} ${waiting === 1 ? "sale" : "sales"} waiting`;
    let text = this.online ? (waiting ? `sending — ${sales}` : "online") : `offline — ${sales}`;
    if (failed) text += ` · ${failed} refused, see a manager`;
    $("#conn").textContent = text;
    $("#refused-button").hidden = failed === 0;
    $("#refused-button").textContent = `Refused sales (${failed})`;
    $("#conn").className = this.online ? "online" : "offline";
  }

  // A call that needs the server; a 401 means the session ended.
  async call(action) {
    const before = this.losses;
    try {
      const result = await action();
      this.answered(before);
      return result;
    } catch (error) {
      if (error instanceof Unreachable) this.setOnline(false);
      if (error instanceof ApiError && error.code === "register_unpaired") await this.unpaired();
      if (error instanceof ApiError && error.status === 401 && this.session) {
        await this.toSignIn("Your session ended; sign in again.");
      }
      throw error;
    }
  }

  // ---- pairing, sign-in, shift -----------------------------------------------------

  async pair() {
    const token = $("#pair-token").value.trim();
    try {
      const info = await this.api.get("/staff/register", { token });
      this.info = { ...info, token };
      await this.store.set("pairing", this.info);
      const url = $("#agent-url").value.trim();
      if (url) await this.store.set("agent", { url, token: $("#agent-token").value.trim() });
      await this.configurePrinter();
      this.money = new Money(info.minor_digits);
      $("#where").textContent = `${info.location_name} · ${info.register}`;
      await this.toSignIn();
    } catch (error) {
      $("#pair-error").textContent = error instanceof Unreachable ? "The server cannot be reached." : error.message;
    }
  }

  // A manager revoked this register's pairing: its sessions ended; it must be paired again.
  async unpaired() {
    this.session = null;
    this.api.token = null;
    await this.store.remove("session");
    await this.store.remove("pairing");
    $("#who").textContent = "";
    $("#pair-error").textContent = "This register's pairing was revoked. Paste a new pairing token (tillflow staff pair).";
    show("pair");
  }

  async toSignIn(message = "") {
    this.session = null;
    this.api.token = null;
    await this.store.remove("session");
    $("#who").textContent = "";
    $("#signin-error").textContent = message;
    $("#pin").value = "";
    try {
      const info = await this.api.get("/staff/register", { token: this.info.token });
      this.info = { ...this.info, ...info };
      await this.store.set("pairing", this.info);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.unpaired();
    }
    const buttons = this.info.staff.map((s) => el("button", {
      textContent: s.name, type: "button", dataset: { name: s.name },
      onclick: (event) => {
        for (const b of $("#staff-list").children) b.classList.toggle("chosen", b === event.currentTarget);
        $("#pin").focus();
      },
    }));
    $("#staff-list").replaceChildren(...buttons);
    if (buttons.length === 1) buttons[0].classList.add("chosen");
    show("signin");
  }

  async signIn() {
    const chosen = $("#staff-list .chosen");
    if (!chosen) {
      $("#signin-error").textContent = "Choose who you are first.";
      return;
    }
    try {
      const session = await this.call(() => this.api.post("/staff/sessions",
        { name: chosen.dataset.name, pin: $("#pin").value }, { token: this.info.token }));
      this.session = session;
      await this.store.set("session", session);
      await this.afterSignIn();
    } catch (error) {
      $("#pin").value = "";
      $("#signin-error").textContent = error instanceof Unreachable
        ? "The server cannot be reached; signing in needs it." : error.message;
    }
  }

  async afterSignIn() {
    this.api.token = this.session.token;
    $("#who").textContent = `${this.session.name} (${this.session.role})`;
    try {
      await this.catalog.load(this.api);
    } catch (error) {
      if (error instanceof ApiError && error.code === "register_unpaired") return this.unpaired();
      if (error instanceof ApiError && error.status === 401) return this.toSignIn("Your session ended; sign in again.");
    }
    try {
      const register = await this.call(() => this.api.get(`/registers/${encodeURIComponent(this.info.register)}`));
      this.shift = register.open_shift ? { id: register.open_shift } : null;
      await this.store.set("shift", this.shift);
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
    }
    this.replay();
    this.acts.loadFavourites();
    this.acts.countParked();
    if (this.shift && await this.terminal.restore()) return;
    return this.shift ? this.toSell() : show("shift-open");
  }

  async signOut() {
    try {
      await this.api.delete("/staff/sessions/current");
    } catch {
      // Signing out locally is enough when the server is away; the session expires anyway.
    }
    await this.toSignIn();
  }

  async openShift() {
    const float = this.money.parse($("#opening-float").value);
    if (float === null) {
      $("#shift-error").textContent = "Type the opening float, e.g. 100.00";
      return;
    }
    try {
      const shift = await this.call(() => this.api.post(`/registers/${encodeURIComponent(this.info.register)}/shifts`,
        { opening_float: this.money.format(float) }));
      this.shift = { id: shift.id };
      await this.store.set("shift", this.shift);
      this.toSell();
    } catch (error) {
      $("#shift-error").textContent = error.message;
    }
  }

  toCloseShift() {
    $("#z-report tbody").replaceChildren();
    $("#z-done").hidden = true;
    $("#close-shift").hidden = false;
    $("#close-warning").hidden = true;
    $("#close-error").textContent = "";
    $("#counted-cash").value = "";
    show("shift-close");
    $("#counted-cash").focus();
  }

  // A count that differs from what the drawer should hold is shown, signed and in words,
  // before the shift is closed: the cashier counts again or closes anyway.
  async closeShift({ confirmed = false } = {}) {
    const counted = this.money.parse($("#counted-cash").value);
    if (counted === null) {
      $("#close-error").textContent = "Type the cash counted in the drawer.";
      return;
    }
    const result = await this.outbox.flush();
    if ((await this.outbox.waiting()).length || result.stoppedBy) {
      $("#close-error").textContent = "Sales are still waiting to reach the server; close the shift when they have.";
      return;
    }
    try {
      if (!confirmed) {
        const report = await this.call(() => this.api.get(`/shifts/${this.shift.id}/report`));
        const difference = counted - this.money.parse(report.expected_cash);
        if (difference !== 0) return this.warnDifference(difference, report.expected_cash);
      }
      const report = await this.call(() => this.api.post(`/shifts/${this.shift.id}/close`,
        { counted_cash: this.money.format(counted) }));
      this.shift = null;
      await this.store.set("shift", null);
      const doc = await this.call(() => fetchReceipt(this.api, report.shift_id));
      this.renderReport($("#z-report tbody"), doc);
      $("#close-warning").hidden = true;
      $("#close-shift").hidden = true;
      $("#z-done").hidden = false;
      $("#z-done").focus();
      await this.print(doc, { key: `${report.shift_id}:z` });
    } catch (error) {
      $("#close-error").textContent = error.message;
    }
  }

  warnDifference(difference, expected) {
    const word = difference > 0 ? "over" : "short";
    $("#close-warning-text").textContent = `The count is ${this.money.format(Math.abs(difference))} ${word} `
      + `(${difference > 0 ? "+" : "-"}${this.money.format(Math.abs(difference))}): the drawer should hold ${expected}. `
      + "Count again, or close the shift with this difference.";
    $("#close-warning").hidden = false;
    $("#close-anyway").focus();
  }

  // A Z or X report's figures, as the server's document lists them (and prints them).
  renderReport(tbody, doc) {
    const sign = (item) => (item.signed && !String(item.amount).startsWith("-") && this.money.parse(String(item.amount)) ? "+" : "");
    // An indented label ("  of which tax") details the line above it.
    tbody.replaceChildren(...doc.summary.map((item) => el("tr", {},
      el("td", { textContent: item.label.trim(), className: item.label.startsWith(" ") ? "detail" : "" }),
      el("td", { className: "num", textContent: `${sign(item)}${this.formatAmount(item.amount)}` }))));
  }

  // A decimal string from the server ("7.3", "-0.50", "0") with the currency's digits.
  formatAmount(text) {
    const value = String(text).trim();
    const minor = this.money.parse(value.replace(/^[-+]/, "")) ?? 0;
    return this.money.format(value.startsWith("-") ? -minor : minor);
  }

  // ---- selling ---------------------------------------------------------------------

  toSell() {
    if (this.terminal.busy) return;
    if (this.online && Date.now() - this.catalog.loadedAt > CATALOG_MAX_AGE_MS) {
      this.catalog.load(this.api).catch(() => {});
    }
    show("sell");
    $("#sell-status").textContent = "";
    this.renderCart();
    this.acts.renderFavourites();
    this.grid.render();
    $("#search").focus();
  }

  clearCart() {
    this.cart = emptyCart();
    this.renderCart();
  }

  // A parked cart back in the register, priced from the catalog as it stands now.
  async restoreCart(parked) {
    const m = this.money;
    const cart = emptyCart();
    for (const line of parked.lines) {
      const product = this.catalog.bySku.get(line.sku);
      if (!product) continue;
      const listPrice = m.parse(product.price);
      const quantity = parseQuantity(String(line.quantity));
      cart.lines.push({ sku: line.sku, name: product.name, quantity, listPrice,
                        unitPrice: line.unit_price != null ? m.parse(line.unit_price) : listPrice,
                        barcode: line.barcode ?? null, taxRate: product.tax_rate,
                        discount: line.discount != null ? m.parse(line.discount) : 0, weighed: quantity % 1000 !== 0 });
    }
    cart.orderDiscount = parked.discount != null ? m.parse(parked.discount) : 0;
    if (parked.customer) {
      try {
        cart.customer = await this.call(() => this.api.get(`/customers/${encodeURIComponent(parked.customer)}`));
      } catch {
        cart.customer = { id: parked.customer, name: "the parked sale's customer" };
      }
    }
    cart.selected = cart.lines.length - 1;
    this.cart = cart;
    this.renderCart();
  }

  // `unitPrice` and `barcode`: a price printed in the scanned barcode, which the server
  // reads from the barcode itself. `listPrice` is the price the server finds for the line;
  // `unitPrice` differs from it only when the cashier overrides the price.
  addProduct(product, { quantity = "1", unitPrice = null, barcode = null } = {}) {
    const thousandths = parseQuantity(quantity);
    const weighed = thousandths % 1000 !== 0;
    const price = unitPrice === null ? this.money.parse(product.price) : this.money.parse(unitPrice);
    const lines = this.cart.lines;
    const same = lines.findIndex((l) => l.sku === product.sku && !l.weighed && !weighed
      && l.listPrice === price && l.unitPrice === price && l.barcode === barcode);
    if (same >= 0) {
      lines[same].quantity += thousandths;
      this.cart.selected = same;
    } else {
      lines.push({ sku: product.sku, name: product.name, quantity: thousandths, listPrice: price, unitPrice: price,
                   barcode, taxRate: product.tax_rate, discount: 0, weighed });
      this.cart.selected = lines.length - 1;
    }
    $("#sell-error").textContent = "";
    this.renderCart();
    document.dispatchEvent(new CustomEvent("register:line-added", { detail: { sku: product.sku } }));
  }

  async scanned(code) {
    if (current() === "returns") return this.returns.find(code);
    if (current() === "done") this.toSell();
    // A variant's own barcode, scanned while its product's picker is open, is the choice.
    if ($("#variant-picker").open) $("#variant-picker").close();
    if (current() !== "sell" || $("#dialog").open) return;
    const local = this.catalog.exact(code);
    if (local) return this.addProduct(local);
    let found = null;
    if (this.online) {
      try {
        found = await this.call(() => this.api.get(`/products/by-barcode/${encodeURIComponent(code)}`));
      } catch (error) {
        if (!(error instanceof Unreachable)) {
          $("#sell-error").textContent = `Barcode ${code}: ${error.message}`;
          return;
        }
      }
    }
    found ??= this.catalog.offlineLookup(code);
    if (!found) {
      $("#sell-error").textContent = `Unknown barcode ${code}`;
      return;
    }
    const priced = found.unit_price != null;
    this.addProduct(found.product, { quantity: found.quantity || "1", unitPrice: priced ? found.unit_price : null,
                                     barcode: priced ? code : null });
  }

  priced() {
    return priceSale(this.cart.lines, { orderDiscount: this.cart.orderDiscount, taxInclusive: this.info.tax_inclusive });
  }

  renderCart() {
    const m = this.money;
    const priced = this.priced();
    const rows = this.cart.lines.map((line, i) => {
      const row = el("tr", { className: i === this.cart.selected ? "selected" : "", onclick: () => {
        this.cart.selected = i;
        this.renderCart();
      } },
      el("td", { textContent: line.name }),
      el("td", { className: "num", textContent: String(formatQuantity(line.quantity)) }),
      el("td", { className: "num", textContent: m.format(line.unitPrice) }),
      el("td", { className: "num", textContent: line.discount ? `-${m.format(line.discount)}` : "" }),
      el("td", { className: "num", textContent: m.format(priced.lines[i].gross - line.discount) }),
      el("td", {}, el("button", { type: "button", textContent: "×", title: "Remove", onclick: (event) => {
        event.stopPropagation();
        this.removeLine(i);
      } })));
      row.dataset.sku = line.sku;
      return row;
    });
    if (this.cart.orderDiscount) {
      rows.push(el("tr", { className: "order-discount" },
        el("td", { textContent: "Order discount", colSpan: 4 }),
        el("td", { className: "num", textContent: `-${m.format(this.cart.orderDiscount)}` }),
        el("td", {}, el("button", { type: "button", textContent: "×", title: "Remove the order discount", onclick: () => {
          this.cart.orderDiscount = 0;
          this.renderCart();
        } }))));
    }
    $("#cart tbody").replaceChildren(...rows);
    $("#t-subtotal").textContent = m.format(priced.subtotal);
    $("#t-discount").textContent = m.format(priced.discountTotal);
    $("#t-tax").textContent = m.format(priced.taxTotal);
    $("#t-total").textContent = m.format(priced.total);
    $("#customer").textContent = this.cart.customer ? `Customer: ${this.cart.customer.name || this.cart.customer.email || this.cart.customer.phone}` : "No customer";
  }

  removeLine(index) {
    this.cart.lines.splice(index, 1);
    this.cart.selected = Math.min(this.cart.selected, this.cart.lines.length - 1);
    this.clampOrderDiscount();
    this.renderCart();
  }

  clampOrderDiscount() {
    const priced = priceSale(this.cart.lines, { taxInclusive: this.info.tax_inclusive });
    if (this.cart.orderDiscount > priced.subtotal - priced.discountTotal) this.cart.orderDiscount = 0;
  }

  selectedLine() {
    return this.cart.lines[this.cart.selected] || null;
  }

  async editQuantity() {
    const line = this.selectedLine();
    if (!line) return;
    const answer = await ask({
      title: `Quantity of ${line.name}`,
      fields: [{ name: "quantity", label: "Quantity", value: String(formatQuantity(line.quantity)), inputmode: "decimal" }],
      check: ({ quantity }) => (parseQuantity(quantity) === null ? "A quantity, e.g. 2 or 0.750" : null),
    });
    if (!answer) return;
    const quantity = parseQuantity(answer.quantity);
    if (quantity === 0) return this.removeLine(this.cart.selected);
    line.quantity = quantity;
    line.discount = Math.min(line.discount, this.priced().lines[this.cart.selected].gross);
    this.clampOrderDiscount();
    this.renderCart();
  }

  // "1.50" or "10%" of `base`, in minor units; null if not one.
  discountOf(text, base) {
    const percent = /^\s*(\d+(?:[.,]\d+)?)\s*%\s*$/.exec(text);
    if (percent) {
      const share = Number(percent[1].replace(",", "."));
      return share > 100 ? null : Math.round((base * share) / 100);
    }
    const amount = this.money.parse(text);
    return amount !== null && amount <= base ? amount : null;
  }

  async discount(kind) {
    const line = kind === "line" ? this.selectedLine() : null;
    if (kind === "line" && !line) return;
    if (this.cart.lines.length === 0) return;
    const priced = this.priced();
    const base = line ? priced.lines[this.cart.selected].gross : priced.subtotal - (priced.discountTotal - this.cart.orderDiscount);
    const answer = await ask({
      title: line ? `Discount on ${line.name}` : "Discount on the order",
      fields: [{ name: "discount", label: `Amount or percent (up to ${this.money.format(base)})`, value: "", inputmode: "decimal" }],
      check: ({ discount }) => (this.discountOf(discount, base) === null ? "An amount such as 1.50, or a percent such as 10%" : null),
    });
    if (!answer) return;
    const value = this.discountOf(answer.discount, base);
    const before = line ? line.discount : this.cart.orderDiscount;
    const set = (amount) => {
      if (line) line.discount = amount;
      else this.cart.orderDiscount = amount;
    };
    set(value);
    this.clampOrderDiscount();
    if (!(await this.ensureApproved())) set(before);
    this.renderCart();
  }

  // A price other than the one the server finds (a price override): below it, beyond the
  // role's limit, it needs a manager's approval.
  async editPrice() {
    const line = this.selectedLine();
    if (!line) return;
    const answer = await ask({
      title: `Price of ${line.name}`,
      fields: [{ name: "price", label: `Unit price (list price ${this.money.format(line.listPrice)})`,
                 value: this.money.format(line.unitPrice), inputmode: "decimal" }],
      check: ({ price }) => (this.money.parse(price) === null ? "A price such as 4.99" : null),
    });
    if (!answer) return;
    const before = line.unitPrice;
    line.unitPrice = this.money.parse(answer.price);
    if (!(await this.ensureApproved())) line.unitPrice = before;
    line.discount = Math.min(line.discount, this.priced().lines[this.cart.selected].gross);
    this.clampOrderDiscount();
    this.renderCart();
  }

  // Ask a manager, once, for every act the cart needs approved (and `extra` acts the
  // server asked for) that its approval does not name yet; the new approval replaces the
  // old and names them all. A role without limits needs none. False: no approval.
  async ensureApproved(extra = []) {
    const limits = this.session.limits ?? null;
    if (!limits) return true;
    const acts = neededActs(limits, this.priced(), this.cart.lines, { stockOverride: this.cart.stockOverride });
    const needed = [...new Set([...acts, ...extra])].sort();
    if (needed.every((act) => this.cart.approvalActs.includes(act))) return true;
    // Everything approved so far, and what a cashier may still need for this sale.
    const covering = [...new Set([...needed, ...this.cart.approvalActs, ...COVERING_ACTS])].sort();
    const approval = await this.approve(covering);
    if (approval === null) return false;
    this.cart.approval = approval.token;
    this.cart.approvalActs = approval.acts;
    return true;
  }

  // A manager's PIN, checked by the server, for `acts`. Resolves to {token} (the approval
  // the request carries) or null.
  async approve(acts) {
    if (!this.online) {
      $("#sell-error").textContent = "A manager's approval needs the server; it cannot be reached.";
      return null;
    }
    const managers = (this.info.staff || []).filter((s) => s.role === "manager" || s.role === "admin").map((s) => s.name);
    if (managers.length === 0) {
      $("#sell-error").textContent = "No manager may sign in at this register to approve it.";
      return null;
    }
    let approved = null;
    const answer = await ask({
      title: "Manager approval",
      text: `For this sale: ${acts.join(", ")}.`,
      fields: [{ name: "name", label: "Manager", options: managers, value: managers[0] },
               { name: "pin", label: "PIN", type: "password", inputmode: "numeric" }],
      check: async ({ name, pin }) => {
        try {
          approved = await this.call(() => this.api.post("/staff/approvals", { name, pin, acts }));
          return null;
        } catch (error) {
          return error.message;
        }
      },
    });
    return answer === null ? null : { token: approved.approval, acts: approved.acts };
  }

  async chooseCustomer() {
    let chosen = null;
    const answer = await ask({
      title: "Customer",
      fields: [{ name: "contact", label: "Email or phone", value: "" }, { name: "name", label: "Name (to add a new customer)", value: "" }],
      check: async ({ contact, name }) => {
        const key = contact.includes("@") ? "email" : "phone";
        try {
          const found = await this.call(() => this.api.get(`/customers?${key}=${encodeURIComponent(contact.trim())}`));
          if (found.items.length) {
            chosen = found.items[0];
            return null;
          }
          if (!name.trim()) return "No customer found; type a name to add one.";
          chosen = await this.call(() => this.api.post("/customers", { name: name.trim(), [key]: contact.trim() }));
          return null;
        } catch (error) {
          return error instanceof Unreachable ? "Customers need the server; it cannot be reached." : error.message;
        }
      },
    });
    if (!answer) return;
    this.cart.customer = chosen;
    this.renderCart();
  }

  // ---- payment -------------------------------------------------------------------

  // `keep`: back to a sale whose tenders stand (a card outcome still to learn).
  async toPay({ keep = false } = {}) {
    if (this.cart.lines.length === 0) return;
    if (!keep && !(await this.ensureApproved())) return;
    if (!keep) this.payments = [];
    this.terminal.reset();
    $("#pay-error").textContent = "";
    $("#ask-manager").hidden = true;
    show("pay");
    this.renderPay();
    $("#cash-amount").focus();
  }

  renderPay() {
    const m = this.money;
    const total = this.priced().total;
    const state = settle(total, this.payments);
    $("#pay-due").textContent = m.format(total);
    $("#pay-remaining").textContent = m.format(state.due);
    $("#pay-change").textContent = m.format(state.change);
    $("#cash-amount").value = m.format(state.due);
    $("#card-amount").value = m.format(state.due);
    $("#quick-cash").replaceChildren(...(state.due ? quickCash(state.due, m) : []).map((amount) => el("button", {
      type: "button", textContent: m.format(amount), onclick: () => this.addTender("cash", amount),
    })));
    const busy = this.terminal.busy;
    $("#tenders").replaceChildren(...this.payments.map((p, i) => el("li", {},
      `${FLOWS[p.flow].label}: ${p.amount}${p.reference ? ` (${p.reference})` : ""}${p.terminal ? ` (${p.terminal})` : ""} `,
      el("button", { type: "button", textContent: "Remove", disabled: busy, onclick: () => {
        this.payments.splice(i, 1);
        this.renderPay();
      } }))));
    const terminal = this.terminal.available();
    $("#card-reference-label").hidden = terminal;
    $("#card-mode").textContent = terminal ? `on terminal ${this.terminal.terminal.terminal}` : "external terminal";
    for (const id of ["#add-cash", "#add-card", "#pay-back"]) $(id).disabled = busy;
    $("#complete-sale").disabled = !state.valid || busy;
  }

  // Card on the register's own terminal when it has one and the server answers; else a
  // card on an external terminal whose reference is typed. A terminal card that settles
  // the sale starts the terminal at once.
  async addCard() {
    const terminal = this.terminal.available();
    await this.addTender(terminal ? "terminal" : "external_card");
    if (terminal && this.payments.some((p) => p.flow === "terminal") && settle(this.priced().total, this.payments).valid) {
      await this.completeSale();
    }
  }

  async addTender(flowName, minor = null) {
    const flow = FLOWS[flowName];
    if (this.terminal.busy) return;
    const input = flowName === "cash" ? "#cash-amount" : "#card-amount";
    const amount = minor ?? this.money.parse($(input).value);
    if (!amount) {
      $("#pay-error").textContent = "Type an amount.";
      return;
    }
    if (!this.online && !flow.offline) {
      $("#pay-error").textContent = `${flow.label} needs the server; it cannot be reached.`;
      return;
    }
    try {
      const payment = await flow.take({ amount: this.money.format(amount), reference: $("#card-reference").value,
                                        terminal: this.info.terminal });
      this.payments.push({ ...payment, flow: flowName, minor: amount });
      $("#card-reference").value = "";
      $("#pay-error").textContent = "";
      this.renderPay();
      if (settle(this.priced().total, this.payments).valid && flowName !== "terminal") $("#complete-sale").focus();
    } catch (error) {
      $("#pay-error").textContent = error.message;
    }
  }

  saleBody() {
    const m = this.money;
    return {
      location: this.info.location,
      register: this.info.register,
      customer: this.cart.customer?.id ?? null,
      // The server prices each line itself: a price goes only with an override, and a
      // price printed in a barcode as the barcode.
      lines: this.cart.lines.map((l) => ({
        sku: l.sku, quantity: formatQuantity(l.quantity), discount: m.format(l.discount),
        ...(l.barcode ? { barcode: l.barcode } : {}),
        ...(l.unitPrice !== l.listPrice ? { unit_price: m.format(l.unitPrice) } : {}),
      })),
      discount: m.format(this.cart.orderDiscount),
      ...(this.cart.approval ? { approval: this.cart.approval } : {}),
      ...(this.cart.stockOverride ? { stock_override: true } : {}),
      payments: this.payments.map(({ method, amount, reference, connection, terminal }) => (
        terminal ? { method, amount, connection, terminal } : reference ? { method, amount, reference } : { method, amount })),
    };
  }

  async completeSale() {
    const button = $("#complete-sale");
    if (button.disabled || this.terminal.busy) return;
    button.disabled = true;
    const key = this.cart.key;
    if (this.payments.some((p) => p.flow === "terminal")) {
      const sale = await this.terminal.run(key, { ...this.saleBody(), offline: false });
      return this.afterTerminal(sale, key);
    }
    // Behind sales still waiting, this one is recorded as made offline too. Its offline
    // number goes with it: printed should the server not answer, it finds the sale later.
    const offline = !this.online || (await this.outbox.waiting()).length > 0;
    const body = { ...this.saleBody(), offline, offline_number: offlineNumber(this.info.register, key),
                   ...madeAt(offline) };
    const seq = await this.outbox.add(key, body);
    const result = await this.outbox.flush();
    const outcome = result.recorded.get(seq);
    if (outcome instanceof Error) {
      await this.store.dequeue(seq);
      await this.renderStatus();
      $("#pay-error").textContent = outcome.message;
      button.disabled = false;
      await this.afterRefusal(outcome);
      return;
    }
    if (result.stoppedBy instanceof Unreachable) this.setOnline(false);
    await this.finishSale(outcome || this.offlineSale(key, body), key);
    // Kept in the queue, the sale is sent once the register is paired again.
    if (result.stoppedBy?.code === "register_unpaired") await this.unpaired();
  }

  // A sale refused as it was sent: a manager may approve what it lacked (selling what the
  // ledger says is not there, or acts the server wants approved); prices that changed
  // since the catalog was read are read again.
  async afterRefusal(error) {
    const acts = error.code === "insufficient_stock" ? ["stock"]
      : error.code === "approval_required" ? (error.details.acts || []) : [];
    this.refusedActs = acts;
    $("#ask-manager").hidden = acts.length === 0;
    const total = error.details.total;
    if (error.code === "validation_error" && error.details.field === "payments" && total
        && total !== this.money.format(this.priced().total)) {
      await this.refreshPrices();
      $("#pay-error").textContent = "Prices changed since the register read them; the total is updated, take payment again.";
      this.payments = [];
      this.renderPay();
    }
  }

  async askManager() {
    const acts = this.refusedActs || [];
    if (acts.includes("stock")) this.cart.stockOverride = true;
    if (!(await this.ensureApproved(acts))) {
      if (acts.includes("stock")) this.cart.stockOverride = false;
      return;
    }
    $("#ask-manager").hidden = true;
    $("#pay-error").textContent = "";
    await this.completeSale();
  }

  // The catalog read again; lines at the catalog's price follow it.
  async refreshPrices() {
    try {
      await this.catalog.load(this.api);
    } catch {
      return;
    }
    for (const line of this.cart.lines) {
      const product = this.catalog.bySku.get(line.sku);
      if (!product || line.barcode) continue;
      const price = this.money.parse(product.price);
      if (line.unitPrice === line.listPrice) line.unitPrice = price;
      line.listPrice = price;
    }
    this.renderCart();
  }

  // The terminal flow's end: the sale is recorded, or the pay screen shows what happened.
  async afterTerminal(sale, key) {
    if (sale) return this.finishSale(sale, key);
    this.renderPay();
  }

  // The sale as the server will record it, for the receipt of a sale that waits.
  offlineSale(key, body) {
    const m = this.money;
    const priced = this.priced();
    const state = settle(priced.total, this.payments);
    return {
      id: key, number: body.offline_number, offline: true,
      created_at: body.sold_at ?? new Date().toISOString(), created_by: this.session.name,
      lines: this.cart.lines.map((l, i) => ({
        name: l.name, quantity: body.lines[i].quantity, unit_price: m.format(l.unitPrice), tax_rate: l.taxRate,
        subtotal: m.format(priced.lines[i].gross), discount: m.format(l.discount), net: m.format(priced.lines[i].net),
        tax: m.format(priced.lines[i].tax), total: m.format(priced.lines[i].total),
      })),
      subtotal: m.format(priced.subtotal), discount_total: m.format(priced.discountTotal),
      tax_total: m.format(priced.taxTotal), total: m.format(priced.total),
      payments: body.payments, change_due: m.format(state.change),
    };
  }

  async finishSale(sale, key) {
    const doc = await this.receiptOf(sale);
    this.lastDoc = doc;
    this.lastSale = sale;
    this.lastCustomer = this.cart.customer;
    await this.store.set("lastReceipt", doc);
    this.cart = emptyCart();
    this.payments = [];
    this.lastKey = key;
    $("#done-number").textContent = sale.number;
    $("#done-change").textContent = sale.change_due;
    $("#done-print-status").textContent = "";
    show("done");
    $("#new-sale").focus();
    // Cash changes hands whatever receipt the customer wants.
    if (sale.payments.some((p) => p.method === "cash") && this.printer.agent) {
      try {
        await this.printer.agent.openDrawer({ user: this.session.name, reason: `sale ${sale.number}`, key: `${key}:drawer`, kind: "cash" });
      } catch (error) {
        $("#done-print-status").textContent = `Drawer: ${error.message}`;
      }
    }
  }

  // The receipt the customer asked for: printed, as a gift receipt, or by email.
  async printReceipt() {
    await this.print(this.lastDoc, { key: `${this.lastKey}:receipt` });
  }

  async giftReceipt() {
    if (this.lastSale.offline && !this.online) {
      $("#done-print-status").textContent = "A gift receipt needs the server; print the receipt now and the gift receipt later (Reprint).";
      return;
    }
    try {
      const gift = await this.call(() => fetchReceipt(this.api, this.lastSale.id, { gift: true }));
      await this.print(gift, { key: `${this.lastKey}:gift` });
    } catch (error) {
      $("#done-print-status").textContent = `Gift receipt: ${error.message}`;
    }
  }

  async emailReceipt() {
    const sale = this.lastSale;
    let sent = null;
    const answer = await ask({
      title: `Email the receipt of ${sale.number}`,
      fields: [{ name: "email", label: "Email", value: this.lastCustomer?.email || "", type: "email" }],
      check: async ({ email }) => {
        try {
          sent = await this.call(() => this.api.post(`/receipts/${encodeURIComponent(sale.id)}/emails`, { email: email.trim() }));
          return null;
        } catch (error) {
          return error instanceof Unreachable ? "Email needs the server; it cannot be reached." : error.message;
        }
      },
    });
    if (answer) $("#done-print-status").textContent = `The receipt goes to ${sent.recipient}.`;
  }

  // The server's document of a recorded sale; the register's own for one it has not
  // recorded yet (or when the server stops answering right after recording it).
  async receiptOf(sale) {
    if (!sale.offline || this.online) {
      try {
        return await this.call(() => fetchReceipt(this.api, sale.id));
      } catch {
        // The sale's own figures make the same receipt.
      }
    }
    return offlineReceipt(sale, this.info, this.money);
  }

  // The drawer opened without a sale: the server records who and why (in the audit trail)
  // before the device agent opens it.
  async openDrawer() {
    const answer = await ask({
      title: "Open the drawer (no sale)",
      fields: [{ name: "reason", label: "Why", value: "" }],
      check: ({ reason }) => (reason.trim() ? null : "Say why the drawer is opened."),
    });
    if (!answer) return;
    try {
      const opening = await this.call(() => this.api.post(
        `/registers/${encodeURIComponent(this.info.register)}/drawer-openings`, { reason: answer.reason.trim() }));
      if (!this.printer.agent) {
        $("#sell-error").textContent = "Recorded. This register has no device agent: open the drawer by hand.";
        return;
      }
      await this.printer.agent.openDrawer({ user: this.session.name, reason: opening.reason, key: opening.id });
      $("#sell-error").textContent = "";
    } catch (error) {
      $("#sell-error").textContent = error instanceof Unreachable
        ? "Opening the drawer without a sale needs the server; it cannot be reached." : `Drawer: ${error.message}`;
    }
  }

  async print(doc, { openDrawer = false, key, status: where } = {}) {
    const status = $(where || (current() === "done" ? "#done-print-status" : current() === "returns" ? "#return-error" : "#close-error"));
    try {
      const how = await this.printer.print(doc, { openDrawer, key: key || newKey(), money: this.money });
      if (current() === "done" || where) status.textContent = how === "agent" ? "Sent to the printer." : "";
    } catch (error) {
      status.textContent = `Receipt not printed: ${error.message}. Use “Reprint last”.`;
    }
  }

  async reprint() {
    if (!this.lastDoc) {
      $("#sell-error").textContent = "No receipt to reprint yet.";
      return;
    }
    try {
      await this.printer.print(reprinted(this.lastDoc), { money: this.money });
    } catch (error) {
      $("#sell-error").textContent = `Reprint failed: ${error.message}`;
    }
  }

  // ---- wiring --------------------------------------------------------------------

  bind() {
    const on = (id, handler) => $(id).addEventListener("click", () => handler.call(this));
    on("#pair-button", this.pair);
    on("#signin-button", this.signIn);
    on("#open-shift-button", this.openShift);
    on("#pay-button", this.toPay);
    on("#qty-button", this.editQuantity);
    on("#line-discount-button", () => this.discount("line"));
    on("#price-button", this.editPrice);
    on("#drawer-button", this.openDrawer);
    on("#ask-manager", this.askManager);
    on("#order-discount-button", () => this.discount("order"));
    on("#customer-button", this.chooseCustomer);
    on("#returns-button", () => this.returns.open());
    on("#reprint-button", this.reprint);
    on("#close-shift-button", this.toCloseShift);
    on("#signout-button", this.signOut);
    on("#add-cash", () => this.addTender("cash"));
    on("#add-card", this.addCard);
    on("#complete-sale", this.completeSale);
    on("#pay-back", this.toSell);
    on("#new-sale", this.toSell);
    on("#print-receipt", this.printReceipt);
    on("#gift-receipt", this.giftReceipt);
    on("#email-receipt", this.emailReceipt);
    on("#close-shift", () => this.closeShift());
    on("#close-anyway", () => this.closeShift({ confirmed: true }));
    on("#count-again", () => this.toCloseShift());
    // A warning answers the count it was given: a new count is checked again.
    $("#counted-cash").addEventListener("input", () => { $("#close-warning").hidden = true; });
    on("#close-back", this.toSell);
    on("#z-done", () => show("shift-open"));
    this.returns.bind();
    this.terminal.bind();
    this.refused.bind();
    this.acts.bind();
    this.grid.bind();
    this.variants.bind();
    this.bindPinPad();
    this.bindSearch();
    // An error answers what was typed or chosen; typing again (the cause being fixed) clears it.
    document.addEventListener("input", (event) => {
      const screen = event.target.closest(".screen");
      for (const error of screen ? screen.querySelectorAll(".error") : []) error.textContent = "";
    });
    document.addEventListener("keydown", (event) => this.shortcut(event));
  }

  bindPinPad() {
    const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫"];
    $("#pinpad").replaceChildren(...keys.map((k) => el("button", { type: "button", textContent: k, onclick: () => {
      const pin = $("#pin");
      pin.value = k === "C" ? "" : k === "⌫" ? pin.value.slice(0, -1) : pin.value + k;
    } })));
    $("#pin").addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.signIn();
    });
  }

  bindSearch() {
    let results = [];
    let active = 0;
    const render = () => {
      $("#results").replaceChildren(...results.map((p, i) => el("li", {
        className: i === active ? "active" : "",
        onclick: () => pick(p),
      }, el("span", { textContent: p.label }), el("span", { className: "muted", textContent: p.isGroup
        ? `${p.variants.length} variants` : `${p.sku} · ${p.price}` }))));
    };
    const pick = (entry) => {
      const typed = $("#search").value;
      if (entry.isGroup) this.variants.open(entry, typed);
      else this.addProduct(entry);
      $("#search").value = "";
      results = [];
      render();
      $("#search").focus();
    };
    $("#search").addEventListener("input", () => {
      results = this.catalog.search($("#search").value);
      this.searchResults = results;
      active = 0;
      render();
    });
    $("#search").addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = Math.max(0, Math.min(results.length - 1, active + (event.key === "ArrowDown" ? 1 : -1)));
        render();
      } else if (event.key === "Enter") {
        const typed = $("#search").value.trim();
        if (results[active]) pick(results[active]);
        else if (/^\d{8,14}$/.test(typed)) {
          $("#search").value = "";
          this.scanned(typed);
        }
      }
    });
  }

  shortcut(event) {
    if ($("#dialog").open || $("#variant-picker").open) return;
    const screen = current();
    const typing = ["INPUT", "TEXTAREA"].includes(document.activeElement?.tagName);
    const keys = {
      sell: {
        F2: () => $("#search").focus(), "/": () => !typing && $("#search").focus(), F3: () => this.editPrice(),
        F4: () => this.editQuantity(), F6: () => this.discount("order"), F7: () => this.discount("line"),
        F8: () => this.chooseCustomer(), F9: () => this.toPay(), F10: () => this.returns.open(),
      },
      pay: {
        F1: () => this.addTender("cash"), F3: () => this.addCard(),
        F9: () => this.completeSale(), Escape: () => this.toSell(),
      },
      done: { Enter: () => this.toSell(), p: () => this.printReceipt(), g: () => this.giftReceipt(), e: () => this.emailReceipt() },
      report: { Escape: () => this.toSell() },
      parked: { Escape: () => this.toSell() },
      returns: { Escape: () => this.toSell() },
      refused: { Escape: () => this.toSell() },
      "shift-close": { Escape: () => this.toSell() },
    }[screen] || {};
    const action = keys[event.key];
    if (!action || (event.key === "/" && typing)) return;
    event.preventDefault();
    action();
  }
}
