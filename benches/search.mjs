// Search benchmark: the size of a built site's Pagefind index and the latency of searching it in
// headless Chromium (Debian's, through playwright-core from tests/browser/node_modules), with
// the site served from 127.0.0.1 by tests/browser/serve.mjs. Not a test: it prints figures.
//
//   node benches/search.mjs SITE_DIR [--reps N] [--queries "a,b c,…"] [--json FILE]
//
// Reports, for SITE_DIR/pagefind:
//
//   - the index: total bytes and files, by kind (script and worker, WebAssembly, entry and
//     metadata, word index chunks, filter chunks, fragments);
//   - what a search downloads: each query alone on a fresh page, the bytes of the files
//     requested from loading Pagefind to the top 5 results' data: the fixed part (script,
//     worker, WebAssembly, entry, metadata: once per visit) and the query's own chunks (word
//     index, filter, the fragments of its top 5) — median and largest over the queries;
//   - latency: for each of the QUERIES (about 20), the time from the pagefind.search() call to
//     the data of the top 5 results loaded — the work the search page does before it can show
//     results — measured with performance.now() in the page. Each repetition opens a fresh page,
//     loads Pagefind and runs a search for a word that is in no page (which loads the
//     WebAssembly and the metadata: "first search"), then runs every query once ("first run",
//     its chunks fetched from the local server unless an earlier query loaded them) and once
//     more ("again", chunks in memory). Median and p90 (nearest rank) over repetitions × queries.
//
// Pagefind runs as on soeg.html: pagefind.js imported from the site, options({ excerptLength:
// 24 }), in its Web Worker. Service workers are blocked, so the server answers every file
// (Cache-Control: no-store), as for a first visit on a fast local network. Every request that is
// not for 127.0.0.1 is aborted.

import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { localContext, withBrowser, CHROMIUM_PATH } from '../tests/browser/harness.mjs';

// Queries a clinician might type, in Danish: single words, inflected forms, two-word queries,
// codes. The shipped guideline has results for each; a synthetic corpus made from its text too.
const QUERIES = [
  'sygemelding',
  'henvisning',
  'opioid',
  'kiropraktor henvisning',
  'mulighedserklæring',
  'fysioterapeut',
  'træning',
  'smertestillende medicin',
  'jobcenter',
  'rehabiliteringsteam',
  'psykolog',
  'epikrise',
  'tovholder',
  'REF 01',
  'fleksjob',
  'sygedagpenge',
  'egenomsorg',
  'operation',
  'funktionsevne',
  'kroniske lænderygsmerter',
];

const TOP = 5;
// The search that loads the WebAssembly and the metadata before the measured queries.
const WARM_UP = 'xqzvjw';

function parse() {
  const argv = process.argv.slice(2);
  const args = { site: null, reps: 5, queries: QUERIES, json: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--reps') args.reps = Number(argv[++i]);
    else if (argv[i] === '--queries') args.queries = argv[++i].split(',').map((q) => q.trim()).filter(Boolean);
    else if (argv[i] === '--json') args.json = argv[++i];
    else if (!args.site) args.site = resolve(argv[i]);
    else throw new Error(`unexpected argument: ${argv[i]}`);
  }
  if (!args.site || !(args.reps >= 1)) {
    throw new Error('usage: node benches/search.mjs SITE_DIR [--reps N] [--queries "a,b c"] [--json FILE]');
  }
  return args;
}

async function filesBelow(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await filesBelow(join(dir, e.name), `${prefix}${e.name}/`)));
    else if (e.isFile()) out.push({ rel: `${prefix}${e.name}`, size: (await stat(join(dir, e.name))).size });
  }
  return out;
}

function kindOf(rel) {
  if (rel.startsWith('index/')) return 'index chunks';
  if (rel.startsWith('filter/')) return 'filter chunks';
  if (rel.startsWith('fragment/')) return 'fragments';
  if (rel.startsWith('wasm.')) return 'WebAssembly';
  if (rel.endsWith('.js')) return 'script + worker';
  return 'entry, metadata, lists';
}

const median = (xs) => quantile(xs, 0.5);
/** Nearest-rank quantile. */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] : NaN;
}
const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;

/** In the page: imports Pagefind as soeg.html does; returns the time it took (ms). */
function startPagefind(page) {
  return page.evaluate(async () => {
    const t = performance.now();
    const pf = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
    await pf.options({ excerptLength: 24 });
    await pf.init();
    window.__pf = pf;
    return performance.now() - t;
  });
}

/** In the page: search.call to top-N data loaded, for each query; [{ q, ms, results }]. */
function timeQueries(page, queries) {
  return page.evaluate(
    async ({ queries, top }) => {
      const out = [];
      for (const q of queries) {
        const t = performance.now();
        const s = await window.__pf.search(q);
        await Promise.all(s.results.slice(0, top).map((r) => r.data()));
        out.push({ q, ms: performance.now() - t, results: s.results.length });
      }
      return out;
    },
    { queries, top: TOP },
  );
}

