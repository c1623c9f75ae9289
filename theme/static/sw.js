// Service worker: after a first visit the whole site can be read offline. It lives at the site's
// root (sw.js, next to index.html) so that its scope covers every page, and it uses only URLs
// relative to that scope, so the site works under any base path.
//
// - Only GET requests for this origin, inside this worker's scope, are handled; everything else is
//   left to the browser. The worker itself only ever fetches files of its own site: the sitemap,
//   the pages it lists and the files those pages refer to. Nothing is sent anywhere.
// - On install: the core files (the front page, the table of contents, the 404 page, the web
//   manifest and every file in assets/, whose CSS and JS names carry their content hash), then
//   every page of the site (the build writes both lists over the placeholders below, relative to
//   the scope), then the same-site files those pages use (figures, JSON), then the search files
//   of this build: every file listed in pagefind/precache.json, which the
//   build writes (src/search.rs) — Pagefind's script, worker, WebAssembly, entry, metadata, and
//   the index, filter and fragment chunks (named by the hash of their content).
// - Pages (navigations): network first, the cached copy when the network fails. A page served from
//   the cache carries the header "Server-Timing: vejviser-cache", which assets/offline.js reads
//   (performance navigation timing) to tell the reader that this is a saved copy.
// - Search files (pagefind/…): the cached copy only, without a refresh, as they belong to this
//   build; Pagefind asks for pagefind-entry.json with a changing "?ts=…" to get past HTTP caches,
//   so for this site's own pagefind/ files the query is ignored when looking in the cache. Files
//   not in the cache come from the network.
// - Other files: the cached copy first, refreshed in the background.
// - The preview server's own files (/_vejviser/…: its reload script and event stream, which
//   `vejviser serve` adds to the pages it serves) are left to the browser, never cached.
// - The cache's name holds the build id (the build writes it over the placeholder below) and this
//   worker's scope; on activate, this scope's caches of other builds are deleted.
"use strict";

var BUILD = "__VEJVISER_BUILD__";
var SCOPE = self.registration.scope; // e.g. https://example.org/retningslinje/
var PREFIX = "vejviser:" + SCOPE + ":";
var CACHE = PREFIX + BUILD;

// Files every visit needs, relative to the scope. Install fails (and is tried again on the next
// visit) unless all of them can be fetched. Written by the build (src/build/service_worker.rs).
var CORE = __VEJVISER_CORE__;

// The site's pages, relative to the scope: fetched after the core files, a few at a time.
var PAGES = __VEJVISER_PAGES__;

// Never cached: the worker script itself (the browser checks it for updates) and the sitemap.
var NEVER = ["sw.js", "assets/sw.js", "sitemap.xml"];

// The search bundle's folder, and the build's list of its files (src/search.rs, PRECACHE_LIST).
var SEARCH_DIR = "pagefind/";
var SEARCH_LIST = "pagefind/precache.json";

/** The URL of `path` in this site, or null if it is not a file of this site. */
function inSite(path, base) {
  var url;
  try {
    url = new URL(path, base || SCOPE);
  } catch (e) {
    return null;
  }
  if (url.origin !== self.location.origin || url.href.indexOf(SCOPE) !== 0) return null;
  url.hash = "";
  return url;
}

/** Same-site files a page refers to with src= or href= (not pages, not other origins). */
function pageFiles(html, pageUrl) {
  var out = [];
  var re = /\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;
  var m;
  while ((m = re.exec(html))) {
    var ref = (m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3]).replace(/&amp;/g, "&");
    if (!ref || ref.charAt(0) === "#" || (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^https?:/i.test(ref))) continue;
    var url = inSite(ref, pageUrl);
    if (!url || url.search || /\.html?$/i.test(url.pathname) || url.pathname.slice(-1) === "/") continue;
    if (isNever(url)) continue;
    out.push(url.href);
  }
  return out;
}

function isNever(url) {
  var rel = url.href.slice(SCOPE.length);
  return NEVER.indexOf(rel) >= 0;
}

/** Whether `url` (a URL of this site) is one of the search files in pagefind/. */
function isSearchFile(url) {
  return url.pathname.indexOf(new URL(SEARCH_DIR, SCOPE).pathname) === 0;
}

/** The search files of this build: the site-relative paths of SEARCH_LIST, as URLs of this site. */
function searchFiles(json) {
  var list = json && Array.isArray(json.files) ? json.files : [];
  var out = [];
  list.forEach(function (path) {
    if (typeof path !== "string") return;
    var url = inSite(path);
    if (!url || url.search || !isSearchFile(url) || url.href === inSite(SEARCH_LIST).href) return;
    if (out.indexOf(url.href) < 0) out.push(url.href);
  });
  return out;
}

/** Runs `work(item)` for every item, at most `width` at a time; resolves when all are done. */
function pool(items, width, work) {
  var queue = items.slice();
  function next() {
    if (!queue.length) return Promise.resolve();
    return Promise.resolve(work(queue.shift())).then(next);
  }
  var runners = [];
  for (var i = 0; i < width; i++) runners.push(next());
  return Promise.all(runners);
}

/** A request that skips the HTTP cache, so a new build never stores an old file. */
function fresh(href) {
  return new Request(href, { cache: "reload", credentials: "same-origin" });
}

