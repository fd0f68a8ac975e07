// A Vite app using the npm package `neo-usage`. Query parameters: `api`
// (base URL, default this page's origin), `token` (default "solo-token").
import init, { NeoUsageClient } from "neo-usage";

async function main() {
  const params = new URLSearchParams(location.search);
  const status = document.getElementById("status");
  try {
    await init();
    const client = new NeoUsageClient({
      baseUrl: params.get("api") ?? location.origin,
      token: params.get("token") ?? "solo-token",
    });
    const page = await client.listTaskUsages({ limit: 20 });
    const body = document.getElementById("rows");
    for (const row of page.data) {
      const tr = document.createElement("tr");
      for (const value of [row.task_id, row.status, row.model, row.neo_credits ?? "", row.created_at]) {
        const td = document.createElement("td");
        td.textContent = String(value);
        tr.append(td);
      }
      body.append(tr);
    }
    status.textContent = `${page.data.length} of ${page.total} tasks`;
    document.body.dataset.state = "ready";
  } catch (e) {
    status.textContent = `${e.kind ?? "error"}: ${e.message}`;
    document.body.dataset.state = "error";
  }
}

main();
