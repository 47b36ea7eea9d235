// Keyboard-wedge scanners type a code much faster than a person, then Enter. At each
// Enter the longest run of recent keys typed at a scanner's pace is taken as a scan,
// wherever the focus is; if it landed in a text field, it is taken back out of that
// field. The pace is the median gap between keys, so a late keystroke or two (a busy
// machine) do not split a scan; a pause resets the run.

const PAUSE_MS = 500;
const MAX_MEDIAN_GAP_MS = 40;
const MIN_LENGTH = 8;

export class WedgeScanner {
  constructor(onScan, { now = () => performance.now() } = {}) {
    this.onScan = onScan;
    this.now = now;
    this.keys = [];
    this.target = null;
  }

  attach(root = document) {
    root.addEventListener("keydown", (event) => this.key(event), true);
  }

  key(event) {
    const at = this.now();
    const last = this.keys.at(-1);
    if (last && at - last.at > PAUSE_MS) this.keys = [];
    if (event.key === "Enter") {
      const code = this.burst(at);
      this.keys = [];
      if (code) {
        event.preventDefault();
        event.stopPropagation();
        this.takeBack(code);
        this.onScan(code);
      }
      return;
    }
    if (event.key.length !== 1 || event.ctrlKey || event.altKey || event.metaKey) {
      this.keys = [];
      return;
    }
    if (this.keys.length === 0) this.target = event.target;
    this.keys.push({ key: event.key, at });
  }

  burst(enterAt) {
    const times = [...this.keys.map((k) => k.at), enterAt];
    for (let start = 0; start <= this.keys.length - MIN_LENGTH; start += 1) {
      const gaps = times.slice(start + 1).map((at, i) => at - times[start + i]).sort((a, b) => a - b);
      if (gaps[Math.floor(gaps.length / 2)] <= MAX_MEDIAN_GAP_MS) {
        return this.keys.slice(start).map((k) => k.key).join("");
      }
    }
    return null;
  }

  // The focus may have moved into a field during the burst: then only the code's tail
  // landed there.
  takeBack(code) {
    for (const field of new Set([this.target, document.activeElement])) {
      if (!field || typeof field.value !== "string") continue;
      for (let length = code.length; length >= Math.min(4, code.length); length -= 1) {
        if (field.value.endsWith(code.slice(-length))) {
          field.value = field.value.slice(0, -length);
          field.dispatchEvent(new Event("input", { bubbles: true }));
          return;
        }
      }
    }
  }
}
