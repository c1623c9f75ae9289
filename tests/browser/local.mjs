// A hostile local version in Debian's headless Chromium: the overlay in
// tests/fixtures/local/hostile/ carries script tags, onerror/onload/onclick
// handlers, javascript: links, an iframe, <meta http-equiv=refresh>, SVG with
// script, hidden text, a form, object/embed and an outside stylesheet. It is
// built (with the binary under test) into a local site of its own, served from
// 127.0.0.1, and its pages are loaded with JavaScript on:
//
//   inert     no script from the overlay ran (window.__pwned stays unset, no
//             dialog), also after clicking the overlay's links and buttons;
//             the page did not navigate away (no meta refresh).
//   network   no request left 127.0.0.1.
//   dom       the local text has no <script>, <iframe>, <object>, <embed>,
//             <svg>, <meta>, <style>, <form>, on* attribute, javascript: URL,
//             style or hidden attribute; its text, including the text it
//             tried to hide, is visible.
//
//   axe       on the shipped site's Region Midtjylland deviations page
//             (lokal/region-midtjylland/lokale-tilpasninger.html), axe-core
//             (wcag2a/aa, wcag21a/aa): 0 violations.
//
//   testby    the fixture tests/fixtures/local/testby (add, insert and a replace
//             with a reason), pinned and then made stale by a change to the
//             national section 5.2 it replaces, built as a local site of its own:
//             its deviations page has the replacement's entry with the reason,
//             the word diff (<del> in the national side, <ins> in the local side,
//             both inside that entry), the stale flag on that entry only and the
//             stale notice; axe-core 0 violations and the Nu HTML checker 0
//             errors on that page.
//
//   search    on the shipped Region Midtjylland site, soeg.html finds the local
//             section (badge "Lokalt afsnit · Region Midtjylland") and a national
//             section with local text (badge "Lokal tilpasning · …"), and still finds
//             national sections without a badge; the national site's search
//             does not know the local text.
//
//   node local.mjs SITE_DIR [--results FILE]
//
// VEJVISER may name the binary (default target/debug/vejviser).

import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  axeProblems,
  checkWork as check,
  isVnuError,
  loadAxe,
  localContext,
  runAxe,
  networkDetails,
  parseArgs,
  recordRequests,
  oneLine,
  run,
  runVnu,
  waitForRequests,
  withBrowser,
} from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.VEJVISER || join(ROOT, 'target/debug/vejviser');
const PAGES = ['organisering.html', 'fjendtligt-afsnit.html', 'lokale-tilpasninger.html', 'udskriv.html', 'indhold.html'];
const FORBIDDEN = 'script, iframe, object, embed, svg, meta, style, form, link, frame, frameset';

/**
 * The shipped content without its local versions plus the fixture `slug`, with `prepare(content)`
 * run on it, built as that local version's own site: { work, site, stderr }.
 */
