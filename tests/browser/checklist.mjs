// Browser checks of the ICF checklist page (tjekliste.html) in Debian's headless Chromium driven
// by playwright-core, with the site served from 127.0.0.1 by serve.mjs. Like a GP or
// physiotherapist would, it fills in the checklist and uses every control:
//
//   summary    answers in several components (one with a pointer): the counts "n af N
//              besvaret", the answers and "Relevante afsnit" follow them
//   note       "Kopiér som journalnotat": the note (answers, section numbers) is in the textarea
//              and on the clipboard
//   files      export a visit (JSON) and a FHIR QuestionnaireResponse (downloads), reset, import
//              the visit again, change one answer, compare with the first visit: exactly that
//              question is marked as changed
//   saving     nothing is kept on reload unless "Gem i denne browser" is ticked; ticked, the
//              answers come back; "Glem" removes the localStorage key
//   network    no request at all after the page has loaded, none to another origin ever
//   keyboard   Tab from the top reaches every radio group and every visible button, checkbox
//              and file input; arrow keys choose an answer
//   axe        axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa): 0 violations, empty and filled in
//              with summary, note and comparison showing
//   no JS      the form renders, answers can be chosen, the pointer links are there
//   pictures   screenshots at 1280 and 390 px wide and the printout as PDF (+ PNG pages) in
//              target/screenshots/, for a person to look at
//
//   node checklist.mjs SITE_DIR [--results FILE] [--response-out FILE] [--screenshots DIR]
//
// --response-out writes the exported QuestionnaireResponse for fhir.mjs to validate.
// With --results, "PASSED FAILED" is written to FILE for scripts/test.sh.
// CHROMIUM may name another Chromium binary (default /usr/bin/chromium).

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  DESKTOP,
  PHONE,
  check,
  configure,
  fail,
  loadAxe,
  localContext,
  oneLine,
  parseArgs,
  pass,
  recordConsoleErrors,
  run,
  runAxe,
  withBrowser,
} from './harness.mjs';

configure({ prefix: 'checklist ' });
const HERE = dirname(fileURLToPath(import.meta.url));
const PAGE = 'tjekliste.html';
const STORAGE_KEY = 'vejviser-checklist';
const PAGE_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 10 * 60_000;
// The files the page itself loads; a reload loads them again and nothing else.
// The files the page may load: itself and what it refers to in assets/ (stylesheet, scripts
// and icon under their fingerprinted names) and the web manifest; filled in by main().
const PAGE_FILES = ['/tjekliste.html'];

function sameJson(a, b) {
  const sort = (v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]))
      : Array.isArray(v)
        ? v.map(sort)
        : v;
  return JSON.stringify(sort(a)) === JSON.stringify(sort(b));
}

/** The answerable questions of the checklist data, in source order. */
function flatten(components) {
  const out = [];
  const walk = (comp, items, path) => {
    for (const item of items) {
      if (item.items?.length) walk(comp, item.items, [...path, item.text]);
      else out.push({ ...item, component: comp.id, label: [...path, item.text].join(' – ') });
    }
  };
  for (const c of components) walk(c, c.items, []);
  return out;
}

/** A fresh browser context that records every request and lets none leave 127.0.0.1. */
async function openContext(browser, origin, options = {}) {
  const context = await localContext(browser, origin, {
    viewport: DESKTOP,
    timezoneId: 'Europe/Copenhagen',
    acceptDownloads: true,
    ...options,
  });
  const log = { requests: [], errors: [] };
  context.on('request', (req) => log.requests.push({ url: req.url(), at: Date.now(), phase: log.phase }));
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.on('websocket', (ws) => log.requests.push({ url: ws.url(), at: Date.now(), phase: log.phase }));
  recordConsoleErrors(page, log.errors);
  return { context, page, log };
}

