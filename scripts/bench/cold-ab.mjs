// Compares the demo's cold load of two or more built sites (dist folders),
// measured as `make bench` measures it (viewer.mjs's demoColdLoad), in
// blocks of loads per site, the sites taking turns each round, so a change
// is judged against its base in the same minutes on this noisy machine:
//
//   node scripts/bench/cold-ab.mjs ROUNDS DIST_A DIST_B [...]
//
// Each block: one reference server serving that folder, one warm-up load,
// five measured cold loads (a fresh browser context each), one traced load.
// Prints, per site, the medians over every measured load of the first
// chart's mark, that frame on screen, the first contentful paint and the
// mount. Needs target/release/neo-usage-mock (or MOCK_BIN).
import { chromium } from "playwright-core";
import { startMock } from "./serve.mjs";
import { demoColdLoad } from "./viewer.mjs";

const [rounds, ...dirs] = process.argv.slice(2);
if (!(Number(rounds) > 0) || dirs.length < 2) {
  console.error("usage: node scripts/bench/cold-ab.mjs ROUNDS DIST_A DIST_B [...]");
  process.exit(2);
}
const mockBin = process.env.MOCK_BIN ?? "target/release/neo-usage-mock";
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const keep = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), all: xs });
const noted = (note, label) => Number(note.match(new RegExp(`${label} (\\d+)`))?.[1] ?? NaN);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
const seen = dirs.map(() => ({ first: [], onScreen: [], fcp: [], mounted: [] }));
try {
  for (let r = 0; r < Number(rounds); r++) {
    for (const [k, dir] of dirs.entries()) {
      const mock = await startMock(mockBin, ["--serve-dir", dir]);
      try {
        const m = await demoColdLoad(browser, mock.url, 10_000, 5, keep);
        seen[k].first.push(...m.ours.all);
        seen[k].onScreen.push(noted(m.note, "on screen \\(the next frame's start\\)"));
        seen[k].fcp.push(noted(m.note, "first contentful paint"));
        seen[k].mounted.push(noted(m.note, "mounted"));
      } finally {
        mock.stop();
      }
    }
  }
} finally {
  await browser.close();
}
dirs.forEach((dir, k) => {
  const s = seen[k];
  console.log(`${dir}: first chart ${median(s.first).toFixed(0)} ms (${s.first.length} loads); block medians: on screen ${median(s.onScreen)}, first contentful paint ${median(s.fcp)}, mounted ${median(s.mounted)} ms`);
});
