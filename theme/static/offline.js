// Offline reading: registers the site's service worker (sw.js at the site's root, next to
// index.html) and says so when the page shown is a saved copy. The notice goes into the status
// element #offline-status (role=status, so screen readers announce it); its text comes from the
// element's data-msg attribute. It shows when the browser is offline or when the service worker
// served this page from its cache (a "Server-Timing: vejviser-cache" entry on the page's
// navigation), and it hides again when the browser is back online. Nothing is sent anywhere.
(function () {
  "use strict";
  var script = document.currentScript;

  var status = document.getElementById("offline-status");
  if (!status) {
    status = document.createElement("p");
    status.id = "offline-status";
    status.className = "offline-status";
    status.setAttribute("role", "status");
    var main = document.querySelector("main") || document.body;
    main.insertBefore(status, main.firstChild);
  }
  // The text is the page's, in its language (no page of the theme is without it).
  var message = status.getAttribute("data-msg") || "";

  var fromCache = false;
  try {
    var nav = performance.getEntriesByType("navigation")[0];
    fromCache = !!(nav && nav.serverTiming && nav.serverTiming.some(function (entry) {
      return entry.name === "vejviser-cache";
    }));
  } catch (e) {
    fromCache = false;
  }

  function update() {
    var show = fromCache || navigator.onLine === false;
    var text = show ? message : "";
    if (status.textContent !== text) status.textContent = text;
    document.documentElement.classList.toggle("is-offline", show);
  }

  window.addEventListener("offline", update);
  window.addEventListener("online", function () {
    // Back online: the next page comes from the network again.
    fromCache = false;
    update();
  });
  update();

  // The worker only on http(s) (not file://) and where the browser allows service workers.
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol) || !window.isSecureContext) return;
  var workerUrl;
  try {
    // This script is assets/offline.js; the worker is sw.js one folder up, at the site's root.
    workerUrl = script && script.src ? new URL("../sw.js", script.src) : new URL("sw.js", location.href);
  } catch (e) {
    return;
  }
  if (workerUrl.origin !== location.origin) return;
  function register() {
    navigator.serviceWorker.register(workerUrl.href, { scope: new URL("./", workerUrl).href }).catch(function () {
      /* no worker (e.g. storage turned off): the site works online as before */
    });
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
