// The register's local device agent (receipt printer, cash drawer). Without one, the
// browser's print dialog prints the receipt.

import { newKey } from "./api.js";
import { receiptElement } from "./receipt.js";

export class DeviceAgent {
  constructor({ url, token }) {
    this.url = url.replace(/\/+$/, "");
    this.token = token;
  }

  async call(method, path, body, key) {
    const headers = { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" };
    if (key) headers["Idempotency-Key"] = key;
    const response = await fetch(this.url + path, {
      method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(5000),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error?.message || `device agent: HTTP ${response.status}`);
    return data;
  }

  print(receipt, { openDrawer, key }) {
    return this.call("POST", "/print", { receipt, open_drawer: openDrawer }, key);
  }

  // The drawer opened; `key` (the server's record of the opening, or the sale's) makes a
  // retry open it once.
  // `kind`: "no_sale", or "cash" when cash changes hands (a sale, cash in or out).
  openDrawer({ user, reason, key, kind = "no_sale" }) {
    return this.call("POST", "/drawer/open", { user, reason, kind }, key);
  }

  status() { return this.call("GET", "/status"); }
}

export class Printer {
  constructor({ agent, area }) {
    this.agent = agent;
    this.area = area;
  }

  // `doc`: the server's receipt document, which the agent prints as it is. `key` makes a
  // retry of the same print harmless; a reprint passes a new one.
  async print(doc, { openDrawer = false, key = newKey(), money }) {
    if (this.agent) {
      await this.agent.print(doc, { openDrawer, key });
      return "agent";
    }
    this.area.replaceChildren(receiptElement(doc, money));
    window.print();
    return "browser";
  }
}
