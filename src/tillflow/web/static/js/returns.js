// Returns against a receipt: find the sale by its number (typed or scanned), choose lines
// and quantities, refund to the original tender or in cash, restock or not.

import { ApiError } from "./api.js";
import { formatQuantity, parseQuantity } from "./money.js";
import { returnDocument } from "./receipt.js";
import { $, el, show } from "./ui.js";

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
    $("#return-back").addEventListener("click", () => this.register.toSell());
  }

  open() {
    this.sale = null;
    $("#return-number").value = "";
    $("#return-lines tbody").replaceChildren();
    $("#return-result").textContent = "";
    $("#return-error").textContent = "";
    $("#do-return").disabled = true;
    show("returns");
    $("#return-number").focus();
  }

  async find(number) {
    const r = this.register;
    $("#return-number").value = number.trim();
    $("#return-error").textContent = "";
    try {
      const found = await r.call(() => r.api.get(`/sales?number=${encodeURIComponent(number.trim())}`));
      if (!found.items.length) {
        $("#return-error").textContent = `No sale ${number}`;
        return;
      }
      // The sale by its id also says which card payments went through a gateway.
      this.sale = await r.call(() => r.api.get(`/sales/${encodeURIComponent(found.items[0].id)}`));
      this.render();
    } catch (error) {
      $("#return-error").textContent = error.message;
    }
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
    const post = (total) => r.call(() => r.api.post(`/sales/${this.sale.id}/returns`, body(total)));
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
    $("#do-return").disabled = true;
    const refunded = record.refunds.map((p) => `${p.method} ${p.amount}`).join(" + ");
    $("#return-result").textContent = `Return ${record.number}: refunded ${refunded}`;
    const cash = record.refunds.some((p) => p.method === "cash");
    await r.print(returnDocument(record, this.sale), { openDrawer: cash, key: `${record.id}:receipt` });
  }
}
