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

import { relative, sep } from 'node:path';

import {
  CHROMIUM_PATH,
  DESKTOP,
  PHONE,
  axeProblems,
  fail,
  htmlFiles,
  loadAxe,
  localContext,
  networkDetails,
  oneLine,
  parseArgs,
  pass,
  printIncomplete,
  recordConsoleErrors,
  recordRequests,
  run,
  runAxe,
  screen,
  waitForRequests,
  withBrowser,
} from './harness.mjs';

// Pages that must exist and that get the phone-viewport check too (the env
// KEY_PAGES, comma-separated, names another site's instead).
const KEY_PAGES = process.env.KEY_PAGES ? process.env.KEY_PAGES.split(',') : [
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
const PAGE_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 20 * 60_000;

/**
 * Opens one page in a fresh context, recording every request, and runs
 * `work(page)` once it has loaded. Requests to any other origin are
 * recorded and then aborted, so nothing leaves the machine.
 */
async function visit(browser, origin, name, viewport, work) {
  const context = await localContext(browser, origin, screen(viewport));
  const log = { requests: [], foreign: [], broken: [] };
  const inFlight = recordRequests(context, origin, log);
  const consoleErrors = [];
  const page = await context.newPage();
  recordConsoleErrors(page, consoleErrors);
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
    await waitForRequests(inFlight);
    const value = await work(page, response);
    return { value, ...log, consoleErrors };
  } finally {
    await context.close();
  }
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
  fail(
    `network ${label}`,
    `${foreign.length} request(s) to other origins, ${broken.length} failed local request(s)`,
    networkDetails(foreign, broken),
  );
}

async function main() {
  const { site } = parseArgs('node browser.mjs SITE_DIR [--results FILE]');

  const all = (await htmlFiles(site)).map((f) => relative(site, f).split(sep).join('/')).sort();
  const pages = [...KEY_PAGES.filter((p) => all.includes(p)), ...all.filter((p) => !KEY_PAGES.includes(p))];
  for (const p of KEY_PAGES) {
    if (!all.includes(p)) fail(`page ${p}`, 'missing from the built site');
  }
  if (pages.length === 0) {
    fail('browser', `no .html files under ${site}`);
    return;
  }

  const axe = await loadAxe();
  const byRule = new Map();
  await withBrowser(site, async (browser, server) => {
    console.log(
      `browser: Chromium ${browser.version()} (${CHROMIUM_PATH}), axe-core ${axe.version}, site at ${server.origin}, ${pages.length} page(s)`,
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
          return runAxe(page, axe.source);
        });
        visits.push(desktop);
        const { violations, incomplete } = desktop.value;
        const ms = Date.now() - started;
        if (violations.length === 0) {
          pass(`axe ${name}`, `${ms} ms`);
        } else {
          const [why, ...details] = axeProblems(violations);
          fail(`axe ${name}`, why, details);
          for (const v of violations) {
            const entry = byRule.get(v.id) ?? { impact: v.impact, help: v.help, pages: [], nodes: 0 };
            entry.pages.push(name);
            entry.nodes += v.nodes.length;
            byRule.set(v.id, entry);
          }
        }
        if (KEY_PAGES.includes(name) && incomplete.length > 0) printIncomplete(name, incomplete);
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
  });

  if (byRule.size > 0) {
    console.log('axe violations by rule:');
    for (const [id, e] of [...byRule].sort((a, b) => b[1].pages.length - a[1].pages.length)) {
      const shown = e.pages.slice(0, 8).join(', ');
      const more = e.pages.length > 8 ? ` and ${e.pages.length - 8} more` : '';
      console.log(`    ${id} [${e.impact}] ${e.help}: ${e.nodes} node(s) on ${e.pages.length} page(s): ${shown}${more}`);
    }
  }
}

run(main, { name: 'browser', timeoutMs: RUN_TIMEOUT_MS, timeoutWhy: 'the browser run took longer than' });
