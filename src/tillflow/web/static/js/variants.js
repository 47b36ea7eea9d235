// Choosing a variant of a product scanned or searched by name: the product's last two
// options as a grid (rows × columns, each cell the variant's price), any options before
// them as rows of buttons chosen first. One touch on a cell adds that variant to the cart.
// Words the cashier typed that name option values ("red", "m") are chosen already.

import { $, el } from "./ui.js";

export class VariantPicker {
  constructor(register) {
    this.r = register;
    this.group = null;
    this.chosen = {};
  }

  bind() {
    $("#variant-close").addEventListener("click", () => $("#variant-picker").close());
    $("#variant-picker").addEventListener("close", () => {
      this.group = null;
      $("#search").focus();
    });
  }

  open(group, query = "") {
    this.group = group;
    this.chosen = {};
    const words = new Set(query.toLowerCase().split(/\s+/).filter(Boolean));
    for (const option of this.leading()) {
      const named = option.values.find((value) => words.has(value.toLowerCase()));
      if (named && this.matching({ ...this.chosen, [option.name]: named }).length) this.chosen[option.name] = named;
    }
    this.render();
    $("#variant-picker").showModal();
    $("#variant-picker").querySelector("button.cell:not([disabled])")?.focus();
  }

  // Options chosen by buttons before the grid: all but the last two.
  leading() {
    return this.group.options.slice(0, Math.max(0, this.group.options.length - 2));
  }

  matching(chosen) {
    return this.group.variants.filter((v) => Object.entries(chosen).every(([name, value]) => (v.options || {})[name] === value));
  }

  choose(name, value) {
    this.chosen = { ...this.chosen, [name]: this.chosen[name] === value ? undefined : value };
    if (this.chosen[name] === undefined) delete this.chosen[name];
    this.render();
  }

  pick(variant) {
    $("#variant-picker").close();
    this.r.addProduct(variant);
  }

  render() {
    const group = this.group;
    $("#variant-title").textContent = group.name;
    const rows = this.leading().map((option) => el("fieldset", { className: "variant-option" },
      el("legend", { textContent: option.name }),
      ...option.values.map((value) => el("button", {
        type: "button", textContent: value, dataset: { option: option.name, value },
        disabled: this.matching({ ...this.chosen, [option.name]: value }).length === 0,
        ariaPressed: String(this.chosen[option.name] === value),
        onclick: () => this.choose(option.name, value),
      }))));
    $("#variant-options").replaceChildren(...rows);
    $("#variant-grid").replaceChildren(this.grid());
  }

  // The last two options as rows × columns (one option: a single row); a cell is the
  // variant with those values among the ones the leading choices leave.
  grid() {
    const options = this.group.options.slice(this.leading().length);
    const open = this.matching(this.chosen);
    const [rowOption, columnOption] = options.length === 1 ? [null, options[0]] : options;
    // A cell stays shut while the leading choices still leave more than one variant in it.
    const cell = (values) => {
      const candidates = open.filter((v) => Object.entries(values).every(([name, value]) => v.options[name] === value));
      const variant = candidates.length === 1 ? candidates[0] : null;
      return el("td", {}, el("button", {
        type: "button", className: "cell",
        textContent: variant ? variant.price : candidates.length ? "…" : "—",
        title: variant ? variant.sku : candidates.length ? "choose the options above first" : "not sold",
        dataset: variant ? { sku: variant.sku } : {},
        disabled: !variant,
        onclick: () => this.pick(variant),
      }));
    };
    const head = el("tr", {}, el("th", {}), ...columnOption.values.map((value) => el("th", { scope: "col", textContent: value })));
    const body = (rowOption ? rowOption.values : [null]).map((rowValue) => el("tr", {},
      el("th", { scope: "row", textContent: rowValue ?? columnOption.name }),
      ...columnOption.values.map((value) => cell(rowOption
        ? { [rowOption.name]: rowValue, [columnOption.name]: value }
        : { [columnOption.name]: value }))));
    return el("table", { className: "variant-grid" }, el("thead", {}, head), el("tbody", {}, ...body));
  }
}
