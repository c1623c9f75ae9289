// Browser checks of the search (soeg.html, templates/static/search.js served as
// assets/search.js, and the Pagefind bundle in pagefind/ that src/search.rs
// writes) in Debian's headless Chromium driven by playwright-core, with the
// site served from 127.0.0.1 by serve.mjs:
//
//   bundle       pagefind/ has pagefind.js, pagefind-entry.json (language
//                "da"), the Danish WebAssembly and index, filter and fragment
//                files; its size in bytes is printed.
//   csp          soeg.html's Content-Security-Policy allows what Pagefind
//                needs (connect-src 'self', script-src 'wasm-unsafe-eval')
//                and nothing from another origin; the other pages keep
//                connect-src 'none' and no 'wasm-unsafe-eval'.
//   nojs         with JavaScript off, soeg.html?q=… shows that search needs
//                JavaScript with links to indhold.html and udskriv.html, and
//                the form is a real GET form (role=search, label, q).
//   header       the search box in every page's header is a GET form to
//                soeg.html; submitting it from a section page shows results.
//   plain form   soeg.html?q=… (what the form sends) shows results on load.
//   query        each clinician query of QUERIES has its expected section in
//                the top 3 results (typed into the search field, so this is
//                search-as-you-type); so do inflected forms (STEMMED), "aa"
//                typed for "å" (AA_QUERIES), words where "aa" is right
//                (AA_LEGIT) and words with æ/ø/å (DANISH_LETTERS).
//   stemming premise  no STEMMED form is a word of its expected page or of
//                its Markdown, so only the Danish stemmer can find it.
//   aa premise   Pagefind alone (no "å" variant) does not have the expected
//                section of an AA_QUERIES query in its top 3.
//   result       a result shows number, title, an excerpt with <mark> and
//                the section's roles; the live region announces the count;
//                for each query of RESULT_DETAILS the expected section's
//                result shows the number and title of its front matter, only
//                <mark>s of the query's words, and all its roles by name.
//   role         the role filter narrows the results to sections with that
//                role, keeps the query in the address (?rolle=…), and with
//                no words lists the role's sections.
//   main thread  with no Worker (Pagefind's fallback) search works under the
//                page's own CSP, which a dedicated worker is not bound by.
//   keyboard     ArrowDown from the field goes to the first result, arrows
//                move between results and back to the field, Enter opens one.
//   axe          axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) on soeg.html
//                with results, and with a role chosen: 0 violations.
//   local        a fixture site: a copy of content/ in which one section
//                carries the Pagefind metadata lokal:Region Test with
//                lokal_type:afsnit and another lokal_type:tilpasning, built
//                with the debug binary (--vejviser PATH). Their results show
//                the badge (class badge-local) "Lokalt afsnit · Region Test"
//                / "Lokal tilpasning · Region Test" after the title, visible
//                and describing the link; other results show none; axe on the
//                page with the badges: 0 violations. The shipped guideline
//                has no local material: no badge there.
//   merged       a fixture site of 2,101 sections (`vejviser init` plus
//                2,099 short sections), more than one Pagefind index holds
//                (src/search/slices.rs): pagefind/merge.json lists the
//                further indexes, and a word of one section in each slice
//                finds all three sections, also with the role filter, each
//                index fetched from its own folder.
//   overflow     at 390x844 soeg.html with results does not scroll sideways.
//   script       no uncaught script error and no CSP violation.
//   network      every request goes to 127.0.0.1 and none fails.
//
// A small benchmark is printed (not a check): the median time per query of
// QUERIES, in the page (typing to results shown, with the 150 ms debounce)
// and in Pagefind itself (search + the top 3 results' data), and the size of
// the index.
//
//   node search.mjs SITE_DIR [--results FILE] [--screenshots DIR] [--vejviser PATH]
//
// With --results, "PASSED FAILED" is written to FILE for scripts/test.sh.
// CHROMIUM may name another Chromium binary (default /usr/bin/chromium).

import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { parse as parseYaml } from 'yaml';

import {
  checkWork as check,
  isFile,
} from './harness.mjs';
import {
  CHROMIUM_PATH,
  DESKTOP,
  PHONE,
  axeProblems,
  counts,
  fail,
  loadAxe,
  localContext,
  networkDetails,
  oneLine,
  parseArgs,
  pass,
  printIncomplete,
  recordRequests,
  run,
  runAxe,
  screen,
  waitForRequests,
  withBrowser,
} from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEARCH = 'soeg.html';

// Queries a clinician would type, each with the section (id) that must be
// among the first 3 results. Taken from the guideline's text
// (content/sections/*.md): the term occurs there, and mostly only there.
const QUERIES = [
  ['REF 01', 'henvisning-til-kommunale-tilbud'],
  ['mulighedserklæring', 'foer-sygemelding'],
  ['opioid', 'farmakologisk-behandling'],
  ['§ 79', 'henvisning-fra-almen-praksis-til-sygehus'],
  ['rygkirurg', 'operation'],
  ['tobak', 'operation'],
  ['sygedagpenge', 'laengerevarende-sygemelding'],
  ['sygemeldt', 'laengerevarende-sygemelding'],
  ['sygemelding', 'foer-sygemelding'],
  ['kiropraktor henvisning', 'henvisning-fra-kiropraktor'],
  ['epikrise', 'kommunikation-sygehus'],
  ['psykolog', 'henvisning-til-oevrig-praksissektor'],
  ['fleksjob', 'laengerevarende-sygemelding'],
  ['jobcenter', 'laengerevarende-sygemelding'],
  ['smertedagbog', 'farmakologisk-behandling'],
  ['PainDetect', 'farmakologisk-behandling'],
  ['LÆ 285', 'laengerevarende-sygemelding'],
  ['træning i hverdagsaktiviteter', 'traening-i-hverdagsaktiviteter'],
  ['cauda equina', 'kroppens-funktioner-og-anatomi'],
  ['tovholder', 'ansvar-almen-praksis'],
  ['LÆ 165', 'henvisning-til-kommunale-tilbud'],
  ['rehabiliteringsteam', 'laengerevarende-sygemelding'],
  ['reumatolog', 'ansvar-reumatologer'],
  ['ICF', 'vurdering-ud-fra-icf'],
];

// The issue's forms of "sygemelde": each occurs literally on its expected page, so these show
// that the words are found, not that they are stemmed (STEMMED does that).
const ISSUE_FORMS = [['sygemeldte', 'laengerevarende-sygemelding']];

