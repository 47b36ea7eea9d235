// Small DOM helpers and the one modal dialog the register asks its questions in.

export const $ = (selector, root = document) => root.querySelector(selector);

export function el(tag, { dataset = {}, ...props } = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

export function show(id) {
  for (const screen of document.querySelectorAll(".screen")) screen.hidden = screen.id !== id;
}

export function current() {
  return document.querySelector(".screen:not([hidden])")?.id || null;
}

// fields: [{name, label, value?, type?, inputmode?, options?}]; a field with `options`
// (a list of texts) is chosen from a list, never typed. Resolves to {name: value} or null.
// `check(values)` may return an error message (kept open) or a promise of one.
export function ask({ title, fields, check = () => null, text = "" }) {
  const dialog = $("#dialog");
  $("#dialog-title").textContent = title;
  $("#dialog-text").textContent = text;
  $("#dialog-error").textContent = "";
  const inputs = fields.map((f) => (f.options
    ? el("select", { name: f.name, id: `dialog-${f.name}` },
      ...f.options.map((option) => el("option", { value: option, textContent: option, selected: option === f.value })))
    : el("input", {
      name: f.name, value: f.value ?? "", type: f.type || "text", inputMode: f.inputmode || "text",
      autocomplete: "off", id: `dialog-${f.name}`,
    })));
  $("#dialog-fields").replaceChildren(...fields.map((f, i) => el("label", {}, f.label, inputs[i])));
  return new Promise((resolve) => {
    const values = () => Object.fromEntries(inputs.map((i) => [i.name, i.value]));
    const ok = async (event) => {
      event.preventDefault();
      const problem = await check(values());
      if (problem) {
        $("#dialog-error").textContent = problem;
        return;
      }
      finish(values());
    };
    const cancel = () => finish(null);
    const finish = (result) => {
      $("#dialog-ok").removeEventListener("click", ok);
      dialog.removeEventListener("cancel", cancel);
      dialog.close();
      resolve(result);
    };
    $("#dialog-ok").addEventListener("click", ok);
    dialog.addEventListener("cancel", cancel);
    dialog.querySelector("button[value=cancel]").onclick = (event) => { event.preventDefault(); cancel(); };
    dialog.showModal();
    const first = inputs.find((input) => input.tagName === "INPUT" && !input.value) || inputs[0];
    if (first?.select) first.select();
    else first?.focus();
  });
}
