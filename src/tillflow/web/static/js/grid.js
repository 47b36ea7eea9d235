// Every active product as buttons, a page at a time, sorted by name with its price (a
// product with variants once, picked from after): for
// the goods that have no barcode and are not among the favourites. The catalog the
// register holds in memory is paged here, so the grid works offline as the search does.

import { $, el } from "./ui.js";

// Three rows of four on the smallest screen the register is made for (1024×768).
export const PAGE_SIZE = 12;

export class ProductGrid {
  constructor(register) {
    this.r = register;
    this.page = 0;
    this.open = false;
  }

  bind() {
    $("#grid-button").addEventListener("click", () => this.toggle());
    $("#grid-prev").addEventListener("click", () => this.turn(-1));
    $("#grid-next").addEventListener("click", () => this.turn(1));
  }

  // Sorted when shown: the catalog is read again now and then, and may have changed.
  // A product with variants is one tile, which opens the variant picker.
  sorted() {
    const key = (entry) => (entry.isGroup ? "" : entry.sku);
    return this.r.catalog.entries().sort((a, b) => a.label.localeCompare(b.label) || key(a).localeCompare(key(b)));
  }

  toggle() {
    this.open = !this.open;
    this.render();
  }

  turn(by) {
    this.page += by;
    this.render();
  }

  render() {
    $("#product-grid").hidden = !this.open;
    $("#grid-button").textContent = this.open ? "Hide products" : "All products";
    $("#grid-button").setAttribute("aria-expanded", String(this.open));
    if (!this.open) return;
    const products = this.sorted();
    const pages = Math.max(1, Math.ceil(products.length / PAGE_SIZE));
    this.page = Math.min(Math.max(this.page, 0), pages - 1);
    const shown = products.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    $("#grid-tiles").replaceChildren(...shown.map((p) => el("button", {
      type: "button", className: "tile", dataset: p.isGroup ? { product: p.id } : { sku: p.sku },
      title: p.isGroup ? `${p.variants.length} variants` : p.sku,
      onclick: () => (p.isGroup ? this.r.variants.open(p) : this.r.addProduct(p)),
    }, el("span", { textContent: p.label }), el("small", { textContent: p.isGroup ? `${p.variants.length} variants` : p.price }))));
    $("#grid-page").textContent = products.length ? `Page ${this.page + 1} of ${pages}` : "No products";
    $("#grid-prev").disabled = this.page === 0;
    $("#grid-next").disabled = this.page >= pages - 1;
  }
}
