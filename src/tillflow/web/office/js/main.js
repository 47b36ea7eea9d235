// The back office: sign-in, the areas a role may open, and a hash router over the screens.

import { ApiError, del, get, onSignedOut, post } from "./api.js";
import { errorPanel, h, replace, showError, useTimeZone, values } from "./ui.js";

const AREAS = [
  ["dashboard", "Dashboard"], ["catalog", "Catalog"], ["stock", "Stock"], ["sales", "Sales"],
  ["reports", "Reports"], ["people", "People"], ["integrations", "Integrations"], ["tokens", "API tokens"],
];
const $ = (id) => document.getElementById(id);
let session = null;
let drawing = 0;  // a screen whose data comes late must not replace a newer one

async function start() {
  $("signin-form").addEventListener("submit", (e) => signIn(e, "signin-form"));
  $("token-form").addEventListener("submit", (e) => signIn(e, "token-form"));
  $("sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  onSignedOut(() => showSignIn("Your session has ended; sign in again."));
  try {
    session = await get("/office/sessions/current");
    signedIn();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) $("signin-error").textContent = err.message;
    showSignIn();
  }
}

async function signIn(event, formId) {
  event.preventDefault();
  const form = $(formId);
  $("signin-error").textContent = "";
  try {
    session = await post("/office/sessions", values(form));
    form.reset();
    signedIn();
  } catch (err) {
    showError($("signin-error"), err, form);
  }
}

async function signOut() {
  try { await del("/office/sessions/current"); } catch { /* ended already */ }
  session = null;
  showSignIn("Signed out.");
}

function showSignIn(message = "") {
  session = null;
  $("signin").hidden = false;
  $("view").hidden = true;
  $("nav").hidden = true;
  $("sign-out").hidden = true;
  $("who").textContent = "";
  $("signin-error").textContent = message;
  $("signin-form").querySelector("[name=name]").focus();
}

function signedIn() {
  $("signin").hidden = true;
  $("view").hidden = false;
  $("nav").hidden = false;
  $("sign-out").hidden = false;
  $("who").textContent = `${session.name} · ${session.role}`;
  useTimeZone(session.store.timezone);
  replace($("nav"), AREAS.filter(([area]) => session.screens.includes(area))
    .map(([area, title]) => h("a", { href: `#/${area}`, dataset: { area } }, title)));
  route();
}

async function route() {
  if (!session) return;
  const [area = "dashboard", ...rest] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const allowed = session.screens.includes(area) ? area : "dashboard";
  for (const link of $("nav").querySelectorAll("a")) {
    link.setAttribute("aria-current", link.dataset.area === allowed ? "page" : "false");
  }
  const view = $("view");
  const turn = ++drawing;
  view.dataset.screen = "";
  replace(view, h("p", { class: "muted" }, "Loading…"));
  try {
    const screen = await import(`./screens/${allowed}.js`);
    const content = await screen.render({ session, path: rest, admin: session.role === "admin" });
    if (turn !== drawing) return;
    const flash = sessionStorage.getItem("office:notice");
    sessionStorage.removeItem("office:notice");
    replace(view, flash ? h("p", { class: "notice", role: "status", id: "flash" }, flash) : null, content);
    view.dataset.screen = [allowed, rest[0] || ""].join("/");
  } catch (err) {
    if (turn !== drawing) return;
    replace(view, errorPanel(err));
    view.dataset.screen = `${allowed}/error`;
  }
}

start();
