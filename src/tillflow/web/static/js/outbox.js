// Every sale goes through the outbox: stored in IndexedDB with its idempotency key first,
// then sent. Sent in the order made; one that cannot reach the server waits, and the
// queue is replayed when the server answers again. The same key on every attempt means a
// replay never records a sale twice.

import { ApiError, Unreachable } from "./api.js";

const pad = (n) => String(n).padStart(2, "0");

// When the till made a sale, by its own clock and with its UTC offset: a sale made offline
// carries it (`sold_at`) so reports count it then, not when it is replayed. Taken once and
// kept in the queued body, every replay sends the same bytes under the same key.
export function tillTime(now = new Date()) {
  const offset = -now.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`
    + `.${String(now.getMilliseconds()).padStart(3, "0")}`;
  return `${date}T${time}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

export class Outbox {
  constructor({ store, api, onChange = () => {} }) {
    this.store = store;
    this.api = api;
    this.onChange = onChange;
    this.flushing = null;
  }

  async add(key, body) {
    const seq = await this.store.queue({ key, body, queuedAt: new Date().toISOString() });
    this.onChange();
    return seq;
  }

  async waiting() {
    return (await this.store.queued()).filter((e) => !e.failed);
  }

  async failed() {
    return (await this.store.queued()).filter((e) => e.failed);
  }

  // A refused sale a manager has looked at and set aside: it leaves the register.
  async dismiss(seq) {
    await this.store.dequeue(seq);
    this.onChange();
  }

  // Send everything waiting, oldest first. Resolves to {recorded: {seq: sale}, reachable,
  // stoppedBy}: a lost connection or session stops the queue, the sale waits for the next try.
  flush() {
    this.flushing ??= this.send().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  async send() {
    const recorded = new Map();
    for (const entry of await this.waiting()) {
      try {
        const sale = await this.api.post("/sales", entry.body, { headers: { "Idempotency-Key": entry.key } });
        await this.store.dequeue(entry.seq);
        recorded.set(entry.seq, sale);
      } catch (error) {
        if (error instanceof Unreachable || (error instanceof ApiError && (error.status === 401 || error.code === "register_unpaired"))) {
          this.onChange();
          return { recorded, reachable: !(error instanceof Unreachable), stoppedBy: error };
        }
        if (error instanceof ApiError && error.status >= 500) {
          this.onChange();
          return { recorded, reachable: true, stoppedBy: error };
        }
        // Refused for good (e.g. a closed shift): kept aside for a manager, not retried.
        await this.store.update({ ...entry, failed: { code: error.code, message: error.message } });
        recorded.set(entry.seq, error);
      }
    }
    this.onChange();
    return { recorded, reachable: true, stoppedBy: null };
  }
}
