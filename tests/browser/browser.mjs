// Browser checks of the built site, in Debian's headless Chromium driven by
// playwright-core, with the site served from 127.0.0.1 by serve.mjs:
//
//   axe      axe-core with the tags wcag2a, wcag2aa, wcag21a, wcag21aa on
//            every HTML page of the site: 0 violations.
//   network  every request a page makes (at both viewports) goes to the local
//            server, and none of them fails (no CDN, no outside fonts, no
//            missing stylesheet or image).
//   overflow at a phone viewport (390x844) the key pages do not scroll
//            sideways: documentElement.scrollWidth <= innerWidth + 1.
//
//   node browser.mjs SITE_DIR [--results FILE]
//
// With --results, "PASSED FAILED" is written to FILE for scripts/test.sh.
// CHROMIUM may name another Chromium binary (default /usr/bin/chromium).

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

import { serveSite } from './serve.mjs';

const require = createRequire(import.meta.url);

// Pages that must exist and that get the phone-viewport check too.
const KEY_PAGES = [
  'index.html',
  'indhold.html',
  'kroppens-funktioner-og-anatomi.html', // a plain section page
  'vidensgrundlag.html', // a section with a box and footnotes
  'funktionsevne-og-funktionsevnebegraensning.html', // the figure
  'ordliste.html',
  'referencer.html',
  'udskriv.html',
  'tilgaengelighedserklaering.html',
  '404.html',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const PAGE_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 20 * 60_000;

let passed = 0;
let failed = 0;
let resultsFile = null;

function pass(name, note = '') {
  passed++;
  console.log(`PASS ${name}${note ? ` (${note})` : ''}`);
}

function fail(name, why, details = []) {
  failed++;
  console.log(`FAIL ${name}: ${why}`);
  for (const line of details) console.log(`    ${line}`);
}

async function writeResults() {
  if (resultsFile) await writeFile(resultsFile, `${passed} ${failed}\n`);
}

function oneLine(s, max = 200) {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await htmlFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.html')) out.push(full);
  }
  return out;
}

/**
 * Opens one page in a fresh context, recording every request, and runs
 * `work(page)` once it has loaded. Requests to any other origin are
 * recorded and then aborted, so nothing leaves the machine.
 */
async function visit(browser, origin, name, viewport, work) {
  const context = await browser.newContext({
    viewport,
    isMobile: viewport === PHONE,
    hasTouch: viewport === PHONE,
    serviceWorkers: 'block',
    locale: 'da-DK',
  });
  const requests = [];
  const foreign = [];
  const broken = [];
  const consoleErrors = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    return route.abort('blockedbyclient');
  });
  const inFlight = new Set();
  context.on('requestfinished', (req) => inFlight.delete(req));
  context.on('requestfailed', (req) => inFlight.delete(req));
  context.on('request', (req) => {
    const url = req.url();
    inFlight.add(req);
    requests.push(url);
    if (!url.startsWith(`${origin}/`) && !/^(data|blob|about):/.test(url)) foreign.push(url);
  });
  const answeredBadly = new Set();
  context.on('response', (res) => {
    if (res.status() >= 400 && res.url().startsWith(`${origin}/`)) {
      answeredBadly.add(res.url());
      broken.push(`HTTP ${res.status()} ${res.url().slice(origin.length)}`);
    }
  });
  context.on('requestfailed', (req) => {
    const url = req.url();
    if (url.startsWith(`${origin}/`) && !answeredBadly.has(url)) {
      broken.push(`${req.failure()?.errorText ?? 'failed'} ${url.slice(origin.length)}`);
    }
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => foreign.push(ws.url()));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(oneLine(msg.text(), 300));
  });
  page.on('pageerror', (err) => consoleErrors.push(oneLine(`uncaught: ${err.message}`, 300)));
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  try {
    const response = await page.goto(`${origin}/${name}`, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    // Web fonts load only once text uses them; wait for them, and scroll to
    // the end so that any lazy-loaded image is requested too.
    await page.evaluate(async () => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      await document.fonts.ready;
      window.scrollTo(0, 0);
    });
    // Then let requests still under way finish (at most 5 s).
    for (let waited = 0; inFlight.size > 0 && waited < 5_000; waited += 50) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    const value = await work(page, response);
    return { value, requests, foreign, broken, consoleErrors };
  } finally {
    await context.close();
  }
}

function describeAxeViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.nodes.length} node(s)) ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`    target: ${node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ')}`);
      lines.push(`      html: ${oneLine(node.html, 200)}`);
      const summary = oneLine(node.failureSummary, 400);
      if (summary) lines.push(`      why:  ${summary}`);
    }
    if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more node(s)`);
  }
  return lines;
}

async function runAxe(page, axeSource) {
  // evaluate() runs through the DevTools protocol, so the pages' own
  // Content-Security-Policy (script-src 'self') does not block it.
  await page.evaluate(axeSource);
  return page.evaluate(
    async (tags) =>
      // eslint-disable-next-line no-undef
      axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations', 'incomplete'],
      }),
    AXE_TAGS,
  );
}

async function measureOverflow(page, width) {
  return page.evaluate((width) => {
    const doc = document.documentElement;
    // Not innerWidth: a phone widens its layout viewport to fit content
    // that is too wide, so innerWidth grows with the overflow.
    const limit = Math.min(window.innerWidth, width);
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      for (const c of el.classList) s += `.${c}`;
      return s;
    };
    const path = (el) => {
      const parts = [];
      for (let e = el; e && e !== doc && parts.length < 4; e = e.parentElement) parts.unshift(describe(e));
      return parts.join(' > ');
    };
    // The overflowing elements with no overflowing child: the culprits.
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right <= limit + 1) continue;
      const childWide = [...el.children].some((c) => c.getBoundingClientRect().right > limit + 1);
      if (!childWide) {
        wide.push(`${path(el)} (right edge ${Math.round(r.right)}px, width ${Math.round(r.width)}px)`);
      }
    }
    return {
      scrollWidth: doc.scrollWidth,
      innerWidth: window.innerWidth,
      wide: wide.slice(0, 10),
      moreWide: Math.max(0, wide.length - 10),
    };
  }, width);
}

function checkNetwork(label, visits) {
  const foreign = [...new Set(visits.flatMap((v) => v.foreign))];
  const broken = [...new Set(visits.flatMap((v) => v.broken))];
  const total = visits.reduce((n, v) => n + v.requests.length, 0);
  if (foreign.length === 0 && broken.length === 0) {
    pass(`network ${label}`, `${total} request(s), all local`);
    return;
  }
  const details = [
    ...foreign.map((u) => `request to another origin: ${u}`),
    ...broken.map((b) => `local request failed: ${b}`),
  ];
  fail(
    `network ${label}`,
    `${foreign.length} request(s) to other origins, ${broken.length} failed local request(s)`,
    details,
  );
}

async function main() {
  const argv = process.argv.slice(2);
  let siteArg = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--results') resultsFile = argv[++i];
    else if (!siteArg) siteArg = argv[i];
    else throw new Error(`unexpected argument: ${argv[i]}`);
  }
  if (!siteArg) throw new Error('usage: node browser.mjs SITE_DIR [--results FILE]');
  const site = resolve(siteArg);
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

  const all = (await htmlFiles(site)).map((f) => relative(site, f).split(sep).join('/')).sort();
  const pages = [...KEY_PAGES.filter((p) => all.includes(p)), ...all.filter((p) => !KEY_PAGES.includes(p))];
  for (const p of KEY_PAGES) {
    if (!all.includes(p)) fail(`page ${p}`, 'missing from the built site');
  }
  if (pages.length === 0) {
    fail('browser', `no .html files under ${site}`);
    return;
  }

  const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const axeVersion = require('axe-core/package.json').version;
  const server = await serveSite(site);
  let browser;
  const byRule = new Map();
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
    console.log(
      `browser: Chromium ${browser.version()} (${executablePath}), axe-core ${axeVersion}, site at ${server.origin}, ${pages.length} page(s)`,
    );

    for (const name of pages) {
      const started = Date.now();
      const visits = [];
      // Desktop: axe.
      let desktop;
      try {
        desktop = await visit(browser, server.origin, name, DESKTOP, async (page, response) => {
          const status = response?.status();
          if (status !== 200) throw new Error(`HTTP ${status} for /${name}`);
          return runAxe(page, axeSource);
        });
        visits.push(desktop);
        const { violations, incomplete } = desktop.value;
        const ms = Date.now() - started;
        if (violations.length === 0) {
          pass(`axe ${name}`, `${ms} ms`);
        } else {
          const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
          fail(`axe ${name}`, `${violations.length} violation(s) on ${nodes} node(s)`, describeAxeViolations(violations));
          for (const v of violations) {
            const entry = byRule.get(v.id) ?? { impact: v.impact, help: v.help, pages: [], nodes: 0 };
            entry.pages.push(name);
            entry.nodes += v.nodes.length;
            byRule.set(v.id, entry);
          }
        }
        if (KEY_PAGES.includes(name) && incomplete.length > 0) {
          console.log(
            `    axe: needs review by a person on ${name} ("incomplete", not a failure): ${incomplete
              .map((v) => `${v.id} (${v.nodes.length})`)
              .join(', ')}`,
          );
        }
      } catch (err) {
        fail(`axe ${name}`, oneLine(err.message, 500));
      }

      // Phone: horizontal overflow, for the key pages.
      if (KEY_PAGES.includes(name)) {
        try {
          const phone = await visit(browser, server.origin, name, PHONE, (page) => measureOverflow(page, PHONE.width));
          visits.push(phone);
          const m = phone.value;
          const ok = m.scrollWidth <= m.innerWidth + 1 && m.innerWidth <= PHONE.width + 1;
          const note = `scrollWidth ${m.scrollWidth}px, innerWidth ${m.innerWidth}px at ${PHONE.width}x${PHONE.height}`;
          if (ok) pass(`overflow ${name}`, note);
          else {
            fail(`overflow ${name}`, `the page scrolls sideways on a phone: ${note}`, [
              ...m.wide.map((w) => `too wide: ${w}`),
              ...(m.moreWide ? [`… and ${m.moreWide} more`] : []),
            ]);
          }
        } catch (err) {
          fail(`overflow ${name}`, oneLine(err.message, 500));
        }
      }

      if (visits.length > 0) {
        checkNetwork(name, visits);
        const errors = [...new Set(visits.flatMap((v) => v.consoleErrors))];
        for (const e of errors) console.log(`    console error (not counted as a failure): ${e}`);
      }
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.close();
  }

  if (byRule.size > 0) {
    console.log('axe violations by rule:');
    for (const [id, e] of [...byRule].sort((a, b) => b[1].pages.length - a[1].pages.length)) {
      const shown = e.pages.slice(0, 8).join(', ');
      const more = e.pages.length > 8 ? ` and ${e.pages.length - 8} more` : '';
      console.log(`    ${id} [${e.impact}] ${e.help}: ${e.nodes} node(s) on ${e.pages.length} page(s): ${shown}${more}`);
    }
  }
}

const watchdog = setTimeout(async () => {
  fail('browser', `the browser run took longer than ${RUN_TIMEOUT_MS / 60_000} minutes; stopped`);
  await writeResults().catch(() => {});
  process.exit(1);
}, RUN_TIMEOUT_MS);
watchdog.unref();

main()
  .catch((err) => {
    fail('browser', oneLine(err.stack || err, 2000));
  })
  .finally(async () => {
    await writeResults();
    clearTimeout(watchdog);
  });
