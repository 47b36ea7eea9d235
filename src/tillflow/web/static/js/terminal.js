// Card payments on the register's own terminal (a payments connection with a terminal set
// for this register). The sale request itself drives the terminal: tillflow sends the
// payment and answers once the card is taken, declined or cancelled. While it waits the
// register shows the terminal's progress and can cancel.
//
// Never a second charge: the sale keeps one Idempotency-Key and one body from the moment
// the card is asked for until the server says what happened. When the answer is lost (the
// network, a timeout, the gateway not answering) the register only ever sends the same
// request again, which makes the server look the payment up instead of charging again;
// the pending sale is kept in IndexedDB so that even a reload comes back to it.

import { ApiError } from "./api.js";
import { $ } from "./ui.js";

const POLL_MS = 1000;
const RETRY_MS = 1500;
// Longer than a terminal waits for the shopper (Adyen's cloud answers within 150 s).
const SALE_TIMEOUT_MS = 180_000;
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

const MESSAGES = {
  cancelled: "Card payment cancelled; nothing was charged. Take another tender or try again.",
  unreachable: "The terminal cannot be reached; nothing was charged. Try again or take another tender.",
  unknown: "The card's outcome is not known yet. Do NOT take the card again: “Check again” asks the server what the terminal did.",
};

export class TerminalFlow {
  constructor(register) {
    this.register = register;
    this.state = "idle";
  }

  get terminal() { return this.register.info?.terminal || null; }

  // The terminal is used when one is set and the server can be reached; else "external card".
  available() { return Boolean(this.terminal) && this.register.online; }

  // While the card is asked for or its outcome unknown, the sale's tenders cannot change.
  get busy() { return this.state === "waiting" || this.state === "unknown"; }

  bind() {
    $("#terminal-cancel").addEventListener("click", () => this.cancel());
    $("#terminal-check").addEventListener("click", () => this.check());
  }

  // Sends the sale with its terminal tender(s); resolves to the recorded sale, or null.
  async run(key, body) {
    const r = this.register;
    this.pending = { key, body };
    await r.store.set("terminalSale", { key, body, cart: r.cart, payments: r.payments });
    const card = body.payments.find((p) => p.terminal);
    this.show("waiting", `Sending ${card.amount} to terminal ${card.terminal}…`);
    const started = Date.now();
    const watching = this.watch(card, started);
    try {
      for (;;) {
        try {
          const sale = await r.api.post("/sales", body, { headers: { "Idempotency-Key": key }, timeoutMs: SALE_TIMEOUT_MS });
          await this.forget();
          this.show("approved", "Card approved.");
          return sale;
        } catch (error) {
          // A Stripe reader answers at once and is asked again until the card is taken.
          if (error instanceof ApiError && error.code === "payment_in_progress") {
            await sleep(RETRY_MS);
            continue;
          }
          await this.failed(error);
          return null;
        }
      }
    } finally {
      watching.stop();
    }
  }

  // Shows what the server knows of the terminal's payment while the sale request waits.
  watch(card, started) {
    const r = this.register;
    let running = true;
    const loop = async () => {
      while (running) {
        await sleep(POLL_MS);
        if (!running || this.state !== "waiting") break;
        const seconds = Math.round((Date.now() - started) / 1000);
        try {
          const now = await r.api.get(`/payments/terminals/${encodeURIComponent(r.info.register)}`);
          if (running && this.state === "waiting" && now.payment) {
            this.show("waiting", `Waiting for the card on terminal ${now.terminal}: ${now.payment.amount} (${seconds} s)`);
          }
        } catch {
          // Progress is only shown; the sale request itself says what happened.
        }
      }
    };
    loop();
    return { stop: () => { running = false; } };
  }

  async failed(error) {
    const declined = error instanceof ApiError && error.code === "payment_declined";
    if (declined && /abort|cancel/i.test(error.details.decline_code || "")) {
      return this.giveUp("cancelled", MESSAGES.cancelled);
    }
    if (declined) return this.giveUp("declined", `The card was declined (${error.details.decline_code || "refused"}). Take another tender.`);
    if (error instanceof ApiError && error.code === "gateway_unavailable") return this.giveUp("declined", MESSAGES.unreachable);
    const known = error instanceof ApiError && error.status < 500 && error.status !== 401
      && !["payment_outcome_unknown", "register_unpaired"].includes(error.code);
    // Refused before or after the card (stock, approval, ...): the server gave the money back.
    if (known) return this.giveUp("error", error.message);
    this.show("unknown", MESSAGES.unknown);
    // Kept in IndexedDB, the sale comes back to be checked after signing in or pairing again.
    if (error instanceof ApiError && error.code === "register_unpaired") await this.register.unpaired();
    else if (error instanceof ApiError && error.status === 401) {
      await this.register.toSignIn("Your session ended; sign in again to learn the card's outcome.");
    }
    return null;
  }

  // The card was not charged: its tender leaves the sale, which keeps its key for the retry.
  async giveUp(state, message) {
    const r = this.register;
    r.payments = r.payments.filter((p) => p.flow !== "terminal");
    await this.forget();
    this.show(state, message);
  }

  async forget() {
    this.pending = null;
    await this.register.store.remove("terminalSale");
  }

  async cancel() {
    const r = this.register;
    $("#terminal-message").textContent = "Cancelling at the terminal…";
    try {
      await r.api.post(`/payments/terminals/${encodeURIComponent(r.info.register)}/cancel`, {});
    } catch (error) {
      $("#terminal-message").textContent = `Could not cancel: ${error.message}`;
    }
  }

  // The same request again: the server looks the payment up and never charges twice.
  async check() {
    if (!this.pending) return;
    const { key, body } = this.pending;
    const sale = await this.run(key, body);
    await this.register.afterTerminal(sale, key);
  }

  // After a reload: the sale whose card outcome was never learned comes back to be checked.
  async restore() {
    const saved = await this.register.store.get("terminalSale");
    if (!saved) return false;
    const r = this.register;
    r.cart = saved.cart;
    r.payments = saved.payments;
    this.pending = { key: saved.key, body: saved.body };
    r.toPay({ keep: true });
    this.show("unknown", MESSAGES.unknown);
    return true;
  }

  show(state, message) {
    this.state = state;
    const box = $("#terminal");
    box.hidden = state === "idle";
    box.dataset.state = state;
    $("#terminal-message").textContent = message;
    $("#terminal-cancel").hidden = state !== "waiting";
    $("#terminal-check").hidden = state !== "unknown";
    this.register.renderPay();
  }

  reset() {
    this.state = "idle";
    $("#terminal").hidden = true;
  }
}
