// Runs the W3C Nu HTML Checker (vnu.jar from the vnu-jar package, with the
// machine's `java`) over every .html file of the built site.
//
//   node vnu.mjs SITE_DIR [--results FILE]
//
// One check per HTML file: it passes when the checker reports no error for
// it. Warnings are printed but do not fail. With --results, "PASSED FAILED"
// is written to FILE for scripts/test.sh to add up.

import { relative, sep } from 'node:path';

import { fail, htmlFiles, isVnuError, oneLine, parseArgs, pass, run, runVnu } from './harness.mjs';
import { serveSite } from './serve.mjs';

function where(m) {
  const line = m.lastLine ?? m.firstLine;
  const col = m.firstColumn ?? m.lastColumn;
  return line ? `line ${line}${col ? `, col ${col}` : ''}` : '';
}

async function main() {
  const { site } = parseArgs('node vnu.mjs SITE_DIR [--results FILE]');

  const files = (await htmlFiles(site)).sort();
  if (files.length === 0) {
    fail('vnu', `no .html files under ${site}`);
    return;
  }

  // Check the pages as served over http from 127.0.0.1, as a browser sees
  // them: checked as file: URLs, the pages' Content-Security-Policy 'self'
  // matches nothing and the checker warns about every stylesheet.
  const server = await serveSite(site);
  const urlOf = new Map(
    files.map((f) => [`${server.origin}/${relative(site, f).split(sep).map(encodeURIComponent).join('/')}`, f]),
  );
  const started = Date.now();
  let run;
  try {
    run = await runVnu([...urlOf.keys()]);
  } finally {
    await server.close();
  }
  const { code, stdout, stderr } = run;
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    fail('vnu', `the checker did not answer with JSON (exit ${code})`);
    console.log(oneLine(stdout, 2000));
    console.log(stderr.trim());
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  // Group messages by file.
  const byFile = new Map(files.map((f) => [f, { errors: [], warnings: [], infos: [] }]));
  const stray = [];
  for (const m of report.messages ?? []) {
    const file = m.url ? urlOf.get(m.url) : null;
    const bucket = file && byFile.get(file);
    const isError = isVnuError(m);
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
    if (errors.length === 0) pass(`vnu ${name}`, warnings.length ? `${warnings.length} warning(s)` : '');
    else fail(`vnu ${name}`, `${errors.length} error(s)${warnings.length ? `, ${warnings.length} warning(s)` : ''}`);
    for (const m of errors) {
      console.log(`    error: ${oneLine(m.message, 400)} [${where(m)}]`);
      if (m.extract) console.log(`           at: ${oneLine(m.extract, 160)}`);
    }
    for (const m of warnings) {
      console.log(`    warning: ${oneLine(m.message, 400)} [${where(m)}]`);
      if (m.extract) console.log(`             at: ${oneLine(m.extract, 160)}`);
    }
  }
  for (const m of stray) {
    // A message not tied to one of our files (e.g. an I/O problem): an error
    // unless the checker calls it information.
    if (m.type !== 'info') fail('vnu', `${oneLine(m.message, 400)} ${m.url ?? ''}`);
    else console.log(`INFO vnu: ${oneLine(m.message, 400)} ${m.url ?? ''}`);
  }
  console.log(
    `vnu: ${files.length} HTML file(s) checked in ${seconds}s: ${errorCount} error(s), ${warningCount} warning(s)`,
  );
}

// A crash is one failure, and exit code 1.
run(main, { name: 'vnu', describeError: (err) => String(err.stack || err) }).then((ok) => {
  if (!ok) process.exitCode = 1;
});
