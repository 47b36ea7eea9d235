"""How fast the back office draws its screens, on the demo store, in Chromium.

Starts ``tillflow demo`` in a scratch folder, gives a manager a back-office password with
``tillflow staff``, signs in from Chromium (Debian's ``/usr/bin/chromium``, driven by
Playwright) and times, inside the page, each screen from the navigation to the moment every
one of its panels has its data (``#view[data-screen]`` with no ``[data-pending]`` part).
``--cpu-slowdown 4`` makes Chromium's CPU four times slower, as on an old shop laptop.
It also prints the weight of the files the back office loads.

    .venv/bin/python bench/office.py [--rounds 20] [--cpu-slowdown 1]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

# Run as a script, Python puts this folder first on the path; the helpers are imported
# as the ``bench`` package, so the repository root goes there instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.demo_process import admin_token, demo_env, free_port, wait_until_serving
from tillflow.web import OFFICE

TILLFLOW = Path(sys.executable).with_name("tillflow")
CHROMIUM = "/usr/bin/chromium"
NAME, PASSWORD = "Bench", "bench-office-password-1"
SCREENS = ["#/dashboard/week", "#/catalog", "#/stock/levels", "#/stock/ledger/SKU-00001",
           "#/sales", "#/sales/shifts", "#/reports/sales", "#/people", "#/integrations"]
DRAWN = """async (hash) => {
  const view = document.getElementById("view");
  const start = performance.now();
  view.dataset.screen = "";
  location.hash = hash;
  await new Promise((resolve) => {
    const check = () => (view.dataset.screen && !view.querySelector("[data-pending]"))
      ? resolve() : requestAnimationFrame(check);
    requestAnimationFrame(check);
  });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - start;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cpu-slowdown", type=float, default=1.0)
    options = parser.parse_args()
    _weight()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        port = free_port()
        demo = subprocess.Popen(
            [str(TILLFLOW), "demo", "--port", str(port)], env=demo_env(home), cwd=home,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            admin_token(demo)
            url = f"http://127.0.0.1:{port}"
            wait_until_serving(url)
            _manager(home)
            _measure(url, options)
        finally:
            demo.terminate()
            demo.communicate(timeout=20)


def _weight() -> None:
    files = [p for p in OFFICE.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    print(f"back office files: {len(files)}, {total / 1024:.1f} KiB uncompressed")






def _manager(home: Path) -> None:
    store = home / "demo"
    env = demo_env(store, TILLFLOW_DATABASE_URL=f"sqlite:///{store / 'tillflow.db'}")
    subprocess.run([str(TILLFLOW), "staff", "add", "--name", NAME, "--role", "manager",
                    "--pin", "2468"], env=env, check=True, capture_output=True)
    subprocess.run([str(TILLFLOW), "staff", "password", NAME, "--password", PASSWORD],
                   env=env, check=True, capture_output=True)


def _measure(url: str, options: argparse.Namespace) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        if options.cpu_slowdown > 1:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": options.cpu_slowdown})
        started = time.perf_counter()
        _sign_in(page, url)
        print(f"sign-in to a drawn dashboard: {(time.perf_counter() - started) * 1000:.0f} ms"
              f" (CPU slowdown {options.cpu_slowdown:g}x)")
        print(f"{'screen':28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for screen in SCREENS:
            times = []
            for _ in range(options.rounds):
                page.evaluate(DRAWN, "#/")
                times.append(page.evaluate(DRAWN, screen))
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"{screen:28} {statistics.median(times):8.0f} {p95:8.0f} {times[-1]:8.0f}")
        browser.close()


def _sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/office/")
    page.fill("#signin-form [name=name]", NAME)
    page.fill("#signin-form [name=password]", PASSWORD)
    page.click("#signin-button")
    page.wait_for_function("() => document.getElementById('view').dataset.screen"
                           " && !document.querySelector('#view [data-pending]')")


if __name__ == "__main__":
    main()
