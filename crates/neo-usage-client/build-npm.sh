#!/usr/bin/env bash
# Builds the npm package `neo-usage` into crates/neo-usage-client/pkg/:
# release wasm32 build, wasm-bindgen --target web, wasm-opt -Oz, a Node ESM
# wrapper (reads the .wasm file and calls initSync), package.json, README,
# LICENSE; then prints the sizes.
#
# Needs: the wasm32-unknown-unknown target, wasm-bindgen 0.2.130 on PATH,
# `npm ci` done at the root (node_modules/.bin/wasm-opt), brotli, gzip.
set -euo pipefail

CRATE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$CRATE_DIR/../.." && pwd)"
PKG="$CRATE_DIR/pkg"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"

cd "$ROOT"
cargo build --profile release-npm --target wasm32-unknown-unknown -p neo-usage-client --features talc
rm -rf "$PKG"
mkdir -p "$PKG"
wasm-bindgen --target web --out-dir "$PKG" --out-name neo_usage \
  "$TARGET_DIR/wasm32-unknown-unknown/release-npm/neo_usage_client.wasm"
# The class declares `[Symbol.dispose](): void`, which TypeScript knows only
# with the esnext.disposable lib: without this line a Node 20 project's
# default lib (es2022) refuses the package's own types. Types must compile
# for every user, whatever their `lib` and with skipLibCheck off.
DTS="$PKG/neo_usage.d.ts"
if grep -q "Symbol.dispose" "$DTS"; then
  { echo '/// <reference lib="esnext.disposable" />'; cat "$DTS"; } >"$DTS.tmp"
  mv "$DTS.tmp" "$DTS"
fi
if [[ -x "$WASM_OPT" ]]; then
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$PKG/neo_usage_bg.wasm" -o "$PKG/neo_usage_bg.wasm.opt"
  mv "$PKG/neo_usage_bg.wasm.opt" "$PKG/neo_usage_bg.wasm"
else
  echo "warning: $WASM_OPT missing (run npm ci at the root); the wasm is not optimised" >&2
fi

VERSION="$(cargo metadata --format-version 1 --no-deps \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="neo-usage-client");process.stdout.write(p.version)})')"

# Node: the web target's init() fetches the .wasm by URL, which Node's fetch
# cannot do for file: URLs; read the file and initialise synchronously.
cat > "$PKG/node.js" <<'JS'
// Node entry of `neo-usage`: same API as the browser entry; init() reads
// the .wasm file next to this one and instantiates it synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./neo_usage.js";

export * from "./neo_usage.js";

let ready;
export default async function init() {
  if (!ready) {
    const bytes = readFileSync(new URL("./neo_usage_bg.wasm", import.meta.url));
    ready = initSync({ module: bytes });
  }
  return ready;
}
JS

cat > "$PKG/package.json" <<JSON
{
  "name": "neo-usage",
  "version": "$VERSION",
  "description": "Typed client for the Neo (ProjectDiscovery) usage API, in WebAssembly: browsers, bundlers (Vite) and Node 20+.",
  "license": "Apache-2.0",
  "type": "module",
  "main": "./node.js",
  "module": "./neo_usage.js",
  "types": "./neo_usage.d.ts",
  "exports": {
    ".": {
      "types": "./neo_usage.d.ts",
      "browser": "./neo_usage.js",
      "node": "./node.js",
      "default": "./neo_usage.js"
    },
    "./neo_usage_bg.wasm": "./neo_usage_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["neo_usage.js", "neo_usage.d.ts", "neo_usage_bg.wasm", "neo_usage_bg.wasm.d.ts", "snippets/", "node.js", "README.md", "LICENSE"],
  "sideEffects": false,
  "engines": { "node": ">=20" },
  "keywords": ["neo", "projectdiscovery", "usage", "wasm"]
}
JSON

cat > "$PKG/LICENSE" <<'TXT'
Licensed under the Apache License, Version 2.0 (the "License"); you may not use
this package except in compliance with the License. You may obtain a copy of
the License at https://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software distributed
under the License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR
CONDITIONS OF ANY KIND, either express or implied.
TXT

cat > "$PKG/README.md" <<'MD'
# neo-usage

A typed client for the usage API of Neo (ProjectDiscovery), compiled from Rust
to WebAssembly. One import works in browsers (plain ESM or bundled by Vite)
and in Node 20+.

- the four endpoints: `listTaskUsages`, `getTaskUsage`, `listStreamUsages`,
  `getUsageSummary`, and `fetchAllTaskUsages` (every page, bounded
  concurrency, retries, progress, `AbortSignal`);
- query objects use the API's parameter names and unknown names are refused;
- results are plain objects with the API's snake_case field names;
- failures reject with an `Error` whose `kind` says what happened.

## JavaScript

```js
import init, { NeoUsageClient } from "neo-usage";

await init();
const client = new NeoUsageClient({ token: "NEO_JWT" }); // or { apiKey: "..." }

const page = await client.listTaskUsages({ status: "error", limit: 20 });
console.log(page.total, page.data.map((row) => row.task_id));

const summary = await client.getUsageSummary({ group_by: "week" });

const controller = new AbortController();
try {
  const all = await client.fetchAllTaskUsages(
    { from: "2026-11-01T00:00:00Z" },
    { concurrency: 4, signal: controller.signal, onProgress: (p) => console.log(p.rowsLoaded, "/", p.total) },
  );
  console.log(all.rows.length);
} catch (e) {
  // e.kind: "unauthorized" | "rate_limited" | "network" | "aborted" | ...
  // a fetch-all that failed after its first page carries e.rows and e.missingOffsets
  console.error(e.kind, e.status, e.message);
}
```

## TypeScript

Types for every request and response are included.

```ts
import init, { NeoUsageClient, type TaskUsage, type NeoUsageError } from "neo-usage";

await init();
const client = new NeoUsageClient({ baseUrl: "http://localhost:8080", apiKey: process.env.NEO_API_KEY! });
const task: TaskUsage = await client.getTaskUsage("task-123");
const credits: number = task.neo_credits ?? 0;

try {
  await client.listTaskUsages({ limit: 500 });
} catch (err) {
  const e = err as NeoUsageError;
  if (e.kind === "invalid_query") console.log(e.problems);
}
```

Options of `new NeoUsageClient`: `baseUrl` (default
`https://neo.api.projectdiscovery.io`), `token` (Bearer) or `apiKey`
(`X-API-Key`), `timeoutMs` (default 30000), `maxConcurrency` (default 4),
`maxAttempts` (default 4).

In a browser the API must allow your page's origin (CORS); otherwise requests
fail with `kind: "network"`.
MD

cd "$PKG"
echo
echo "neo-usage $VERSION in $PKG"
printf "%-22s %10s %10s %10s\n" file raw gzip brotli
total_raw=0; total_gz=0; total_br=0
# The browser loads the wasm, the JS and wasm-bindgen's snippets (the
# exchange over fetch); node.js is the Node entry only.
for f in neo_usage_bg.wasm neo_usage.js snippets/*/js/*.js node.js; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  printf "%-22s %10d %10d %10d\n" "$(basename "$f")" "$raw" "$gz" "$br"
  if [[ "$f" != node.js ]]; then
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  fi
done
printf "%-22s %10d %10d %10d\n" "wasm+js (browser)" "$total_raw" "$total_gz" "$total_br"
if (( total_br > 50 * 1024 )); then
  echo "note: wasm+js is $total_br B brotli, above the 50 kB goal" >&2
fi