// Stemming (Danish, from <html lang="da">): inflected forms (plural, definite, both) that do NOT
// occur as words on the expected page nor in its content/sections/*.md (check "stemming
// premise"), so only Pagefind's Danish stemmer can find the page. All of these are found by it
// (checked by hand against the built site: each is #1); none had to be swapped for another form.
const STEMMED = [
  ['psykologer', 'henvisning-til-oevrig-praksissektor'], // page: psykolog
  ['rygkirurger', 'operation'], // rygkirurg
  ['opioiderne', 'farmakologisk-behandling'], // opioider
  ['epikriser', 'kommunikation-sygehus'], // epikrise
  ['tovholderen', 'ansvar-almen-praksis'], // tovholder
  ['rehabiliteringsteamet', 'laengerevarende-sygemelding'], // rehabiliteringsteam
  ['fleksjobbet', 'laengerevarende-sygemelding'], // fleksjob
  ['sygedagpengene', 'laengerevarende-sygemelding'], // sygedagpenge
  ['smertedagbogen', 'farmakologisk-behandling'], // smertedagbog
  ['mulighedserklæringer', 'foer-sygemelding'], // mulighedserklæringen
  ['sygemeldinger', 'foer-sygemelding'], // sygemelding
];

// "aa" typed for "å" (search.js also searches the query with "å"): Pagefind alone does not have
// the section in its top 3 for any of these (check "aa premise"), the page must.
const AA_QUERIES = [
  ['maalgruppe', 'maalgruppe'], // målgruppe
  ['haandtering', 'sygdomsmestring'], // håndtering
  ['Paarørende', 'planlaegning-af-forloeb'], // pårørende
  ['udstraaling', 'kroppens-funktioner-og-anatomi'], // udstråling
  ['SKAANEHENSYN', 'foer-sygemelding'], // skånehensyn
];
// Words where "aa" is right: still found (the query as typed keeps its results).
const AA_LEGIT = [
  ['Nørregaard', 'bilag-2-medlemsliste'],
  ['Aarhus', 'bilag-2-medlemsliste'],
];
// Words with æ, ø and å as the guideline spells them.
const DANISH_LETTERS = [
  ['pårørende', 'planlaegning-af-forloeb'],
  ['håndtering', 'sygdomsmestring'],
  ['årsagssammenhæng', 'operation'],
  ['øvelsesmateriale', 'indhold-i-tilbud-om-fysisk-traening'],
  ['opfølgningsbehov', 'opfoelgning-i-kommune'],
  ['ØKONOMIAFTALEN', 'formaal-og-baggrund'],
];

// A result's details, for several queries: the expected section's result shows its number and
// title (from the section's front matter), an excerpt whose <mark>s match the pattern, and
// every role of its front matter (by name, from roles.yaml), and no name that is not a role.
const RESULT_DETAILS = [
  ['sygedagpenge', 'laengerevarende-sygemelding', /^sygedagpenge/i],
  ['opioid', 'farmakologisk-behandling', /^opioid/i],
  ['rygkirurger', 'operation', /^rygkirurg/i],
  ['haandtering', 'sygdomsmestring', /^håndtering/i],
  ['kiropraktor henvisning', 'henvisning-fra-kiropraktor', /^(kiropraktor|henvisning)/i],
  ['REF 01', 'henvisning-til-kommunale-tilbud', /^(REF|01)\b/i],
];

// The role filter: a query with results for several roles, and a role.
const ROLE_QUERY = 'henvisning';
const ROLE = 'Praktiserende kiropraktor';

// The local-material fixture: section id → lokal_type, all owned by LOCAL_OWNER; each is found
// by its query (first result), and NATIONAL_QUERY finds only sections without local material.
const LOCAL_OWNER = 'Region Test';
const LOCAL_SECTIONS = [
  ['operation', 'afsnit', 'rygkirurg', `Lokalt afsnit · ${LOCAL_OWNER}`],
  ['farmakologisk-behandling', 'tilpasning', 'opioid', `Lokal tilpasning · ${LOCAL_OWNER}`],
];
const NATIONAL_QUERY = 'sygedagpenge';
const BOTH_QUERY = 'smertestillende'; // in both local sections (and in national ones)

const PAGE_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 10 * 60_000;
const RESULT_TIMEOUT_MS = 15_000;



async function filesBelow(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const idOf = (href) => (href ?? '').replace(/^.*\//, '').replace(/[?#].*$/, '').replace(/\.html$/, '');

// ---- Recording of requests, script errors and CSP violations ----------------

const log = { requests: [], foreign: [], broken: [] };
const pageErrors = [];
const consoleErrors = [];
const cspViolations = [];
const inFlightOf = new WeakMap();

function pathOf(url) {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

async function newContext(browser, origin, viewport, javaScriptEnabled = true) {
  const context = await localContext(browser, origin, { ...screen(viewport), javaScriptEnabled });
  inFlightOf.set(context, recordRequests(context, origin, log));
  context.on('page', (page) => {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = `${pathOf(page.url())}: ${oneLine(msg.text(), 300)}`;
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(text);
      else consoleErrors.push(text);
    });
    page.on('pageerror', (err) => pageErrors.push(`${pathOf(page.url())}: ${oneLine(err.message, 300)}`));
  });
  return context;
}

/** Closes `context` once its requests are done (closing aborts them, which would count as failed). */
async function closeContext(context) {
  await waitForRequests(inFlightOf.get(context)).catch(() => {});
  await context.close();
}

async function open(page, origin, path) {
  await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
  await waitForRequests(inFlightOf.get(page.context()));
}

// ---- The search page in the browser ------------------------------------------

/** Waits until the results for (q, role) are shown; returns what the page shows. */
async function waitForResults(page, q, role = '') {
  await page.waitForFunction(
    (key) => document.getElementById('search-results')?.dataset.query === key,
    `${q}\u0000${role}`,
    { timeout: RESULT_TIMEOUT_MS },
  );
  return readResults(page);
}

async function readResults(page) {
  return page.evaluate(() => {
    const list = document.getElementById('search-results');
    const items = [...list.querySelectorAll('li.search-result')].map((li) => {
      const a = li.querySelector('.search-result-title a');
      return {
        href: a?.getAttribute('href') ?? '',
        num: a?.querySelector('.num')?.textContent ?? '',
        title: a?.textContent ?? '',
        excerpt: li.querySelector('.search-excerpt')?.innerHTML ?? '',
        marks: li.querySelectorAll('.search-excerpt mark').length,
        roles: li.querySelector('.search-roles')?.textContent ?? '',
        badges: [...li.querySelectorAll('.badge-local')].map((b) => ({
          text: b.textContent,
          id: b.id,
          visible: b.getBoundingClientRect().height > 0 && getComputedStyle(b).visibility !== 'hidden',
          inTitle: !!b.closest('.search-result-title'),
        })),
        describedBy: a?.getAttribute('aria-describedby') ?? null,
      };
    });
    return {
      items,
      hidden: list.hidden,
      status: document.getElementById('search-status')?.textContent ?? '',
      more: !document.getElementById('search-more')?.hidden,
      url: `${location.pathname}${location.search}`,
    };
  });
}

/** Types `q` into the search field (one input event) and waits for its results. */
async function typeQuery(page, q, role = '') {
  const started = Date.now();
  await page.fill('#search-q', q);
  const shown = await waitForResults(page, q, role);
  return { ...shown, ms: Date.now() - started };
}

/** Pagefind's own time for `q`: search plus the data of the first 3 results. */
async function engineTime(page, q) {
  return page.evaluate(async (q) => {
    const pf = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
    const t = performance.now();
    const s = await pf.search(q);
    await Promise.all(s.results.slice(0, 3).map((r) => r.data()));
    return performance.now() - t;
  }, q);
}

function top3(items) {
  return items.slice(0, 3).map((i) => idOf(i.href));
}

/** Pagefind's own top 3 (page ids) for `q`, as typed: without search.js's "aa" → "å" variant. */
async function engineTop3(page, q) {
  const urls = await page.evaluate(async (q) => {
    const pf = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
    const s = await pf.search(q);
    return Promise.all(s.results.slice(0, 3).map(async (r) => (await r.data()).url));
  }, q);
  return urls.map(idOf);
}

// ---- What the content says ----------------------------------------------------

const wordsOf = (text) => new Set(text.toLocaleLowerCase('da').match(/[\p{L}\p{N}]+/gu) ?? []);

/** The text of a built page (no script, style or tags), for looking for words in it. */
function pageText(html) {
  return html
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&amp;/g, '&');
}

