// Browser checks of the role switcher (templates/static/roles.js, served as
// assets/roles.js) in Debian's headless Chromium driven by playwright-core,
// with the site served from 127.0.0.1 by serve.mjs:
//
//   nojs         with JavaScript off, a section page shows the fallback: a
//                visible list of links a[data-role], each to an existing
//                rolle-<id>.html, and no <select>.
//   select       with JavaScript, the list is replaced by a <select> with an
//                accessible name (as Chromium computes it) and the options
//                "" (all roles) + one per role, in the links' order.
//   keyboard     Tab from the top of the page reaches the select (bounded),
//                the hidden fallback links are not in the tab order, and the
//                focused select shows a focus indicator.
//   choose       ArrowDown on the focused select picks `kiropraktor`: <html
//                data-role>, .concerns on exactly the elements whose
//                data-roles has the role (at least one .blk), .role-active on
//                the article, localStorage, the status text (names the role)
//                and the a.rs-page link to rolle-kiropraktor.html.
//   visible      a .blk.concerns has another background colour than a .blk
//                that does not concern the role.
//   persist      the choice holds on another section page and after reload;
//                choosing "" (all roles, by keyboard) removes every
//                highlight and the localStorage key, also on the next load.
//   axe          axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) with the role
//                chosen, on the section page and on rolle-kiropraktor.html,
//                forloeb.html and til-dig.html: 0 violations.
//   overflow     at 390x844 with the role chosen, the section page, the role
//                page and forloeb.html do not scroll sideways.
//   script       no uncaught script error on any page.
//   network      every request of every page goes to 127.0.0.1 (the local
//                server) and none fails.
//
// Screenshots for people to look at go to target/screenshots/ (or the folder
// given with --screenshots); their paths are printed.
//
//   node roles.mjs SITE_DIR [--results FILE] [--screenshots DIR]
//
// With --results, "PASSED FAILED" is written to FILE for scripts/test.sh.
// CHROMIUM may name another Chromium binary (default /usr/bin/chromium).

import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

// The pages and the role under test.
const SECTION = 'henvisning-til-oevrig-praksissektor.html'; // 4.9.1.2: blocks with and without the role
const OTHER_SECTION = 'opfoelgning-hos-kiropraktor-og-fysioterapeut.html';
const ROLE = 'kiropraktor';
const ROLE_PAGE = `rolle-${ROLE}.html`;
const EXTRA_AXE_PAGES = [ROLE_PAGE, 'forloeb.html', 'til-dig.html'];
const PHONE_PAGES = [SECTION, ROLE_PAGE, 'forloeb.html'];
const STORAGE_KEY = 'vejviser-role';

const PAGE_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 10 * 60_000;
const MAX_TABS = 80;



/** The file in the site a link's href points at, or null if outside it. */
function siteFileFor(site, origin, pageUrl, href) {
  const url = new URL(href, pageUrl);
  if (url.origin !== origin) return null;
  const full = resolve(join(site, decodeURIComponent(url.pathname)));
  if (!full.startsWith(site + sep)) return null;
  return full;
}

// ---- Recording of requests and script errors, for every context ----------

// Every request of every context, and the uncaught errors of every page.
const log = { requests: [], foreign: [], broken: [] };
const pageErrors = [];
const consoleErrors = [];
// Requests under way, per context, so that a page is left only once they
// are done (else the next navigation aborts, say, the favicon request).
const inFlightOf = new WeakMap();

