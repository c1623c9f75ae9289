// `vejviser serve` in Debian's headless Chromium driven by playwright-core: the real binary
// (built by cargo test) previews a copy of content/ and templates/ on a free port of 127.0.0.1.
//
//   starts       serve prints its address; the section page loads, with the reload script
//   reload       editing the section's file reloads the open page, which shows the new text
//   overlay      breaking a cross-reference shows the error overlay with the file and line of
//                the broken reference; the page under it is the last good build
//   cleared      fixing the file removes the overlay on its own (reload), new text still there
//   template     a template syntax error shows the overlay naming the template; fixing clears it
//   late reload  a rebuild that finishes while the page's event stream is not yet connected
//                (held back here) still reloads the page once it connects
//   built site   the files written to the output folder carry no preview script
//   csp          no Content-Security-Policy violation and no uncaught error in the page
//   network      every request of the page goes to the preview server on 127.0.0.1
//
//   node live-reload.mjs PROJECT_DIR [--bin PATH] [--results FILE] [--screenshots DIR]
//
// PROJECT_DIR holds content/ and templates/ (they are copied, never changed); --bin defaults
// to PROJECT_DIR/target/debug/vejviser. With --results, "PASSED FAILED" is written to FILE for
// scripts/test.sh. CHROMIUM may name another Chromium binary (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import {
  CHROMIUM_PATH,
  check,
  configure,
  counts,
  fail,
  isFile,
  localContext,
  networkDetails,
  oneLine,
  parseArgs,
  pass,
  recordConsoleErrors,
  recordRequests,
  run,
  withBrowser,
} from './harness.mjs';

configure({ prefix: 'live-reload ', maxDetails: 20 });

const RUN_TIMEOUT_MS = 4 * 60_000;
const WAIT_MS = 30_000;
const SECTION = 'content/sections/4.1-planlaegning-af-forloeb.md';
const PAGE = 'planlaegning-af-forloeb.html';
const EDITED = 'Planlægningen LIVE-RELOAD-TEST af indsatser';
const BROKEN_REF = '[[findes-ikke-live]]';
const LATE = 'Planlægningen LIVE-RELOAD-LATE af indsatser';