async function buildFixtureSite(slug, prepare = async () => {}) {
  const work = await mkdtemp(join(tmpdir(), `vejviser-${slug}-`));
  const content = join(work, 'content');
  await cp(join(ROOT, 'content'), content, {
    recursive: true,
    filter: (src) => !src.startsWith(join(ROOT, 'content', 'local')),
  });
  await cp(join(ROOT, 'tests/fixtures/local', slug), join(content, 'local', slug), { recursive: true });
  await prepare(content);
  const site = join(work, 'site');
  const r = spawnSync(BIN, ['build', '--local', slug, '--content', content, '--templates', join(ROOT, 'templates'), '--out', site], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building the ${slug} local version failed:\n${r.stderr}`);
  return { work, site, stderr: r.stderr };
}

const buildHostileSite = () => buildFixtureSite('hostile');

/** Testby, pinned, then the national section 5.2 (which its replace overlay concerns) changed. */
const buildStaleTestbySite = () =>
  buildFixtureSite('testby', async (content) => {
    const pin = spawnSync(BIN, ['pin', 'testby', '--content', content], { encoding: 'utf8' });
    if (pin.status !== 0) throw new Error(`vejviser pin testby failed:\n${pin.stderr}`);
    const file = join(content, 'sections/5.2-opfoelgning-i-kommune.md');
    const text = await readFile(file, 'utf8');
    const changed = text.replace('bør behovet for opfølgning vurderes', 'skal behovet for opfølgning altid vurderes');
    if (changed === text) throw new Error('5.2 no longer has the sentence this test changes');
    await writeFile(file, changed);
  });

/** The Testby deviations page: axe, the Nu checker, and where the diff and the flags are. */
async function checkTestbyDeviations(axe) {
  const { work, site, stderr } = await buildStaleTestbySite();
  const path = 'lokale-tilpasninger.html';
  try {
    await check('testby: the build warns that the replacement is stale', () =>
      /local\/testby\/replace\.md:\d+:\d+: warning: stale overlay/.test(stderr) &&
      stderr.match(/warning: stale overlay/g).length === 1
        ? []
        : [`expected one stale warning at replace.md: ${oneLine(stderr, 600)}`],
    );
    await withBrowser(site, async (browser, server) => {
      const context = await localContext(browser, server.origin);
      const page = await context.newPage();
      await page.goto(`${server.origin}/${path}`, { waitUntil: 'load' });
      await check('testby: the replacement entry has its reason, diff and stale flag', async () => {
        const s = await page.evaluate(() => {
          const entry = document.querySelector('section.deviation.kind-replace');
          const inEntry = (sel) => (entry ? entry.querySelectorAll(sel).length : 0);
          return {
            entries: document.querySelectorAll('section.deviation').length,
            replacements: document.querySelectorAll('section.deviation.kind-replace').length,
            del: inEntry('.national-side p.diff del'),
            ins: inEntry('.local-side p.diff ins'),
            delOutside: [...document.querySelectorAll('del')].filter((d) => !entry?.contains(d)).length,
            insOutside: [...document.querySelectorAll('ins')].filter((d) => !entry?.contains(d)).length,
            reason: entry?.querySelector('.local-reason')?.textContent ?? '',
            legend: inEntry('.diff-legend'),
            flagged: [...document.querySelectorAll('section.deviation')]
              .filter((d) => d.querySelector('.stale-flag'))
              .map((d) => d.id),
            entryId: entry?.id ?? '',
            notice: document.querySelector('main .callout.stale')?.textContent ?? '',
          };
        });
        const problems = [];
        if (s.entries !== 3) problems.push(`${s.entries} deviation entries, expected 3`);
        if (s.replacements !== 1) problems.push(`${s.replacements} replacement entries, expected 1`);
        if (s.del === 0) problems.push('no <del> in the national side of the replacement');
        if (s.ins === 0) problems.push('no <ins> in the local side of the replacement');
        if (s.delOutside || s.insOutside) problems.push(`${s.delOutside} <del>, ${s.insOutside} <ins> outside the replacement`);
        if (!s.reason.includes('I Testby samles opfølgningen i ét team (test).')) problems.push(`reason "${s.reason}"`);
        if (s.legend !== 1) problems.push('no diff legend in the replacement');
        if (JSON.stringify(s.flagged) !== JSON.stringify([s.entryId])) problems.push(`stale flags on ${JSON.stringify(s.flagged)}, expected only ${s.entryId}`);
        if (!s.notice.startsWith('1 ')) problems.push(`stale notice "${s.notice}"`);
        return problems;
      });
      await check('testby: axe: 0 violations on the deviations page with a replacement diff', async () => {
        const { violations } = await runAxe(page, axe.source, ['violations']);
        return violations.length ? axeProblems(violations) : [];
      });
      await context.close();
      await check('testby: Nu HTML checker: 0 errors on the deviations page', async () => {
        const url = `${server.origin}/${path}`;
        const { code, stdout, stderr: err } = await runVnu([url]);
        let report;
        try {
          report = JSON.parse(stdout);
        } catch {
          return [`the checker did not answer with JSON (exit ${code}): ${oneLine(stdout + err, 600)}`];
        }
        const messages = report.messages ?? [];
        const errors = messages.filter(isVnuError);
        const checked = messages.some((m) => m.url === url) || errors.length === 0;
        return [
          ...errors.map((m) => `${oneLine(m.message, 300)} [line ${m.lastLine ?? m.firstLine ?? '?'}] ${oneLine(m.extract ?? '', 160)}`),
          ...(checked ? [] : ['the page was not checked']),
        ];
      });
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function checkPage(browser, origin, path) {
  const context = await localContext(browser, origin);
  const log = { requests: [], foreign: [], broken: [] };
  const inFlight = recordRequests(context, origin, log);
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  const url = `${origin}/${path}`;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(800);
  // Click what the overlay offered as active (links without a site URL, buttons); none of it
  // may run script or navigate.
  await page.evaluate(() => {
    const roots = document.querySelectorAll('.local-part .local-text, article.local-section .body');
    for (const root of roots) {
      for (const el of root.querySelectorAll('a:not([href]), a[href^="javascript"], button, [onclick], [onmouseover]')) {
        el.click();
        el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      }
    }
  });
  await page.waitForTimeout(300);
  const state = await page.evaluate((forbidden) => {
    const scope = [...document.querySelectorAll('.local-part .local-text, article.local-section .body, .deviation .local-side, .print-section.local-section')];
    const bad = [];
    for (const root of scope) {
      for (const el of root.querySelectorAll(forbidden)) bad.push(`<${el.localName}>`);
      for (const el of [root, ...root.querySelectorAll('*')]) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name) || a.name === 'style' || a.name === 'hidden') bad.push(`${el.localName}[${a.name}]`);
          if (/^\s*javascript:/i.test(a.value)) bad.push(`${el.localName}[${a.name}=javascript:]`);
        }
      }
    }
    const refresh = document.querySelector('body meta[http-equiv]');
    return {
      pwned: window.__pwned,
      bad,
      refresh: !!refresh,
      href: location.href,
      scopes: scope.length,
      text: document.body.innerText,
    };
  }, FORBIDDEN);
  await waitForRequests(inFlight);
  await context.close();
  return { state, dialogs, log, url };
}

async function main() {
  const args = parseArgs('node local.mjs SITE_DIR [--results FILE]');
  const axe = await loadAxe();
  await withBrowser(args.site, async (browser, server) => {
    await check('axe: 0 violations on the Region Midtjylland deviations page', async () => {
      const context = await localContext(browser, server.origin);
      const page = await context.newPage();
      await page.goto(`${server.origin}/lokal/region-midtjylland/lokale-tilpasninger.html`, { waitUntil: 'load' });
      const { violations } = await runAxe(page, axe.source, ['violations']);
      const sections = await page.$$eval('section.deviation', (s) => s.length);
      await context.close();
      return [...(violations.length ? axeProblems(violations) : []), ...(sections > 0 ? [] : ['no deviations on the page'])];
    });
  });
  await withBrowser(args.site, async (browser, server) => {
    const search = async (path, q) => {
      const context = await localContext(browser, server.origin, { serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(`${server.origin}/${path}`, { waitUntil: 'load' });
      await page.fill('#search-q', q);
      await page.waitForFunction(
        (key) => document.getElementById('search-results')?.dataset.query === key,
        `${q}\u0000`,
        { timeout: 30_000 },
      );
      const items = await page.$$eval('li.search-result', (lis) =>
        lis.map((li) => ({
          href: li.querySelector('.search-result-title a')?.getAttribute('href') ?? '',
          badge: li.querySelector('.badge-local')?.textContent ?? '',
        })),
      );
      await context.close();
      return items;
    };
    const local = 'lokal/region-midtjylland/soeg.html';
    await check('search: local hits are found and marked in the local version', async () => {
      const problems = [];
      const a = await search(local, 'gennemgående sundhedsfaglig person');
      const hit = a.slice(0, 3).find((r) => r.href.startsWith('midtjylland-borgernes-anbefalinger.html'));
      if (!hit) problems.push(`local section not in the top 3: ${JSON.stringify(a.slice(0, 3))}`);
      else if (hit.badge !== 'Lokalt afsnit · Region Midtjylland') problems.push(`badge "${hit.badge}"`);
      const b = await search(local, 'løbende kommunikation mellem aktørerne');
      const adapted = b.find((r) => r.href.startsWith('planlaegning-af-forloeb.html'));
      if (!adapted) problems.push(`4.1 (with local text) not found: ${JSON.stringify(b.slice(0, 3))}`);
      else if (adapted.badge !== 'Lokal tilpasning · Region Midtjylland') problems.push(`4.1 badge "${adapted.badge}"`);
      const c = await search(local, 'opioid');
      const national = c.find((r) => r.href.startsWith('farmakologisk-behandling.html'));
      if (!national) problems.push('national section 4.6 not found in the local version');
      else if (national.badge) problems.push(`national section 4.6 has a badge "${national.badge}"`);
      const d = await search('soeg.html', 'gennemgående sundhedsfaglig person');
      if (d.some((r) => r.href.includes('midtjylland') || r.badge)) problems.push('the national search shows local material');
      return problems;
    });
  });
  await checkTestbyDeviations(axe);
  const { work, site } = await buildHostileSite();
  try {
    await withBrowser(site, async (browser, server) => {
      console.log(`local: hostile overlay site at ${server.origin}`);
      const results = {};
      for (const p of PAGES) results[p] = await checkPage(browser, server.origin, p);
      await check('inert: no overlay script ran, no dialog, no navigation', () => {
        const problems = [];
        for (const [p, r] of Object.entries(results)) {
          if (r.state.pwned !== undefined) problems.push(`${p}: window.__pwned = ${r.state.pwned}`);
          if (r.dialogs.length) problems.push(`${p}: dialog ${r.dialogs.join(', ')}`);
          if (r.state.href !== r.url) problems.push(`${p}: navigated to ${r.state.href}`);
        }
        return problems;
      });
      await check('network: no request left 127.0.0.1', () =>
        Object.entries(results).flatMap(([p, r]) => networkDetails(r.log.foreign, []).map((d) => `${p}: ${d}`)),
      );
      await check('dom: the local text carries no active or hiding markup', () => {
        const problems = [];
        for (const [p, r] of Object.entries(results)) {
          if (p !== 'indhold.html' && r.state.scopes === 0) problems.push(`${p}: no local text found to inspect`);
          for (const b of r.state.bad) problems.push(`${p}: ${b}`);
          if (r.state.refresh) problems.push(`${p}: a meta http-equiv in the body`);
        }
        return problems;
      });
      await check('dom: the overlay text, also what it tried to hide, is visible', () => {
        const t = results['organisering.html'].state.text;
        const s = results['fjendtligt-afsnit.html'].state.text;
        return [
          ...(t.includes('HOSTILE-TEXT stays visible') ? [] : ['organisering.html: overlay text missing']),
          ...(t.includes('HIDDEN-TEXT must show') ? [] : ['organisering.html: the hidden text is not shown']),
          ...(s.includes('HOSTILE-SECTION') ? [] : ['fjendtligt-afsnit.html: section text missing']),
          ...(s.includes('Fjendtligt <script>') ? [] : ['fjendtligt-afsnit.html: the title is not shown as text']),
        ];
      });
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

run(main, { name: 'local (hostile overlay)', timeoutMs: 10 * 60_000 });
