// The register's service worker: keeps the app and the catalog so the register opens and
// sells while the server is unreachable. Network first (the register always runs the
// newest files and prices when it can), the cached copy when the network fails.

const SHELL = "tillflow-register-shell-v6";
const CATALOG = "tillflow-register-catalog-v1";
const FILES = [
  "./", "index.html", "register.css", "manifest.webmanifest",
  "js/main.js", "js/app.js", "js/api.js", "js/db.js", "js/catalog.js", "js/money.js",
  "js/outbox.js", "js/receipt.js", "js/scanner.js", "js/devices.js", "js/tenders.js",
  "js/ui.js", "js/returns.js", "js/terminal.js", "js/refused.js", "js/controls.js", "js/acts.js",
  "js/grid.js", "js/variants.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

function isCatalog(url) {
  return url.pathname.endsWith("/api/v1/products") || url.pathname.includes("/api/v1/products/by-barcode/");
}

async function networkFirst(request, cacheName, { ignoreSearch = false } = {}) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isCatalog(url)) {
    event.respondWith(networkFirst(request, CATALOG));
  } else if (url.pathname.startsWith(new URL(self.registration.scope).pathname)) {
    event.respondWith(networkFirst(request, SHELL, { ignoreSearch: request.mode === "navigate" }));
  }
});
