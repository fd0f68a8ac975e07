// Splits a task page holding a whole dataset (dump_rows' output) into
// pages of N rows, written beside it as page-0.json, page-1.json, ...: the
// pages load-all receives. Each page is a task-list page as the API sends.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const [file, size = "200"] = process.argv.slice(2);
const rows = JSON.parse(readFileSync(file, "utf8")).data;
const n = Number(size);
for (let k = 0; k * n < rows.length; k++) {
  const data = rows.slice(k * n, (k + 1) * n);
  const page = { data, has_more: (k + 1) * n < rows.length, total: rows.length, limit: n, offset: k * n };
  writeFileSync(join(dirname(file), `page-${k}.json`), JSON.stringify(page));
}
console.log(`${Math.ceil(rows.length / n)} pages of ${n} rows`);
