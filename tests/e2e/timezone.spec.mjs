// Time zones: in a browser set to America/New_York, on demo data that
// spans the November DST change, table times are New York wall time, the
// UTC switch moves them by the right offset on each side of the change,
// day buckets follow local days, and the export carries the zone.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { waitForRows } from "./helpers.mjs";

test.use({ timezoneId: "America/New_York" });

function wall(iso, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

test("times, the UTC switch and the export follow the zone across DST", async ({ page }) => {
  // One day on each side of 2026-11-01 (EDT until 06:00 UTC, EST after).
  await page.goto("./?range=custom&from=2026-10-30T04:00:00Z&to=2026-11-03T05:00:00Z&limit=200");
  await waitForRows(page);
  await expect(page.getByTestId("tz-label")).toContainText("America/New_York");
  const rows = page.getByTestId("row");
  const ids = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.taskId));
  expect(ids.length).toBeGreaterThan(10);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const lines = readFileSync(await download.path(), "utf8").trim().split("\n").slice(1);
  const byId = new Map(lines.map((l) => { const c = l.split(","); return [c[0], { utc: c[1], local: c[2], zone: c[3] }]; }));
  let before = 0;
  let after = 0;
  for (let i = 0; i < ids.length; i++) {
    const row = byId.get(ids[i]);
    expect(row.zone).toBe("America/New_York");
    expect(row.local.endsWith(row.utc < "2026-11-01T06:00:00" ? "-04:00" : "-05:00")).toBe(true);
    row.utc < "2026-11-01T06:00:00" ? before++ : after++;
    await expect(rows.nth(i).locator("td").first()).toHaveText(wall(row.utc, "America/New_York"));
  }
  expect(before).toBeGreaterThan(0);
  expect(after).toBeGreaterThan(0);
  await page.getByTestId("tz-toggle").click();
  await expect(page).toHaveURL(/tz=utc/);
  await waitForRows(page);
  const first = byId.get(ids[0]);
  await expect(rows.first().locator("td").first()).toHaveText(wall(first.utc, "UTC"));
  // Day buckets: the chart's table lists local days, each once, in order.
  await page.getByTestId("tz-toggle").click();
  await page.getByTestId("chart-cost-over-time").getByRole("button", { name: "View as table" }).click();
  const days = await page.getByTestId("chart-cost-over-time").locator("tbody tr td:first-child").allInnerTexts();
  expect(days).toEqual(["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]);
});
