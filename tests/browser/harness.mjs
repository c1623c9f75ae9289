// What the test scripts of this folder share (browser.mjs, roles.mjs,
// checklist.mjs, fhir.mjs, vnu.mjs), so that each keeps only its own checks:
//
//   - the PASS/FAIL lines and their counts, written as "PASSED FAILED" to the
//     --results FILE that scripts/test.sh adds up;
//   - reading `SITE_DIR [--results FILE] [--other VALUE ...]`;
//   - run(): main() with an overall time limit, a crash counted as a failure;
//   - Debian's Chromium (or $CHROMIUM) through playwright-core, with the site
//     served from 127.0.0.1 by serve.mjs;
//   - browser contexts whose requests are recorded and, unless they are for
//     the local server, aborted: nothing leaves 127.0.0.1;
//   - axe-core with the WCAG 2.0/2.1 A and AA tags.

import { spawn } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { serveSite } from './serve.mjs';

const require = createRequire(import.meta.url);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';
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

// ---- PASS / FAIL and the results file -----------------------------------------

const tally = { passed: 0, failed: 0, prefix: '', maxDetails: Infinity, resultsFile: null };

/**
 * `prefix` starts every check name on a PASS/FAIL line (e.g. 'checklist ');
 * a FAIL prints at most `maxDetails` detail lines, then "… and N more".
 */
export function configure({ prefix = '', maxDetails = Infinity } = {}) {
  tally.prefix = prefix;
  tally.maxDetails = maxDetails;
}

export function pass(name, note = '') {
  tally.passed++;
  console.log(`PASS ${tally.prefix}${name}${note ? ` (${note})` : ''}`);
}

export function fail(name, why, details = []) {
  tally.failed++;
  console.log(`FAIL ${tally.prefix}${name}: ${why}`);
  for (const line of details.slice(0, tally.maxDetails)) console.log(`    ${line}`);
  if (details.length > tally.maxDetails) console.log(`    … and ${details.length - tally.maxDetails} more`);
}

/** PASS `name` if `ok`, else FAIL it with `why` and `details`; returns `ok`. */
export function check(name, ok, why, details = [], note = '') {
  if (ok) pass(name, note);
  else fail(name, why, details);
  return ok;
}

/** How many checks passed and failed so far. */
export function counts() {
  return { passed: tally.passed, failed: tally.failed };
}

async function writeResults() {
  if (tally.resultsFile) await writeFile(tally.resultsFile, `${tally.passed} ${tally.failed}\n`);
}

export function oneLine(s, max = 200) {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Reads `SITE_DIR [--results FILE]` and the script's own options from the
 * command line: `options` maps a name to its default, e.g.
 * { responseOut: null } for `--response-out FILE`. Returns { site (resolved),
 * ...options }. `usage` is the command line shown when SITE_DIR is missing.
 */
export function parseArgs(usage, options = {}) {
  const argv = process.argv.slice(2);
  const args = { site: null, ...options };
  const flags = new Map(Object.keys(options).map((k) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, k]));
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--results') tally.resultsFile = argv[++i];
    else if (flags.has(argv[i])) args[flags.get(argv[i])] = argv[++i];
    else if (!args.site) args.site = argv[i];
    else throw new Error(`unexpected argument: ${argv[i]}`);
  }
  if (!args.site) throw new Error(`usage: ${usage}`);
  args.site = resolve(args.site);
  return args;
}

/**
 * Runs `main`, then writes the results file. A thrown error is one FAIL
 * `name` (its text made by `describeError`). With `timeoutMs`, a run that
 * takes longer is one FAIL `name`: "`timeoutWhy` N minutes; stopped", and
 * the process exits 1. Resolves to false if main threw, else true.
 */
export function run(
  main,
  {
    name,
    timeoutMs = 0,
    timeoutWhy = 'the run took longer than',
    describeError = (err) => oneLine(err.stack || err, 2000),
  },
) {
  let watchdog;
  if (timeoutMs) {
    watchdog = setTimeout(async () => {
      fail(name, `${timeoutWhy} ${timeoutMs / 60_000} minutes; stopped`);
      await writeResults().catch(() => {});
      process.exit(1);
    }, timeoutMs);
    watchdog.unref();
  }
  let ok = true;
  return main()
    .catch((err) => {
      ok = false;
      fail(name, describeError(err));
    })
    .finally(async () => {
      await writeResults();
      clearTimeout(watchdog);
    })
    .then(() => ok);
}

/** Every .html file below `dir` (full paths, in directory order). */
export async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await htmlFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.html')) out.push(full);
  }
  return out;
}

// ---- Chromium, serving the site, local requests only -----------------------------

/**
 * Serves `site` on 127.0.0.1, launches headless Chromium and runs
 * `work(browser, server)`; closes both afterwards, whatever happens.
 */
export async function withBrowser(site, work) {
  const server = await serveSite(site);
  let browser;
  try {
    // Imported here: fhir.mjs and vnu.mjs need no browser.
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
    return await work(browser, server);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.close();
  }
}

/** Context options for a viewport: a phone-sized one is a touch phone. */
export function screen(viewport) {
  return { viewport, isMobile: viewport === PHONE, hasTouch: viewport === PHONE };
}

/**
 * A new browser context (Danish, no service workers, plus `options`) in which
 * every request that is not for `origin` is aborted, so nothing leaves the
 * machine even when a check fails.
 */
