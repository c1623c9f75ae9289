// Runs the W3C Nu HTML Checker (vnu.jar from the vnu-jar package, with the
// machine's `java`) over every .html file of the built site.
//
//   node vnu.mjs SITE_DIR [--results FILE]
//
// One check per HTML file: it passes when the checker reports no error for
// it. Warnings are printed but do not fail. With --results, "PASSED FAILED"
// is written to FILE for scripts/test.sh to add up.

import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

import { serveSite } from './serve.mjs';

const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const args = { site: null, results: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--results') args.results = argv[++i];
    else if (!args.site) args.site = argv[i];
    else throw new Error(`unexpected argument: ${argv[i]}`);
  }
  if (!args.site) throw new Error('usage: node vnu.mjs SITE_DIR [--results FILE]');
  return args;
}

async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await htmlFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.html')) out.push(full);
  }
  return out.sort();
}

function runVnu(jar, files) {
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

function oneLine(s, max = 160) {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function where(m) {
  const line = m.lastLine ?? m.firstLine;
  const col = m.firstColumn ?? m.lastColumn;
  return line ? `line ${line}${col ? `, col ${col}` : ''}` : '';
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const site = resolve(args.site);
  let passed = 0;
  let failed = 0;
  const finish = async () => {
    if (args.results) await writeFile(args.results, `${passed} ${failed}\n`);
  };

  const files = await htmlFiles(site);
  if (files.length === 0) {
    console.log(`FAIL vnu: no .html files under ${site}`);
    failed++;
    await finish();
    return;
  }

  // Check the pages as served over http from 127.0.0.1, as a browser sees
  // them: checked as file: URLs, the pages' Content-Security-Policy 'self'
  // matches nothing and the checker warns about every stylesheet.
  const server = await serveSite(site);
  const urlOf = new Map(
    files.map((f) => [`${server.origin}/${relative(site, f).split(sep).map(encodeURIComponent).join('/')}`, f]),
  );
  const jar = resolve(require.resolve('vnu-jar/package.json'), '..', 'build', 'dist', 'vnu.jar');
  const started = Date.now();
  let run;
  try {
    run = await runVnu(jar, [...urlOf.keys()]);
  } finally {
    await server.close();
  }
  const { code, stdout, stderr } = run;
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    console.log(`FAIL vnu: the checker did not answer with JSON (exit ${code})`);
    console.log(oneLine(stdout, 2000));
    console.log(stderr.trim());
    failed++;
    await finish();
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  // Group messages by file.
  const byFile = new Map(files.map((f) => [f, { errors: [], warnings: [], infos: [] }]));
  const stray = [];
  for (const m of report.messages ?? []) {
    const file = m.url ? urlOf.get(m.url) : null;
    const bucket = file && byFile.get(file);
    const isError = m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal';
    const isWarning = m.type === 'info' && m.subType === 'warning';
    if (!bucket) {
      stray.push(m);
      continue;
    }
    if (isError) bucket.errors.push(m);
    else if (isWarning) bucket.warnings.push(m);
    else bucket.infos.push(m);
  }

  let errorCount = 0;
  let warningCount = 0;
  for (const [file, { errors, warnings }] of byFile) {
    const name = relative(site, file);
    errorCount += errors.length;
    warningCount += warnings.length;
    if (errors.length === 0) {
      passed++;
      console.log(`PASS vnu ${name}${warnings.length ? ` (${warnings.length} warning(s))` : ''}`);
    } else {
      failed++;
      console.log(`FAIL vnu ${name}: ${errors.length} error(s)${warnings.length ? `, ${warnings.length} warning(s)` : ''}`);
    }
    for (const m of errors) {
      console.log(`    error: ${oneLine(m.message, 400)} [${where(m)}]`);
      if (m.extract) console.log(`           at: ${oneLine(m.extract)}`);
    }
    for (const m of warnings) {
      console.log(`    warning: ${oneLine(m.message, 400)} [${where(m)}]`);
      if (m.extract) console.log(`             at: ${oneLine(m.extract)}`);
    }
  }
  for (const m of stray) {
    // A message not tied to one of our files (e.g. an I/O problem): an error
    // unless the checker calls it information.
    const isError = m.type !== 'info';
    console.log(`${isError ? 'FAIL' : 'INFO'} vnu: ${oneLine(m.message, 400)} ${m.url ?? ''}`);
    if (isError) failed++;
  }
  console.log(
    `vnu: ${files.length} HTML file(s) checked in ${seconds}s: ${errorCount} error(s), ${warningCount} warning(s)`,
  );
  await finish();
}

main().catch(async (err) => {
  console.log(`FAIL vnu: ${err.stack || err}`);
  const args = process.argv.slice(2);
  const i = args.indexOf('--results');
  if (i >= 0 && args[i + 1]) await writeFile(args[i + 1], `0 1\n`).catch(() => {});
  process.exitCode = 1;
});
