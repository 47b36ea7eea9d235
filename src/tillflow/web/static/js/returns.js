// Returns against a receipt: find the sale by its printed number (typed) or by the id its
// QR code holds (scanned), choose lines and quantities, refund to the original tender or in
// cash, restock or not.

import { ApiError, newKey } from "./api.js";
import { formatQuantity, parseQuantity } from "./money.js";
import { fetchReceipt } from "./receipt.js";
import { $, el, show } from "./ui.js";

// What a receipt's QR code holds: the sale's id.
const SALE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Returns {
  constructor(register) {
    this.register = register;
    this.sale = null;
  }

  bind() {
    $("#find-sale").addEventListener("click", () => this.find($("#return-number").value));
    $("#return-number").addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.find($("#return-number").value);
    });
    $("#do-return").addEventListener("click", () => this.refund());
    $("#void-sale").addEventListener("click", () => this.voidSale());
    $("#return-back").addEventListener("click", () => this.register.toSell());
  }

  open() {
    this.sale = null;
    this.sent = null;
    $("#return-number").value = "";
    $("#return-lines tbody").replaceChildren();
    $("#return-result").textContent = "";
    $("#return-error").textContent = "";
    $("#do-return").disabled = true;
    $("#void-sale").hidden = true;
    show("returns");
    $("#return-number").focus();
  }

  async find(typed) {
    const r = this.register;
    const code = typed.trim();
    $("#return-number").value = code;
    $("#return-error").textContent = "";
    $("#return-result").textContent = "";
    try {
      const id = SALE_ID.test(code) ? code : await this.idOf(code);
      if (id === null) {
        $("#return-error").textContent = `No sale ${code}`;
        return;
      }
      // The sale by its id also says which card payments went through a gateway.
      this.sale = await r.call(() => r.api.get(`/sales/${encodeURIComponent(id)}`));
      $("#return-number").value = this.sale.number;
      this.render();
    } catch (error) {
      $("#return-error").textContent = error instanceof ApiError && error.status === 404 ? `No sale ${code}` : error.message;
    }
  }

  // The sale printed with `number` (R1-000042, or OFFLINE-… for one made offline).
  async idOf(number) {
    const r = this.register;
    const found = await r.call(() => r.api.get(`/sales?number=${encodeURIComponent(number)}`));
    return found.items.length ? found.items[0].id : null;
  }

  render() {
    const rows = this.sale.lines.map((line) => {
      const left = parseQuantity(String(line.quantity)) - parseQuantity(String(line.returned_quantity));
      return el("tr", { dataset: { line: line.line_no } },
        el("td", { textContent: line.name }),
        el("td", { className: "num", textContent: `${formatQuantity(left)} of ${formatQuantity(parseQuantity(String(line.quantity)))}` }),
        el("td", { className: "num", textContent: line.total }),
        el("td", {}, el("input", { className: "return-qty", value: "0", inputMode: "decimal",
                                   disabled: left <= 0, dataset: { left, sku: line.sku } })));
    });
    $("#return-lines tbody").replaceChildren(...rows);
    const card = this.sale.payments.find((p) => p.method === "card");
    // A card paid through a payments connection is refunded by the gateway (no reference).
    this.gatewayCard = Boolean(card?.payment_id);
    $("#card-refund-reference").value = this.gatewayCard ? "" : card?.reference || "";
    $("#card-refund-reference").disabled = this.gatewayCard;
    $("#do-return").disabled = false;
    // A sale of this shift, nothing of it returned yet, may be voided whole.
    const untouched = this.sale.lines.every((l) => parseQuantity(String(l.returned_quantity)) === 0);
    $("#void-sale").hidden = !(untouched && this.sale.shift_id === this.register.shift?.id);
  }

  chosen() {
    const lines = [];
    for (const row of $("#return-lines tbody").children) {
      const input = row.querySelector("input");
      const quantity = parseQuantity(input.value);
      if (quantity === null || quantity > Number(input.dataset.left)) return null;
      if (quantity > 0) lines.push({ line: this.sale.lines.find((l) => String(l.line_no) === row.dataset.line), quantity });
    }
    return lines;
  }

  // What the server will refund: each line's total pro rata (the server has the last word).
  estimate(lines) {
    const m = this.register.money;
    return lines.reduce((sum, { line, quantity }) => {
      const total = BigInt(m.parse(line.total));
      const whole = BigInt(parseQuantity(String(line.quantity)));
      return sum + Number((2n * total * BigInt(quantity) + whole) / (2n * whole));
    }, 0);
  }

  refunds(total) {
    const m = this.register.money;
    const card = this.sale.payments.filter((p) => p.method === "card").reduce((a, p) => a + m.parse(p.amount), 0);
    if (!$("#refund-original").checked || card === 0) return [{ method: "cash", amount: m.format(total) }];
    const toCard = Math.min(card, total);
    const reference = this.gatewayCard ? null : $("#card-refund-reference").value.trim() || null;
    const refunds = [{ method: "card", amount: m.format(toCard), reference }];
    if (total > toCard) refunds.push({ method: "cash", amount: m.format(total - toCard) });
    return refunds;
  }

  // The whole sale taken back in its own shift, to the tenders it was paid with; a
  // cashier's void needs a manager's PIN.
  async voidSale() {
    const r = this.register;
    const total = r.money.parse(this.sale.total);
    const refunds = this.refunds(total);
    let approval = null;
    if (!["manager", "admin"].includes(r.session.role)) {
      // A card refunded through the gateway may be above the refund limit (the server
      // knows it): one PIN approves the void and its refund together.
      const byGateway = refunds.some((p) => p.method === "card" && p.reference === null);
      approval = await r.approve(byGateway ? ["void", "refund"] : ["void"]);
      if (approval === null) return;
    }
    const body = {
      reason: "void", restock: true, register: r.info.register, refunds,
      lines: this.sale.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      ...(approval ? { approval: approval.token } : {}),
    };
    let record;
    try {
      record = await this.post(body);
    } catch (error) {
      $("#return-error").textContent = error.message;
      return;
    }
    await this.done(record, `Sale ${this.sale.number} voided (${record.number})`);
  }

  async refund() {
    const r = this.register;
    const lines = this.chosen();
    if (!lines || lines.length === 0) {
      $("#return-error").textContent = "Choose quantities to return (no more than is left on each line).";
      return;
    }
    const body = (total) => ({
      lines: lines.map(({ line, quantity }) => ({ sku: line.sku, quantity: formatQuantity(quantity) })),
      restock: $("#restock").checked, register: r.info.register, refunds: this.refunds(total),
    });
    const post = (total) => this.post(body(total));
    let record;
    try {
      record = await post(this.estimate(lines));
    } catch (error) {
      // A refused return writes nothing, and its answer names the exact total to refund.
      const total = error instanceof ApiError && error.details.field === "refunds" ? error.details.total : null;
      if (total === null || total === undefined) {
        $("#return-error").textContent = error.message;
        return;
      }
      try {
        record = await post(r.money.parse(total));
      } catch (again) {
        $("#return-error").textContent = again.message;
        return;
      }
    }
    await this.done(record, `Return ${record.number}`);
  }

  // One Idempotency-Key per return as sent: the same return sent again (its answer lost)
  // takes the same key, so the server answers the return it made instead of a second one.
  post(body) {
    const r = this.register;
    const json = JSON.stringify(body);
    if (this.sent?.json !== json) this.sent = { json, key: newKey() };
    const headers = { "Idempotency-Key": this.sent.key };
    return r.call(() => r.api.post(`/sales/${this.sale.id}/returns`, body, { headers }));
  }

  // A return (or void) recorded: said at the top of the screen, the lines show what is
  // left, its receipt is printed and the drawer opens for cash.
  async done(record, what) {
    const r = this.register;
    this.sent = null;
    const refunded = record.refunds.map((p) => `${p.method} ${p.amount}`).join(" + ");
    $("#return-result").textContent = `${what}: refunded ${refunded}`;
    $("#return-result").scrollIntoView({ block: "nearest" });
    // What is left to return on each line, as the server now counts it.
    try {
      this.sale = await r.call(() => r.api.get(`/sales/${encodeURIComponent(this.sale.id)}`));
      this.render();
    } catch {
      $("#do-return").disabled = true;
    }
    const cash = record.refunds.some((p) => p.method === "cash");
    try {
      const doc = await r.call(() => fetchReceipt(r.api, record.id));
      await r.print(doc, { openDrawer: cash, key: `${record.id}:receipt` });
    } catch (error) {
      $("#return-error").textContent = `Receipt not printed: ${error.message}`;
    }
  }
}