export async function localContext(browser, origin, options = {}) {
  const context = await browser.newContext({ serviceWorkers: 'block', locale: 'da-DK', ...options });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    // A page-level route (live-reload holds the event stream with one) may have
    // handled the request already when this fallback runs; that is not an error.
    if (url.startsWith(`${origin}/`)) return route.continue().catch(() => {});
    return route.abort('blockedbyclient').catch(() => {});
  });
  return context;
}

/**
 * Records the requests of `context` in `log`: every URL in log.requests, any
 * that is not for the local server `origin` (or is a WebSocket) in
 * log.foreign, and local ones that fail or answer 400+ in log.broken.
 * Returns the set of requests still under way (see waitForRequests).
 */
export function recordRequests(context, origin, log) {
  const answeredBadly = new Set();
  const inFlight = new Set();
  context.on('requestfinished', (req) => inFlight.delete(req));
  context.on('requestfailed', (req) => inFlight.delete(req));
  context.on('request', (req) => {
    const url = req.url();
    inFlight.add(req);
    log.requests.push(url);
    let host = null;
    try {
      host = new URL(url).hostname;
    } catch {
      /* not a URL */
    }
    if (!/^(data|blob|about):/.test(url) && (host !== '127.0.0.1' || !url.startsWith(`${origin}/`))) {
      log.foreign.push(url);
    }
  });
  context.on('response', (res) => {
    if (res.status() >= 400 && res.url().startsWith(`${origin}/`)) {
      answeredBadly.add(res.url());
      log.broken.push(`HTTP ${res.status()} ${res.url().slice(origin.length)}`);
    }
  });
  context.on('requestfailed', (req) => {
    const url = req.url();
    if (url.startsWith(`${origin}/`) && !answeredBadly.has(url)) {
      log.broken.push(`${req.failure()?.errorText ?? 'failed'} ${url.slice(origin.length)}`);
    }
  });
  context.on('page', (page) => page.on('websocket', (ws) => log.foreign.push(ws.url())));
  return inFlight;
}

/** Waits (at most 5 s) until no request of `inFlight` is under way. */
export async function waitForRequests(inFlight) {
  for (let waited = 0; inFlight.size > 0 && waited < 5_000; waited += 50) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** The lines of a failed network check: each foreign and each broken request. */
export function networkDetails(foreign, broken) {
  return [...foreign.map((u) => `request to another origin: ${u}`), ...broken.map((b) => `local request failed: ${b}`)];
}

/** Adds the page's console errors and uncaught errors to `errors`. */
export function recordConsoleErrors(page, errors) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(oneLine(msg.text(), 300));
  });
  page.on('pageerror', (err) => errors.push(oneLine(`uncaught: ${err.message}`, 300)));
}

// ---- The W3C Nu HTML Checker ------------------------------------------------------

/**
 * Runs the Nu HTML Checker (vnu.jar from the vnu-jar package, with the machine's `java`) on
 * `files` (paths or URLs; pages served from 127.0.0.1 are allowed): { code, stdout, stderr },
 * stdout being its JSON report.
 */
export function runVnu(files) {
  const jar = resolve(require.resolve('vnu-jar/package.json'), '..', 'build', 'dist', 'vnu.jar');
  return new Promise((ok, fail) => {
    const child = spawn(
      'java',
      [
        '-Xss4m',
        // The pages come from our own server on 127.0.0.1, which the checker
        // refuses by default ("Forbidden host.").
        '-Dnu.validator.servlet.allow-forbidden-hosts=true',
        '-jar',
        jar, '--format', 'json', '--stdout', '--exit-zero-always', ...files],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** Whether a message of the checker's JSON report is an error. */
export function isVnuError(m) {
  return m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal';
}

// ---- axe-core -------------------------------------------------------------------

/** axe-core's source, to evaluate in a page, and its version. */
export async function loadAxe() {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  return { source, version: require('axe-core/package.json').version };
}

/** axe-core with AXE_TAGS on the whole page: { violations, incomplete, … }. */
export async function runAxe(page, source, resultTypes = ['violations', 'incomplete']) {
  // evaluate() runs through the DevTools protocol, so the pages' own
  // Content-Security-Policy (script-src 'self') does not block it.
  await page.evaluate(source);
  return page.evaluate(
    async ({ tags, types }) =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: types }),
    { tags: AXE_TAGS, types: resultTypes },
  );
}

/** A failed axe check: the reason first, then a few lines per violation. */
export function axeProblems(violations) {
  const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
  const lines = [`${violations.length} violation(s) on ${nodes} node(s)`];
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

/** Prints what axe could not decide on page `name` (not a failure). */
export function printIncomplete(name, incomplete) {
  console.log(
    `    axe: needs review by a person on ${name} ("incomplete", not a failure): ${incomplete
      .map((v) => `${v.id} (${v.nodes.length})`)
      .join(', ')}`,
  );
}

/**
 * Runs one check. `work` returns a list of problems (strings): empty means the check passed. It
 * may also return { problems, note }. A thrown error is a failure of that check only.
 */
export async function checkWork(name, work) {
  try {
    const out = await work();
    const problems = Array.isArray(out) ? out : out?.problems ?? [];
    const note = Array.isArray(out) ? '' : out?.note ?? '';
    if (problems.length === 0) pass(name, note);
    else fail(name, problems[0], problems.slice(1));
    return problems.length === 0;
  } catch (err) {
    fail(name, oneLine(err.message, 500));
    return false;
  }
}

/** Whether `path` is an existing file. */
export async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