async function newContext(browser, origin, viewport, javaScriptEnabled = true) {
  const context = await localContext(browser, origin, { ...screen(viewport), javaScriptEnabled });
  inFlightOf.set(context, recordRequests(context, origin, log));
  context.on('page', (page) => {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${pathOf(page.url())}: ${oneLine(msg.text(), 300)}`);
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

async function open(page, origin, name, { reload = false } = {}) {
  const response = reload
    ? await page.reload({ waitUntil: 'load', timeout: PAGE_TIMEOUT_MS })
    : await page.goto(`${origin}/${name}`, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  const status = response?.status();
  if (status !== 200) throw new Error(`HTTP ${status} for /${name}`);
  await page.evaluate(() => document.fonts.ready);
  await settle(page);
  return response;
}

/** Waits (at most 5 s) until no request of the page's context is under way. */
async function settle(page) {
  const inFlight = inFlightOf.get(page.context()) ?? new Set();
  // Chromium asks for the favicon a little after the load event.
  await new Promise((ok) => setTimeout(ok, 150));
  await waitForRequests(inFlight);
}

// ---- What the page shows ----------------------------------------------------

/** The role switcher's state and every [data-roles] element, read in the page. */
function readState(page) {
  return page.evaluate((key) => {
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      for (const c of el.classList) s += `.${c}`;
      return `${s}[data-roles="${el.getAttribute('data-roles')}"]`;
    };
    const select = document.querySelector('#role-select');
    const article = document.querySelector('article.section');
    const pageLink = document.querySelector('.role-switcher a.rs-page');
    const status = document.querySelector('.role-switcher .rs-status');
    let stored;
    try {
      stored = localStorage.getItem(key);
    } catch (e) {
      stored = `(localStorage failed: ${e.message})`;
    }
    return {
      htmlRole: document.documentElement.getAttribute('data-role'),
      selectValue: select ? select.value : null,
      articleActive: article ? article.classList.contains('role-active') : null,
      articleConcerns: article ? article.classList.contains('concerns') : null,
      articleRoles: article ? (article.getAttribute('data-roles') || '').split(/\s+/).filter(Boolean) : null,
      tagged: [...document.querySelectorAll('[data-roles]')].map((el) => ({
        what: describe(el),
        isBlk: el.classList.contains('blk'),
        roles: (el.getAttribute('data-roles') || '').split(/\s+/).filter(Boolean),
        concerns: el.classList.contains('concerns'),
      })),
      strayConcerns: [...document.querySelectorAll('.concerns:not([data-roles])')].map(describe),
      blkConcerns: document.querySelectorAll('.blk.concerns').length,
      stored,
      status: status ? status.textContent : null,
      statusShown: status ? status.getClientRects().length > 0 : false,
      pageLink: pageLink
        ? {
            href: pageLink.getAttribute('href'),
            resolved: pageLink.href,
            text: pageLink.textContent,
            shown: !pageLink.hidden && pageLink.getClientRects().length > 0,
          }
        : null,
    };
  }, STORAGE_KEY);
}

/** Problems with the highlighting for `role` ("" = none) in a readState(). */
function highlightProblems(s, role) {
  const p = [];
  if (s.selectValue !== role) p.push(`the select shows "${s.selectValue}", expected "${role}"`);
  if ((s.htmlRole ?? '') !== role) p.push(`<html data-role="${s.htmlRole}">, expected "${role}"`);
  if (s.articleActive !== (role !== '')) {
    p.push(`article.section ${s.articleActive ? 'has' : 'lacks'} class role-active with role "${role}"`);
  }
  for (const t of s.tagged) {
    const should = role !== '' && t.roles.includes(role);
    if (t.concerns && !should) p.push(`${t.what} is .concerns, but its data-roles lack "${role}"`);
    if (!t.concerns && should) p.push(`${t.what} is not .concerns, though its data-roles have "${role}"`);
  }
  for (const w of s.strayConcerns) p.push(`${w} is .concerns without data-roles`);
  if (role !== '' && s.blkConcerns < 1) {
    p.push(`no .blk.concerns on the page (${s.tagged.filter((t) => t.isBlk).length} .blk element(s))`);
  }
  if (role === '' && s.blkConcerns > 0) p.push(`${s.blkConcerns} .blk.concerns with no role chosen`);
  return p;
}

// ---- axe, overflow, screenshots ----------------------------------------------

async function axeCheck(page, axeSource, name, label) {
  await check(`axe ${name} (${label})`, async () => {
    const started = Date.now();
    const { violations, incomplete } = await runAxe(page, axeSource);
    if (incomplete.length > 0) printIncomplete(name, incomplete);
    if (violations.length === 0) return { problems: [], note: `${Date.now() - started} ms` };
    return axeProblems(violations);
  });
}

async function measureOverflow(page, width) {
  return page.evaluate((width) => {
    const doc = document.documentElement;
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
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right <= limit + 1 && r.left >= -1) continue;
      const childWide = [...el.children].some((c) => {
        const cr = c.getBoundingClientRect();
        return cr.right > limit + 1 || cr.left < -1;
      });
      if (!childWide) {
        wide.push(`${path(el)} (left ${Math.round(r.left)}px, right ${Math.round(r.right)}px)`);
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

async function overflowCheck(page, name, label) {
  await check(`overflow ${name} (${label})`, async () => {
    const m = await measureOverflow(page, PHONE.width);
    const note = `scrollWidth ${m.scrollWidth}px, innerWidth ${m.innerWidth}px at ${PHONE.width}x${PHONE.height}`;
    if (m.scrollWidth <= m.innerWidth + 1 && m.innerWidth <= PHONE.width + 1) return { problems: [], note };
    return [
      `the page scrolls sideways on a phone: ${note}`,
      ...m.wide.map((w) => `too wide: ${w}`),
      ...(m.moreWide ? [`… and ${m.moreWide} more`] : []),
    ];
  });
}

const shots = [];
async function screenshot(page, dir, file) {
  const path = join(dir, file);
  try {
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path, fullPage: true, timeout: PAGE_TIMEOUT_MS });
    shots.push(path);
  } catch (err) {
    // A picture for people, not a check: report it, do not count it.
    console.log(`    screenshot ${file} could not be taken: ${oneLine(err.message, 300)}`);
  }
}

// ---- The checks -------------------------------------------------------------

async function noJavaScript(browser, origin, site) {
  const context = await newContext(browser, origin, DESKTOP, false);
  try {
    const page = await context.newPage();
    await open(page, origin, SECTION);
    await check(`nojs ${SECTION}: role links shown, each to an existing role page`, async () => {
      const links = await page.locator('nav.role-switcher a[data-role]').all();
      if (links.length === 0) return ['no a[data-role] in nav.role-switcher'];
      const p = [];
      for (const a of links) {
        const role = await a.getAttribute('data-role');
        const href = await a.getAttribute('href');
        const text = oneLine(await a.textContent());
        if (!(await a.isVisible())) p.push(`a[data-role="${role}"] ("${text}") is not visible`);
        if (!text) p.push(`a[data-role="${role}"] has no text`);
        if (!href) {
          p.push(`a[data-role="${role}"] has no href`);
          continue;
        }
        const file = siteFileFor(site, origin, page.url(), href);
        if (!file) p.push(`a[data-role="${role}"] href="${href}" points outside the site`);
        else if (!(await isFile(file))) p.push(`a[data-role="${role}"] href="${href}": no such file ${file}`);
        const expected = `rolle-${role}.html`;
        if (new URL(href, page.url()).pathname !== `/${expected}`) {
          p.push(`a[data-role="${role}"] href="${href}", expected ${expected}`);
        }
      }
      return { problems: p, note: `${links.length} link(s)` };
    });
    await check(`nojs ${SECTION}: no select, status region present`, async () => {
      const p = [];
      const selects = await page.locator('nav.role-switcher select, #role-select').count();
      if (selects > 0) p.push(`${selects} select element(s) in the role switcher without JavaScript`);
      const status = page.locator('nav.role-switcher p.rs-status');
      if ((await status.count()) !== 1) p.push(`${await status.count()} p.rs-status element(s), expected 1`);
      else {
        if ((await status.getAttribute('role')) !== 'status') p.push('p.rs-status lacks role="status"');
        if ((await status.getAttribute('aria-live')) !== 'polite') p.push('p.rs-status lacks aria-live="polite"');
      }
      return p;
    });
  } finally {
    await context.close();
  }
}

/** The accessible name and role Chromium computes for a selector. */
async function axNode(cdp, selector) {
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  if (!nodeId) return null;
  const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
  const node = nodes.find((n) => !n.ignored) ?? nodes[0];
  return node
    ? { role: node.role?.value ?? '', name: node.name?.value ?? '', ignored: Boolean(node.ignored) }
    : null;
}

async function withJavaScript(browser, origin, site, axeSource, shotDir) {
  const context = await newContext(browser, origin, DESKTOP, true);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await open(page, origin, SECTION);

    // The role ids and names, from the fallback links (hidden by the script).
    const roles = await page.$$eval('nav.role-switcher .rs-links a[data-role]', (as) =>
      as.map((a) => ({ id: a.getAttribute('data-role'), name: a.textContent.trim(), href: a.getAttribute('href') })),
    );
    const roleName = roles.find((r) => r.id === ROLE)?.name ?? null;
    if (!roleName) fail(`role ${ROLE}`, `no a[data-role="${ROLE}"] on ${SECTION}; the checks below will fail`);

    await check(`select ${SECTION}: replaces the links, has a label and the options`, async () => {
      const p = [];
      const select = page.locator('#role-select');
      if ((await select.count()) !== 1) return [`${await select.count()} #role-select element(s), expected 1`];
      if (!(await select.isVisible())) p.push('#role-select is not visible');
      if (await page.locator('nav.role-switcher .rs-links').isVisible()) {
        p.push('the fallback list .rs-links is still visible next to the select');
      }
      const labelText = oneLine(await page.locator('label[for="role-select"]').first().textContent().catch(() => ''));
      if (!labelText) p.push('no label[for="role-select"] with text');
      const ax = await axNode(cdp, '#role-select');
      if (!ax) p.push('Chromium has no accessibility node for #role-select');
      else {
        if (ax.ignored) p.push('#role-select is ignored in the accessibility tree');
        if (!ax.name.trim()) p.push(`#role-select has no accessible name (role ${ax.role})`);
        else if (labelText && ax.name.trim() !== labelText) {
          p.push(`#role-select is named "${ax.name}", not by its label "${labelText}"`);
        }
        if (ax.role !== 'combobox') p.push(`#role-select has role "${ax.role}", expected combobox`);
      }
      const options = await select.locator('option').evaluateAll((os) =>
        os.map((o) => ({ value: o.value, text: o.textContent.trim() })),
      );
      if (options.length === 0) p.push('the select has no options');
      else {
        if (options[0].value !== '') p.push(`the first option has value "${options[0].value}", expected "" (all roles)`);
        if (!options[0].text) p.push('the first option ("" = all roles) has no text');
        const got = options.slice(1).map((o) => o.value);
        const want = roles.map((r) => r.id);
        if (got.join(' ') !== want.join(' ')) {
          p.push(`options after the first: ${got.join(', ')}; expected the links' roles: ${want.join(', ')}`);
        }
        for (const o of options.slice(1)) {
          const r = roles.find((x) => x.id === o.value);
          if (r && o.text !== r.name) p.push(`option "${o.value}" reads "${o.text}", the link reads "${r.name}"`);
        }
      }
      return { problems: p, note: `named "${ax?.name}", ${options.length} options` };
    });

    // Keyboard: Tab from the top of the page until the select has focus.
    let reached = false;
    await check(`keyboard ${SECTION}: Tab reaches the select`, async () => {
      await page.evaluate(() => {
        if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
        window.scrollTo(0, 0);
      });
      const seen = [];
      let hiddenLinkFocused = null;
      for (let i = 1; i <= MAX_TABS; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return { id: '', what: 'body', hiddenLink: false };
          let what = el.tagName.toLowerCase();
          if (el.id) what += `#${el.id}`;
          for (const c of el.classList) what += `.${c}`;
          const text = (el.textContent || '').trim().slice(0, 30);
          return { id: el.id, what: text && el.tagName !== 'SELECT' ? `${what} "${text}"` : what, hiddenLink: Boolean(el.closest('.rs-links')) };
        });
        seen.push(f.what);
        if (f.hiddenLink && !hiddenLinkFocused) hiddenLinkFocused = f.what;
        if (f.id === 'role-select') {
          reached = true;
          const outline = await page.evaluate(() => {
            const cs = getComputedStyle(document.activeElement);
            return { style: cs.outlineStyle, width: cs.outlineWidth, shadow: cs.boxShadow };
          });
          const p = [];
          if (hiddenLinkFocused) {
            p.push(
              `a fallback link of the hidden .rs-links got focus on the way (select reached after ${i} Tab presses): ${hiddenLinkFocused}`,
              `focus went: ${seen.join(' → ')}`,
            );
          }
          if ((outline.style === 'none' || outline.width === '0px') && outline.shadow === 'none') {
            p.push('the focused select shows no focus indicator (outline none, no box-shadow)');
          }
          return { problems: p, note: `${i} Tab press(es); focus outline ${outline.style} ${outline.width}` };
        }
        if (seen.length > 3 && seen.at(-1) === seen[0] && i > 3) break; // went round the page
      }
      return [`the select did not get focus in ${seen.length} Tab press(es)`, `focus went: ${seen.join(' → ')}`];
    });

    // Choose the role by keyboard: ArrowDown on the focused select.
    let how = 'keyboard';
    await check(`choose ${ROLE} by keyboard on ${SECTION}`, async () => {
      if (!reached) await page.focus('#role-select');
      const count = await page.locator('#role-select option').count();
      for (let i = 0; i < count && (await page.inputValue('#role-select')) !== ROLE; i++) {
        await page.keyboard.press('ArrowDown');
      }
      if ((await page.inputValue('#role-select')) !== ROLE) {
        // The choice itself may be made with selectOption; note it.
        how = 'selectOption (ArrowDown did not reach it)';
        await page.selectOption('#role-select', ROLE);
      }
      await page
        .waitForFunction((r) => document.documentElement.getAttribute('data-role') === r, ROLE, { timeout: 5_000 })
        .catch(() => {});
      const s = await readState(page);
      const p = highlightProblems(s, ROLE);
      if (s.stored !== ROLE) p.push(`localStorage "${STORAGE_KEY}" is ${JSON.stringify(s.stored)}, expected "${ROLE}"`);
      const focused = await page.evaluate(() => document.activeElement?.id);
      if (focused !== 'role-select') p.push(`focus moved away from the select (to #${focused || 'body'}) after the choice`);
      return { problems: p, note: `by ${how}; ${s.blkConcerns} .blk.concerns of ${s.tagged.filter((t) => t.isBlk).length} .blk` };
    });

    await check(`status ${SECTION}: announces ${ROLE}`, async () => {
      const s = await readState(page);
      const p = [];
      const text = oneLine(s.status);
      if (!text) p.push('the status region is empty after the choice');
      else if (roleName && !text.includes(roleName)) p.push(`the status "${text}" does not name the role "${roleName}"`);
      if (text && !s.statusShown) p.push('the status region has text but is not rendered');
      return { problems: p, note: `"${text}"` };
    });

    await check(`page link ${SECTION}: a.rs-page to ${ROLE_PAGE}`, async () => {
      const s = await readState(page);
      if (!s.pageLink) return ['no a.rs-page in the role switcher'];
      const p = [];
      if (!s.pageLink.shown) p.push('a.rs-page is hidden');
      if (pathOf(s.pageLink.resolved) !== `/${ROLE_PAGE}`) {
        p.push(`a.rs-page href="${s.pageLink.href}" (${s.pageLink.resolved}), expected ${ROLE_PAGE}`);
      }
      const file = siteFileFor(site, origin, page.url(), s.pageLink.href ?? '');
      if (!file || !(await isFile(file))) p.push(`a.rs-page href="${s.pageLink.href}" is not a file of the site`);
      if (!oneLine(s.pageLink.text)) p.push('a.rs-page has no text');
      else if (roleName && !s.pageLink.text.includes(roleName)) p.push(`a.rs-page reads "${s.pageLink.text}", not naming "${roleName}"`);
      return { problems: p, note: `"${oneLine(s.pageLink.text)}"` };
    });

    await check(`visible ${SECTION}: .blk.concerns has its own background`, async () => {
      const c = await page.evaluate(() => {
        const bg = (el) => (el ? getComputedStyle(el).backgroundColor : null);
        return {
          on: bg(document.querySelector('.body .blk.concerns')),
          off: bg(document.querySelector('.body .blk:not(.concerns)')),
        };
      });
      if (!c.on) return ['no .blk.concerns in .body'];
      if (!c.off) return ['no .blk without .concerns in .body to compare with'];
      if (c.on === c.off) return [`a .blk.concerns and another .blk have the same background-color ${c.on}`];
      return { problems: [], note: `${c.on} vs ${c.off}` };
    });

    await axeCheck(page, axeSource, SECTION, `role ${ROLE} chosen`);
    await screenshot(page, shotDir, `roles-section-${ROLE}-1280.png`);

    // Persistence: another section page, then a reload.
    await open(page, origin, OTHER_SECTION);
    await check(`persist ${OTHER_SECTION}: ${ROLE} still chosen and highlighted`, async () => {
      const s = await readState(page);
      return { problems: highlightProblems(s, ROLE), note: `${s.blkConcerns} .blk.concerns` };
    });
    await open(page, origin, OTHER_SECTION, { reload: true });
    await check(`persist ${OTHER_SECTION} after reload`, async () => {
      const s = await readState(page);
      return { problems: highlightProblems(s, ROLE), note: `${s.blkConcerns} .blk.concerns` };
    });

    // The other pages, with the role still chosen in this browser.
    for (const name of EXTRA_AXE_PAGES) {
      try {
        await open(page, origin, name);
        const stored = await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY);
        if (stored !== ROLE) console.log(`    note: on ${name} localStorage "${STORAGE_KEY}" is ${JSON.stringify(stored)}`);
        await axeCheck(page, axeSource, name, `role ${ROLE} stored`);
        if (name !== 'til-dig.html') await screenshot(page, shotDir, `roles-${name.replace(/\.html$/, '')}-1280.png`);
      } catch (err) {
        fail(`axe ${name} (role ${ROLE} stored)`, oneLine(err.message, 500));
      }
    }

    // Back to all roles, by keyboard.
    await open(page, origin, OTHER_SECTION);
    await check(`clear: choosing "" (all roles) by keyboard removes the highlight`, async () => {
      await page.focus('#role-select');
      const count = await page.locator('#role-select option').count();
      let clearHow = 'keyboard';
      for (let i = 0; i < count && (await page.inputValue('#role-select')) !== ''; i++) {
        await page.keyboard.press('ArrowUp');
      }
      if ((await page.inputValue('#role-select')) !== '') {
        clearHow = 'selectOption (ArrowUp did not reach it)';
        await page.selectOption('#role-select', '');
      }
      await page
        .waitForFunction(() => !document.querySelector('.concerns'), null, { timeout: 5_000 })
        .catch(() => {});
      const s = await readState(page);
      const p = highlightProblems(s, '');
      const left = await page.locator('.concerns').count();
      if (left > 0) p.push(`${left} element(s) still .concerns`);
      if (s.stored !== null) p.push(`localStorage "${STORAGE_KEY}" is still ${JSON.stringify(s.stored)}`);
      if (s.pageLink?.shown) p.push('a.rs-page is still shown');
      return { problems: p, note: `by ${clearHow}; status "${oneLine(s.status)}"` };
    });
    for (const name of [SECTION, OTHER_SECTION]) {
      await open(page, origin, name);
      await check(`clear persists: ${name} loads with nothing highlighted`, async () => {
        const s = await readState(page);
        const p = highlightProblems(s, '');
        const left = await page.locator('.concerns').count();
        if (left > 0) p.push(`${left} element(s) .concerns`);
        if (s.stored !== null) p.push(`localStorage "${STORAGE_KEY}" is ${JSON.stringify(s.stored)}`);
        return p;
      });
    }
  } finally {
    await context.close();
  }
}

