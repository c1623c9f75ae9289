// Browser checks of offline reading (sw.js at the site's root, assets/offline.js) in Debian's
// headless Chromium driven by playwright-core, with the site served from 127.0.0.1 by serve.mjs
// and service workers allowed:
//
//   files        the site has sw.js at its root with a build id (no __VEJVISER_BUILD__ left),
//                assets/offline.<hash>.js, and every page loads the script and has the empty
//                status element #offline-status (role=status)
//   worker       on index.html the worker becomes ready; after a reload it controls the page,
//                from <root>/sw.js with the scope <root>/
//   precache     one cache, "vejviser:<scope>:<build id>", holding every page, every file in
//                assets/ (but sw.js) and figurer/, and every other file of the site that a page
//                links to or loads
//   online       pages opened online come from the network, without the notice
//   goes offline with the browser offline (context.setOffline), the open page shows the notice
//   reload       reloaded offline, the page comes from the cache: the server is not asked, the
//                page's title and styles are there, the notice shows
//   new page     a page never opened before, opened offline, comes from the pre-cache: title,
//                styles, its figure, the notice
//   axe          axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) with the notice showing: 0
//                violations
//   search files the cache also holds every search file of the build: exactly the files under
//                pagefind/ that pagefind/precache.json lists (all of them but the list itself)
//   search       offline, soeg.html (never opened online) comes from the cache with the notice,
//                and queries typed into it show their expected sections in the top 3; the server
//                is not asked for anything (pagefind-entry.json?ts=… included)
//   search form  offline, the plain form's address soeg.html?q=opioid shows results on load
//   search main  the same with no Worker (Pagefind's main-thread fallback)
//   search axe   axe-core on the offline search page with results and the notice: 0 violations
//   not cached   offline, a page that is not in the site fails (no other page is shown)
//   online again the notice goes away when the browser is back online, and a reload comes from
//                the network again
//   base path    a copy of the site in a sub-folder: the worker's scope is the sub-folder, it
//                pre-caches every page of the list the build wrote into sw.js (PAGES) and asks
//                no other host; a new build id (sw.js changed) replaces the old cache
//   local version the Region Midtjylland site that `vejviser build` writes to lokal/<slug>/
//                (LOCAL_SLUG): its own worker (scope lokal/<slug>/) becomes ready and pre-caches it;
//                offline, a page opened online reloads from the cache with the notice, and its
//                soeg.html (never opened online) searches its own index: LOCAL_QUERY finds the
//                local section LOCAL_SECTION first, with the badge LOCAL_BADGE; the server is not
//                asked for anything while offline
//   file://      opened as a file, offline.js does not try to register a worker
//   script       no uncaught script error on any page
//   network      every request of the pages and of the worker (at least one worker request seen)
//                goes to 127.0.0.1; none of them failed while online
//
//   node offline.mjs SITE_DIR [--results FILE]
//
// With --results, "PASSED FAILED" is written to FILE for scripts/test.sh.
// CHROMIUM may name another Chromium binary (default /usr/bin/chromium).

import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  checkWork as step,
  isFile,
} from './harness.mjs';
import {
  CHROMIUM_PATH,
  DESKTOP,
  configure,
  counts,
  fail,
  loadAxe,
  localContext,
  axeProblems,
  networkDetails,
  oneLine,
  parseArgs,
  pass,
  recordRequests,
  run,
  runAxe,
  screen,
  waitForRequests,
  withBrowser,
} from './harness.mjs';
import { serveSite } from './serve.mjs';

configure({ prefix: 'offline ', maxDetails: 20 });

const PLACEHOLDER = '__VEJVISER_BUILD__';
const NOTICE = 'Du ser en gemt udgave af siden – du er offline.';
// Opened online, in this order; the last one is reloaded offline.
const VISITED = ['index.html', 'indhold.html', 'aktiviteter.html'];
// Opened for the first time offline: it has a figure (figurer/icf-model.svg).
const UNVISITED = 'funktionsevne-og-funktionsevnebegraensning.html';
const MISSING = 'findes-ikke-offline.html';
// The sub-folder of the "base path" check.
const SUBDIR = 'retningslinje';
// Searched offline on soeg.html (typed), each with the section that must be in the top 3.
const OFFLINE_QUERIES = [
  ['sygemelding', 'foer-sygemelding'],
  ['kiropraktor henvisning', 'henvisning-fra-kiropraktor'],
];
// The plain form's address, opened offline, and the section that must come first.
const OFFLINE_FORM = ['opioid', 'farmakologisk-behandling'];
const SEARCH_LIST = 'pagefind/precache.json';
// The local version checked offline: its folder under lokal/, a page opened online and reloaded
// offline, and a query only its local section answers (the national site has no such page).
const LOCAL_SLUG = 'region-midtjylland';
const LOCAL_VISITED = 'index.html';
const LOCAL_QUERY = 'Kvalitetsudvikling';
const LOCAL_SECTION = 'midtjylland-borgernes-anbefalinger';
const LOCAL_BADGE = 'Lokalt afsnit · Region Midtjylland';
// --brand in style.css: the header's background when the stylesheet applied.
const BRAND_RGB = 'rgb(20, 54, 93)';

