// The benchmark's servers, bound to 127.0.0.1 only: a static file server
// over a few folders, and the reference server (neo-usage-mock) on a free
// port.

import { spawn } from "node:child_process";
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".mjs": "text/javascript",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** Serves `mounts` ({"/prefix/": folder}, the longest prefix wins) on a
 *  free port; resolves to { origin, close }. */
export async function serveStatic(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const fileFor = (pathname) => {
    const prefix = prefixes.find((p) => pathname.startsWith(p));
    if (!prefix) return null;
    const root = resolve(mounts[prefix]);
    const file = resolve(root, decodeURIComponent(pathname.slice(prefix.length)) || "index.html");
    return file.startsWith(root + sep) ? file : null;
  };
  const server = createServer((req, res) => {
    const file = fileFor(new URL(req.url, "http://x").pathname);
    let size = null;
    try {
      size = file && statSync(file).isFile() ? statSync(file).size : null;
    } catch {
      size = null;
    }
    if (size === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": size,
      "cache-control": "no-store",
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Starts neo-usage-mock (`bin`) on a free loopback port with `args`;
 *  resolves to { url, stop, log } once it says where it listens. Shared
 *  with the Playwright suite (tests/e2e/helpers.mjs). */
export function startMock(bin, args) {
  return new Promise((ok, fail) => {
    const child = spawn(bin, ["--addr", "127.0.0.1:0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        child.stdout.off("data", onData);
        ok({ url: m[1], stop: () => child.kill("SIGTERM"), log: () => log });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => (log += c));
    child.on("exit", (code) => fail(new Error(`neo-usage-mock exited (${code}) before listening:\n${log}`)));
  });
}
