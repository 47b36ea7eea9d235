// Staff names by id: sales and the staff report carry a member's id, the office shows the
// name (and keeps the id for filters and CSV exports, which other tools read).

import { get } from "./api.js";

export async function staffNames() {
  const { items } = await get("/staff");
  return new Map(items.map((m) => [m.id, m.name]));
}

// A member's name, or the bare id of one no longer listed, or "none" for a sale no staff member made.
export function staffLabel(names, id) {
  if (id === null || id === undefined) return "none";
  return names.get(id) ?? `#${id}`;
}
