// Starts the register and its service worker (which keeps it usable offline).

import { Register } from "./app.js";
import { openDb } from "./db.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch((error) => console.warn("no offline mode:", error));
}

const register = new Register(await openDb());
window.tillflowRegister = register;
await register.start();
