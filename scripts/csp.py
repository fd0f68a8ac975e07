#!/usr/bin/env python3
"""Trunk post-build hook: adds a Content-Security-Policy <meta> to the built
index.html. The page has two inline scripts (Trunk's wasm loader, and
index.html's own theme and start-up check); the policy allows exactly
those scripts by their SHA-256 hashes, so no 'unsafe-inline' and no
'unsafe-eval' are needed ('wasm-unsafe-eval' lets the page compile its
WebAssembly). connect-src allows this origin, the
Neo API and reference servers on this machine; a host that serves the
viewer for another API adds that origin (see README, "Hosting")."""
import base64
import hashlib
import os
import re
import sys

API_ORIGINS = [
    "https://neo.api.projectdiscovery.io",
    "http://127.0.0.1:*",
    "http://localhost:*",
    "https://127.0.0.1:*",
    "https://localhost:*",
]


def policy(script_hashes):
    scripts = " ".join(f"'sha256-{h}'" for h in script_hashes)
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' {scripts}".strip(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self' " + " ".join(API_ORIGINS),
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


def main():
    staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else None)
    if not staging:
        sys.exit("csp.py: set TRUNK_STAGING_DIR or pass the folder holding index.html")
    path = os.path.join(staging, "index.html")
    with open(path, encoding="utf-8") as f:
        html = f.read()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    hashes = [base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in inline]
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}" />'
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
    html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    print(f"csp.py: policy added with {len(hashes)} inline script hash(es)")


main()
