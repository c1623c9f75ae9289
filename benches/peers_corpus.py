#!/usr/bin/env python3
"""One synthetic corpus written in two formats, for benches/peers.sh.

    python3 benches/peers_corpus.py --pages N --seed S --out DIR

writes DIR/vejviser (a vejviser content folder: the YAML files and the accessibility page of
tests/fixtures/minimal, plus sections/*.md with front matter id/number/title/kind) and DIR/hugo
(a Hugo site: hugo.toml, content/*.md with title/weight front matter, and a minimal layout of
its own: one template for pages, one for list pages). Both hold the same pages with the same
Markdown bodies; only the links differ in syntax ([[id|text]] for vejviser, [text](/id/) for
Hugo). Every page is 3-6 KB of Markdown with links to other pages, one footnote and a bulleted
list; every tenth page also has a table. Page i is chapter i // 50 + 1 when i % 50 == 0, and
section "chapter.(i % 50)" of it otherwise. The output depends only on N and the seed (Python's
random.Random, whose Mersenne Twister sequence for an integer seed is fixed across versions).
"""

import argparse
import os
import random
import shutil
import sys

WORDS = (
    "borger patient kommune region sygehus almen praksis fysioterapi smerte ryg lænd "
    "træning vurdering henvisning opfølgning samtale plan mål indsats forløb team "
    "koordinering journal tilbud skole arbejde job sygemelding støtte pårørende "
    "viden evidens anbefaling kvalitet tid uge måned dag første anden sidste "
    "tidlig sen kort lang god bedre samlet fælles tværfaglig tværsektoriel "
    "og i på til med for af om ved efter før under mellem hos uden når hvis "
    "skal bør kan må vil har er bliver giver tager finder gør ser "
    "den det de en et som der her hvor også ikke altid ofte sjældent"
).split()

KINDS = ("introduction", "population", "assessment", "intervention", "referral", "follow-up")
PER_CHAPTER = 50

VEJVISER_FILES = ("guideline.yaml", "roles.yaml", "references.yaml", "glossary.yaml")


def words(rng, lo, hi):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def sentence(rng):
    s = words(rng, 8, 18)
    return s[0].upper() + s[1:] + "."


def number(i):
    chapter = i // PER_CHAPTER + 1
    return str(chapter) if i % PER_CHAPTER == 0 else f"{chapter}.{i % PER_CHAPTER}"


class Page:
    def __init__(self, i, rng):
        self.i = i
        self.id = f"p{i:05d}"
        self.number = number(i)
        self.title = " ".join(sentence(rng)[:-1].split()[:rng.randint(2, 5)])
        self.kind = rng.choice(KINDS)

    def fill(self, rng, count):
        """The body: paragraphs of pieces, each text or ("Se ", (target id, link text), ". "),
        rendered per tool by body()."""
        target = rng.randint(2450, 4500)
        size = 0
        paragraphs = []
        while size < target:
            pieces = []
            for _ in range(rng.randint(3, 6)):
                pieces.append(sentence(rng) + " ")
                if rng.random() < 0.35:
                    t = rng.randrange(count)
                    if t == self.i:
                        t = (t + 1) % count
                    pieces.append(("Se ", (f"p{t:05d}", words(rng, 1, 3)), ". "))
            paragraphs.append(pieces)
            size += sum(len(p) if isinstance(p, str) else 30 for p in pieces)
        # A heading with an id, a footnote in the first paragraph, a list after the second
        # paragraph, a table after the third on every tenth page.
        paragraphs[0].append("Det gælder også ved opfølgning[^1].")
        self.paragraphs = paragraphs
        self.items = [sentence(rng) for _ in range(rng.randint(3, 6))]
        self.rows = (
            [[rng.choice(WORDS), words(rng, 2, 4), f"{rng.randint(1, 52)} uger"]
             for _ in range(rng.randint(4, 8))]
            if self.i % 10 == 0 else None
        )
        self.note = sentence(rng)

    def body(self, link):
        out = ["## Baggrund {#baggrund}\n\n"]
        for k, pieces in enumerate(self.paragraphs):
            for p in pieces:
                if isinstance(p, str):
                    out.append(p)
                else:
                    before, (target, text), after = p
                    out.append(before + link(target, text) + after)
            out.append("\n\n")
            if k == 1:
                out.extend(f"- {item}\n" for item in self.items)
                out.append("\n")
            if k == 2 and self.rows:
                out.append("| Aktør | Indsats | Varighed |\n|---|---|---|\n")
                out.extend(f"| {a} | {b} | {c} |\n" for a, b, c in self.rows)
                out.append("\n")
        out.append(f"[^1]: {self.note}\n")
        return "".join(out)


def pages(count, seed):
    rng = random.Random(seed)
    result = [Page(i, rng) for i in range(count)]
    for p in result:
        p.fill(rng, count)
    return result


def write_vejviser(root, fixture, all_pages):
    os.makedirs(os.path.join(root, "sections"))
    os.makedirs(os.path.join(root, "pages"))
    for name in VEJVISER_FILES:
        shutil.copy(os.path.join(fixture, name), os.path.join(root, name))
    shutil.copy(os.path.join(fixture, "pages", "tilgaengelighed.md"),
                os.path.join(root, "pages", "tilgaengelighed.md"))
    for p in all_pages:
        text = (f"---\nid: {p.id}\nnumber: \"{p.number}\"\ntitle: {p.title}\nkind: {p.kind}\n---\n"
                + p.body(lambda t, x: f"[[{t}|{x}]]"))
        with open(os.path.join(root, "sections", f"{p.number}-{p.id}.md"), "w",
                  encoding="utf-8") as f:
            f.write(text)


HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "da"
title = "Syntetisk vejledning"
disableKinds = ["taxonomy", "term", "rss"]
[markup.goldmark.parser.attribute]
  title = true
"""

# One template for every page, one for the home page and any other list page.
HUGO_SINGLE = """<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<nav><a href="/">{{ site.Title }}</a></nav>
<main data-pagefind-body>
<h1>{{ .Params.number }} {{ .Title }}</h1>
{{ .Content }}
</main>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</body>
</html>
"""

HUGO_LIST = """<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><title>{{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>{{ site.Title }}</h1>
<ol>
{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Params.number }} {{ .Title }}</a></li>
{{ end }}</ol>
</main>
</body>
</html>
"""


def write_hugo(root, all_pages):
    os.makedirs(os.path.join(root, "content"))
    os.makedirs(os.path.join(root, "layouts", "_default"))
    with open(os.path.join(root, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(HUGO_CONFIG)
    for name, text in (("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST)):
        with open(os.path.join(root, "layouts", "_default", name), "w", encoding="utf-8") as f:
            f.write(text)
    for p in all_pages:
        text = (f"---\ntitle: \"{p.title}\"\nnumber: \"{p.number}\"\nweight: {p.i + 1}\n"
                f"kind: {p.kind}\n---\n" + p.body(lambda t, x: f"[{x}](/{t}/)"))
        with open(os.path.join(root, "content", f"{p.id}.md"), "w", encoding="utf-8") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixture", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "minimal"))
    a = ap.parse_args()
    if a.pages < 1:
        sys.exit("--pages must be at least 1")
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"{a.out} exists and is not empty")
    all_pages = pages(a.pages, a.seed)
    write_vejviser(os.path.join(a.out, "vejviser"), a.fixture, all_pages)
    write_hugo(os.path.join(a.out, "hugo"), all_pages)


if __name__ == "__main__":
    main()
