// dist/ is a static site: served by a plain file server from a parent
// folder, under a sub-path, with no rewrite rules, it loads the demo and
// keeps every view state in the query string (reload works anywhere).
import { test, expect } from "@playwright/test";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { waitForRows } from "./helpers.mjs";

test("works from a sub-path of a plain static file server", async ({ page }) => {
  const root = "target/e2e/static-host";
  rmSync(root, { recursive: true, force: true });
  mkdirSync(`${root}/team/usage`, { recursive: true });
  cpSync("dist", `${root}/team/usage`, { recursive: true });
  const server = spawn("python3", ["-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let log = "";
      const read = (c) => {
        log += c;
        const m = /port (\d+)/.exec(log);
        if (m) resolve(`http://127.0.0.1:${m[1]}`);
      };
      server.stdout.on("data", read);
      server.stderr.on("data", read);
      server.on("exit", () => reject(new Error(log)));
    });
    const failed = [];
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    await page.goto(`${url}/team/usage/?status=completed&limit=25`);
    await expect(page.getByTestId("source-label")).toContainText("Demo data");
    await waitForRows(page);
    await expect(page.getByTestId("row")).toHaveCount(25);
    await page.getByTestId("page-next").click();
    await expect(page).toHaveURL(`${url}/team/usage/?status=completed&limit=25&offset=25`);
    await page.reload();
    await waitForRows(page);
    await expect(page.getByTestId("pagination-status")).toHaveText(/^26–50 of/);
    expect(failed).toEqual([]);
  } finally {
    server.kill();
  }
});
