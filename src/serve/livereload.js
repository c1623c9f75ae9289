// Live reload for `vejviser serve` (preview only; never part of a built site).
// From tower-livereload 0.10 (assets/sse_reload.js, MIT OR Apache-2.0), served as a file of
// its own so that the pages' Content-Security-Policy `script-src 'self'` allows it.
(() => {
  const inputs = document.currentScript.dataset;

  addEventListener("pageshow", () => {
    const source = new EventSource(inputs.eventStream);
    source.addEventListener("reload", () => {
      source.close();
      window.location.reload();
    });

    const onerror = () => {
      source.removeEventListener("error", onerror);
      source.addEventListener("init", () => {
        source.close();
        window.location.reload();
      });
    };

    source.addEventListener("error", onerror);

    addEventListener("pagehide", () => {
      source.removeEventListener("error", onerror);
      source.close();
    });
  });
})();