async function onPhone(browser, origin, shotDir) {
  const context = await newContext(browser, origin, PHONE, true);
  try {
    const page = await context.newPage();
    await open(page, origin, SECTION);
    await check(`phone ${SECTION}: choose ${ROLE}`, async () => {
      await page.selectOption('#role-select', ROLE);
      await page
        .waitForFunction((r) => document.documentElement.getAttribute('data-role') === r, ROLE, { timeout: 5_000 })
        .catch(() => {});
      return highlightProblems(await readState(page), ROLE);
    });
    for (const name of PHONE_PAGES) {
      try {
        if (name !== SECTION) await open(page, origin, name);
        await overflowCheck(page, name, `role ${ROLE} ${name === SECTION ? 'chosen' : 'stored'}`);
        const base = name === SECTION ? `section-${ROLE}` : name.replace(/\.html$/, '');
        await screenshot(page, shotDir, `roles-${base}-390.png`);
      } catch (err) {
        fail(`overflow ${name}`, oneLine(err.message, 500));
      }
    }
  } finally {
    await context.close();
  }
}

async function main() {
  const args = parseArgs('node roles.mjs SITE_DIR [--results FILE] [--screenshots DIR]', {
    screenshots: join(ROOT, 'target', 'screenshots'),
  });
  const { site } = args;
  const shotDir = resolve(args.screenshots);

  for (const name of [SECTION, OTHER_SECTION, ...EXTRA_AXE_PAGES]) {
    if (!(await isFile(join(site, name)))) {
      fail(`page ${name}`, `missing from the built site ${site}`);
      return;
    }
  }
  await mkdir(shotDir, { recursive: true });

  const axe = await loadAxe();
  await withBrowser(site, async (browser, server) => {
    console.log(
      `roles: Chromium ${browser.version()} (${CHROMIUM_PATH}), axe-core ${axe.version}, site at ${server.origin}, role ${ROLE}`,
    );
    const parts = [
      ['without JavaScript', () => noJavaScript(browser, server.origin, site)],
      ['with JavaScript', () => withJavaScript(browser, server.origin, site, axe.source, shotDir)],
      ['on a phone', () => onPhone(browser, server.origin, shotDir)],
    ];
    for (const [what, part] of parts) {
      try {
        await part();
      } catch (err) {
        fail(`roles ${what}`, oneLine(err.message, 500));
      }
    }

    if (pageErrors.length === 0) pass('script', 'no uncaught script errors');
    else fail('script', `${pageErrors.length} uncaught script error(s)`, [...new Set(pageErrors)]);
    for (const e of new Set(consoleErrors)) console.log(`    console error (not counted as a failure): ${e}`);

    const f = [...new Set(log.foreign)];
    const b = [...new Set(log.broken)];
    if (log.requests.length === 0) fail('network', 'no requests were recorded at all');
    else if (f.length === 0 && b.length === 0) pass('network', `${log.requests.length} request(s), all to ${server.origin}`);
    else {
      fail('network', `${f.length} request(s) leaving ${server.origin}, ${b.length} failed local request(s)`, networkDetails(f, b));
    }
  });
  if (shots.length > 0) {
    console.log('screenshots (for people to look at):');
    for (const s of shots) console.log(`    ${s}`);
  }
}

run(main, { name: 'roles', timeoutMs: RUN_TIMEOUT_MS }).then(() => {
  if (counts().failed > 0) process.exitCode = 1;
});
