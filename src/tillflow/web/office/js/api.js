// The tillflow HTTP API as the back office uses it: the session is an HttpOnly cookie the
// browser sends itself, so no secret is ever held in script. An answer with the error
// envelope is an ApiError carrying its stable code and the field it names.

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "error";
    this.details = error.details || {};
  }
}

const BASE = "/api/v1";
const listeners = new Set();

// Called when the server says the session has ended (401): the page shows the sign-in.
export function onSignedOut(listener) { listeners.add(listener); }

export async function request(method, path, { body, accept = "application/json", headers = {} } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: accept, ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (error) {
    throw new ApiError(0, { code: "unreachable", message: `the server cannot be reached (${error})` });
  }
  if (response.status === 204) return null;
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    const error = new ApiError(response.status, data.error || {});
    if (response.status === 401 && !path.startsWith("/office/sessions")) listeners.forEach((l) => l(error));
    throw error;
  }
  return accept === "application/json" ? response.json() : response.text();
}

export const get = (path, params) => request("GET", path + query(params));
export const post = (path, body, headers) => request("POST", path, { body, headers });
export const put = (path, body) => request("PUT", path, { body });
export const patch = (path, body) => request("PATCH", path, { body });
export const del = (path) => request("DELETE", path);
export const csv = (path, params) => request("GET", path + query({ ...params, format: "csv" }), { accept: "text/csv" });

export function query(params) {
  if (!params) return "";
  const found = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return found.length ? `?${new URLSearchParams(found)}` : "";
}

// Every page of a listing that answers {items, next_cursor}.
export async function all(path, params = {}, { limit = 200, max = 5000 } = {}) {
  const items = [];
  let cursor;
  do {
    const page = await get(path, { ...params, limit, cursor });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

// A UUID v4 for an Idempotency-Key, made when a form is drawn: a retried or doubled
// submission of the same form carries the same key, so the server records it once.
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
