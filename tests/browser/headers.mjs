// The built site served the way Netlify or Cloudflare Pages serve it: a small static server of
// its own (below) that reads the site's _headers file and sends each path's headers, serves
// `x` as `x.html` (the hosts' pretty URLs) and unknown paths with 404.html (no rule applies to
// them, as on those hosts). In Debian's headless Chromium through playwright-core:
//
//   parse        _headers parses (a path, then indented "Name: value" lines), no path twice,
//                and every page of the site has a rule.
//   header csp   soeg.html and index.html are sent with a Content-Security-Policy header that
//                is the page's meta policy plus frame-ancestors 'none'.
//   search       with that header, soeg.html?q=… shows results and typing a query shows its
//                results, also without a Web Worker (Pagefind's fallback, which runs under
//                the page's policy); the pretty URL /soeg?q=… too; no CSP violation, no
//                script error.
//   pages        a section page and the front page load their fingerprinted stylesheet and
//                scripts under their header policy without a CSP violation.
//   caching      sw.js is sent with Cache-Control: no-cache, a fingerprinted stylesheet with
//                the immutable one.
//   control      the single policy the README once recommended for every page
//                (connect-src 'none', no 'wasm-unsafe-eval'), sent for soeg.html, breaks the
//                search without a Worker: the checks above do test what the header allows.
//   network      every request goes to 127.0.0.1.
//
//   node headers.mjs SITE_DIR [--results FILE]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

import {
  CHROMIUM_PATH,
  check,
  configure,
  htmlFiles,
  localContext,
  oneLine,
  parseArgs,
  recordConsoleErrors,
  recordRequests,
  run,
  waitForRequests,
} from './harness.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

const QUERY = 'epikrise';
const OLD_README_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'none'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

/** `_headers` as a Map of path → [[name, value], …]; throws on a malformed line or a repeat. */
export function parseHeaders(text) {
  const rules = new Map();
  let current = null;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (/^\s/.test(line)) {
      const m = /^\s+([A-Za-z-]+):\s(.*)$/.exec(line);
      if (!m || !current) throw new Error(`malformed header line: ${line}`);
      rules.get(current).push([m[1], m[2]]);
    } else {
      if (!line.startsWith('/')) throw new Error(`a rule must start with /: ${line}`);
      if (rules.has(line)) throw new Error(`${line} has two rules`);
      rules.set(line, []);
      current = line;
    }
  }
  return rules;
}

/** Serves `root` with the headers of `rules`; `override(path)` may replace the policy. */
async function serveWithHeaders(root, rules, override = () => null) {
  const fileFor = async (path) => {
    const candidates = path.endsWith('/') ? [`${path}index.html`] : [path, `${path}.html`];
    for (const c of candidates) {
      const full = resolve(join(root, c));
      if (full !== root && !full.startsWith(root + sep)) return null;
      try {
        if ((await stat(full)).isFile()) return full;
      } catch {
        /* next */
      }
    }
    return null;
  };
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = await fileFor(path);
    const headers = {};
    let status = 200;
    let body;
    if (file) {
      for (const [name, value] of rules.get(path) ?? []) headers[name] = value;
      const policy = override(path);
      if (policy) headers['Content-Security-Policy'] = policy;
      headers['Content-Type'] = TYPES[extname(file)] ?? 'application/octet-stream';
      body = await readFile(file);
    } else {
      status = 404;
      headers['Content-Type'] = TYPES['.html'];
      body = await readFile(join(root, '404.html')).catch(() => Buffer.from('not found'));
    }
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}

function metaPolicy(html) {
  const m = /<meta\s[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/i.exec(html);
  const c = m && /content=(?:"([^"]*)"|'([^']*)')/i.exec(m[0]);
  return c ? (c[1] ?? c[2]) : null;
}

/** Opens `url`, waits for the search results of `q`; what the page shows and its errors. */
async function searchOnce(browser, origin, url, q, type = false, noWorker = false) {
  const context = await localContext(browser, origin);
  // Pagefind's fallback without a Web Worker runs under the page's own policy (a dedicated
  // worker is not bound by it).
  if (noWorker) await context.addInitScript(() => delete window.Worker);
  const log = { requests: [], foreign: [], broken: [] };
  const inFlight = recordRequests(context, origin, log);
  const page = await context.newPage();
  const errors = [];
  recordConsoleErrors(page, errors);
  let items = -1;
  try {
    await page.goto(`${origin}${url}`, { waitUntil: 'load' });
    if (type) await page.fill('#search-q', q);
    await page.waitForFunction(
      (key) => document.getElementById('search-results')?.dataset.query === key,
      `${q}\u0000`,
      { timeout: 15_000 },
    );
    items = await page.locator('#search-results li.search-result').count();
  } catch (err) {
    errors.push(oneLine(`no results shown: ${err.message}`));
  }
  await waitForRequests(inFlight);
  await context.close();
  return { items, errors, foreign: log.foreign };
}

