// Must NOT type-check: `neo_credit` is not a field of TaskUsage (the API
// calls it `neo_credits`). scripts/client-tests.sh asserts tsc fails here
// with TS2551 ("Did you mean 'neo_credits'?") or TS2339.
import init, { NeoUsageClient } from "neo-usage";

await init();
const client = new NeoUsageClient({ token: "t" });
const page = await client.listTaskUsages({ limit: 1 });
const row = page.data[0]!;
console.log(row.neo_credit);
