"""Scan-to-line and search latency of the browser register on the demo catalog.

Starts ``tillflow demo`` in a scratch folder, adds a cashier and pairs register R1 with the
``tillflow staff`` commands, signs in from Chromium (Debian's ``/usr/bin/chromium``,
driven by Playwright) and then, as a keyboard-wedge scanner does, types barcodes ending
in Enter. It times, inside the page, from the Enter key to the cart line being in the
page and to the next painted frame; and product searches from the keystroke to the
results list.

    .venv/bin/python bench/register_scan.py [--scans 300] [--weighed 40] [--searches 200]
        [--variants 2000]

``--variants N`` adds N products of ten variants each (five sizes in two colours, each
variant with its own barcode) before the register signs in, and scans and searches those.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, sync_playwright

# Run as a script, Python puts this folder first on the path; the helpers are imported
# as the ``bench`` package, so the repository root goes there instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.demo_process import admin_token, demo_env, free_port, wait_until_serving
from tillflow.demo import PRODUCT_COUNT, demo_barcode
from tillflow.domain.barcodes import DEFAULT_RCN_RULES
from tillflow.domain.gtin import with_check_digit

TILLFLOW = Path(sys.executable).with_name("tillflow")
CHROMIUM = "/usr/bin/chromium"
PIN = "2468"
WEIGH = DEFAULT_RCN_RULES[0]
SIZES = ("XS", "S", "M", "L", "XL")
COLOURS = ("Red", "Black")
NAMES = ("Linen", "Cotton", "Merino", "Hemp", "Bamboo")

INSTRUMENT = """() => {
  window.__scans = [];
  let pressed = 0;
  window.addEventListener("keydown", (e) => {
    if (e.key === "Enter") pressed = performance.now();
  }, true);
  document.addEventListener("register:line-added", () => {
    const inDom = performance.now() - pressed;
    requestAnimationFrame(() => setTimeout(() => {
      window.__scans.push([inDom, performance.now() - pressed]);
    }, 0));
  });
}"""

SEARCH = """(queries) => {
  const input = document.querySelector("#search");
  const results = document.querySelector("#results");
  const times = [];
  for (const q of queries) {
    const start = performance.now();
    input.value = q;
    input.dispatchEvent(new Event("input"));
    results.getBoundingClientRect();
    times.push([performance.now() - start, results.children.length]);
  }
  input.value = "";
  input.dispatchEvent(new Event("input"));
  return times;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--weighed", type=int, default=40)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--variants", type=int, default=0,
                        help="products of ten variants to add to the demo catalog")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        port = free_port()
        demo = subprocess.Popen(
            [str(TILLFLOW), "demo", "--port", str(port)], env=demo_env(home), cwd=home,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            token = admin_token(demo)
            url = f"http://127.0.0.1:{port}"
            wait_until_serving(url)
            pairing = _prepare(url, token, home)
            if options.variants:
                started = time.perf_counter()
                _add_variants(url, token, options.variants)
                print(f"{options.variants} products of {len(SIZES) * len(COLOURS)} variants "
                      f"added in {time.perf_counter() - started:.1f} s")
            _measure(url, pairing, options)
        finally:
            demo.terminate()
            demo.communicate(timeout=20)


def _prepare(url: str, token: str, home: Path) -> str:
    """A manager who signs in, a weighed product, and R1's pairing token."""
    store = home / "demo"
    env = demo_env(store, TILLFLOW_DATABASE_URL=f"sqlite:///{store / 'tillflow.db'}")
    subprocess.run([str(TILLFLOW), "staff", "add", "--name", "Bench", "--role", "manager",
                    "--pin", PIN], env=env, check=True, capture_output=True)
    httpx.post(f"{url}/api/v1/products", headers={"Authorization": f"Bearer {token}"},
               json={"sku": "LOOSE-APPLES", "name": "Loose apples (kg)", "price": "3.20",
                     "tax_rate": "0.05", "barcodes": [WEIGH.build(item="00077", value="00000")]},
               timeout=10).raise_for_status()
    paired = subprocess.run([str(TILLFLOW), "staff", "pair", "--register", "R1"], env=env,
                            check=True, capture_output=True, text=True)
    return paired.stdout.strip()


def variant_barcode(product: int, variant: int) -> str:
    return with_check_digit(f"40063{product * 10 + variant:07d}")


def _add_variants(url: str, token: str, products: int) -> None:
    with httpx.Client(base_url=f"{url}/api/v1", timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        for n in range(products):
            variants = [{"sku": f"TEE{n:05d}-{size}-{colour[0]}", "price": "19.90",
                         "options": {"Size": size, "Colour": colour},
                         "barcodes": [variant_barcode(n, v)]}
                        for v, (size, colour) in enumerate(
                            (size, colour) for size in SIZES for colour in COLOURS)]
            client.post("/products", json={
                "name": f"{NAMES[n % len(NAMES)]} tee {n:05d}", "tax_rate": "0.08",
                "category": "Clothing/Tees",
                "options": [{"name": "Size", "values": list(SIZES)},
                            {"name": "Colour", "values": list(COLOURS)}],
                "variants": variants}).raise_for_status()


def _measure(url: str, pairing: str, options: argparse.Namespace) -> None:
    rng = random.Random(1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        started = time.perf_counter()
        _sign_in(page, url, pairing)
        print(f"pair, sign in and load the catalog: {time.perf_counter() - started:.2f} s")
        page.evaluate(INSTRUMENT)
        codes = ([variant_barcode(rng.randrange(options.variants), rng.randrange(10))
                  for _ in range(options.scans)] if options.variants else
                 [demo_barcode(rng.randint(1, PRODUCT_COUNT)) for _ in range(options.scans)])
        catalog = _scan_all(page, codes)
        weighed = _scan_all(page, [WEIGH.build(item="00077", value=f"{rng.randint(50, 3000):05d}")
                                   for _ in range(options.weighed)])
        words = ["coffee", "tea", "organic", "1 kg", "sku-004", "beans", "smoked", "oat", "c"]
        if options.variants:
            words += ["tee", "linen tee", "tee00042", "red", "tee 00150 m", "tee01999-l-b"]
        searches = page.evaluate(SEARCH, [rng.choice(words) for _ in range(options.searches)])
        browser.close()
    _report("catalog barcode, Enter → line in page", [s[0] for s in catalog])
    _report("catalog barcode, Enter → line painted", [s[1] for s in catalog])
    _report("weighed barcode (server lookup), Enter → line painted", [s[1] for s in weighed])
    _report("search keystroke → results listed", [s[0] for s in searches])


def _sign_in(page: Page, url: str, pairing: str) -> None:
    page.goto(f"{url}/register/")
    page.fill("#pair-token", pairing)
    page.click("#pair-button")
    page.click("#staff-list button[data-name='Bench']")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_selector("#sell:not([hidden])")


def _scan_all(page: Page, codes: list[str]) -> list[Any]:
    page.evaluate("() => { window.__scans = []; }")
    for n, code in enumerate(codes, start=1):
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => window.__scans.length >= {n}")
        if n % 25 == 0:  # a long receipt, then a new customer
            page.evaluate("r => { r.cart.lines = []; r.cart.selected = -1; r.renderCart(); }",
                          page.evaluate_handle("window.tillflowRegister"))
    found: list[Any] = page.evaluate("() => window.__scans")
    return found


def _report(label: str, values: list[float]) -> None:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{label}: n={len(values)} median {statistics.median(values):.2f} ms, "
          f"p95 {p95:.2f} ms, max {ordered[-1]:.2f} ms")


if __name__ == "__main__":
    main()