let contentCache = null;
/** Section id → { file, number, title, roles (ids), text } from content/sections/*.md; role id → name. */
async function content() {
  if (contentCache) return contentCache;
  const sections = new Map();
  const dir = join(ROOT, 'content', 'sections');
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.md'))) {
    const text = await readFile(join(dir, name), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
    if (!m) continue;
    const fm = parseYaml(m[1]);
    sections.set(fm.id, { file: name, number: String(fm.number ?? ''), title: fm.title, roles: fm.roles ?? [], text });
  }
  const roles = new Map(parseYaml(await readFile(join(ROOT, 'content', 'roles.yaml'), 'utf8')).map((r) => [r.id, r.name]));
  contentCache = { sections, roles };
  return contentCache;
}

// Each STEMMED form must be absent, as a word, from its expected page and its Markdown: else
// finding it would not show stemming.
async function stemmingPremise(site) {
  const { sections } = await content();
  for (const [q, want] of STEMMED) {
    await check(`stemming premise: "${q}" is not a word of ${want}.html nor of its Markdown`, async () => {
      const section = sections.get(want);
      if (!section) return [`no section ${want} in content/sections`];
      const p = [];
      const word = q.toLocaleLowerCase('da');
      if (wordsOf(pageText(await readFile(join(site, `${want}.html`), 'utf8'))).has(word)) p.push(`"${q}" occurs on ${want}.html`);
      if (wordsOf(section.text).has(word)) p.push(`"${q}" occurs in content/sections/${section.file}`);
      return { problems: p, note: section.file };
    });
  }
}

// ---- The checks -------------------------------------------------------------

async function bundleCheck(site) {
  let size = 0;
  let count = 0;
  await check('bundle pagefind/: the files Pagefind needs, language da', async () => {
    const dir = join(site, 'pagefind');
    const files = await filesBelow(dir);
    const rel = files.map((f) => f.slice(dir.length + 1));
    for (const f of files) size += (await stat(f)).size;
    count = files.length;
    const p = [];
    for (const need of ['pagefind.js', 'pagefind-worker.js', 'pagefind-entry.json', 'wasm.da.pagefind']) {
      if (!rel.includes(need)) p.push(`pagefind/${need} is missing`);
    }
    for (const [what, re] of [
      ['a metadata file', /^pagefind\.[^/]+\.pf_meta$/],
      ['index files', /^index\/[^/]+\.pf_index$/],
      ['filter files', /^filter\/[^/]+\.pf_filter$/],
      ['fragment files', /^fragment\/[^/]+\.pf_fragment$/],
    ]) {
      if (!rel.some((f) => re.test(f))) p.push(`no ${what} in pagefind/`);
    }
    if (rel.includes('pagefind-entry.json')) {
      const entry = JSON.parse(await readFile(join(dir, 'pagefind-entry.json'), 'utf8'));
      const langs = Object.keys(entry.languages ?? {});
      if (langs.join() !== 'da') p.push(`pagefind-entry.json has languages ${JSON.stringify(langs)}, expected only "da"`);
      else if (entry.languages.da.page_count < 60) {
        p.push(`only ${entry.languages.da.page_count} pages indexed`);
      }
    }
    return { problems: p, note: `${count} files, ${size} bytes` };
  });
  return { size, count };
}

