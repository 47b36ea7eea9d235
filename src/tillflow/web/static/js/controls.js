// What a sale needs a manager's approval for, as the server decides it
// (src/tillflow/domain/controls.py): a discount beyond the role's limit (a percent of the
// subtotal), a line sold further below its price than the role's limit, a stock override.
// The server decides again; a sale it refuses for want of an approval names the acts, and
// the register asks the manager for those.

// "2.5" → [25, 10]: a percent as a fraction, so a limit compares exactly in integers.
export function percentFraction(text) {
  const [whole, decimals = ""] = String(text).split(".");
  const denominator = 10 ** decimals.length;
  return [Number(whole) * denominator + Number(decimals || 0), denominator];
}

// `limits`: the session's {discount_percent, price_override_percent}, or null (a role
// without limits). `priced`: money.js's priceSale of the cart; `lines`: the cart's lines
// with `listPrice` (what the server finds) and `unitPrice` (what is charged), minor units.
export function neededActs(limits, priced, lines, { stockOverride = false } = {}) {
  if (!limits) return [];
  const acts = [];
  const [discount, discountScale] = percentFraction(limits.discount_percent);
  if (priced.discountTotal * 100 * discountScale > discount * priced.subtotal) acts.push("discount");
  const [price, priceScale] = percentFraction(limits.price_override_percent);
  if (lines.some((l) => l.unitPrice < l.listPrice
      && (l.listPrice - l.unitPrice) * 100 * priceScale > price * l.listPrice)) acts.push("price");
  if (stockOverride) acts.push("stock");
  return acts;
}