async function load(page, origin, log, phase = 'load') {
  log.phase = phase;
  const response = await page.goto(`${origin}/${PAGE}`, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle').catch(() => {});
  log.phase = 'after-load';
  return response;
}

function axeDetails(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.nodes.length} node(s))`);
    for (const n of v.nodes.slice(0, 6)) {
      lines.push(`    ${n.target.join(' | ')}: ${oneLine(n.html, 160)}`);
      lines.push(`      ${oneLine(n.failureSummary, 300)}`);
    }
  }
  return lines;
}

/** The checked answers on the page, { name: value }. */
function pageAnswers(page) {
  return page.evaluate(() => {
    const out = {};
    for (const r of document.querySelectorAll('#checklist input[type="radio"]:checked')) out[r.name] = r.value;
    return out;
  });
}

async function answer(page, q, value) {
  const opt = q.options.find((o) => o.value === value);
  await page.locator(`label[for="${opt.id}"]`).click();
}

async function statusText(page, pattern) {
  try {
    await page.waitForFunction(
      (src) => new RegExp(src, 'i').test(document.getElementById('cl-status')?.textContent ?? ''),
      pattern.source,
      { timeout: 5_000 },
    );
  } catch {
    /* reported by the caller */
  }
  return page.locator('#cl-status').textContent();
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** Tab from the top of the page; what receives focus, radio groups once (by name). */
async function tabThrough(page, limit) {
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  // Start before the first element of the page, as after loading it.
  await page.locator('body').evaluate((b) => {
    b.setAttribute('tabindex', '-1');
    b.focus();
    b.removeAttribute('tabindex');
  });
  const seen = [];
  const keys = new Set();
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const what = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const key = e.__tabKey ?? (e.__tabKey = `k${(window.__tabNext = (window.__tabNext ?? 0) + 1)}`);
      const desc = e.type === 'radio' ? `radio:${e.name}` : `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.type ? `[${e.type}]` : ''}`;
      return { key, desc };
    });
    if (what === null) break; // left the page: wrapped around
    if (keys.has(what.key)) break; // back at an element seen before
    keys.add(what.key);
    seen.push(what.desc);
  }
  return seen;
}

async function main() {
  const { site, responseOut, screenshots } = parseArgs(
    'node checklist.mjs SITE_DIR [--results FILE] [--response-out FILE]',
    { responseOut: null, screenshots: resolve(HERE, '../../target/screenshots') },
  );
  const shotsDir = resolve(screenshots);
  try {
    await stat(join(site, PAGE));
  } catch {
    fail('page', `${PAGE} is missing from the built site (is content/checklist.yaml there?)`);
    return;
  }
  await mkdir(shotsDir, { recursive: true });

  const pageHtml = await readFile(join(site, PAGE), 'utf8').catch(() => '');
  for (const m of pageHtml.matchAll(/\s(?:href|src)=["']?((?:assets\/[^"'\s>]+)|manifest\.webmanifest)/g)) PAGE_FILES.push(`/${m[1]}`);
  const scriptPath = /\ssrc=["']?(assets\/checklist\.[0-9a-f]{8}\.js)/.exec(pageHtml)?.[1] ?? 'assets/checklist.js';

  // The script itself uses no network API at all.
  const script = await readFile(join(site, scriptPath), 'utf8').catch(() => '');
  const code = script.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const apis = ['fetch(', 'XMLHttpRequest', 'WebSocket', 'sendBeacon', 'EventSource', 'new Image', 'importScripts', '.src =', 'window.open', 'location.href ='];
  const used = apis.filter((a) => code.includes(a));
  check('script uses no network API', script.length > 0 && used.length === 0, script ? `found ${used.join(', ')}` : 'assets/checklist.js is missing');
  const work = await mkdtemp(join(tmpdir(), 'vejviser-checklist-'));
  const { source: axeSource } = await loadAxe();
  try {
    await withBrowser(site, async (browser, server) => {
      console.log(`checklist: Chromium ${browser.version()}, site at ${server.origin}`);
      await filledIn(browser, server.origin, axeSource, { work, shotsDir, responseOut });
      await saving(browser, server.origin);
      await withoutScript(browser, server.origin, shotsDir);
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// ---- The main walk-through: fill in, summary, note, files, compare, axe, keyboard, pictures --
async function filledIn(browser, origin, axeSource, { work, shotsDir, responseOut }) {
  const { context, page, log } = await openContext(browser, origin);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  try {
    const response = await load(page, origin, log);
    if (!check('loads', response?.status() === 200, `HTTP ${response?.status()}`)) return;

    const components = JSON.parse(await page.locator('#checklist-data').textContent());
    const questions = flatten(components);
    const total = (id) => questions.filter((q) => q.component === id).length;
    check('data', questions.length > 0 && components.length > 0, 'no questions in #checklist-data', [], `${components.length} components, ${questions.length} questions`);

    const revealed = await page.evaluate(() =>
      ['cl-jump', 'cl-tools', 'cl-summary', 'cl-actions'].filter((id) => document.getElementById(id)?.hidden !== false),
    );
    check('script reveals its controls', revealed.length === 0, `still hidden: ${revealed.join(', ')}`);

    // Empty form: axe, and the keyboard path.
    let axe = await runAxe(page, axeSource, ['violations']);
    check('axe (no answers)', axe.violations.length === 0, `${axe.violations.length} violation(s)`, axeDetails(axe.violations));

    const expectedStops = await page.evaluate(() => {
      const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
      const names = [...new Set([...document.querySelectorAll('#checklist input[type="radio"]')].map((r) => `radio:${r.name}`))];
      const controls = [...document.querySelectorAll('#cl-app button, #cl-app input[type="checkbox"], #cl-app input[type="file"]')]
        .filter(visible)
        .map((e) => `${e.tagName.toLowerCase()}#${e.id}[${e.type}]`);
      return [...names, ...controls];
    });
    const stops = await tabThrough(page, expectedStops.length + 120);
    const missed = expectedStops.filter((s) => !stops.includes(s));
    check(
      'keyboard: Tab reaches every radio group and control',
      missed.length === 0,
      `${missed.length} not reached with Tab`,
      [...missed.slice(0, 20), `reached: ${stops.join(" ")}`],
      `${expectedStops.length} stops, ${stops.length} Tab presses`,
    );

    // Arrow keys choose an answer within a radio group.
    const kq = questions[0];
    await page.locator(`[id="${kq.options[0].id}"]`).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    const kAnswers = await pageAnswers(page);
    check('keyboard: Space and arrow keys answer', kAnswers[kq.id] === kq.options[1].value, `answer is ${JSON.stringify(kAnswers[kq.id])}`);

    // Fill in: one question in each of several components, and one with a pointer (answered with
    // the answer that points).
    const chosen = new Map();
    const withPointer = questions.find((q) => q.pointers?.length);
    if (withPointer) chosen.set(withPointer.id, withPointer.pointers[0].when);
    for (const c of components) {
      if (withPointer && c.id === withPointer.component) continue;
      const q = questions.find((x) => x.component === c.id && !chosen.has(x.id) && x.id !== kq.id);
      if (q) chosen.set(q.id, q.options[Math.min(1, q.options.length - 1)].value);
    }
    // A second question in the first component, so that a count is above one.
    const extra = questions.find((q) => !chosen.has(q.id) && q.id !== kq.id && q.component === questions[0].component);
    if (extra) chosen.set(extra.id, extra.options[0].value);
    chosen.set(kq.id, kq.options[1].value);
    for (const [id, value] of chosen) await answer(page, questions.find((q) => q.id === id), value);
    const expected = Object.fromEntries(chosen);
    check('answers by clicking the labels', sameJson(await pageAnswers(page), expected), 'the checked radios differ', [
      `expected ${JSON.stringify(expected)}`,
      `on page  ${JSON.stringify(await pageAnswers(page))}`,
    ], `${chosen.size} answers in ${new Set([...chosen.keys()].map((id) => questions.find((q) => q.id === id).component)).size} components`);
    check('pointer question answered', !!withPointer, 'no question of the checklist has a pointer');

    // Summary counts and answers per component.
    const countProblems = [];
    for (const c of components) {
      const n = questions.filter((q) => q.component === c.id && chosen.has(q.id)).length;
      const want = `${n} af ${total(c.id)} besvaret`;
      const inForm = oneLine(await page.locator(`.cl-count[data-count="${c.id}"]`).textContent());
      const inSummary = oneLine(await page.locator(`[data-summary="${c.id}"] .cl-sum-count`).textContent());
      if (inForm !== want) countProblems.push(`${c.id} in the form: "${inForm}", want "${want}"`);
      if (inSummary !== want) countProblems.push(`${c.id} in the summary: "${inSummary}", want "${want}"`);
      const listed = await page.locator(`[data-summary="${c.id}"] .cl-answers li`).allTextContents();
      const wantListed = questions.filter((q) => q.component === c.id && chosen.has(q.id)).map((q) => `${q.label}: ${chosen.get(q.id)}`);
      if (!sameJson(listed.map((s) => oneLine(s)), wantListed)) countProblems.push(`${c.id} answers: ${JSON.stringify(listed)}, want ${JSON.stringify(wantListed)}`);
    }
    check('summary counts and answers', countProblems.length === 0, 'the summary does not match the answers', countProblems);

    // Relevant sections: every pointer of the current answers, and nothing else.
    const wantSections = [...new Set(questions.flatMap((q) => (q.pointers ?? []).filter((p) => chosen.get(q.id) === p.when).map((p) => p.url)))];
    const gotSections = await page.locator('#cl-relevant a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const relText = await page.locator('#cl-relevant').textContent();
    const pointer = withPointer?.pointers[0];
    check(
      'relevant sections',
      sameJson([...gotSections].sort(), [...wantSections].sort()) && (!pointer || relText.includes(pointer.number)),
      'Relevante afsnit does not list the sections the answers point to',
      [`want ${wantSections.join(', ')}`, `got  ${gotSections.join(', ')}`],
      `${gotSections.length}: ${gotSections.join(', ')}`,
    );
    const hits = await page.locator('.cl-pointers li.cl-hit').count();
    check('pointer under the question is marked', !pointer || hits >= 1, 'no pointer is marked for the answer');

    // The print button calls window.print (stubbed: a print dialog would block).
    await page.evaluate(() => {
      window.__printed = 0;
      window.print = () => {
        window.__printed++;
      };
    });
    await page.locator('#cl-print').click();
    check('print button', (await page.evaluate(() => window.__printed)) === 1, 'window.print was not called');

    // Journal note: textarea and clipboard.
    await page.locator('#cl-copy').click();
    const copyStatus = await statusText(page, /kopieret/);
    const note = await page.locator('#cl-note').inputValue();
    const noteProblems = [];
    for (const [id, value] of chosen) {
      const q = questions.find((x) => x.id === id);
      if (!note.includes(`${q.text}: ${value}`)) noteProblems.push(`missing "${q.text}: ${value}"`);
    }
    if (pointer && !note.includes(pointer.number)) noteProblems.push(`missing section number ${pointer.number}`);
    if (!/\d{2}\.\d{2}\.\d{4}/.test(note)) noteProblems.push('missing the date');
    check('journal note', noteProblems.length === 0 && (await page.locator('#cl-note').isVisible()), 'the note is incomplete or not visible', [...noteProblems, ...note.split('\n').map((l) => `| ${l}`)]);
    check('copy status announced', /kopieret/i.test(copyStatus ?? ''), `status is "${copyStatus}"`);
    const clip = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `(cannot read: ${e.message})`);
    check('clipboard holds the note', clip === note, 'the clipboard differs from the note', [oneLine(clip, 300)]);

    // Export the visit.
    const v1 = await download(page, '#cl-export');
    let visit1 = null;
    try {
      visit1 = JSON.parse(v1.text);
    } catch (e) {
      fail('export visit', `not JSON: ${e.message}`);
    }
    if (visit1) {
      const ok =
        visit1.format === 'vejviser-visit' &&
        visit1.version === 1 &&
        visit1.questionnaire === 'icf-vurdering' &&
        /^\d{4}-\d{2}-\d{2}$/.test(visit1.date) &&
        sameJson(visit1.answers, expected);
      check('export visit', ok, 'the visit file is not as expected', [v1.text.slice(0, 600)], v1.name);
    }
    const visit1Path = join(work, 'visit-1.json');
    await writeFile(visit1Path, v1.text);

    // Export the FHIR QuestionnaireResponse.
    const r1 = await download(page, '#cl-export-fhir');
    let qr = null;
    try {
      qr = JSON.parse(r1.text);
    } catch (e) {
      fail('export QuestionnaireResponse', `not JSON: ${e.message}`);
    }
    if (qr) {
      const found = {};
      const walk = (items) => {
        for (const it of items ?? []) {
          if (it.answer) found[it.linkId] = it.answer[0]?.valueString;
          walk(it.item);
        }
      };
      walk(qr.item);
      const ok =
        qr.resourceType === 'QuestionnaireResponse' &&
        qr.status === 'completed' &&
        typeof qr.questionnaire === 'string' &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(qr.authored) &&
        sameJson(found, expected) &&
        qr.item.every((c) => components.some((comp) => comp.id === c.linkId));
      check('export QuestionnaireResponse', ok, 'the response is not as expected', [r1.text.slice(0, 600)], r1.name);
      if (responseOut) await writeFile(responseOut, r1.text);
    }
    check('export status announced', /gemt/i.test((await statusText(page, /QuestionnaireResponse/)) ?? ''), 'no status after export');

    // Reset, with confirmation.
    await page.locator('#cl-reset').click();
    const stillThere = Object.keys(await pageAnswers(page)).length;
    const confirmText = await page.locator('#cl-reset').textContent();
    await page.locator('#cl-reset').click();
    const afterReset = await pageAnswers(page);
    const sumAnswers = await page.locator('#cl-summary .cl-answers li').count();
    const relAfter = await page.locator('#cl-relevant li').count();
    const zeroCounts = (await page.locator('.cl-sum-count').allTextContents()).every((t) => /^0 af \d+ besvaret$/.test(oneLine(t)));
    check(
      'reset asks, then clears',
      stillThere === chosen.size && /bekræft/i.test(confirmText) && Object.keys(afterReset).length === 0 && sumAnswers === 0 && relAfter === 0 && zeroCounts,
      'reset did not behave',
      [`after first click: ${stillThere} answers, button "${confirmText}"`, `after second: ${JSON.stringify(afterReset)}, ${sumAnswers} summary answers, ${relAfter} relevant, zero counts ${zeroCounts}`],
    );

    // Import the visit again.
    await page.locator('#cl-import').setInputFiles(visit1Path);
    await statusText(page, /hentet/);
    check('import visit restores the answers', sameJson(await pageAnswers(page), expected), 'answers after import differ', [JSON.stringify(await pageAnswers(page))]);

    // Change one answer and compare with the first visit.
    const changeQ = questions.find((q) => chosen.has(q.id) && q.id !== withPointer?.id && q.options.length > 1);
    const newValue = changeQ.options.find((o) => o.value !== chosen.get(changeQ.id)).value;
    await answer(page, changeQ, newValue);
    await page.locator('#cl-compare-file').setInputFiles(visit1Path);
    await page.locator('#cl-compare').waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
    const rows = await page.locator('#cl-compare-body tr').evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.dataset.id, changed: tr.classList.contains('cl-changed'), cells: [...tr.children].map((c) => c.textContent.trim()) })),
    );
    const changedRows = rows.filter((r) => r.changed);
    check(
      'compare marks exactly the changed question',
      changedRows.length === 1 && changedRows[0].id === changeQ.id && rows.length === chosen.size && changedRows[0].cells[1] === chosen.get(changeQ.id) && changedRows[0].cells[2].endsWith(newValue),
      `${changedRows.length} row(s) marked changed`,
      rows.map((r) => `${r.changed ? '*' : ' '} ${r.id}: ${r.cells.join(' | ')}`),
      `${rows.length} rows, changed: ${changedRows.map((r) => r.id).join(', ')}`,
    );

    // axe with answers, summary, note and comparison showing.
    axe = await runAxe(page, axeSource, ['violations']);
    check('axe (answers, summary, note, comparison)', axe.violations.length === 0, `${axe.violations.length} violation(s)`, axeDetails(axe.violations));

    // Print layout: the summary is printed, the controls are not.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => {
      const shown = (id) => getComputedStyle(document.getElementById(id)).display !== 'none';
      return { summary: shown('cl-summary'), compare: shown('cl-compare'), tools: shown('cl-tools'), actions: shown('cl-actions') };
    });
    check('print shows the summary, not the controls', printed.summary && printed.compare && !printed.tools && !printed.actions, JSON.stringify(printed));
    await page.pdf({ path: join(shotsDir, 'checklist.pdf'), format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
    await page.emulateMedia({ media: 'screen' });
    await toPng(join(shotsDir, 'checklist.pdf'), join(shotsDir, 'checklist-print'));

    // Screenshots with answers (the status message, sticky at the bottom, cleared first).
    await page.evaluate(() => {
      document.getElementById('cl-status').textContent = '';
    });
    await page.screenshot({ path: join(shotsDir, 'checklist-1280.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    check('no sideways scrolling at 390 px', overflow <= PHONE.width + 1, `scrollWidth ${overflow}px`);
    await page.screenshot({ path: join(shotsDir, 'checklist-390.png'), fullPage: true });
    pass('screenshots', `${shotsDir}/checklist-1280.png, checklist-390.png, checklist.pdf`);

    // Network: nothing after the load, nothing to another origin.
    const network = log.requests.filter((r) => /^(https?|wss?):/.test(r.url));
    const after = network.filter((r) => r.phase !== 'load');
    const foreign = network.filter((r) => !r.url.startsWith(`${origin}/`));
    check('no request after the page has loaded', after.length === 0, `${after.length} request(s)`, after.map((r) => r.url), `${network.length} request(s) while loading`);
    check('no request to another origin', foreign.length === 0, `${foreign.length} request(s)`, foreign.map((r) => r.url));
    check('no script errors', log.errors.length === 0, `${log.errors.length} console error(s)`, log.errors);
  } finally {
    await context.close();
  }
}

async function toPng(pdf, prefix) {
  // Pages of an earlier run would linger beside the new ones.
  const dir = dirname(prefix);
  for (const f of await readdir(dir)) {
    if (f.startsWith(`${basename(prefix)}-`) && f.endsWith('.png')) await rm(join(dir, f));
  }
  try {
    await promisify(execFile)('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '3', pdf, prefix]);
  } catch (e) {
    console.log(`    note: no PNG pages of ${pdf} (pdftoppm: ${oneLine(e.message, 120)}); apt-get install -y poppler-utils`);
  }
}

// ---- Saving in this browser is opt-in ----------------------------------------------------------
async function saving(browser, origin) {
  const { context, page, log } = await openContext(browser, origin);
  try {
    await load(page, origin, log);
    const components = JSON.parse(await page.locator('#checklist-data').textContent());
    const [q1, q2] = flatten(components);
    const stored = () => page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY);

    await answer(page, q1, q1.options[0].value);
    check('not saved unless chosen', (await stored()) === null, 'localStorage has the answers without "Gem"');
    await load(page, origin, log, 'load');
    check('reload without "Gem": nothing restored', Object.keys(await pageAnswers(page)).length === 0 && !(await page.locator('#cl-save').isChecked()), JSON.stringify(await pageAnswers(page)));

    await page.locator('#cl-save').check();
    await answer(page, q2, q2.options[0].value);
    let saved = null;
    try {
      saved = JSON.parse((await stored()) ?? 'null');
    } catch {
      saved = null;
    }
    check('"Gem" saves every change', saved?.format === 'vejviser-visit' && saved?.answers?.[q2.id] === q2.options[0].value, `stored: ${JSON.stringify(saved)}`);
    await load(page, origin, log, 'load');
    const restored = await pageAnswers(page);
    const restoredStatus = await statusText(page, /hentet/);
    check(
      'reload with "Gem": answers restored',
      sameJson(restored, { [q2.id]: q2.options[0].value }) && (await page.locator('#cl-save').isChecked()) && /hentet/.test(restoredStatus),
      `restored ${JSON.stringify(restored)}, status "${restoredStatus}"`,
    );

    await page.locator('#cl-forget').click();
    const forgotten = await stored();
    check('"Glem" removes the saved answers', forgotten === null && !(await page.locator('#cl-save').isChecked()), `localStorage still has ${forgotten}`);
    await load(page, origin, log, 'load');
    check('after "Glem", reload restores nothing', Object.keys(await pageAnswers(page)).length === 0, JSON.stringify(await pageAnswers(page)));

    const network = log.requests.filter((r) => /^(https?|wss?):/.test(r.url));
    const odd = network.filter((r) => !r.url.startsWith(`${origin}/`) || !PAGE_FILES.includes(new URL(r.url).pathname));
    check('saving: only the page files are loaded', odd.length === 0, `${odd.length} other request(s)`, odd.map((r) => r.url));
  } finally {
    await context.close();
  }
}

// ---- Without JavaScript ------------------------------------------------------------------------
async function withoutScript(browser, origin, shotsDir) {
  const { context, page, log } = await openContext(browser, origin, { javaScriptEnabled: false });
  try {
    await load(page, origin, log);
    const raw = await page.locator('#checklist-data').textContent();
    const components = JSON.parse(raw);
    const questions = flatten(components);
    const options = questions.reduce((n, q) => n + q.options.length, 0);
    const pointers = questions.reduce((n, q) => n + (q.pointers?.length ?? 0), 0);
    const got = {
      components: await page.locator('#checklist > fieldset.cl-component').count(),
      questions: await page.locator('#checklist fieldset.cl-q').count(),
      radios: await page.locator('#checklist input[type="radio"]').count(),
      labels: await page.locator('#checklist label.cl-opt').count(),
      pointers: await page.locator('#checklist .cl-pointers a').count(),
    };
    check(
      'no JS: the form renders',
      got.components === components.length && got.questions === questions.length && got.radios === options && got.labels === options,
      JSON.stringify(got),
      [],
      `${got.components} components, ${got.questions} questions, ${got.radios} radios`,
    );
    check('no JS: pointer links are there', got.pointers === pointers && pointers > 0, `${got.pointers} of ${pointers}`);
    const q = questions.find((x) => x.pointers?.length) ?? questions[0];
    await page.locator(`label[for="${q.options[1].id}"]`).click();
    check('no JS: a radio can be checked', await page.locator(`[id="${q.options[1].id}"]`).isChecked(), 'clicking the label did not check it');
    const hiddenControls = await page.locator('#cl-jump, #cl-tools, #cl-summary, #cl-actions, #cl-compare').evaluateAll((els) => els.every((e) => e.hidden));
    check('no JS: script-only controls stay hidden', hiddenControls, 'a control that needs JavaScript is showing');
    const fhirLink = await page.locator('a[href="tjekliste.fhir.json"]').count();
    check('FHIR Questionnaire link', fhirLink === 1, `${fhirLink} link(s) to tjekliste.fhir.json`);
    await page.screenshot({ path: join(shotsDir, 'checklist-nojs-390.png'), fullPage: false }).catch(() => {});
    await page.pdf({ path: join(shotsDir, 'checklist-blank.pdf'), format: 'A4', margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
    await toPng(join(shotsDir, 'checklist-blank.pdf'), join(shotsDir, 'checklist-blank'));
  } finally {
    await context.close();
  }
}

run(main, { name: 'run', timeoutMs: RUN_TIMEOUT_MS, timeoutWhy: 'took longer than' });