// The policy of a page's <meta http-equiv=Content-Security-Policy> (the HTML is minified:
// attributes in any order, quotes only where needed).
function cspOf(html) {
  const tag = html.match(/<meta\b[^>]*\bhttp-equiv=("?)Content-Security-Policy\1[\s>][^>]*>?/i)?.[0];
  return tag?.match(/\bcontent="([^"]*)"/i)?.[1] ?? null;
}

async function cspCheck(site) {
  await check(`csp ${SEARCH}: connect-src 'self', 'wasm-unsafe-eval', nothing from another origin`, async () => {
    const csp = cspOf(await readFile(join(site, SEARCH), 'utf8'));
    if (!csp) return [`${SEARCH} has no Content-Security-Policy meta tag`];
    const p = [];
    const directive = (name) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
    if (directive('connect-src') !== "connect-src 'self'") p.push(`connect-src is "${directive('connect-src')}"`);
    if (directive('script-src') !== "script-src 'self' 'wasm-unsafe-eval'") p.push(`script-src is "${directive('script-src')}"`);
    if (directive('default-src') !== "default-src 'self'") p.push(`default-src is "${directive('default-src')}"`);
    if (/https?:|\*|'unsafe-eval'|'unsafe-inline'/.test(csp)) p.push(`the policy allows more than this origin: ${csp}`);
    return { problems: p, note: csp };
  });
  await check("csp other pages: connect-src 'none', no 'wasm-unsafe-eval'", async () => {
    const p = [];
    let n = 0;
    for (const name of await readdir(site)) {
      if (!name.endsWith('.html') || name === SEARCH) continue;
      n++;
      const csp = cspOf(await readFile(join(site, name), 'utf8'));
      if (!csp) p.push(`${name}: no Content-Security-Policy meta tag`);
      else if (!csp.includes("connect-src 'none'") || csp.includes('wasm-unsafe-eval')) p.push(`${name}: ${csp}`);
    }
    return { problems: p, note: `${n} pages` };
  });
}

async function noJavaScript(browser, origin) {
  const context = await newContext(browser, origin, DESKTOP, false);
  try {
    const page = await context.newPage();
    await open(page, origin, `${SEARCH}?q=opioid`);
    await check(`nojs ${SEARCH}?q=opioid: says search needs JavaScript, links to indhold.html and udskriv.html`, async () => {
      const s = await page.evaluate(() => {
        const box = document.getElementById('search-nojs');
        return {
          shown: !!box && !box.hidden && box.getBoundingClientRect().height > 0,
          text: box?.textContent ?? '',
          links: [...(box?.querySelectorAll('a') ?? [])].map((a) => a.getAttribute('href')),
          results: document.querySelectorAll('#search-results li').length,
        };
      });
      const p = [];
      if (!s.shown) p.push('#search-nojs is not shown');
      if (!/JavaScript/.test(s.text)) p.push(`#search-nojs does not mention JavaScript: "${oneLine(s.text)}"`);
      for (const want of ['indhold.html', 'udskriv.html']) {
        if (!s.links.includes(want)) p.push(`#search-nojs has no link to ${want} (links: ${s.links.join(', ')})`);
      }
      if (s.results) p.push(`${s.results} results shown without JavaScript`);
      return { problems: p, note: `"${oneLine(s.text, 120)}"` };
    });
    await check(`nojs ${SEARCH}: a real GET form (role=search, labelled type=search name=q, role select)`, async () => {
      const f = await page.evaluate(() => {
        const form = document.querySelector('main form[role="search"]');
        const q = form?.querySelector('input[name="q"]');
        const label = q?.id ? document.querySelector(`label[for="${q.id}"]`)?.textContent : null;
        const role = form?.querySelector('select[name="rolle"]');
        const roleLabel = role?.id ? document.querySelector(`label[for="${role.id}"]`)?.textContent : null;
        return {
          found: !!form,
          action: form?.getAttribute('action'),
          // form.method: "get" also when the minifier dropped method=get (the default).
          method: form?.method,
          type: q?.type,
          value: q?.value,
          label,
          roleLabel,
          roleOptions: role ? role.options.length : 0,
          submit: [...(form?.querySelectorAll('button, input') ?? [])].some((b) => b.type === 'submit'),
        };
      });
      const p = [];
      if (!f.found) return ['no form[role=search] in <main>'];
      if (f.action !== SEARCH) p.push(`action is "${f.action}"`);
      if (f.method !== 'get') p.push(`method is "${f.method}"`);
      if (f.type !== 'search') p.push(`input[name=q] has type "${f.type}"`);
      if (!oneLine(f.label)) p.push('input[name=q] has no <label for>');
      if (!oneLine(f.roleLabel)) p.push('select[name=rolle] has no <label for>');
      if (f.roleOptions < 2) p.push(`select[name=rolle] has ${f.roleOptions} option(s)`);
      if (!f.submit) p.push('no submit button');
      return { problems: p, note: `label "${oneLine(f.label)}", ${f.roleOptions} role options` };
    });
  } finally {
    await closeContext(context);
  }
}

async function withJavaScript(browser, origin, axeSource, shotDir, timings) {
  const context = await newContext(browser, origin, DESKTOP);
  try {
    const page = await context.newPage();

    // The header's search box, from a section page.
    await open(page, origin, 'foer-sygemelding.html');
    await check('header: the search box is a GET form to soeg.html and shows results', async () => {
      const f = await page.evaluate(() => {
        const form = document.querySelector('header form[role="search"]');
        const q = form?.querySelector('input[name="q"]');
        return {
          found: !!form,
          action: form?.getAttribute('action'),
          method: form?.method,
          label: q?.labels?.[0]?.textContent ?? '',
        };
      });
      if (!f.found) return ['no form[role=search] in the header'];
      const p = [];
      if (f.action !== SEARCH) p.push(`action is "${f.action}"`);
      if (f.method !== 'get') p.push(`method is "${f.method}"`);
      if (!oneLine(f.label)) p.push('the header input[name=q] has no label');
      await page.fill('header input[name="q"]', 'fleksjob');
      await waitForRequests(inFlightOf.get(context));
      await Promise.all([page.waitForURL(/soeg\.html\?q=fleksjob/), page.press('header input[name="q"]', 'Enter')]);
      await page.waitForLoadState('networkidle');
      await waitForRequests(inFlightOf.get(context));
      const shown = await waitForResults(page, 'fleksjob');
      if (idOf(shown.items[0]?.href) !== 'laengerevarende-sygemelding') {
        p.push(`first result is ${shown.items[0]?.href ?? 'none'}`);
      }
      return { problems: p, note: `${pathOf(page.url())}: ${shown.items.length} result(s)` };
    });

    // The plain form's address, opened directly.
    await open(page, origin, `${SEARCH}?q=${encodeURIComponent('mulighedserklæring')}`);
    await check(`plain form ${SEARCH}?q=mulighedserklæring: results on load`, async () => {
      const shown = await waitForResults(page, 'mulighedserklæring');
      const p = [];
      if ((await page.inputValue('#search-q')) !== 'mulighedserklæring') p.push('the field does not hold the query');
      if (idOf(shown.items[0]?.href) !== 'foer-sygemelding') p.push(`first result is ${shown.items[0]?.href ?? 'none'}`);
      if (await page.isVisible('#search-nojs')) p.push('the no-JavaScript notice is shown');
      return { problems: p, note: `${shown.items.length} result(s), "${oneLine(shown.status)}"` };
    });

    // "aa" for "å": Pagefind alone misses these, so finding them shows search.js's variant works.
    for (const [q, want] of AA_QUERIES) {
      await check(`aa premise: Pagefind alone has no ${want} in its top 3 for "${q}"`, async () => {
        const top = await engineTop3(page, q);
        return top.includes(want) ? [`Pagefind's own top 3 for "${q}" has ${want}: ${top.join(', ')}`] : { problems: [], note: top.join(', ') || 'no results' };
      });
    }

    // The clinicians' queries, typed.
    for (const [q, want] of [...QUERIES, ...ISSUE_FORMS, ...STEMMED, ...AA_QUERIES, ...AA_LEGIT, ...DANISH_LETTERS]) {
      await check(`query "${q}": ${want} in the top 3`, async () => {
        const shown = await typeQuery(page, q);
        if (QUERIES.some(([x]) => x === q)) {
          timings.ui.push(shown.ms);
          timings.engine.push(await engineTime(page, q));
        }
        const top = top3(shown.items);
        const rank = top.indexOf(want) + 1;
        if (rank === 0) return [`top 3: ${top.join(', ') || 'no results'} (${shown.items.length} result(s))`];
        return { problems: [], note: `#${rank} of ${shown.items.length}, ${shown.ms} ms` };
      });
    }

    await check('result: number, title, excerpt with <mark>, roles; count announced', async () => {
      const shown = await typeQuery(page, 'sygedagpenge');
      const first = shown.items[0];
      if (!first) return ['no results for "sygedagpenge"'];
      const p = [];
      if (first.num !== '4.8.2') p.push(`number is "${first.num}", expected 4.8.2`);
      if (!/Længerevarende sygemelding/i.test(first.title)) p.push(`title is "${oneLine(first.title)}"`);
      if (first.marks === 0) p.push(`the excerpt has no <mark>: ${oneLine(first.excerpt)}`);
      if (!/Almen praksis/.test(first.roles)) p.push(`the roles line is "${oneLine(first.roles)}"`);
      const badged = shown.items.filter((i) => i.badges.length);
      if (badged.length) p.push(`a local badge on ${badged.map((i) => i.href).join(', ')}, but the guideline has no local material`);
      const status = await page.evaluate(() => {
        const s = document.getElementById('search-status');
        return { role: s.getAttribute('role'), live: s.getAttribute('aria-live'), text: s.textContent };
      });
      if (status.role !== 'status' || status.live !== 'polite') p.push(`#search-status is role=${status.role} aria-live=${status.live}`);
      const n = Number(status.text.match(/\d+/)?.[0]);
      if (status.text.includes('Ingen') || !n) p.push(`the status does not give the count: "${status.text}"`);
      else if (n < shown.items.length) p.push(`the status says ${n} but ${shown.items.length} are shown`);
      if (!status.text.includes('sygedagpenge')) p.push(`the status does not repeat the query: "${status.text}"`);
      return { problems: p, note: `"${oneLine(first.title)}" — "${oneLine(status.text)}"` };
    });

    const { sections, roles: roleNames } = await content();
    for (const [q, want, markRe] of RESULT_DETAILS) {
      await check(`result "${q}": ${want} shows its number, title, marked excerpt and roles`, async () => {
        const section = sections.get(want);
        if (!section) return [`no section ${want} in content/sections`];
        const shown = await typeQuery(page, q);
        const hit = shown.items.slice(0, 3).find((i) => idOf(i.href) === want);
        if (!hit) return [`${want} is not in the top 3: ${top3(shown.items).join(', ') || 'no results'}`];
        const p = [];
        if (hit.num !== section.number) p.push(`number is "${hit.num}", expected ${section.number}`);
        const title = oneLine(hit.title.slice(hit.num.length));
        if (title !== section.title) p.push(`title is "${title}", expected "${section.title}"`);
        const marks = hit.marks === 0 ? [] : [...hit.excerpt.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]);
        if (marks.length === 0) p.push(`the excerpt has no <mark>: ${oneLine(hit.excerpt)}`);
        const stray = marks.filter((m) => !markRe.test(m.replace(/^\W+/u, '')));
        if (stray.length) p.push(`marked words not matching ${markRe}: ${stray.join(', ')}`);
        const line = hit.roles.replace(/^[^:]*:\s*/, '');
        const listed = line.split(', ').map((r) => r.trim()).filter(Boolean);
        const expected = section.roles.map((id) => roleNames.get(id) ?? `?${id}`);
        const missing = expected.filter((name) => !listed.includes(name));
        if (missing.length) p.push(`roles line "${line}" lacks ${missing.join(', ')}`);
        const unknown = listed.filter((name) => ![...roleNames.values()].includes(name));
        if (unknown.length) p.push(`roles line names what is not a role: ${unknown.join(', ')}`);
        return { problems: p, note: `${hit.num} ${title}; marks ${marks.slice(0, 3).join(', ')}; roles ${listed.join(', ')}` };
      });
    }

    await check('result: no results says so', async () => {
      const shown = await typeQuery(page, 'xyzzyplugh');
      const p = [];
      if (shown.items.length) p.push(`${shown.items.length} results`);
      if (!/Ingen/.test(shown.status)) p.push(`status "${shown.status}"`);
      return { problems: p, note: `"${shown.status}"` };
    });

    // The role filter.
    let all = null;
    await check(`role: "${ROLE}" narrows "${ROLE_QUERY}"`, async () => {
      await page.selectOption('#search-role', '');
      all = await typeQuery(page, ROLE_QUERY);
      const allCount = Number(all.status.match(/\d+/)?.[0]);
      await page.selectOption('#search-role', ROLE);
      const narrowed = await waitForResults(page, ROLE_QUERY, ROLE);
      const count = Number(narrowed.status.match(/\d+/)?.[0]);
      const p = [];
      if (!(count > 0)) p.push(`no results with the role: "${narrowed.status}"`);
      if (!(count < allCount)) p.push(`${count} results with the role, ${allCount} without`);
      const without = narrowed.items.filter((i) => !i.roles.includes(ROLE));
      if (without.length) p.push(`results without the role: ${without.map((i) => i.href).join(', ')}`);
      if (!narrowed.status.includes(ROLE)) p.push(`the status does not name the role: "${narrowed.status}"`);
      const params = new URL(`${origin}${narrowed.url}`).searchParams;
      if (params.get('q') !== ROLE_QUERY || params.get('rolle') !== ROLE) p.push(`the address is ${narrowed.url}`);
      return { problems: p, note: `${allCount} → ${count}; "${oneLine(narrowed.status)}"` };
    });
    await axeCheck(page, axeSource, `${SEARCH}?q=${ROLE_QUERY}&rolle=…`, 'role chosen, results shown');
    await screenshot(page, shotDir, 'search-role-1280.png');

    await check(`role: "${ROLE}" with no words lists the role's sections in order`, async () => {
      await page.fill('#search-q', '');
      const shown = await waitForResults(page, '', ROLE);
      const p = [];
      if (shown.items.length === 0) p.push(`nothing listed: "${shown.status}"`);
      const without = shown.items.filter((i) => !i.roles.includes(ROLE));
      if (without.length) p.push(`results without the role: ${without.map((i) => i.href).join(', ')}`);
      const nums = shown.items.map((i) => i.num);
      const sorted = [...nums].sort((a, b) => a.localeCompare(b, 'da', { numeric: true }));
      if (nums.join() !== sorted.join()) p.push(`not in section order: ${nums.join(', ')}`);
      return { problems: p, note: `"${oneLine(shown.status)}", ${nums.slice(0, 4).join(', ')} …` };
    });
    await check(`role: ?rolle= in the address is read on load`, async () => {
      await open(page, origin, `${SEARCH}?q=${ROLE_QUERY}&rolle=${encodeURIComponent(ROLE)}`);
      const shown = await waitForResults(page, ROLE_QUERY, ROLE);
      const p = [];
      if ((await page.inputValue('#search-role')) !== ROLE) p.push('the select does not hold the role');
      if (shown.items.some((i) => !i.roles.includes(ROLE))) p.push('results without the role');
      return { problems: p, note: `${shown.items.length} result(s)` };
    });
    await page.selectOption('#search-role', '');

    // Keyboard.
    await check('keyboard: arrows move through the results, Enter opens one', async () => {
      await page.focus('#search-q');
      const shown = await typeQuery(page, 'sygemelding');
      if (shown.items.length < 2) return [`only ${shown.items.length} result(s) for "sygemelding"`];
      await page.focus('#search-q');
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          return el?.id === 'search-q' ? '#search-q' : el?.getAttribute('href') ?? el?.tagName;
        });
      const p = [];
      const steps = [
        ['ArrowDown', shown.items[0].href],
        ['ArrowDown', shown.items[1].href],
        ['ArrowUp', shown.items[0].href],
        ['ArrowUp', '#search-q'],
        ['ArrowDown', shown.items[0].href],
        ['End', shown.items.at(-1).href],
        ['Home', shown.items[0].href],
        ['ArrowDown', shown.items[1].href],
      ];
      for (const [key, want] of steps) {
        await page.keyboard.press(key);
        const got = await focused();
        if (got !== want) p.push(`after ${key} focus is on ${got}, expected ${want}`);
      }
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      if (outline === 'none') p.push('the focused result has no outline');
      if (p.length) return p;
      await waitForRequests(inFlightOf.get(context));
      await Promise.all([page.waitForURL((u) => idOf(u.pathname) === idOf(shown.items[1].href)), page.keyboard.press('Enter')]);
      // The favicon is asked for after 'load': wait for it, or going back would abort it.
      await page.waitForLoadState('networkidle');
      await waitForRequests(inFlightOf.get(context));
      return { problems: [], note: `Enter opened ${pathOf(page.url())}` };
    });
    await check('keyboard: Back returns to the query and its results', async () => {
      await page.goBack({ waitUntil: 'load' });
      await waitForRequests(inFlightOf.get(context));
      const shown = await waitForResults(page, 'sygemelding');
      return shown.items.length ? [] : ['no results after going back'];
    });

    // axe with results, plain (no role).
    await typeQuery(page, 'sygemelding');
    await axeCheck(page, axeSource, `${SEARCH}?q=sygemelding`, 'results shown');
    await screenshot(page, shotDir, 'search-results-1280.png');
  } finally {
    await closeContext(context);
  }
}

