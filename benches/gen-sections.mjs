// Synthetic content for the search benchmark (benches/search.mjs): a copy of content/ with N
// extra sections in chapters 10, 11, … (numbered c, c.s, c.s.k), their Danish text made of the
// shipped guideline's own sentences and list items, drawn with a seeded generator, so the same
// N and seed always give the same files. A stand-in until the project's corpus generator
// (gen-corpus) exists; it writes Markdown sections that `vejviser build` turns into a site.
//
//   node benches/gen-sections.mjs --sections 10000 --seed 7 --out /tmp/corpus
//   cargo run --release -- build --content /tmp/corpus --out /tmp/site-10k
//
// The text keeps plain words only: cross-references, citations, footnotes, HTML and tables of
// the source are left out, so every synthetic section is valid on its own.

import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KINDS = ['introduction', 'population', 'assessment', 'intervention', 'referral', 'follow-up', 'organisation'];
const SECTIONS_PER_CHAPTER = 20;
const SUBSECTIONS_PER_SECTION = 24;

function parse() {
  const argv = process.argv.slice(2);
  const args = { sections: 10000, seed: 1, out: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sections') args.sections = Number(argv[++i]);
    else if (argv[i] === '--seed') args.seed = Number(argv[++i]);
    else if (argv[i] === '--out') args.out = resolve(argv[++i]);
    else throw new Error(`unexpected argument: ${argv[i]}`);
  }
  if (!args.out || !(args.sections >= 1) || !Number.isInteger(args.seed)) {
    throw new Error('usage: node benches/gen-sections.mjs --sections N --seed S --out DIR');
  }
  return args;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sentences, list items and title words of the shipped sections, as plain text. */
async function sourceText() {
  const dir = join(ROOT, 'content', 'sections');
  const sentences = [];
  const items = [];
  const titleWords = [];
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
    if (!m) continue;
    const title = /^title:\s*(.+)$/m.exec(m[1])?.[1] ?? '';
    titleWords.push(...title.replace(/["']/g, '').split(/\s+/).filter((w) => w.length > 3 && /^\p{L}+$/u.test(w)));
    const body = m[2]
      .replace(/<[^>]*>/g, ' ')
      .replace(/^\[\^[^\]]+\]:.*$/gm, '')
      .replace(/\[\^[^\]]+\]/g, '')
      .replace(/\[\[[^\]|]*\|([^\]]*)\]\]/g, '$1')
      .replace(/\[\[[^\]]*\]\]/g, '')
      .replace(/\[@[^\]|]*\|([^\]]*)\]/g, '$1')
      .replace(/\[@[^\]]*\]/g, '')
      .replace(/\{#[^}]*\}/g, '');
    for (const line of body.split(/\r?\n/)) {
      const t = line.trim();
      if (!t || t.startsWith('|') || t.startsWith('#') || /[*_`[\]{}\\<>]/.test(t)) continue;
      const item = /^[-*]\s+(.*)$/.exec(t);
      if (item) {
        if (item[1].length > 20) items.push(item[1]);
        continue;
      }
      for (const s of t.split(/(?<=[.!?])\s+(?=\p{Lu})/u)) if (s.length > 30 && /[.!?]$/.test(s)) sentences.push(s);
    }
  }
  return { sentences, items, titleWords: [...new Set(titleWords)] };
}

async function main() {
  const args = parse();
  const rnd = random(args.seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const between = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const { sentences, items, titleWords } = await sourceText();
  const roleIds = [...(await readFile(join(ROOT, 'content', 'roles.yaml'), 'utf8')).matchAll(/^- id:\s*(\S+)/gm)].map((m) => m[1]);
  if (sentences.length < 100 || roleIds.length === 0) throw new Error('too little text in content/ to draw from');

  await rm(args.out, { recursive: true, force: true });
  await mkdir(dirname(args.out), { recursive: true });
  await cp(join(ROOT, 'content'), args.out, { recursive: true });
  const out = join(args.out, 'sections');

  const title = () => {
    const n = between(1, 3);
    const words = Array.from({ length: n }, () => pick(titleWords).toLowerCase());
    return words.join(' ').replace(/^\p{L}/u, (c) => c.toUpperCase());
  };
  const body = () => {
    const parts = [];
    for (let p = between(2, 6); p > 0; p--) {
      if (rnd() < 0.2 && items.length) {
        parts.push(Array.from({ length: between(2, 5) }, () => `- ${pick(items)}`).join('\n'));
      } else {
        parts.push(Array.from({ length: between(1, 4) }, () => pick(sentences)).join(' '));
      }
    }
    return parts.join('\n\n');
  };
  const section = async (number, withBody) => {
    const id = `syn-${number.replace(/\./g, '-')}`;
    const roles = [...new Set(Array.from({ length: between(0, 3) }, () => pick(roleIds)))];
    const front = [
      '---',
      `id: ${id}`,
      `number: "${number}"`,
      `title: "${title()}"`,
      `kind: ${pick(KINDS)}`,
      ...(roles.length ? [`roles: [${roles.join(', ')}]`] : []),
      '---',
    ].join('\n');
    await writeFile(join(out, `${number}-${id}.md`), `${front}\n${withBody ? `${body()}\n` : ''}`);
  };

  let written = 0;
  for (let c = 10; written < args.sections; c++) {
    await section(`${c}`, false);
    written++;
    for (let s = 1; s <= SECTIONS_PER_CHAPTER && written < args.sections; s++) {
      await section(`${c}.${s}`, true);
      written++;
      for (let k = 1; k <= SUBSECTIONS_PER_SECTION && written < args.sections; k++) {
        await section(`${c}.${s}.${k}`, true);
        written++;
      }
    }
  }
  console.log(`wrote ${written} synthetic sections (seed ${args.seed}) and the shipped content to ${args.out}`);
}

main().catch((err) => {
  console.error(err.stack || err);
  process.exit(1);
});