/** Starts `bin serve` in `dir`; resolves to { origin, log, stop() } once it listens. */
function startServe(bin, dir) {
  const child = spawn(bin, ['serve', '--port', '0', '--out', 'site'], { cwd: dir });
  const log = [];
  createInterface({ input: child.stderr }).on('line', (l) => log.push(l));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${log.join(' | ')}`)), 120_000);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${log.join(' | ')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolveStart({
        origin: m[1],
        log,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.on('exit', done);
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/**
 * Saves `text` to `path` as editors do: written outside the watched folders, then renamed into
 * place, so that the watcher never sees half a file.
 */
async function save(dir, path, text) {
  const tmp = join(dir, 'edit.tmp');
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Waits until the log has a line matching `re` after index `from`. */
async function logLine(log, re, from) {
  for (let waited = 0; waited < WAIT_MS; waited += 50) {
    const hit = log.slice(from).find((l) => re.test(l));
    if (hit) return hit;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`serve never printed ${re}; last lines: ${log.slice(-5).join(' | ')}`);
}

/** Resolves once the page has (re)connected to the reload event stream. */
function eventStreamOpened(page) {
  return page.waitForRequest((r) => r.url().includes('/_vejviser/event-stream'), { timeout: WAIT_MS });
}

async function main() {
  const args = parseArgs('node live-reload.mjs PROJECT_DIR [--bin PATH] [--results FILE] [--screenshots DIR]', {
    bin: null,
    screenshots: null,
  });
  const bin = args.bin ?? join(args.site, 'target/debug/vejviser');
  if (!(await isFile(bin))) {
    fail('starts', `no vejviser binary at ${bin} (cargo build builds it)`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'vejviser-live-'));
  let serve;
  try {
    await cp(join(args.site, 'content'), join(dir, 'content'), { recursive: true });
    // The built-in theme's files as a project's own templates/ folder, which overrides it.
    await cp(join(args.site, 'theme'), join(dir, 'templates'), { recursive: true });
    serve = await startServe(bin, dir);
    pass('starts', serve.origin);
    await withBrowser(join(dir, 'site'), (browser) => inBrowser(browser, serve, dir, args.screenshots));
  } finally {
    if (serve) await serve.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function inBrowser(browser, serve, dir, screenshots) {
  const { origin, log } = serve;
  console.log(`live-reload: Chromium ${browser.version()} (${CHROMIUM_PATH}), serve at ${origin}`);
  const context = await localContext(browser, origin);
  const net = { requests: [], foreign: [], broken: [] };
  recordRequests(context, origin, net);
  const page = await context.newPage();
  const errors = [];
  recordConsoleErrors(page, errors);
  const sectionPath = join(dir, SECTION);
  const original = await readFile(sectionPath, 'utf8');
  const edited = original.replace('Planlægningen af indsatser', EDITED);
  const main = page.locator('main');
  const overlay = page.locator('#vejviser-overlay');

  let opened = eventStreamOpened(page);
  await page.goto(`${origin}/${PAGE}`);
  await opened;
  check(
    'reload script',
    (await page.locator('script[src="/_vejviser/livereload.js"]').count()) === 1,
    'the preview page has no /_vejviser/livereload.js script',
  );

  // Edit: the open page reloads and shows the new text.
  let from = log.length;
  let started = Date.now();
  opened = eventStreamOpened(page);
  await save(dir, sectionPath, edited);
  try {
    await main.getByText('LIVE-RELOAD-TEST').first().waitFor({ timeout: WAIT_MS });
    const rebuilt = await logLine(log, /^rebuilt \d+ page/, from);
    pass('reload', `new text shown ${Date.now() - started} ms after the save; serve: "${rebuilt}"`);
  } catch (err) {
    fail('reload', `the page did not show the edited text: ${oneLine(err.message)}`);
  }
  await opened.catch(() => {});

  // Break a cross-reference: the overlay names the file and line; the last good page stays.
  const broken = edited.replace('[[henvisning-fra-kiropraktor]]', BROKEN_REF);
  const brokenLine = broken.split('\n').findIndex((l) => l.includes(BROKEN_REF)) + 1;
  from = log.length;
  opened = eventStreamOpened(page);
  await save(dir, sectionPath, broken);
  try {
    await overlay.waitFor({ state: 'visible', timeout: WAIT_MS });
    const file = await overlay.getAttribute('data-file');
    const line = Number(await overlay.getAttribute('data-line'));
    const text = await overlay.innerText();
    const box = await overlay.boundingBox();
    const problems = [];
    if (!file?.endsWith(SECTION)) problems.push(`overlay names file ${file}, not ${SECTION}`);
    if (line !== brokenLine) problems.push(`overlay names line ${line}, not ${brokenLine}`);
    if (!text.includes(`${SECTION}:${brokenLine}:`)) problems.push(`overlay text lacks ${SECTION}:${brokenLine}: (${oneLine(text)})`);
    if (!text.includes('findes-ikke-live')) problems.push('overlay snippet/message lacks the broken id');
    if (!box || box.width < 600 || box.height < 400) problems.push(`overlay does not cover the page: ${JSON.stringify(box)}`);
    if (!(await main.getByText('LIVE-RELOAD-TEST').count())) problems.push('the last good page is not under the overlay');
    if (!log.slice(from).some((l) => l.includes('findes-ikke-live'))) problems.push('the terminal did not print the error');
    if (screenshots) {
      await mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, 'live-reload-overlay.png') });
    }
    check('overlay', problems.length === 0, problems[0], problems.slice(1), `${file}:${line}`);
  } catch (err) {
    fail('overlay', `no error overlay appeared: ${oneLine(err.message)}`);
  }
  await opened.catch(() => {});

  // Fix it: the overlay goes away on its own.
  opened = eventStreamOpened(page);
  started = Date.now();
  await save(dir, sectionPath, edited);
  try {
    await overlay.waitFor({ state: 'detached', timeout: WAIT_MS });
    const still = await main.getByText('LIVE-RELOAD-TEST').count();
    check('cleared', still > 0, 'the page lost the edited text', [], `overlay gone ${Date.now() - started} ms after the fix`);
  } catch (err) {
    fail('cleared', `the overlay stayed after the fix: ${oneLine(err.message)}`);
  }
  await opened.catch(() => {});

  // A template error names the template.
  const templatePath = join(dir, 'templates/section.html');
  const template = await readFile(templatePath, 'utf8');
  opened = eventStreamOpened(page);
  await save(dir, templatePath, `${template}\n{% if %}\n`);
  const templateLine = template.split('\n').length + 1;
  try {
    await overlay.waitFor({ state: 'visible', timeout: WAIT_MS });
    const file = await overlay.getAttribute('data-file');
    const line = Number(await overlay.getAttribute('data-line'));
    const problems = [];
    if (!file?.endsWith('templates/section.html')) problems.push(`overlay names ${file}`);
    if (line !== templateLine) problems.push(`overlay names line ${line}, not ${templateLine}`);
    await opened.catch(() => {});
    opened = eventStreamOpened(page);
    await save(dir, templatePath, template);
    await overlay.waitFor({ state: 'detached', timeout: WAIT_MS });
    check('template', problems.length === 0, problems[0], problems.slice(1), `${file}:${line}, cleared after the fix`);
  } catch (err) {
    fail('template', oneLine(err.message));
  }
  await opened.catch(() => {});

  // A rebuild that lands while the page is loading, before its event stream is connected,
  // is not missed: the reload event reaches no one, so the page must notice on connecting.
  const late = edited.replace(EDITED, LATE);
  let release = () => {};
  const held = new Promise((resolve) => {
    release = resolve;
  });
  const stream = '**/_vejviser/event-stream';
  await page.route(stream, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  try {
    await page.reload();
    from = log.length;
    await save(dir, sectionPath, late);
    const rebuilt = await logLine(log, /^rebuilt \d+ page/, from);
    // The background rebuild of the whole-site files follows, with a reload event of its own.
    await logLine(log, /in the background/, from);
    await new Promise((r) => setTimeout(r, 300));
    const before = await main.getByText('LIVE-RELOAD-LATE').count();
    release();
    await main.getByText('LIVE-RELOAD-LATE').first().waitFor({ timeout: WAIT_MS });
    check('late reload', before === 0, 'the page showed the new text before its stream connected', [], `rebuilt while the stream was held ("${rebuilt}"); new text shown once it connected`);
  } catch (err) {
    fail('late reload', `a rebuild during page load was missed: ${oneLine(err.message)}`);
  } finally {
    release();
    await page.unroute(stream);
  }

  const built = await readFile(join(dir, 'site', PAGE), 'utf8');
  check(
    'built site',
    built.includes('LIVE-RELOAD-LATE') && !built.includes('_vejviser') && built.includes("connect-src 'none'"),
    'the written page is not the plain built page with the edit',
  );

  const cspErrors = errors.filter((e) => /Content Security Policy|Refused to/i.test(e));
  check('csp', errors.length === 0, `${errors.length} console error(s), ${cspErrors.length} from the CSP`, errors);
  const f = [...new Set(net.foreign)];
  // A reload cuts off what the page still had in flight: always its event stream, and at times
  // its generation check or its icon. That is how a reload goes, not a failure; every answer
  // with an HTTP error and every other failure still counts.
  const b = [...new Set(net.broken)].filter((x) => !/^net::ERR_ABORTED \//.test(x));
  check(
    'network',
    f.length === 0 && b.length === 0,
    `${f.length} request(s) leaving 127.0.0.1, ${b.length} failed`,
    networkDetails(f, b),
    `${net.requests.length} request(s), all to ${origin}`,
  );
  await context.close();
}

run(main, { name: 'live-reload', timeoutMs: RUN_TIMEOUT_MS }).then(() => {
  if (counts().failed > 0) process.exitCode = 1;
});