// Pagefind runs in a Web Worker when it can. A dedicated worker is not bound by the page's
// <meta> policy, so this checks the main-thread fallback (no Worker), where the page's own
// policy must allow fetch() (connect-src 'self') and WebAssembly ('wasm-unsafe-eval').
async function mainThread(browser, origin) {
  const context = await newContext(browser, origin, DESKTOP);
  try {
    await context.addInitScript(() => {
      delete window.Worker;
    });
    const page = await context.newPage();
    await open(page, origin, `${SEARCH}?q=opioid`);
    await check(`main thread (no Worker): ${SEARCH}?q=opioid shows results under the page's CSP`, async () => {
      const shown = await waitForResults(page, 'opioid');
      const p = [];
      if (idOf(shown.items[0]?.href) !== 'farmakologisk-behandling') p.push(`first result is ${shown.items[0]?.href ?? 'none'}`);
      if (await page.evaluate(() => typeof Worker !== 'undefined')) p.push('Worker was not removed');
      return { problems: p, note: `${shown.items.length} result(s)` };
    });
  } finally {
    await closeContext(context);
  }
}

async function onPhone(browser, origin, shotDir) {
  const context = await newContext(browser, origin, PHONE);
  try {
    const page = await context.newPage();
    await open(page, origin, `${SEARCH}?q=${encodeURIComponent('henvisning til sygehus')}`);
    await waitForResults(page, 'henvisning til sygehus');
    await overflowCheck(page, `${SEARCH}?q=henvisning til sygehus`);
    await screenshot(page, shotDir, 'search-results-390.png');
    await open(page, origin, 'foer-sygemelding.html');
    await overflowCheck(page, 'foer-sygemelding.html (search box in the header)');
    await screenshot(page, shotDir, 'search-header-390.png');
  } finally {
    await closeContext(context);
  }
}