const PAGE_TIMEOUT_MS = 30_000;
const WORKER_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 10 * 60_000;

// ---- Recording ------------------------------------------------------------------

const log = { requests: [], foreign: [], broken: [] };
const pageErrors = [];
let workerRequests = 0;
// Local requests that failed while the browser was online (offline, failures are expected).
let online = true;
const brokenOnline = [];
const inFlightOf = new WeakMap();
// Every URL a page of the tests navigated to.
const navigated = new Set();

async function newContext(browser, origin) {
  const context = await localContext(browser, origin, { ...screen(DESKTOP), serviceWorkers: 'allow' });
  inFlightOf.set(context, recordRequests(context, origin, log));
  context.on('request', (req) => {
    if (req.serviceWorker()) workerRequests++;
  });
  context.on('requestfailed', (req) => {
    if (online && req.url().startsWith(`${origin}/`)) {
      brokenOnline.push(`${req.failure()?.errorText ?? 'failed'} ${pathOf(req.url())}`);
    }
  });
  context.on('response', (res) => {
    if (online && res.status() >= 400 && res.url().startsWith(`${origin}/`)) {
      brokenOnline.push(`HTTP ${res.status()} ${pathOf(res.url())}`);
    }
  });
  context.on('page', (page) => {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigated.add(frame.url().split('#')[0]);
    });
    page.on('pageerror', (err) => pageErrors.push(`${pathOf(page.url())}: ${oneLine(err.message, 300)}`));
  });
  return context;
}

function pathOf(url) {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Waits (at most 5 s) until no request of the page's context is under way. */
async function settle(page) {
  await new Promise((ok) => setTimeout(ok, 150));
  await waitForRequests(inFlightOf.get(page.context()) ?? new Set());
}


// ---- The site's files -------------------------------------------------------------


function decode(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

async function titleOf(site, name) {
  const m = /<title>([^<]*)<\/title>/.exec(await readFile(join(site, name), 'utf8'));
  return m ? decode(m[1]).trim() : null;
}

/** The build id written into sw.js (the text in its BUILD = "…" line). */
function buildIdOf(swText) {
  const m = /var BUILD = "([^"]*)"/.exec(swText);
  return m ? m[1] : null;
}

/**
 * What the pre-cache must hold, relative to the site's root: every page, every file in assets/
 * (but sw.js) and figurer/, and every other file of the site a page links to or loads (such as
 * tjekliste.fhir.json). Files no page refers to (data exports) need not be there.
 */
