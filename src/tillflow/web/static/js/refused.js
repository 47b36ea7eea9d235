// Sales made offline that the server refused for good when they were replayed (the shift
// was closed meanwhile, a product is unknown, ...). They are never retried and never
// dropped silently: this screen shows each one, what was sold and why it was refused,
// until a manager, with their PIN, dismisses it once it has been dealt with.

import { formatQuantity, parseQuantity } from "./money.js";
import { $, ask, el, show } from "./ui.js";

export class Refused {
  constructor(register) {
    this.register = register;
  }

  bind() {
    $("#refused-button").addEventListener("click", () => this.open());
    $("#refused-back").addEventListener("click", () => this.register.toSell());
  }

  async open() {
    await this.render();
    show("refused");
  }

  async render() {
    const entries = await this.register.outbox.failed();
    $("#refused-list").replaceChildren(...entries.map((entry) => this.row(entry)));
    $("#refused-empty").hidden = entries.length > 0;
  }

  row(entry) {
    const { body, failed } = entry;
    const items = body.lines.map((l) => `${formatQuantity(parseQuantity(String(l.quantity)))} × ${l.sku} at ${l.unit_price ?? "list price"}`).join(", ");
    const paid = body.payments.map((p) => `${p.method} ${p.amount}${p.reference ? ` (${p.reference})` : ""}`).join(" + ");
    const when = new Date(entry.queuedAt).toLocaleString();
    return el("li", { dataset: { seq: String(entry.seq) } },
      el("strong", { textContent: `Sale of ${when}` }),
      el("div", { textContent: `Sold: ${items}` }),
      el("div", { textContent: `Paid: ${paid || "nothing"}` }),
      el("div", { className: "error", textContent: `Refused: ${failed.message} (${failed.code})` }),
      el("button", { type: "button", className: "dismiss", textContent: "Dismiss (manager)", onclick: () => this.dismiss(entry) }));
  }

  async dismiss(entry) {
    const approval = await this.register.approve(["dismiss_sale"]);
    if (approval === null) return;
    await this.register.outbox.dismiss(entry.seq);
    await this.render();
  }
}