async function main() {
  const args = parse();
  const bundleDir = join(args.site, 'pagefind');
  const files = await filesBelow(bundleDir);
  const sizeOf = new Map(files.map((f) => [f.rel, f.size]));
  const byKind = {};
  for (const f of files) {
    const k = (byKind[kindOf(f.rel)] ??= { files: 0, bytes: 0 });
    k.files++;
    k.bytes += f.size;
  }
  const total = files.reduce((n, f) => n + f.size, 0);
  const pages = (await readdir(args.site)).filter((n) => n.endsWith('.html')).length;

  const report = {
    site: args.site,
    pages,
    index: { bytes: total, files: files.length, byKind },
    queries: args.queries,
    reps: args.reps,
  };

  await withBrowser(args.site, async (browser, server) => {
    report.chromium = browser.version();
    // What the server was asked for (its log: the Web Worker's requests included), in pagefind/.
    const fetched = (entries) =>
      entries
        .filter((e) => e.path.startsWith('/pagefind/'))
        .map((e) => decodeURIComponent(e.path.slice('/pagefind/'.length)));
    const bytesOf = (rels) => [...new Set(rels)].reduce((n, r) => n + (sizeOf.get(r) ?? 0), 0);

    // What a search downloads: each query alone on a fresh page.
    const isChunk = (rel) => /^(index|filter|fragment)\//.test(rel);
    const download = { fixed: 0, perQuery: [] };
    for (const q of args.queries) {
      const context = await localContext(browser, server.origin);
      try {
        const page = await context.newPage();
        await page.goto(`${server.origin}/soeg.html`, { waitUntil: 'load' });
        const before = server.log.length;
        await startPagefind(page);
        const [res] = await timeQueries(page, [q]);
        const got = [...new Set(fetched(server.log.slice(before)))];
        const chunks = got.filter(isChunk);
        download.fixed = Math.max(download.fixed, bytesOf(got.filter((r) => !isChunk(r))));
        download.perQuery.push({ q, bytes: bytesOf(got), chunkBytes: bytesOf(chunks), chunkFiles: chunks.length, results: res.results });
      } finally {
        await context.close();
      }
    }
    report.download = download;

    // Latency.
    const first = [];
    const again = [];
    const start = [];
    const warmUp = [];
    for (let rep = 0; rep < args.reps; rep++) {
      const context = await localContext(browser, server.origin);
      try {
        const page = await context.newPage();
        await page.goto(`${server.origin}/soeg.html`, { waitUntil: 'load' });
        start.push(await startPagefind(page));
        warmUp.push((await timeQueries(page, [WARM_UP]))[0].ms);
        first.push(...(await timeQueries(page, args.queries)));
        again.push(...(await timeQueries(page, args.queries)));
      } finally {
        await context.close();
      }
    }
    const stats = (xs) => ({ median: median(xs), p90: quantile(xs, 0.9), max: Math.max(...xs), n: xs.length });
    report.latency = {
      start: stats(start),
      warmUp: stats(warmUp),
      first: stats(first.map((r) => r.ms)),
      again: stats(again.map((r) => r.ms)),
      perQuery: args.queries.map((q) => ({
        q,
        first: median(first.filter((r) => r.q === q).map((r) => r.ms)),
        again: median(again.filter((r) => r.q === q).map((r) => r.ms)),
        results: first.find((r) => r.q === q)?.results ?? 0,
      })),
    };
  });

  const r = report;
  console.log(`search benchmark: ${r.site} (${r.pages} pages), Chromium ${r.chromium} (${CHROMIUM_PATH})`);
  console.log(`index: ${r.index.bytes} bytes (${kb(r.index.bytes)}) in ${r.index.files} files under pagefind/`);
  for (const [k, v] of Object.entries(r.index.byKind).sort()) console.log(`    ${k.padEnd(24)} ${String(v.files).padStart(6)} files ${kb(v.bytes).padStart(12)}`);
  const all = r.download.perQuery.map((d) => d.bytes);
  const own = r.download.perQuery.map((d) => d.chunkBytes);
  console.log(
    `download, one query on a fresh page: median ${kb(median(all))}, max ${kb(Math.max(...all))} = ` +
      `${kb(r.download.fixed)} once per visit (script, worker, WebAssembly, entry, metadata) + ` +
      `the query's chunks (index, filter, top ${TOP} fragments) median ${kb(median(own))}, max ${kb(Math.max(...own))}`,
  );
  console.log(`latency, ${r.queries.length} queries × ${r.reps} reps, search() to top ${TOP} data loaded:`);
  console.log(`    first run on the page:      median ${ms(r.latency.first.median)}, p90 ${ms(r.latency.first.p90)}, max ${ms(r.latency.first.max)}`);
  console.log(`    again (chunks in memory):   median ${ms(r.latency.again.median)}, p90 ${ms(r.latency.again.p90)}, max ${ms(r.latency.again.max)}`);
  console.log(`    import + init Pagefind:     median ${ms(r.latency.start.median)}, p90 ${ms(r.latency.start.p90)}`);
  console.log(`    first search of a page:     median ${ms(r.latency.warmUp.median)}, p90 ${ms(r.latency.warmUp.p90)} (loads WebAssembly + metadata)`);
  console.log("per query: median ms first run / again, results, bytes of the query's chunks:");
  for (const p of r.latency.perQuery) {
    const d = r.download.perQuery.find((x) => x.q === p.q);
    console.log(`    ${p.q.padEnd(26)} ${ms(p.first).padStart(10)} ${ms(p.again).padStart(10)} ${String(p.results).padStart(6)} ${kb(d?.chunkBytes ?? 0).padStart(11)}`);
  }
  if (args.json) await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err.stack || err);
  process.exit(1);
});