/** Fetches `href` and stores it if it answers 200; never throws. Resolves to the text or null. */
function store(cache, href, wantText) {
  return fetch(fresh(href))
    .then(function (res) {
      if (!res.ok || res.type !== "basic") return null;
      var copy = wantText ? res.clone() : null;
      return cache.put(href, res).then(function () {
        return copy ? copy.text() : "";
      });
    })
    .catch(function () {
      return null;
    });
}

function precache() {
  return fill().catch(function (err) {
    // Nothing half-filled is left behind; the next visit tries again.
    return caches.delete(CACHE).then(function () {
      throw err;
    });
  });
}

function fill() {
  return caches.open(CACHE).then(function (cache) {
    var core = CORE.map(function (p) {
      return inSite(p).href;
    });
    return cache
      .addAll(core.map(fresh))
      .then(function () {
        var pages = PAGES.map(function (p) {
          return inSite(p);
        })
          .filter(function (url) {
            return url && core.indexOf(url.href) < 0;
          })
          .map(function (url) {
            return url.href;
          });
        // The core pages are fetched again (as text) only to find the files they use.
        var all = core.filter(function (href) {
          return /\.html$/.test(href);
        }).concat(pages);
        var files = {};
        // A few at a time: a large site should not open hundreds of requests at once.
        var queue = all.slice();
        function next() {
          var href = queue.shift();
          if (!href) return Promise.resolve();
          var isCore = core.indexOf(href) >= 0;
          var text = isCore
            ? cache.match(href).then(function (r) {
                return r ? r.text() : null;
              })
            : store(cache, href, true);
          return text.then(function (html) {
            if (html) {
              pageFiles(html, href).forEach(function (f) {
                if (core.indexOf(f) < 0) files[f] = true;
              });
            }
            return next();
          });
        }
        var workers = [];
        for (var i = 0; i < 6; i++) workers.push(next());
        return Promise.all(workers)
          .then(function () {
            return Promise.all(
              Object.keys(files).map(function (href) {
                return store(cache, href, false);
              }),
            );
          })
          .then(function () {
            return precacheSearch(cache);
          });
      });
  });
}

/** Stores the search files listed in SEARCH_LIST; a site without search has no list. */
function precacheSearch(cache) {
  return fetch(fresh(inSite(SEARCH_LIST).href))
    .then(function (res) {
      return res.ok && res.type === "basic" ? res.json() : null;
    })
    .catch(function () {
      return null;
    })
    .then(function (json) {
      return pool(searchFiles(json), 6, function (href) {
        return store(cache, href, false);
      });
    });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    precache().then(function () {
      return self.skipWaiting();
    }),
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(PREFIX) === 0 && name !== CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

/**
 * The cached response for `url` (the scope itself means index.html). With `anyQuery`, a cached
 * copy stored without the query answers too (pages opened with ?q=…, pagefind-entry.json?ts=…).
 */
function fromCache(url, anyQuery) {
  var key = url.href;
  if (key === SCOPE) key = SCOPE + "index.html";
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key).then(function (hit) {
      return hit || (anyQuery && url.search ? cache.match(key, { ignoreSearch: true }) : undefined);
    });
  });
}

/** A copy of the cached page `res` that says it came from the cache. */
function markedAsCached(res) {
  var headers = new Headers(res.headers);
  headers.set("Server-Timing", 'vejviser-cache;desc="offline"');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: headers });
}

function page(event, url) {
  return fetch(event.request)
    .then(function (res) {
      if (res.ok && res.type === "basic" && !url.search) {
        var copy = res.clone();
        var key = url.href === SCOPE ? SCOPE + "index.html" : url.href;
        event.waitUntil(
          caches.open(CACHE).then(function (cache) {
            return cache.put(key, copy);
          }),
        );
      }
      return res;
    })
    .catch(function (err) {
      return fromCache(url, true).then(function (hit) {
        if (hit) return markedAsCached(hit);
        throw err;
      });
    });
}

/** A search file: the cached copy of this build, else the network (stored when it has no query). */
function searchFile(event, url) {
  return fromCache(url, true).then(function (hit) {
    if (hit) return hit;
    return fetch(event.request).then(function (res) {
      if (res.ok && res.type === "basic" && !url.search) {
        var copy = res.clone();
        event.waitUntil(
          caches.open(CACHE).then(function (cache) {
            return cache.put(url.href, copy);
          }),
        );
      }
      return res;
    });
  });
}

function file(event, url) {
  return fromCache(url, false).then(function (hit) {
    var update = fetch(event.request).then(function (res) {
      if (res.ok && res.type === "basic" && !url.search) {
        var copy = res.clone();
        return caches
          .open(CACHE)
          .then(function (cache) {
            return cache.put(url.href, copy);
          })
          .then(function () {
            return res;
          });
      }
      return res;
    });
    if (hit) {
      event.waitUntil(
        update.catch(function () {
          /* offline: the cached copy stays */
        }),
      );
      return hit;
    }
    return update;
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = inSite(req.url);
  if (!url || isNever(url)) return;
  if (url.pathname.indexOf("/_vejviser/") === 0) return;
  if (req.headers.has("range")) return;
  if (req.mode === "navigate") event.respondWith(page(event, url));
  else if (isSearchFile(url)) event.respondWith(searchFile(event, url));
  else event.respondWith(file(event, url));
});
