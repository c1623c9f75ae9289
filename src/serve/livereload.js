// Live reload for `vejviser serve` (preview only; never part of a built site). It listens to
// the server's event stream (tower-livereload's protocol: an "init" event once connected, a
// "reload" event after a rebuild) and reloads the page. A reload event sent while the page was
// still loading reaches no one, so once connected it also asks the server for its build
// generation and reloads when the page was served from an older one. It is a file of its own, served by
// `serve`, so that the pages' Content-Security-Policy (`script-src 'self'`) allows it.
"use strict";
(function () {
  var me = document.currentScript;
  var url = me && me.getAttribute("data-event-stream");
  var served = me && me.getAttribute("data-generation");
  if (!url || !window.EventSource) return;
  var stream = null;
  // Set when the connection dropped (the server restarted): its next "init" means that the
  // page may be out of date.
  var dropped = false;

  function reload() {
    if (stream) stream.close();
    window.location.reload();
  }

  function connect() {
    if (stream) return;
    stream = new EventSource(url);
    stream.addEventListener("reload", reload);
    stream.addEventListener("init", function () {
      if (dropped) return reload();
      if (served === null || !window.fetch) return;
      window
        .fetch(url.replace(/event-stream$/, "generation"), { cache: "no-store" })
        .then(function (r) {
          return r.ok ? r.text() : null;
        })
        .then(function (now) {
          if (now !== null && now.trim() !== served) reload();
        })
        .catch(function () {});
    });
    stream.addEventListener("error", function () {
      dropped = true;
    });
  }

  function disconnect() {
    if (stream) stream.close();
    stream = null;
    dropped = false;
  }

  // pageshow also fires when the page comes back from the back/forward cache.
  window.addEventListener("pageshow", connect);
  window.addEventListener("pagehide", disconnect);
})();
