// The browser suite: the built site (dist/) served by the reference server,
// driven in Debian's Chromium (never a downloaded browser). `make test`
// runs it through scripts/e2e.sh, which builds first and picks the port.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 18480);
const chromiumArgs = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: /.*\.spec\.mjs$/,
  outputDir: process.env.E2E_OUTPUT ?? "target/e2e/results",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    timezoneId: "UTC",
    locale: "en-US",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [
    { name: "desktop", use: { viewport: { width: 1280, height: 860 } }, testIgnore: /phone\.spec/ },
    { name: "phone", use: { viewport: { width: 375, height: 780 }, hasTouch: true }, testMatch: /phone\.spec\.mjs$/ },
  ],
  webServer: {
    command: `${process.env.MOCK_BIN ?? "target/debug/neo-usage-mock"} --addr 127.0.0.1:${port} --serve-dir dist > target/e2e/server.log 2>&1`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    timeout: 60_000,
  },
});