// ---- Local material: the badge ------------------------------------------------

/** Copies content/ and marks LOCAL_SECTIONS as local material (Pagefind metadata in the body). */
async function localFixture(dir) {
  const content = join(dir, 'content');
  await cp(join(ROOT, 'content'), content, { recursive: true });
  const sections = join(content, 'sections');
  const marked = new Set();
  for (const name of await readdir(sections)) {
    const path = join(sections, name);
    const text = await readFile(path, 'utf8');
    const id = text.match(/^id:\s*(\S+)\s*$/m)?.[1];
    const local = LOCAL_SECTIONS.find(([sid]) => sid === id);
    if (!local) continue;
    // After the front matter: raw HTML blocks, which the build passes through.
    const end = text.indexOf('\n---', 3);
    if (!text.startsWith('---') || end < 0) throw new Error(`${name}: no front matter`);
    const cut = text.indexOf('\n', end + 1) + 1;
    const meta =
      `\n<div data-pagefind-meta="lokal:${LOCAL_OWNER}"></div>\n\n` +
      `<div data-pagefind-meta="lokal_type:${local[1]}"></div>\n\n`;
    await writeFile(path, text.slice(0, cut) + meta + text.slice(cut));
    marked.add(id);
  }
  const missing = LOCAL_SECTIONS.filter(([id]) => !marked.has(id)).map(([id]) => id);
  if (missing.length) throw new Error(`no section file with id ${missing.join(', ')} in content/sections`);
  return content;
}

