// The tillflow HTTP API as the register uses it. A request that never got an answer
// (server down, network gone) is an Unreachable; an answer with an error envelope is an
// ApiError carrying its stable code.

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "error";
    this.details = error.details || {};
  }
}

export class Unreachable extends Error {}

export class Api {
  constructor({ base = "/api/v1", timeoutMs = 8000 } = {}) {
    this.base = base;
    this.timeoutMs = timeoutMs;
    this.token = null;
  }

  // `timeoutMs` is longer for a sale that waits for the card at a terminal.
  async request(method, path, { body, token = this.token, headers = {}, timeoutMs = this.timeoutMs } = {}) {
    const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(this.base + path, init);
    } catch (error) {
      throw new Unreachable(String(error));
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, data.error || {});
    return data;
  }

  get(path, options) { return this.request("GET", path, options); }
  post(path, body, options = {}) { return this.request("POST", path, { ...options, body }); }
  delete(path, options) { return this.request("DELETE", path, options); }
}

// A UUID v4 from the platform's random source; works where crypto.randomUUID is missing
// (pages served over plain HTTP on a shop network).
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
