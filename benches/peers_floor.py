#!/usr/bin/env python3
"""The floor of benches/peers.sh: python3 benches/peers_floor.py SECTIONS_DIR OUT_DIR

Reads every .md file in SECTIONS_DIR, drops its front matter, escapes the body and wraps each
blank-line-separated block in <p>…</p> (a trivial transform, no Markdown parsing), and writes
one OUT_DIR/<name>/index.html per page, on one thread: the least any generator must do with the
same files (read them, touch every byte, write one file per page)."""

import html
import os
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = f.read()
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 4) + 5:]
        body = "".join(f"<p>{html.escape(b)}</p>\n" for b in text.split("\n\n") if b.strip())
        page = os.path.join(out, name[:-3])
        os.mkdir(page)
        with open(os.path.join(page, "index.html"), "w", encoding="utf-8") as f:
            f.write(f"<!doctype html><title>{html.escape(name[:-3])}</title>\n{body}")


if __name__ == "__main__":
    main()
