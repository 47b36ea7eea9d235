"""Telling a keyboard-wedge scanner from a person typing, with a controlled clock."""

from __future__ import annotations

from playwright.sync_api import Page

from support.register_store import Store

# Each case: [key, milliseconds since the previous key] pairs; the scans it must yield.
FEED = """async (keys) => {
  const { WedgeScanner } = await import("/register/js/scanner.js");
  let clock = 10000;
  const scans = [];
  const scanner = new WedgeScanner((code) => scans.push(code), { now: () => clock });
  for (const [key, gap] of keys) {
    clock += gap;
    scanner.key({ key, target: document.body, preventDefault() {}, stopPropagation() {} });
  }
  return scans;
}"""


def _keys(*runs: tuple[str, float]) -> list[tuple[str, float]]:
    """Each run is text typed with the same gap before every key; "\n" is Enter."""
    return [("Enter" if char == "\n" else char, gap) for text, gap in runs for char in text]


def test_scanner_bursts_are_scans_and_people_are_not(page: Page, store: Store) -> None:
    page.goto(f"{store.url}/register/")
    code = "4006381000017"
    cases = {
        "scanner": (_keys((code + "\n", 8)), [code]),
        "person typing digits": (_keys((code + "\n", 180)), []),
        "busy machine: two late keys": (
            _keys((code[:5], 8), (code[5], 250), (code[6:9], 8), (code[9], 300),
                  (code[10:] + "\n", 8)), [code]),
        "a word, a pause, then a scan": (
            _keys(("tea", 150), (code[0], 900), (code[1:] + "\n", 8)), [code]),
        "too short to be a barcode": (_keys(("12345\n", 5)), []),
        "two scans in a row": (_keys((code + "\n12345670\n", 8)), [code, "12345670"]),
    }
    for name, (keys, expected) in cases.items():
        assert page.evaluate(FEED, keys) == expected, name
