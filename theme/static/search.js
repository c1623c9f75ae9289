// The search page (soeg.html): searches the Pagefind index in pagefind/ in this browser.
//
// - Reads ?q=… and ?rolle=… (the plain GET form, and the header's search box, send them), so a
//   search can be linked to and survives a reload; typing updates the address with
//   history.replaceState.
// - Searches as you type (debounced); a search that is overtaken by a newer one is dropped.
// - Each result is a link (section number and title) in a list, with Pagefind's excerpt (the
//   matching words in <mark>) and the roles the section concerns. The number of results is
//   announced in a polite live region.
// - Local material: a page with Pagefind metadata `lokal` (the owner, e.g. "Region Midtjylland")
//   gets a badge after its title (class badge-local), "Lokalt afsnit · <owner>" when `lokal_type`
//   is "afsnit" (a section the region added) and "Lokal tilpasning · <owner>" when it is
//   "tilpasning" (a national section with local additions or replacements); the link is
//   described by the badge (aria-describedby), so it is heard also in a list of links.
// - Danish "aa" for "å": a query with "aa" (any case: "behandlingsmaal", "Paarørende", "AARHUS")
//   is also searched with every "aa" as "å" ("behandlingsmål"), and the two result lists are
//   merged: each page once (with the better-scoring of its two hits), best score first. The
//   query as typed keeps all of its own results, so words where "aa" is right (Aarhus,
//   Nørregaard) are still found.
// - The role filter (a select) narrows the results to sections with that role (Pagefind filter
//   "rolle"); with no words it lists every section for the role, by section number.
// - Keyboard: ArrowDown in the search field moves to the first result, ArrowDown/ArrowUp move
//   between results (ArrowUp from the first goes back to the field), Home/End jump to the first
//   and last result, Escape returns to the field; Enter opens the focused result (it is a link).
//
// - A large site has several Pagefind indexes, one per fixed slice of its pages: the first in
//   pagefind/, the others listed in pagefind/merge.json, which are merged into the first with
//   Pagefind's mergeIndex, so that one search covers all of them.
//
// Pagefind is loaded with import() from the same origin; it fetches its index files with fetch()
// and runs WebAssembly, so this page's Content-Security-Policy has connect-src 'self' and
// script-src 'self' 'wasm-unsafe-eval'. Nothing is sent to another origin.

const app = document.getElementById('search-app');

