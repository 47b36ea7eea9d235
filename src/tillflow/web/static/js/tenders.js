// How each tender is taken. A flow turns an amount into a payment for the sale body.
// "External card" is a card paid on a standalone terminal whose reference the cashier
// types. "Terminal" is a card on the register's own terminal: it is charged when the sale
// is sent (see terminal.js), so its take() only names the connection and the terminal.

export const FLOWS = {
  cash: {
    label: "Cash",
    offline: true,
    needsReference: false,
    async take({ amount }) { return { method: "cash", amount }; },
  },
  external_card: {
    label: "Card (external terminal)",
    offline: true,
    needsReference: true,
    async take({ amount, reference }) {
      if (!reference || !reference.trim()) throw new Error("type the terminal's reference for the card payment");
      return { method: "card", amount, reference: reference.trim() };
    },
  },
  terminal: {
    label: "Card (terminal)",
    offline: false,
    needsReference: false,
    async take({ amount, terminal }) {
      return { method: "card", amount, connection: terminal.connection, terminal: terminal.terminal };
    },
  },
};

// Tendered so far, what is still due, and the change (only ever from cash).
export function settle(total, payments) {
  const tendered = payments.reduce((a, p) => a + p.minor, 0);
  const cash = payments.filter((p) => p.method === "cash").reduce((a, p) => a + p.minor, 0);
  const change = Math.max(0, tendered - total);
  return { tendered, due: Math.max(0, total - tendered), change, valid: tendered >= total && change <= cash };
}
