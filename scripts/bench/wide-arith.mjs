// Which of our functions ask for 128-bit arithmetic in wasm32, for
// `make bench`'s report. wasm32 has no 128-bit multiplication, division
// or variable shift, so the compiler calls a routine for each (`__multi3`,
// `__divti3`, `__ashlti3`, ...); an overflow-checked 64-bit multiplication
// (`saturating_mul`, `checked_mul`) calls `__multi3` too. Natively these are
// single instructions, so only the wasm shows them: one in the dashboard's
// row loop was 3.9% of its time. The report lists the callers; a hot
// function among them deserves a look.
//
// Reads the module cargo wrote (before wasm-bindgen and wasm-opt, so it
// still has its function names) through binaryen's `wasm-dis`.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The compiler's 128-bit routines (multiply, divide, remainder, shift, to float). */
const ROUTINE = /call \$(__multi3|__muloti4|__divti3|__udivti3|__modti3|__umodti3|__ashlti3|__lshrti3|__ashrti3|__floattidf|__floatuntidf)\b/;
const FUNCTION = /^ \(func \$(\S+)/;

/** Escapes of Rust's legacy symbol mangling, and what they stand for. */
const ESCAPES = { $LT$: "<", $GT$: ">", $RF$: "&", $BP$: "*", $C$: ",", $SP$: "@", $u20$: " ", $u27$: "'", $u5b$: "[", $u5d$: "]", $u7b$: "{", $u7d$: "}", $u7e$: "~" };

/**
 * A function's path as written in Rust, from its legacy mangled name
 * (`_ZN` and length-prefixed parts, the last one the hash), without the
 * hash; any other name as it is.
 */
export function readable(name) {
  const symbol = name.replace(/^"|"$/g, "");
  if (!symbol.startsWith("_ZN") || !symbol.endsWith("E")) return symbol;
  const parts = [];
  let at = 3;
  while (at < symbol.length - 1) {
    const digits = /^\d+/.exec(symbol.slice(at));
    if (!digits) return symbol;
    at += digits[0].length;
    parts.push(symbol.slice(at, at + Number(digits[0])));
    at += Number(digits[0]);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? "")) parts.pop();
  const unescape = (part) =>
    part
      .replace(/^_\$/, "$")
      .replace(/\$(LT|GT|RF|BP|C|SP|u[0-9a-f]{2})\$/g, (e) => ESCAPES[e] ?? e)
      .replaceAll("..", "::");
  return parts.map(unescape).join("::");
}

/**
 * `{ routine: [caller, ...] }` for the functions of `wasm` whose names
 * contain `ours` (our crates' paths), each list sorted; `null` when
 * `wasm-dis` or the module is missing.
 */
export function wideArithmeticCallers(wasm, wasmDis, ours = "neo_usage") {
  if (!existsSync(wasm) || !existsSync(wasmDis)) return null;
  const dir = mkdtempSync(join(tmpdir(), "wide-arith-"));
  try {
    const wat = join(dir, "module.wat");
    execFileSync(wasmDis, [wasm, "-o", wat], { stdio: ["ignore", "ignore", "inherit"] });
    const callers = {};
    let current = "";
    for (const line of readFileSync(wat, "utf8").split("\n")) {
      const start = FUNCTION.exec(line);
      if (start) {
        current = readable(start[1]);
        continue;
      }
      const call = ROUTINE.exec(line);
      if (call && current.includes(ours)) (callers[call[1]] ??= new Set()).add(current);
    }
    return Object.fromEntries(Object.entries(callers).map(([routine, names]) => [routine, [...names].sort()]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