if (app) {
  const form = app.querySelector('form');
  const input = document.getElementById('search-q');
  const role = document.getElementById('search-role');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const nojs = document.getElementById('search-nojs');
  const nojsWhy = document.getElementById('search-nojs-why');
  const help = document.getElementById('search-help');
  const text = app.dataset;
  // The name of the role filter, in the address (?rolle=…) and in the index: the language's.
  const ROLE = text.roleParam || 'role';

  const PAGE_SIZE = 10;
  const DEBOUNCE_MS = 150;

  let pagefind = null;
  let generation = 0; // the newest search; older ones are dropped when they finish
  let timer = 0;
  let pending = []; // results not shown yet (Pagefind result handles)
  let shownQuery = { q: '', role: '' };
  let badges = 0; // for the badges' ids

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));

  function setStatus(message) {
    // Setting the same text again would not be announced; it does not need to be.
    if (status.textContent !== message) status.textContent = message;
  }

  // ---- The query in the address ------------------------------------------------------------

  function readAddress() {
    const params = new URLSearchParams(window.location.search);
    input.value = params.get('q') ?? '';
    const wanted = params.get(ROLE) ?? '';
    role.value = [...role.options].some((o) => o.value === wanted) ? wanted : '';
  }

  function writeAddress(q, r) {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (r) params.set(ROLE, r);
    const query = params.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (url !== `${window.location.pathname}${window.location.search}`) {
      window.history.replaceState(null, '', url);
    }
  }

  // ---- Results -------------------------------------------------------------------------------

  // Pagefind's excerpt is text with <mark> around the matches: copy only the text and the marks,
  // never other markup.
  function excerptNodes(html) {
    const doc = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
    const out = document.createDocumentFragment();
    const walk = (node, into) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          into.append(child.textContent);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.localName === 'mark') {
            const mark = document.createElement('mark');
            mark.textContent = child.textContent;
            into.append(mark);
          } else {
            walk(child, into);
          }
        }
      }
    };
    walk(doc.body, out);
    return out;
  }

  // A page's address relative to this page (the site may live in a sub-folder).
  function href(data) {
    const raw = data.raw_url || data.url || '';
    return raw.replace(/^\/+/, '');
  }

  // The badge of a page with local material (metadata `lokal`, `lokal_type`), or null.
  function localBadge(meta) {
    const owner = typeof meta.lokal === 'string' ? meta.lokal.trim() : '';
    if (!owner) return null;
    const kind = typeof meta.lokal_type === 'string' ? meta.lokal_type.trim() : '';
    let template = text.localOther;
    if (kind === 'afsnit') template = text.localSection;
    else if (kind === 'tilpasning') template = text.localAdaptation;
    const badge = document.createElement('span');
    badge.className = 'badge-local';
    badge.id = `search-local-${++badges}`;
    badge.textContent = fill(template ?? '{owner}', { owner });
    return badge;
  }

  function resultItem(data) {
    const li = document.createElement('li');
    li.className = 'search-result';
    const a = document.createElement('a');
    a.href = href(data);
    const meta = data.meta || {};
    if (meta.number) {
      const num = document.createElement('span');
      num.className = 'num';
      num.textContent = meta.number;
      a.append(num, ' ');
    }
    a.append(meta.title || data.url);
    const heading = document.createElement('p');
    heading.className = 'search-result-title';
    heading.append(a);
    const badge = localBadge(meta);
    if (badge) {
      a.setAttribute('aria-describedby', badge.id);
      heading.append(' ', badge);
    }
    li.append(heading);
    if (data.excerpt) {
      const p = document.createElement('p');
      p.className = 'search-excerpt';
      p.append(excerptNodes(data.excerpt));
      li.append(p);
    }
    const roles = data.filters?.[ROLE] ?? [];
    if (roles.length) {
      const p = document.createElement('p');
      p.className = 'search-roles';
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = `${text.rolesLabel}:`;
      p.append(label, ` ${roles.join(', ')}`);
      li.append(p);
    }
    return li;
  }

  async function showMore(gen) {
    const batch = pending.splice(0, PAGE_SIZE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (gen !== generation) return false;
    list.append(...data.map(resultItem));
    more.hidden = pending.length === 0;
    return true;
  }

  function statusText(count, q, r) {
    let message;
    if (!q) message = fill(text.roleOnly, { count, role: r });
    else if (count === 0) message = fill(text.none, { q });
    else if (count === 1) message = fill(text.one, { q });
    else message = fill(text.many, { count, q });
    if (q && r) message = fill(text.inRole, { status: message, role: r });
    return message;
  }

  function clearResults() {
    list.replaceChildren();
    list.hidden = true;
    list.removeAttribute('data-query');
    more.hidden = true;
    pending = [];
  }

  // The query with each "aa" as "å" (keeping the case: "Aa"/"AA" → "Å"), or null without "aa"
  // or on a site not in Danish (only Danish writes "å" as "aa").
  const DANISH = /^da\b/i.test(document.documentElement.lang || '');
  function aaVariant(q) {
    if (!DANISH || !/aa/i.test(q)) return null;
    return q.replace(/aa/gi, (m) => (m === 'aa' ? '\u00e5' : '\u00c5'));
  }

  // Pagefind's results for `q` (null for none: all pages of the filter), merged with those of
  // its "aa" → "å" variant: each page once, with its better hit, best score first (a stable sort,
  // so equal scores keep the order of the query as typed). Null if Pagefind gave nothing.
  async function find(q, options) {
    const variant = q ? aaVariant(q) : null;
    const [typed, alt] = await Promise.all([
      pagefind.search(q || null, options),
      variant ? pagefind.search(variant, options) : null,
    ]);
    if (!typed) return null;
    if (!alt?.results?.length) return typed.results;
    const best = new Map();
    for (const result of [...typed.results, ...alt.results]) {
      const had = best.get(result.id);
      if (!had || result.score > had.score) best.set(result.id, result);
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  async function runSearch() {
    clearTimeout(timer);
    const q = input.value.trim();
    const r = role.value;
    writeAddress(q, r);
    const gen = ++generation;
    if (!q && !r) {
      clearResults();
      shownQuery = { q, role: r };
      setStatus(text.empty);
      return;
    }
    if (!pagefind) return; // searched once Pagefind has loaded
    if (q !== shownQuery.q || r !== shownQuery.role) setStatus(text.loading);
    const found = await find(q, r ? { filters: { [ROLE]: r } } : {});
    if (gen !== generation || !found) return;
    let results = found;
    if (!q) {
      // A role's sections with no words: in the guideline's order (by section number).
      const data = await Promise.all(results.map((result) => result.data()));
      if (gen !== generation) return;
      const key = (d) => d.meta?.number ?? '\uffff';
      const order = data
        .map((d, i) => [d, i])
        .sort(([a, i], [b, j]) => key(a).localeCompare(key(b), 'da', { numeric: true }) || i - j);
      results = order.map(([d]) => ({ data: async () => d }));
    }
    list.replaceChildren();
    pending = results.slice();
    if (!(await showMore(gen))) return;
    list.hidden = results.length === 0;
    list.dataset.query = `${q}\u0000${r}`;
    shownQuery = { q, role: r };
    setStatus(statusText(results.length, q, r));
  }

  function scheduleSearch() {
    clearTimeout(timer);
    timer = setTimeout(runSearch, DEBOUNCE_MS);
  }

  // ---- Keyboard ------------------------------------------------------------------------------

  const links = () => [...list.querySelectorAll('.search-result-title a')];

  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && !event.altKey) {
      const first = links()[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  list.addEventListener('keydown', (event) => {
    const all = links();
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (event.key === 'ArrowDown') next = all[Math.min(i + 1, all.length - 1)];
    else if (event.key === 'ArrowUp') next = i === 0 ? input : all[i - 1];
    else if (event.key === 'Home') next = all[0];
    else if (event.key === 'End') next = all[all.length - 1];
    else if (event.key === 'Escape') next = input;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  // ---- Start -----------------------------------------------------------------------------------

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    runSearch();
  });
  input.addEventListener('input', scheduleSearch);
  role.addEventListener('change', runSearch);
  more.addEventListener('click', async () => {
    const first = list.children.length;
    if (await showMore(generation)) list.children[first]?.querySelector('a')?.focus();
  });

  readAddress();
  nojs.hidden = true;
  help.hidden = false;
  if (input.value || role.value) setStatus(text.loading);

  const url = new URL(text.pagefind, document.baseURI).href;
  const OPTIONS = { excerptLength: 24 };
  /** The folders of the further indexes to merge into the first one (see merge.json). */
  async function mergedBundles() {
    const response = await fetch(new URL(text.merge, document.baseURI).href);
    if (!response.ok) throw new Error(`${text.merge}: HTTP ${response.status}`);
    const list = await response.json();
    return (list.bundles || []).map((dir) => new URL(dir, document.baseURI).href);
  }
  Promise.all([import(url), mergedBundles()])
    .then(async ([module, bundles]) => {
      await module.options(OPTIONS);
      await module.init();
      await Promise.all(bundles.map((dir) => module.mergeIndex(dir, OPTIONS)));
      pagefind = module;
      await runSearch();
    })
    .catch((err) => {
      console.error('search: cannot load Pagefind', err);
      clearResults();
      help.hidden = true;
      setStatus(text.failed);
      nojsWhy.textContent = text.failed;
      nojs.hidden = false;
    });
}