async function main() {
  configure({ prefix: 'headers ', maxDetails: 10 });
  const { site } = parseArgs('node headers.mjs SITE_DIR [--results FILE]');
  const text = await readFile(join(site, '_headers'), 'utf8');
  let rules = new Map();
  let parsed = true;
  try {
    rules = parseHeaders(text);
  } catch (err) {
    parsed = false;
    check('parse', false, err.message);
  }
  if (parsed) {
    const pages = (await htmlFiles(site)).map((f) => `/${f.slice(site.length + 1).split(sep).join('/')}`);
    const missing = pages.filter((p) => !(rules.get(p) ?? []).some(([n]) => n === 'Content-Security-Policy'));
    check('parse', missing.length === 0 && pages.length > 50, `${missing.length} page(s) without a policy`, missing, `${rules.size} rules, ${pages.length} pages`);
  }

  const server = await serveWithHeaders(site, rules);
  const control = await serveWithHeaders(site, rules, (p) => (p === '/soeg.html' ? OLD_README_POLICY : null));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    for (const page of ['/soeg.html', '/index.html']) {
      const res = await fetch(`${server.origin}${page}`);
      const header = res.headers.get('content-security-policy');
      const meta = metaPolicy(await res.text());
      const expected = `${meta}; frame-ancestors 'none'`;
      check(`header csp ${page}`, header === expected, `header ${header} / meta ${meta}`);
    }

    const foreign = [];
    const plain = await searchOnce(browser, server.origin, `/soeg.html?q=${QUERY}`, QUERY);
    foreign.push(...plain.foreign);
    check('search soeg.html?q=', plain.items > 0 && plain.errors.length === 0, `${plain.items} results`, plain.errors, `${plain.items} results`);
    const typed = await searchOnce(browser, server.origin, '/soeg.html', 'psykolog', true);
    foreign.push(...typed.foreign);
    check('search typed', typed.items > 0 && typed.errors.length === 0, `${typed.items} results`, typed.errors, `${typed.items} results`);
    const main = await searchOnce(browser, server.origin, `/soeg.html?q=${QUERY}`, QUERY, false, true);
    foreign.push(...main.foreign);
    check('search without a Worker (under the header policy)', main.items > 0 && main.errors.length === 0, `${main.items} results`, main.errors, `${main.items} results`);
    const pretty = await searchOnce(browser, server.origin, `/soeg?q=${QUERY}`, QUERY);
    foreign.push(...pretty.foreign);
    check('search /soeg?q= (pretty URL)', pretty.items > 0 && pretty.errors.length === 0, `${pretty.items} results`, pretty.errors);

    for (const url of ['/index.html', '/foer-sygemelding.html']) {
      const context = await localContext(browser, server.origin);
      const log = { requests: [], foreign: [], broken: [] };
      const inFlight = recordRequests(context, server.origin, log);
      const page = await context.newPage();
      const errors = [];
      recordConsoleErrors(page, errors);
      await page.goto(`${server.origin}${url}`, { waitUntil: 'load' });
      await waitForRequests(inFlight);
      const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
      const assets = log.requests.filter((r) => /\/assets\/[a-z-]+\.[0-9a-f]{8}\.(css|js)$/.test(r));
      foreign.push(...log.foreign);
      await context.close();
      check(`pages ${url}`, errors.length === 0 && log.broken.length === 0 && assets.length >= 2 && styled !== 'rgba(0, 0, 0, 0)', `${assets.length} fingerprinted files, header ${styled}`, [...errors, ...log.broken]);
    }

    const sw = await fetch(`${server.origin}/sw.js`);
    const css = [...rules.keys()].find((p) => /^\/assets\/style\.[0-9a-f]{8}\.css$/.test(p));
    const cssRes = css ? await fetch(`${server.origin}${css}`) : null;
    check(
      'caching',
      sw.headers.get('cache-control') === 'no-cache' && cssRes?.headers.get('cache-control') === 'public, max-age=31536000, immutable',
      `sw.js ${sw.headers.get('cache-control')}, ${css} ${cssRes?.headers.get('cache-control')}`,
    );

    const broken = await searchOnce(browser, control.origin, `/soeg.html?q=${QUERY}`, QUERY, false, true);
    check('control: one policy for every page breaks the search', broken.items <= 0 || broken.errors.length > 0, `search still worked (${broken.items} results)`);

    check('network', foreign.length === 0, 'requests left 127.0.0.1', foreign);
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    await control.close();
  }
}

run(main, { name: 'headers', timeoutMs: 5 * 60_000 });
