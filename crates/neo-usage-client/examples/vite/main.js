// A Vite app using the npm package `neo-usage`. The query parameter `api`
// sets the base URL (default: this page's origin); the token is typed into
// the form and kept only in memory, never in the URL or storage.
import init, { NeoUsageClient } from "neo-usage";

async function load(token) {
  const params = new URLSearchParams(location.search);
  const status = document.getElementById("status");
  document.body.dataset.state = "loading";
  status.textContent = "Loading…";
  try {
    await init();
    const client = new NeoUsageClient({ baseUrl: params.get("api") ?? location.origin, token });
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

document.getElementById("credentials").addEventListener("submit", (event) => {
  event.preventDefault();
  load(document.getElementById("token").value);
});
