// Money in integer minor units and quantities in thousandths, priced exactly as the
// server prices a sale (half-up per line, order discount by largest remainder), so the
// totals the cashier sees, and the receipts of offline sales, match the recorded sale.

const QTY_SCALE = 1000n;
const RATE_SCALE = 1000000n;

export class Money {
  constructor(digits) {
    this.digits = digits;
    this.scale = 10n ** BigInt(digits);
  }

  // "12.3" -> 1230; null when the text is not an amount with at most `digits` places.
  parse(text) {
    const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(String(text));
    if (!match || (match[2] || "").length > this.digits) return null;
    const fraction = (match[2] || "").padEnd(this.digits, "0");
    return Number(BigInt(match[1]) * this.scale + BigInt(fraction || "0"));
  }

  format(minor) {
    const sign = minor < 0 ? "-" : "";
    const value = BigInt(Math.abs(minor));
    if (this.digits === 0) return sign + value.toString();
    const whole = value / this.scale;
    const part = (value % this.scale).toString().padStart(this.digits, "0");
    return `${sign}${whole}.${part}`;
  }
}

// "0.750" -> 750 thousandths; integers too. null when not a quantity of up to 3 places.
export function parseQuantity(text) {
  const match = /^\s*(\d+)(?:[.,](\d{0,3}))?\s*$/.exec(String(text));
  if (!match) return null;
  return Number(BigInt(match[1]) * QTY_SCALE + BigInt((match[2] || "").padEnd(3, "0")));
}

// 750 -> "0.750", 2000 -> 2 (whole quantities travel as integers, as the API prefers).
export function formatQuantity(thousandths) {
  if (thousandths % 1000 === 0) return thousandths / 1000;
  const whole = Math.trunc(thousandths / 1000);
  return `${whole}.${String(thousandths % 1000).padStart(3, "0")}`;
}

export function parseRate(text) {
  const match = /^(\d+)(?:\.(\d{0,6}))?$/.exec(String(text));
  if (!match) return 0n;
  return BigInt(match[1]) * RATE_SCALE + BigInt((match[2] || "").padEnd(6, "0"));
}

// Half-up division of non-negative integers.
function divRound(numerator, denominator) {
  return (2n * numerator + denominator) / (2n * denominator);
}

// Split `total` over `weights` in proportion, exactly: floors, then leftover units to the
// largest remainders, earliest first on ties.
export function allocate(total, weights) {
  if (weights.length === 0) return [];
  let sum = weights.reduce((a, w) => a + BigInt(w), 0n);
  const ws = sum === 0n ? weights.map(() => 1n) : weights.map(BigInt);
  if (sum === 0n) sum = BigInt(weights.length);
  const t = BigInt(total);
  const floors = ws.map((w) => (t * w) / sum);
  const remainders = ws.map((w) => (t * w) % sum);
  let leftover = t - floors.reduce((a, f) => a + f, 0n);
  const order = ws.map((_, i) => i).sort((a, b) => {
    if (remainders[a] === remainders[b]) return a - b;
    return remainders[a] > remainders[b] ? -1 : 1;
  });
  for (const i of order) {
    if (leftover === 0n) break;
    floors[i] += 1n;
    leftover -= 1n;
  }
  return floors.map(Number);
}

// lines: [{quantity (thousandths), unitPrice, discount, taxRate (string)}] -> priced sale.
export function priceSale(lines, { orderDiscount = 0, taxInclusive = false } = {}) {
  const grosses = lines.map((l) => Number(divRound(BigInt(l.quantity) * BigInt(l.unitPrice), QTY_SCALE)));
  const afterLine = lines.map((l, i) => grosses[i] - l.discount);
  const shares = allocate(orderDiscount, afterLine);
  const priced = lines.map((line, i) => {
    const discounted = BigInt(afterLine[i] - shares[i]);
    const rate = parseRate(line.taxRate);
    let tax;
    let total;
    if (taxInclusive) {
      total = discounted;
      tax = discounted > 0n ? divRound(discounted * rate, RATE_SCALE + rate) : 0n;
    } else {
      tax = discounted > 0n ? divRound(discounted * rate, RATE_SCALE) : 0n;
      total = discounted + tax;
    }
    return { gross: grosses[i], orderDiscount: shares[i], tax: Number(tax), total: Number(total),
             net: Number(taxInclusive ? total - tax : discounted) };
  });
  const sum = (key) => priced.reduce((a, l) => a + l[key], 0);
  return {
    lines: priced,
    subtotal: sum("gross"),
    discountTotal: lines.reduce((a, l) => a + l.discount, 0) + orderDiscount,
    taxTotal: sum("tax"),
    total: sum("total"),
  };
}

// Amounts a customer is likely to hand over for `due`: exact, then the next notes up.
export function quickCash(due, money) {
  const unit = Number(money.scale);
  const options = [due];
  for (const note of [5, 10, 20, 50, 100]) {
    const step = note * unit;
    const next = Math.ceil(due / step) * step;
    if (next > due && !options.includes(next)) options.push(next);
    if (options.length >= 5) break;
  }
  return options;
}