async function localBadges(browser, axeSource, shotDir, vejviser) {
  const dir = await mkdtemp(join(tmpdir(), 'vejviser-local-'));
  let server;
  try {
    const site = join(dir, 'site');
    const built = await check(`local: fixture site with ${LOCAL_SECTIONS.length} local sections builds`, async () => {
      if (!(await isFile(vejviser))) return [`no vejviser binary at ${vejviser} (cargo build --bin vejviser, or pass --vejviser PATH)`];
      const content = await localFixture(dir);
      await promisify(execFile)(vejviser, ['build', '--content', content, '--templates', join(ROOT, 'templates'), '--out', site], {
        cwd: ROOT,
        maxBuffer: 16 << 20,
      });
      return (await isFile(join(site, SEARCH))) ? { problems: [], note: LOCAL_SECTIONS.map(([id, kind]) => `${id}: ${kind}`).join(', ') } : ['no soeg.html in the fixture site'];
    });
    if (!built) return;
    const { serveSite } = await import('./serve.mjs');
    server = await serveSite(site);
    const context = await newContext(browser, server.origin, DESKTOP);
    try {
      const page = await context.newPage();
      await open(page, server.origin, SEARCH);
      for (const [id, kind, q, want] of LOCAL_SECTIONS) {
        await check(`local: "${q}" shows ${id} with the badge "${want}" (lokal_type ${kind})`, async () => {
          const shown = await typeQuery(page, q);
          const hit = shown.items.find((i) => idOf(i.href) === id);
          if (!hit) return [`${id} is not among the ${shown.items.length} result(s)`];
          const p = [];
          if (hit.badges.length !== 1) p.push(`${hit.badges.length} badges on ${id}`);
          const b = hit.badges[0];
          if (b) {
            if (b.text !== want) p.push(`the badge says "${b.text}"`);
            if (!b.visible) p.push('the badge is not visible');
            if (!b.inTitle) p.push('the badge is not next to the title');
            if (!b.id || hit.describedBy !== b.id) p.push(`the link's aria-describedby is ${hit.describedBy}, not the badge's id ${b.id}`);
          }
          const others = shown.items.filter((i) => i !== hit && i.badges.length && !LOCAL_SECTIONS.some(([x]) => x === idOf(i.href)));
          if (others.length) p.push(`badges on results without local material: ${others.map((i) => i.href).join(', ')}`);
          return { problems: p, note: `#${shown.items.indexOf(hit) + 1} of ${shown.items.length}` };
        });
      }
      await check(`local: "${NATIONAL_QUERY}" (no local material) shows no badge`, async () => {
        const shown = await typeQuery(page, NATIONAL_QUERY);
        if (shown.items.length === 0) return ['no results'];
        const badged = shown.items.filter((i) => i.badges.length || i.describedBy);
        return badged.length ? [`badges on ${badged.map((i) => i.href).join(', ')}`] : { problems: [], note: `${shown.items.length} result(s)` };
      });
      // Both badges at once (a word of both sections), for axe and the screenshot.
      const both = await typeQuery(page, BOTH_QUERY);
      const count = both.items.reduce((n, i) => n + i.badges.length, 0);
      if (count < LOCAL_SECTIONS.length) fail(`local: "${BOTH_QUERY}" shows both badges`, `${count} badge(s) among ${both.items.length} result(s)`);
      await axeCheck(page, axeSource, `${SEARCH}?q=${BOTH_QUERY} (fixture)`, `${count} local badges and ${both.items.length - count} national results shown`);
      await screenshot(page, shotDir, 'search-local-1280.png');
    } finally {
      await closeContext(context);
    }
  } finally {
    if (server) await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- Several indexes merged in the browser -----------------------------------

const MERGED_SECTIONS = 2100; // numbers 2..2100 after the starter's chapter 1
const MERGED_WORD = 'kaliumbalance';
// Sections in three different slices of 421 pages (sorted by path: emne-0002 … emne-2100 first).
const MERGED_HITS = ['emne-0500', 'emne-1500', 'emne-2050'];

async function mergedFixture(dir, vejviser) {
  await promisify(execFile)(vejviser, ['init', dir, '--language', 'da'], { cwd: dir });
  const sections = join(dir, 'content', 'sections');
  const writes = [];
  for (let n = 2; n <= MERGED_SECTIONS; n += 1) {
    const id = `emne-${String(n).padStart(4, '0')}`;
    const word = MERGED_HITS.includes(id) ? ` Her måles ${MERGED_WORD}.` : '';
    const text =
      `---\nid: ${id}\nnumber: "${n}"\ntitle: Emne ${n}\nkind: intervention\nroles: [almen-praksis]\n---\n` +
      `Afsnit ${n} handler om træning, smerter og hverdagens aktiviteter.${word}\n`;
    writes.push(writeFile(join(sections, `${n}-emne.md`), text));
  }
  await Promise.all(writes);
  const site = join(dir, 'site');
  await promisify(execFile)(vejviser, ['build', '--content', join(dir, 'content'), '--out', site], {
    cwd: dir,
    maxBuffer: 16 << 20,
  });
  return site;
}

async function mergedIndexes(browser, vejviser) {
  let mergedCount = 0;
  const dir = await mkdtemp(join(tmpdir(), 'vejviser-merged-'));
  let server;
  try {
    let site = null;
    const built = await check(`merged: a site of ${MERGED_SECTIONS + 1} sections builds with several indexes`, async () => {
      if (!(await isFile(vejviser))) return [`no vejviser binary at ${vejviser} (cargo build --bin vejviser, or pass --vejviser PATH)`];
      site = await mergedFixture(dir, vejviser);
      const list = JSON.parse(await readFile(join(site, 'pagefind', 'merge.json'), 'utf8'));
      // 2,101 pages in even slices of at most 500 (src/search/slices.rs): five indexes.
      const want = [1, 2, 3, 4].map((n) => `pagefind/${n}/`);
      mergedCount = want.length + 1;
      if (JSON.stringify(list.bundles) !== JSON.stringify(want)) return [`merge.json lists ${JSON.stringify(list.bundles)}, not ${JSON.stringify(want)}`];
      const missing = [];
      for (const b of want) if (!(await isFile(join(site, b, 'pagefind-entry.json')))) missing.push(`${b}pagefind-entry.json`);
      return missing.length ? missing.map((m) => `missing ${m}`) : { problems: [], note: `merge.json: ${want.join(', ')}` };
    });
    if (!built) return;
    const { serveSite } = await import('./serve.mjs');
    server = await serveSite(site);
    const context = await newContext(browser, server.origin, DESKTOP);
    const fetched = new Set();
    context.on('request', (req) => {
      const m = pathOf(req.url()).match(/^\/pagefind\/(?:(\d+)\/)?pagefind-entry\.json/);
      if (m) fetched.add(m[1] ?? '0');
    });
    try {
      const page = await context.newPage();
      await open(page, server.origin, SEARCH);
      for (const role of ['', 'Almen praksis']) {
        const label = role ? ` with the role ${role}` : '';
        await check(`merged: "${MERGED_WORD}"${label} finds a section of each index`, async () => {
          if (role) await page.selectOption('#search-role', { label: role });
          const shown = await typeQuery(page, MERGED_WORD, role ? await page.inputValue('#search-role') : '');
          const ids = shown.items.map((i) => idOf(i.href)).sort();
          const p = JSON.stringify(ids) === JSON.stringify(MERGED_HITS) ? [] : [`found ${JSON.stringify(ids)}, not ${JSON.stringify(MERGED_HITS)}`];
          return { problems: p, note: ids.join(', ') };
        });
      }
      await check('merged: each index was fetched from its own folder', async () => {
        const got = [...fetched].sort();
        const want = [...Array(mergedCount).keys()].map(String).sort();
        return got.join() === want.join() ? { problems: [], note: `entries of indexes ${got.join(', ')}` } : [`entries fetched: ${got.join(', ') || 'none'}, not ${want.join(', ')}`];
      });
    } finally {
      await closeContext(context);
    }
  } finally {
    if (server) await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- axe, overflow, screenshots ----------------------------------------------

async function axeCheck(page, axeSource, name, label) {
  await check(`axe ${name} (${label})`, async () => {
    const { violations, incomplete } = await runAxe(page, axeSource);
    if (incomplete.length > 0) printIncomplete(name, incomplete);
    if (violations.length === 0) return { problems: [], note: '0 violations' };
    return axeProblems(violations);
  });
}

async function overflowCheck(page, name) {
  await check(`overflow ${name} at ${PHONE.width}x${PHONE.height}`, async () => {
    const m = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      wide: [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`),
    }));
    const note = `scrollWidth ${m.scrollWidth}px, innerWidth ${m.innerWidth}px`;
    if (m.scrollWidth <= m.innerWidth + 1) return { problems: [], note };
    return [`the page scrolls sideways: ${note}`, ...m.wide.map((w) => `too wide: ${w}`)];
  });
}

const shots = [];
async function screenshot(page, dir, file) {
  const path = join(dir, file);
  try {
    await page.screenshot({ path, fullPage: true, timeout: PAGE_TIMEOUT_MS });
    shots.push(path);
  } catch (err) {
    console.log(`    screenshot ${file} could not be taken: ${oneLine(err.message, 300)}`);
  }
}

async function main() {
  const args = parseArgs('node search.mjs SITE_DIR [--results FILE] [--screenshots DIR] [--vejviser PATH]', {
    screenshots: join(ROOT, 'target', 'screenshots'),
    vejviser: join(ROOT, 'target', 'debug', 'vejviser'),
  });
  const { site } = args;
  const shotDir = resolve(args.screenshots);
  for (const name of [SEARCH, 'pagefind/pagefind.js']) {
    if (!(await isFile(join(site, name)))) {
      fail(`page ${name}`, `missing from the built site ${site}`);
      return;
    }
  }
  await mkdir(shotDir, { recursive: true });

  const bundle = await bundleCheck(site);
  await cspCheck(site);
  await stemmingPremise(site);

  const axe = await loadAxe();
  const timings = { ui: [], engine: [] };
  await withBrowser(site, async (browser, server) => {
    console.log(`search: Chromium ${browser.version()} (${CHROMIUM_PATH}), axe-core ${axe.version}, site at ${server.origin}`);
    const parts = [
      ['without JavaScript', () => noJavaScript(browser, server.origin)],
      ['with JavaScript', () => withJavaScript(browser, server.origin, axe.source, shotDir, timings)],
      ['in the main thread', () => mainThread(browser, server.origin)],
      ['on a phone', () => onPhone(browser, server.origin, shotDir)],
      ['local material', () => localBadges(browser, axe.source, shotDir, resolve(args.vejviser))],
      ['merged indexes', () => mergedIndexes(browser, resolve(args.vejviser))],
    ];
    for (const [what, part] of parts) {
      try {
        await part();
      } catch (err) {
        fail(`search ${what}`, oneLine(err.message, 500));
      }
    }

    if (pageErrors.length === 0 && cspViolations.length === 0) pass('script', 'no uncaught script errors, no CSP violations');
    else {
      fail('script', `${pageErrors.length} uncaught script error(s), ${cspViolations.length} CSP violation(s)`, [
        ...new Set([...pageErrors, ...cspViolations]),
      ]);
    }
    for (const e of new Set(consoleErrors)) console.log(`    console error (not counted as a failure): ${e}`);

    const f = [...new Set(log.foreign)];
    const b = [...new Set(log.broken)];
    if (log.requests.length === 0) fail('network', 'no requests were recorded at all');
    else if (f.length === 0 && b.length === 0) pass('network', `${log.requests.length} request(s), all to ${server.origin}`);
    else fail('network', `${f.length} request(s) leaving ${server.origin}, ${b.length} failed local request(s)`, networkDetails(f, b));
  });

  console.log('search benchmark (not a check):');
  console.log(`    index: ${bundle.size} bytes in ${bundle.count} files under pagefind/`);
  if (timings.ui.length) {
    console.log(
      `    ${timings.ui.length} queries: median ${Math.round(median(timings.ui))} ms from typing to results shown (incl. 150 ms debounce), ` +
        `max ${Math.max(...timings.ui)} ms`,
    );
    const ms = (x) => Math.round(x * 10) / 10;
    console.log(
      `    Pagefind search + top-3 data: median ${ms(median(timings.engine))} ms, max ${ms(Math.max(...timings.engine))} ms`,
    );
  }
  if (shots.length > 0) {
    console.log('screenshots (for people to look at):');
    for (const s of shots) console.log(`    ${s}`);
  }
}

run(main, { name: 'search', timeoutMs: RUN_TIMEOUT_MS }).then(() => {
  if (counts().failed > 0) process.exitCode = 1;
});