async function expectedFiles(site) {
  const out = new Set();
  const pages = [];
  for (const entry of await readdir(site, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) {
      out.add(entry.name);
      pages.push(entry.name);
    }
  }
  for (const dir of ['assets', 'figurer']) {
    let entries = [];
    try {
      entries = await readdir(join(site, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) if (e.isFile() && e.name !== 'sw.js') out.add(`${dir}/${e.name}`);
  }
  const base = 'http://site.invalid/';
  for (const name of pages) {
    const html = await readFile(join(site, name), 'utf8');
    for (const m of html.matchAll(/\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi)) {
      const ref = decode(m[1] ?? m[2] ?? m[3] ?? '');
      let url;
      try {
        url = new URL(ref, base + name);
      } catch {
        continue;
      }
      if (!url.href.startsWith(base) || url.search || url.pathname.endsWith('/') || /\.html?$/.test(url.pathname)) continue;
      const rel = decodeURIComponent(url.pathname.slice(1));
      if (rel !== 'sw.js' && rel !== 'sitemap.xml' && (await isFile(join(site, rel)))) out.add(rel);
    }
  }
  return [...out].sort();
}

async function checkFiles(site) {
  return step('files', async () => {
    const problems = [];
    let sw = '';
    try {
      sw = await readFile(join(site, 'sw.js'), 'utf8');
    } catch {
      return ['sw.js is missing at the root of the site (the build must copy templates/static/sw.js there)'];
    }
    if (sw.includes(PLACEHOLDER)) problems.push(`sw.js still holds ${PLACEHOLDER}: the build did not write its build id`);
    else if (!buildIdOf(sw)) problems.push('sw.js has no `var BUILD = "…"` line');
    const assetNames = await readdir(join(site, 'assets')).catch(() => []);
    if (!assetNames.some((n) => /^offline\.[0-9a-f]{8}\.js$/.test(n))) problems.push('assets/offline.<hash>.js is missing');
    const pages = (await readdir(site)).filter((n) => n.endsWith('.html')).sort();
    const noScript = [];
    const noStatus = [];
    for (const name of pages) {
      const html = await readFile(join(site, name), 'utf8');
      // (The 404 page's links are absolute paths: /assets/offline.<hash>.js.)
      if (!/<script[^>]*\ssrc=["']?\/?assets\/offline\.[0-9a-f]{8}\.js["'\s>]/.test(html)) noScript.push(name);
      const status = /<p\b[^>]*\bid=["']?offline-status\b[^>]*>([^<]*)<\/p>/.exec(html);
      if (!status || !/\brole=["']?status\b/.test(status[0]) || status[1].trim() !== '') noStatus.push(name);
    }
    if (noScript.length) problems.push(`${noScript.length} page(s) do not load assets/offline.js: ${noScript.slice(0, 5).join(', ')}`);
    if (noStatus.length) {
      problems.push(`${noStatus.length} page(s) lack an empty <p id="offline-status" role="status">: ${noStatus.slice(0, 5).join(', ')}`);
    }
    return { problems, note: `build ${buildIdOf(sw) ?? '?'}, ${pages.length} pages` };
  });
}

/** Every file below `dir`, relative to it, with "/" between folders. */
async function filesBelow(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await filesBelow(join(dir, e.name), `${prefix}${e.name}/`)));
    else if (e.isFile()) out.push(`${prefix}${e.name}`);
  }
  return out;
}

/** The search files the worker must cache: every file under pagefind/ but the list itself. */
async function searchFilesOf(site) {
  return (await filesBelow(join(site, 'pagefind'), 'pagefind/')).filter((f) => f !== SEARCH_LIST).sort();
}

// ---- Offline and online again ---------------------------------------------------------

// Chromium's offline emulation (context.setOffline) does not always reach the service worker's
// own fetch() (playwright issue #2311; seen with Chromium 148): with the browser offline, every
// request that still goes out is also aborted, so a page cannot pass "offline" by the network.
const offlineRoute = (route) => route.abort('internetdisconnected');

async function goOffline(context) {
  await context.setOffline(true);
  await context.route('**/*', offlineRoute);
}

async function goOnline(context) {
  await context.unroute('**/*', offlineRoute);
  await context.setOffline(false);
}

// ---- Search, in the page -------------------------------------------------------------

const idOf = (href) => (href ?? '').replace(/^.*\//, '').replace(/[?#].*$/, '').replace(/\.html$/, '');

/** Waits until soeg.html shows the results for `q` (search.js sets data-query); returns them. */
async function searchResults(page, q) {
  await page.waitForFunction(
    (key) => {
      const list = document.getElementById('search-results');
      return list?.dataset.query === key || !document.getElementById('search-nojs')?.hidden;
    },
    `${q}\u0000`,
    { timeout: 20_000 },
  );
  return page.evaluate(() => ({
    failed: !document.getElementById('search-nojs')?.hidden,
    status: document.getElementById('search-status')?.textContent ?? '',
    ids: [...document.querySelectorAll('#search-results .search-result-title a')].map((a) => a.getAttribute('href')),
  }));
}

function resultProblems(shown, q, want, top = 3) {
  if (shown.failed) return [`"${q}": the page says search could not be loaded ("${shown.status}")`];
  const ids = shown.ids.map(idOf);
  const rank = ids.slice(0, top).indexOf(want) + 1;
  if (rank === 0) return [`"${q}": ${want} is not in the top ${top}: ${ids.slice(0, top).join(', ') || 'no results'}`];
  return [];
}

// ---- In the page ------------------------------------------------------------------

/** The notice's text, whether it takes space on screen, its role, and how the page was served. */
function readNotice(page) {
  return page.evaluate(() => {
    const el = document.getElementById('offline-status');
    const nav = performance.getEntriesByType('navigation')[0];
    const header = document.querySelector('.site-header');
    return {
      exists: !!el,
      text: el ? el.textContent.trim() : null,
      role: el ? el.getAttribute('role') : null,
      height: el ? el.getBoundingClientRect().height : 0,
      fromCache: !!(nav && (nav.serverTiming || []).some((e) => e.name === 'vejviser-cache')),
      headerBackground: header ? getComputedStyle(header).backgroundColor : null,
      title: document.title,
      mainText: (document.querySelector('main')?.textContent ?? '').length,
      onLine: navigator.onLine,
    };
  });
}

function noticeProblems(n, { shown }) {
  const problems = [];
  if (!n.exists) return ['#offline-status is not in the page'];
  if (n.role !== 'status') problems.push(`#offline-status has role="${n.role}", not "status"`);
  if (shown) {
    if (n.text !== NOTICE) problems.push(`the notice says ${JSON.stringify(n.text)}, not ${JSON.stringify(NOTICE)}`);
    if (!(n.height > 0)) problems.push('the notice takes no space on screen');
  } else {
    if (n.text !== '') problems.push(`the notice shows ${JSON.stringify(n.text)}`);
    if (n.height > 0) problems.push(`the empty notice takes ${n.height}px of height`);
  }
  return problems;
}

function pageProblems(n, want) {
  const problems = [];
  if (n.title !== want) problems.push(`title ${JSON.stringify(n.title)}, not ${JSON.stringify(want)}`);
  if (n.headerBackground !== BRAND_RGB) problems.push(`the stylesheet did not apply (header background ${n.headerBackground})`);
  if (n.mainText < 200) problems.push(`<main> holds only ${n.mainText} characters`);
  return problems;
}

/** Waits until the worker is active for `page`, then reloads; resolves to its registration. */
async function waitForWorker(page) {
  const ready = await page.evaluate(
    (ms) =>
      Promise.race([
        navigator.serviceWorker.ready.then(async (reg) => {
          const w = reg.active;
          if (w && w.state !== 'activated') {
            await new Promise((ok) => w.addEventListener('statechange', () => w.state === 'activated' && ok()));
          }
          return { scope: reg.scope, script: reg.active?.scriptURL ?? null };
        }),
        new Promise((ok) => setTimeout(() => ok(null), ms)),
      ]),
    WORKER_TIMEOUT_MS,
  );
  if (!ready) throw new Error(`no service worker became active within ${WORKER_TIMEOUT_MS / 1000} s`);
  await page.reload({ waitUntil: 'load' });
  await settle(page);
  const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
  return { ...ready, controller };
}

/** The caches of `scope`: { name: [paths relative to the scope] }. */
function cachesOf(page, scope) {
  return page.evaluate(async (scope) => {
    const out = {};
    for (const name of await caches.keys()) {
      if (!name.startsWith(`vejviser:${scope}:`)) continue;
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => (r.url.startsWith(scope) ? r.url.slice(scope.length) : r.url));
    }
    return out;
  }, scope);
}

// ---- The site at the server's root --------------------------------------------------

async function atRoot(browser, server, site, axe) {
  const { origin } = server;
  const context = await newContext(browser, origin);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
    await settle(page);

    const scope = `${origin}/`;
    let worker = null;
    const workerOk = await step('worker', async () => {
      worker = await waitForWorker(page);
      const problems = [];
      if (worker.scope !== scope) problems.push(`scope ${worker.scope}, not ${scope}`);
      if (worker.script !== `${origin}/sw.js`) problems.push(`worker script ${worker.script}, not ${origin}/sw.js`);
      if (worker.controller !== `${origin}/sw.js`) problems.push(`after a reload the page is controlled by ${worker.controller}`);
      return { problems, note: `scope ${worker.scope}` };
    });
    if (!workerOk) return;

    await step('precache', async () => {
      const sw = await readFile(join(site, 'sw.js'), 'utf8');
      const want = `vejviser:${scope}:${buildIdOf(sw)}`;
      const found = await cachesOf(page, scope);
      const names = Object.keys(found);
      if (names.length !== 1 || names[0] !== want) return [`caches ${JSON.stringify(names)}, expected only ${want}`];
      const held = new Set(found[want]);
      const expected = await expectedFiles(site);
      const missing = expected.filter((f) => !held.has(f));
      const extra = [...held].filter((f) => /(^|\/)sw\.js$|^sitemap\.xml$/.test(f) || /^[a-z]+:/.test(f));
      const problems = [];
      if (missing.length) problems.push(`${missing.length} of ${expected.length} file(s) not pre-cached`, ...missing);
      if (extra.length) problems.push(`cached but must not be: ${extra.join(', ')}`);
      return { problems, note: `${held.size} files in ${want}` };
    });

    await step('online', async () => {
      const problems = [];
      for (const name of VISITED) {
        const res = await page.goto(`${origin}/${name}`, { waitUntil: 'load' });
        await settle(page);
        if (res?.status() !== 200) problems.push(`${name}: HTTP ${res?.status()}`);
        const n = await readNotice(page);
        if (n.fromCache) problems.push(`${name}: served from the cache while online`);
        problems.push(...pageProblems(n, await titleOf(site, name)).map((p) => `${name}: ${p}`));
        problems.push(...noticeProblems(n, { shown: false }).map((p) => `${name}: ${p}`));
      }
      return problems;
    });

    // ---- Offline ----
    const reloadName = VISITED[VISITED.length - 1];
    online = false;
    await goOffline(context);

    await step('goes offline', async () => {
      await page
        .waitForFunction((text) => document.getElementById('offline-status')?.textContent.trim() === text, NOTICE, {
          timeout: 5_000,
        })
        .catch(() => {});
      const n = await readNotice(page);
      const problems = noticeProblems(n, { shown: true });
      if (n.onLine !== false) problems.unshift('navigator.onLine is still true after context.setOffline(true)');
      return { problems, note: `${reloadName}, navigator.onLine false` };
    });

    await step('reload', async () => {
      const asked = server.log.length;
      const res = await page.reload({ waitUntil: 'load' });
      await settle(page);
      const n = await readNotice(page);
      const problems = [];
      if (res?.status() !== 200) problems.push(`HTTP ${res?.status()}`);
      if (!n.fromCache) problems.push('the page does not say it came from the cache (no Server-Timing vejviser-cache)');
      problems.push(...askedWhileOffline(server, asked));
      problems.push(...pageProblems(n, await titleOf(site, reloadName)), ...noticeProblems(n, { shown: true }));
      return { problems, note: reloadName };
    });

    await step('new page', async () => {
      if (navigated.has(`${origin}/${UNVISITED}`)) return [`${UNVISITED} was opened before; pick a page not opened online`];
      const asked = server.log.length;
      const res = await page.goto(`${origin}/${UNVISITED}`, { waitUntil: 'load' });
      await settle(page);
      const n = await readNotice(page);
      const figure = await page.evaluate(() =>
        [...document.querySelectorAll('img[src^="figurer/"]')].map((img) => ({
          src: img.getAttribute('src'),
          loaded: img.complete && img.naturalWidth > 0,
        })),
      );
      const problems = [];
      if (res?.status() !== 200) problems.push(`HTTP ${res?.status()}`);
      if (!n.fromCache) problems.push('the page does not say it came from the cache (no Server-Timing vejviser-cache)');
      problems.push(...askedWhileOffline(server, asked));
      if (figure.length === 0) problems.push('no img[src^="figurer/"] on the page');
      for (const f of figure) if (!f.loaded) problems.push(`the figure ${f.src} did not load offline`);
      problems.push(...pageProblems(n, await titleOf(site, UNVISITED)), ...noticeProblems(n, { shown: true }));
      return { problems, note: `${UNVISITED}, with ${figure.map((f) => f.src).join(', ')}` };
    });

    await step('axe', async () => {
      const n = await readNotice(page);
      if (n.text !== NOTICE) return ['the notice is not showing, so axe was not run with it'];
      const result = await runAxe(page, axe.source, ['violations']);
      return result.violations.length === 0 ? { problems: [], note: `${UNVISITED} with the notice, axe-core ${axe.version}` } : axeProblems(result.violations);
    });

    await step('search files', async () => {
      const sw = await readFile(join(site, 'sw.js'), 'utf8');
      const held = new Set((await cachesOf(page, scope))[`vejviser:${scope}:${buildIdOf(sw)}`] ?? []);
      const onDisk = await searchFilesOf(site);
      const listed = JSON.parse(await readFile(join(site, SEARCH_LIST), 'utf8')).files ?? [];
      const problems = [];
      if (onDisk.length === 0) problems.push('no files under pagefind/');
      if ([...listed].sort().join('\n') !== onDisk.join('\n')) {
        const notListed = onDisk.filter((f) => !listed.includes(f));
        const notThere = listed.filter((f) => !onDisk.includes(f));
        problems.push(`${SEARCH_LIST} does not list exactly the files under pagefind/`, ...notListed.map((f) => `not listed: ${f}`), ...notThere.map((f) => `listed but not in the site: ${f}`));
      }
      const missing = onDisk.filter((f) => !held.has(f));
      if (missing.length) problems.push(`${missing.length} of ${onDisk.length} search file(s) not pre-cached`, ...missing);
      const withQuery = [...held].filter((f) => f.startsWith('pagefind/') && f.includes('?'));
      if (withQuery.length) problems.push(`cached with a query: ${withQuery.join(', ')}`);
      return { problems, note: `${onDisk.length} files under pagefind/, all cached` };
    });

    await searchOffline(context, server, site, axe, origin);

    await step('not cached', async () => {
      // In a tab of its own: the browser's error page must not get in the way of the next checks.
      const tab = await context.newPage();
      try {
        const res = await tab.goto(`${origin}/${MISSING}`, { waitUntil: 'load', timeout: 10_000 });
        return [`${MISSING} opened offline: HTTP ${res?.status()} "${await tab.title()}"; it should fail, as it is in no cache`];
      } catch (err) {
        return { problems: [], note: `${MISSING}: ${oneLine(err.message.split('\n')[0], 80)}` };
      } finally {
        await tab.close();
      }
    });

    // ---- Online again (the page is still UNVISITED, served from the cache) ----
    // Chromium 148 does not hand the emulated offline state to a document opened while offline
    // (navigator.onLine is true in it, and it gets no "online" event later): offline is set
    // again so that this page is offline for certain (requests stay aborted meanwhile), then
    // the browser goes online and the page must see the change.
    await context.setOffline(false);
    await context.setOffline(true);
    await page.waitForFunction(() => navigator.onLine === false, null, { timeout: 5_000 }).catch(() => {});
    await goOnline(context);
    online = true;
    await step('online again', async () => {
      const problems = [];
      await page
        .waitForFunction(() => document.getElementById('offline-status')?.textContent.trim() === '', null, { timeout: 5_000 })
        .catch(() => {});
      const before = await readNotice(page);
      problems.push(...noticeProblems(before, { shown: false }).map((p) => `before reload: ${p}`));
      const asked = server.log.length;
      await page.reload({ waitUntil: 'load' });
      await settle(page);
      const after = await readNotice(page);
      if (after.fromCache) problems.push('after reload: still served from the cache');
      if (!server.log.slice(asked).some((e) => e.path === `/${UNVISITED}`)) problems.push('after reload: the server was not asked for the page');
      problems.push(...noticeProblems(after, { shown: false }).map((p) => `after reload: ${p}`));
      return { problems, note: UNVISITED };
    });
  } finally {
    await context.close();
  }
}

/**
 * What the page asked the server for since entry `asked` of its log, as problems. The browser's
 * own update check of the worker script (`sw.js`, fetched by the browser, not by the page, and
 * not subject to the emulated offline state) is not the page's doing and is left out.
 */
function askedWhileOffline(server, asked) {
  const paths = server.log
    .slice(asked)
    .map((e) => e.path)
    .filter((path) => !path.endsWith('/sw.js'));
  return paths.length ? [`the server was asked while offline: ${paths.join(', ')}`] : [];
}

/** The search checks, offline, each in a tab of its own (the worker controls every tab). */
async function searchOffline(context, server, site, axe, origin) {
  const searchTitle = await titleOf(site, 'soeg.html');
  const [q, want] = OFFLINE_FORM;
  const tab = await context.newPage();
  try {
    await step('search', async () => {
      const asked = server.log.length;
      const res = await tab.goto(`${origin}/soeg.html`, { waitUntil: 'load' });
      await settle(tab);
      const problems = [];
      if (res?.status() !== 200) problems.push(`soeg.html: HTTP ${res?.status()}`);
      const n = await readNotice(tab);
      if (!n.fromCache) problems.push('soeg.html does not say it came from the cache');
      problems.push(...noticeProblems(n, { shown: true }), ...pageProblems(n, searchTitle));
      const notes = [];
      for (const [q, want] of OFFLINE_QUERIES) {
        await tab.fill('#search-q', q);
        const shown = await searchResults(tab, q);
        problems.push(...resultProblems(shown, q, want));
        notes.push(`"${q}" → ${shown.ids.length} result(s), ${idOf(shown.ids[0])} first`);
      }
      await settle(tab);
      problems.push(...askedWhileOffline(server, asked));
      return { problems, note: notes.join('; ') };
    });

    await step('search axe', async () => {
      const n = await readNotice(tab);
      const count = await tab.evaluate(() => document.querySelectorAll('#search-results li').length);
      if (n.text !== NOTICE || count === 0) return ['the offline search page does not show the notice and results, so axe was not run'];
      const result = await runAxe(tab, axe.source, ['violations']);
      return result.violations.length === 0 ? { problems: [], note: `soeg.html, ${count} results, notice showing` } : axeProblems(result.violations);
    });

    await step('search form', async () => {
      const asked = server.log.length;
      await tab.goto(`${origin}/soeg.html?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
      const shown = await searchResults(tab, q);
      await settle(tab);
      const problems = resultProblems(shown, q, want, 1);
      if ((await tab.inputValue('#search-q')) !== q) problems.push('the field does not hold the query');
      if (!(await readNotice(tab)).fromCache) problems.push('the page does not say it came from the cache');
      problems.push(...askedWhileOffline(server, asked));
      return { problems, note: `soeg.html?q=${q}: ${shown.ids.length} result(s), "${oneLine(shown.status)}"` };
    });
  } finally {
    await tab.close();
  }

  // Pagefind's fallback without a Worker: its requests come from the page itself.
  const noWorker = await context.newPage();
  try {
    await noWorker.addInitScript(() => {
      delete window.Worker;
    });
    await step('search main thread', async () => {
      const asked = server.log.length;
      await noWorker.goto(`${origin}/soeg.html?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
      const shown = await searchResults(noWorker, q);
      await settle(noWorker);
      const problems = resultProblems(shown, q, want, 1);
      if (await noWorker.evaluate(() => typeof Worker !== 'undefined')) problems.push('Worker was not removed');
      problems.push(...askedWhileOffline(server, asked));
      return { problems, note: `no Worker: ${shown.ids.length} result(s)` };
    });
  } finally {
    await noWorker.close();
  }
}

// ---- The site in a sub-folder ----------------------------------------------------------

async function inSubfolder(browser, site) {
  const root = await mkdtemp(join(tmpdir(), 'vejviser-offline-'));
  let server;
  try {
    const copy = join(root, SUBDIR);
    await cp(site, copy, { recursive: true });
    // The pages the build listed in sw.js for the worker to pre-cache.
    const listed = /var PAGES = (\[[^\]]*\]);/.exec(await readFile(join(copy, 'sw.js'), 'utf8'));
    const pages = listed ? JSON.parse(listed[1]) : [];
    if (pages.length < 50) {
      fail('base path', `sw.js lists ${pages.length} pages to pre-cache`);
      return;
    }

    server = await serveSite(root);
    const { origin } = server;
    const scope = `${origin}/${SUBDIR}/`;
    const context = await newContext(browser, origin);
    try {
      const page = await context.newPage();
      await page.goto(`${scope}index.html`, { waitUntil: 'load' });
      await settle(page);
      const ok = await step('base path', async () => {
        const worker = await waitForWorker(page);
        const problems = [];
        if (worker.scope !== scope) problems.push(`scope ${worker.scope}, not ${scope}`);
        if (worker.controller !== `${scope}sw.js`) problems.push(`the page is controlled by ${worker.controller}`);
        const found = await cachesOf(page, scope);
        const names = Object.keys(found);
        if (names.length !== 1) return [...problems, `caches for ${scope}: ${JSON.stringify(names)}`];
        const held = new Set(found[names[0]]);
        const missing = pages.filter((p) => !held.has(p));
        if (missing.length) problems.push(`${missing.length} of ${pages.length} listed page(s) not pre-cached`, ...missing);
        const foreign = log.requests.filter((u) => !/^http:\/\/127\.0\.0\.1[:/]/.test(u));
        if (foreign.length) problems.push(`asked another host: ${foreign.slice(0, 5).join(', ')}`);
        return { problems, note: `scope ${scope}, ${pages.length} pages listed in sw.js` };
      });
      if (!ok) return;

      await step('new build', async () => {
        const swPath = join(copy, 'sw.js');
        const sw = await readFile(swPath, 'utf8');
        const oldId = buildIdOf(sw);
        const newId = `${oldId}-next`;
        await writeFile(swPath, sw.replace(`var BUILD = "${oldId}"`, `var BUILD = "${newId}"`));
        // The new worker is 'activated' once its activate handler (which deletes the old
        // caches) has finished; skipWaiting and clients.claim make it control the page.
        const outcome = await page.evaluate(
          (ms) =>
            Promise.race([
              (async () => {
                const reg = await navigator.serviceWorker.getRegistration();
                await reg.update();
                const w = reg.installing || reg.waiting;
                if (!w) return 'the browser found no new worker after sw.js changed';
                await new Promise((ok) => {
                  const done = () => (w.state === 'activated' || w.state === 'redundant') && ok();
                  w.addEventListener('statechange', done);
                  done();
                });
                if (w.state !== 'activated') return `the new worker became ${w.state}`;
                for (let i = 0; i < 50 && navigator.serviceWorker.controller !== w; i++) {
                  await new Promise((ok) => setTimeout(ok, 100));
                }
                return navigator.serviceWorker.controller === w ? 'ok' : 'the new worker does not control the page';
              })(),
              new Promise((ok) => setTimeout(() => ok(`no new worker was activated within ${ms / 1000} s`), ms)),
            ]),
          WORKER_TIMEOUT_MS,
        );
        if (outcome !== 'ok') return [outcome];
        const names = Object.keys(await cachesOf(page, scope));
        const want = `vejviser:${scope}:${newId}`;
        if (names.length !== 1 || names[0] !== want) return [`caches ${JSON.stringify(names)}, expected only ${want}`];
        return { problems: [], note: `${oldId} → ${newId}, old cache deleted` };
      });
    } finally {
      await context.close();
    }
  } finally {
    if (server) await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

// ---- A local version, lokal/<slug>/, offline ------------------------------------------

async function localVersion(browser, server, site) {
  const dir = join(site, 'lokal', LOCAL_SLUG);
  const base = `lokal/${LOCAL_SLUG}/`;
  const ok = await step(`local version: ${base} is built`, async () => {
    const missing = [];
    for (const f of [LOCAL_VISITED, 'soeg.html', `${LOCAL_SECTION}.html`, 'sw.js', SEARCH_LIST]) {
      if (!(await isFile(join(dir, f)))) missing.push(`${base}${f} is missing`);
    }
    return missing;
  });
  if (!ok) return;
  const { origin } = server;
  const scope = `${origin}/${base}`;
  const context = await newContext(browser, origin);
  try {
    const page = await context.newPage();
    await page.goto(`${scope}${LOCAL_VISITED}`, { waitUntil: 'load' });
    await settle(page);
    const workerOk = await step('local version: worker and pre-cache', async () => {
      const worker = await waitForWorker(page);
      const problems = [];
      if (worker.scope !== scope) problems.push(`scope ${worker.scope}, not ${scope}`);
      if (worker.controller !== `${scope}sw.js`) problems.push(`after a reload the page is controlled by ${worker.controller}`);
      const sw = await readFile(join(dir, 'sw.js'), 'utf8');
      const want = `vejviser:${scope}:${buildIdOf(sw)}`;
      const found = await cachesOf(page, scope);
      const held = new Set(found[want] ?? []);
      if (!found[want]) problems.push(`no cache ${want}: ${JSON.stringify(Object.keys(found))}`);
      const need = [...(await expectedFiles(dir)), ...(await searchFilesOf(dir))];
      const missing = need.filter((f) => !held.has(f));
      if (missing.length) problems.push(`${missing.length} of ${need.length} file(s) not pre-cached`, ...missing.slice(0, 10));
      if (held.has('soeg.html') === false) problems.push('soeg.html is not pre-cached');
      return { problems, note: `scope ${worker.scope}, ${held.size} files cached` };
    });
    if (!workerOk) return;
    if (navigated.has(`${scope}soeg.html`)) {
      fail('local version', `${base}soeg.html was opened before going offline; the check needs a page never opened online`);
      return;
    }

    online = false;
    await goOffline(context);
    try {
      await step(`local version: reload ${base}${LOCAL_VISITED} offline`, async () => {
        const asked = server.log.length;
        const res = await page.reload({ waitUntil: 'load' });
        await settle(page);
        const n = await readNotice(page);
        const problems = [];
        if (res?.status() !== 200) problems.push(`HTTP ${res?.status()}`);
        if (!n.fromCache) problems.push('the page does not say it came from the cache (no Server-Timing vejviser-cache)');
        problems.push(...askedWhileOffline(server, asked));
        problems.push(...pageProblems(n, await titleOf(dir, LOCAL_VISITED)), ...noticeProblems(n, { shown: true }));
        const local = await page.evaluate(() => document.body.textContent.includes('Region Midtjylland'));
        if (!local) problems.push('the reloaded page does not name Region Midtjylland: is it the national page?');
        return { problems, note: `${base}${LOCAL_VISITED} from the cache` };
      });

      await step(`local version: search "${LOCAL_QUERY}" on ${base}soeg.html offline shows the local section`, async () => {
        const asked = server.log.length;
        const res = await page.goto(`${scope}soeg.html`, { waitUntil: 'load' });
        await settle(page);
        const problems = [];
        if (res?.status() !== 200) problems.push(`soeg.html: HTTP ${res?.status()}`);
        const n = await readNotice(page);
        if (!n.fromCache) problems.push('soeg.html does not say it came from the cache');
        problems.push(...noticeProblems(n, { shown: true }), ...pageProblems(n, await titleOf(dir, 'soeg.html')));
        await page.fill('#search-q', LOCAL_QUERY);
        const shown = await searchResults(page, LOCAL_QUERY);
        problems.push(...resultProblems(shown, LOCAL_QUERY, LOCAL_SECTION, 1));
        const first = await page.evaluate(() => {
          const li = document.querySelector('#search-results li.search-result');
          return {
            href: li?.querySelector('.search-result-title a')?.href ?? '',
            badge: li?.querySelector('.badge-local')?.textContent ?? null,
          };
        });
        if (first.badge !== LOCAL_BADGE) problems.push(`the first result's badge is ${JSON.stringify(first.badge)}, not ${JSON.stringify(LOCAL_BADGE)}`);
        if (!first.href.startsWith(scope)) problems.push(`the first result links to ${first.href}, outside ${scope}`);
        await settle(page);
        problems.push(...askedWhileOffline(server, asked));
        return { problems, note: `${shown.ids.length} result(s), ${idOf(shown.ids[0])} first, badge "${first.badge}"` };
      });
    } finally {
      await goOnline(context);
      online = true;
    }
  } finally {
    await context.close();
  }
}

// ---- Opened as a file ------------------------------------------------------------------

async function asFile(browser, site) {
  await step('file://', async () => {
    const base = pathToFileURL(site).href;
    const context = await browser.newContext({ ...screen(DESKTOP), locale: 'da-DK' });
    try {
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${base}/`)) return route.continue();
        return route.abort('blockedbyclient');
      });
      // Counts calls of navigator.serviceWorker.register, if the browser has it on file://.
      await context.addInitScript(() => {
        window.__swRegisterCalls = 0;
        const c = navigator.serviceWorker;
        if (c && c.register) {
          const original = c.register.bind(c);
          c.register = (...args) => {
            window.__swRegisterCalls++;
            return original(...args);
          };
        }
      });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (err) => errors.push(oneLine(err.message, 300)));
      await page.goto(`${base}/index.html`, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      const state = await page.evaluate(() => ({
        calls: window.__swRegisterCalls,
        text: document.getElementById('offline-status')?.textContent ?? null,
      }));
      const problems = [];
      if (state.calls !== 0) problems.push(`offline.js called navigator.serviceWorker.register ${state.calls} time(s) on file://`);
      if (state.text !== '') problems.push(`the notice shows ${JSON.stringify(state.text)} on file://`);
      problems.push(...errors.map((e) => `uncaught: ${e}`));
      return problems;
    } finally {
      await context.close();
    }
  });
}

// ---- Main ----------------------------------------------------------------------------

async function main() {
  const { site } = parseArgs('node offline.mjs SITE_DIR [--results FILE]');
  for (const name of [...VISITED, UNVISITED]) {
    if (!(await isFile(join(site, name)))) {
      fail(`file ${name}`, `missing from the built site ${site}`);
      return;
    }
  }
  if (!(await checkFiles(site))) return;

  const axe = await loadAxe();
  await withBrowser(site, async (browser, server) => {
    console.log(`offline: Chromium ${browser.version()} (${CHROMIUM_PATH}), site at ${server.origin}`);
    const parts = [
      ['at the root', () => atRoot(browser, server, site, axe)],
      ['in a sub-folder', () => inSubfolder(browser, site)],
      ['local version', () => localVersion(browser, server, site)],
      ['as a file', () => asFile(browser, site)],
    ];
    for (const [what, part] of parts) {
      try {
        await part();
      } catch (err) {
        fail(what, oneLine(err.message, 500));
      }
    }

    if (pageErrors.length === 0) pass('script', 'no uncaught script errors');
    else fail('script', `${pageErrors.length} uncaught script error(s)`, [...new Set(pageErrors)]);

    const f = [...new Set(log.foreign)];
    const b = [...new Set(brokenOnline)];
    if (log.requests.length === 0) fail('network', 'no requests were recorded at all');
    else if (workerRequests === 0) fail('network', 'no request of the service worker was seen, so its requests were not checked');
    else if (f.length === 0 && b.length === 0) {
      pass('network', `${log.requests.length} request(s), ${workerRequests} of them by the service worker, all to 127.0.0.1`);
    } else {
      fail('network', `${f.length} request(s) leaving 127.0.0.1, ${b.length} failed local request(s) while online`, networkDetails(f, b));
    }
  });
}

run(main, { name: 'offline', timeoutMs: RUN_TIMEOUT_MS }).then(() => {
  if (counts().failed > 0) process.exitCode = 1;
});
