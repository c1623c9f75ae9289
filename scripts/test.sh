#!/usr/bin/env bash
# The project's one test command: runs every test.
#
#   0. cargo fmt --check and cargo clippy --all-targets -- -D warnings (a check each)
#   1. cargo test --all-targets --no-fail-fast  (the Rust tests, every target)
#   2. build the shipped guideline with the binary cargo test just built (debug profile; the site is the same) into target/test-site
#   3. W3C Nu HTML checker (vnu.jar, with `java`) on every .html page: 0 errors
#   4. axe-core (WCAG 2.0/2.1 A and AA) in headless Chromium on every page,
#   5. every request of those pages stays on the local server, and the key
#      pages do not scroll sideways at a 390x844 phone viewport
#   6. the role switcher (assets/roles.js) in headless Chromium: the no-JS
#      links, the select by keyboard, highlighting, persistence, axe with a
#      role chosen, local requests only; screenshots go to target/screenshots
#   then the checklist, offline and search pages, and `vejviser serve`
#      (live reload and the error overlay, tests/browser/live-reload.mjs)
#
# Needs: cargo; node + npm, java, /usr/bin/chromium for steps 3-6 (.ci/run
# installs them on a fresh Debian machine). Without them steps 3-6 are
# SKIPPED, which is a failure under CI=true.
#
# Ends with one line "N passed, M failed": each vnu page, each browser check,
# and the cargo test and site build steps count as one check each. Exits
# non-zero if anything failed.

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SITE="$ROOT/target/test-site"
BROWSER_DIR="$ROOT/tests/browser"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CI="${CI:-}"

PASSED=0
FAILED=0
SKIPPED=()
TIMINGS=()
RESULTS_DIR="$(mktemp -d)"
trap 'rm -rf "$RESULTS_DIR"' EXIT

if [ -z "$(command -v cargo)" ] && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
stage() { printf '\n==== %s ====\n' "$*"; }
record_time() { TIMINGS+=("$(printf '%-34s %8ss' "$1" "$2")"); }

# Adds the "PASSED FAILED" pair a node script wrote; a script that died
# without writing one counts as one failed check.
add_results() {
  local file="$1" what="$2" p f
  if [ -s "$file" ] && read -r p f <"$file" && [[ "$p" =~ ^[0-9]+$ && "$f" =~ ^[0-9]+$ ]]; then
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
  else
    echo "FAIL $what: it stopped without reporting its results"
    FAILED=$((FAILED + 1))
  fi
}

# ---- 0. Formatting and lints: checks of their own --------------------------
if command -v cargo >/dev/null 2>&1; then
  stage "0/6 cargo fmt --check; cargo clippy --all-targets -- -D warnings"
  t=$(now)
  if cargo fmt --all -- --check; then
    echo "PASS cargo fmt --check"
    PASSED=$((PASSED + 1))
  else
    echo "FAIL cargo fmt --check (run cargo fmt)"
    FAILED=$((FAILED + 1))
  fi
  if cargo clippy --all-targets -- -D warnings; then
    echo "PASS cargo clippy --all-targets -- -D warnings"
    PASSED=$((PASSED + 1))
  else
    echo "FAIL cargo clippy --all-targets -- -D warnings (see its output above)"
    FAILED=$((FAILED + 1))
  fi
  record_time "cargo fmt + clippy" "$(elapsed "$t")"
fi

# ---- 1. Rust tests ---------------------------------------------------------
stage "1/6 cargo test --all-targets --no-fail-fast"
t=$(now)
if ! command -v cargo >/dev/null 2>&1; then
  echo "FAIL cargo test: cargo is not on PATH (install Rust with rustup, or source ~/.cargo/env)"
  FAILED=$((FAILED + 1))
elif cargo test --all-targets --no-fail-fast; then
  echo "PASS cargo test --all-targets"
  PASSED=$((PASSED + 1))
else
  echo "FAIL cargo test --all-targets (see cargo's output above)"
  FAILED=$((FAILED + 1))
fi
record_time "cargo test --all-targets" "$(elapsed "$t")"

# ---- 2. Build the site -----------------------------------------------------
stage "2/6 build the site into ${SITE#"$ROOT"/}"
t=$(now)
SITE_OK=0
rm -rf "$SITE"
if command -v cargo >/dev/null 2>&1 &&
  cargo build --bin vejviser &&
  "$ROOT/target/debug/vejviser" build --out "$SITE" &&
  [ -f "$SITE/index.html" ]; then
  echo "PASS site build ($(find "$SITE" -name '*.html' | wc -l) HTML pages)"
  PASSED=$((PASSED + 1))
  SITE_OK=1
else
  echo "FAIL site build: no site in $SITE (see the output above)"
  FAILED=$((FAILED + 1))
fi
record_time "site build" "$(elapsed "$t")"

# ---- Tools for the HTML checker and the browser tests ----------------------
# node + npm for both; java for the Nu HTML checker; Chromium for the browser.
NODE_OK=1 JAVA_OK=1 CHROMIUM_OK=1
MISSING=()
if ! command -v node >/dev/null 2>&1; then
  NODE_OK=0
  MISSING+=("node + npm, Node.js 20 or newer (on Debian: apt-get install -y nodejs npm)")
elif ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  NODE_OK=0
  MISSING+=("Node.js 20 or newer (found $(node --version); playwright-core needs 20+)")
elif ! command -v npm >/dev/null 2>&1; then
  NODE_OK=0
  MISSING+=("npm (on Debian: apt-get install -y npm)")
fi
if ! command -v java >/dev/null 2>&1; then
  JAVA_OK=0
  MISSING+=("java 11 or newer, for the Nu HTML checker (on Debian: apt-get install -y default-jre-headless)")
fi
if [ ! -x "$CHROMIUM" ]; then
  CHROMIUM_OK=0
  MISSING+=("Chromium at $CHROMIUM (on Debian: apt-get install -y chromium; or set CHROMIUM=/path/to/chromium)")
fi
RUN_VNU=0 RUN_BROWSER=0
[ "$NODE_OK" = 1 ] && [ "$JAVA_OK" = 1 ] && RUN_VNU=1
[ "$NODE_OK" = 1 ] && [ "$CHROMIUM_OK" = 1 ] && RUN_BROWSER=1

if [ ${#MISSING[@]} -gt 0 ]; then
  echo
  for m in "${MISSING[@]}"; do
    echo "MISSING: $m"
  done
  not_run=()
  [ "$RUN_VNU" = 1 ] || not_run+=("the Nu HTML checker (vnu)")
  [ "$RUN_BROWSER" = 1 ] || not_run+=("the browser tests (axe, network, phone overflow, role switcher)")
  what="$(printf '%s and ' "${not_run[@]}")"
  what="${what% and }"
  if [ "$CI" = "true" ]; then
    echo "FAIL: $what cannot run without the tools above (CI=true)"
    FAILED=$((FAILED + 1))
  else
    SKIPPED+=("$what: missing tools, see MISSING above")
  fi
fi

if [ "$SITE_OK" != 1 ] && { [ "$RUN_VNU" = 1 ] || [ "$RUN_BROWSER" = 1 ]; }; then
  echo "The HTML checker and browser tests did not run: the site did not build."
  RUN_VNU=0 RUN_BROWSER=0
fi

# npm packages, from the committed lock file, only when missing or stale.
if [ "$RUN_VNU" = 1 ] || [ "$RUN_BROWSER" = 1 ]; then
  if [ ! -d "$BROWSER_DIR/node_modules" ] ||
    [ "$BROWSER_DIR/package-lock.json" -nt "$BROWSER_DIR/node_modules" ]; then
    stage "npm ci in tests/browser"
    t=$(now)
    # --ignore-scripts: vnu-jar's install script would try to download a Java
    # runtime; the machine's java is used instead.
    if (cd "$BROWSER_DIR" && npm ci --ignore-scripts --no-audit --no-fund); then
      touch "$BROWSER_DIR/node_modules"
    else
      echo "FAIL npm ci in tests/browser: could not install playwright-core, axe-core, vnu-jar"
      FAILED=$((FAILED + 1))
      RUN_VNU=0 RUN_BROWSER=0
    fi
    record_time "npm ci" "$(elapsed "$t")"
  fi
fi

# ---- 3. Nu HTML checker ----------------------------------------------------
if [ "$RUN_VNU" = 1 ]; then
  stage "3/6 Nu HTML checker (vnu) on every page"
  t=$(now)
  node "$BROWSER_DIR/vnu.mjs" "$SITE" --results "$RESULTS_DIR/vnu"
  add_results "$RESULTS_DIR/vnu" "vnu"
  record_time "vnu HTML check" "$(elapsed "$t")"
fi

# ---- 4 + 5. axe, network, phone overflow in Chromium -----------------------
if [ "$RUN_BROWSER" = 1 ]; then
  stage "4-5/6 axe-core, network and phone overflow in headless Chromium"
  t=$(now)
  node "$BROWSER_DIR/browser.mjs" "$SITE" --results "$RESULTS_DIR/browser"
  add_results "$RESULTS_DIR/browser" "browser checks"
  record_time "browser (axe, network, overflow)" "$(elapsed "$t")"

  # ---- 6. The role switcher in Chromium --------------------------------------
  stage "6/6 role switcher (roles.js) in headless Chromium"
  t=$(now)
  node "$BROWSER_DIR/roles.mjs" "$SITE" --results "$RESULTS_DIR/roles" \
    --screenshots "$ROOT/target/screenshots"
  add_results "$RESULTS_DIR/roles" "role switcher checks"
  record_time "browser (role switcher)" "$(elapsed "$t")"
fi

# ---- ICF checklist: the page in Chromium, then its FHIR resources ----------
# checklist.mjs fills in tjekliste.html and exports a QuestionnaireResponse,
# which fhir.mjs validates with the Questionnaire against the FHIR R4 schema.
if [ "$RUN_BROWSER" = 1 ]; then
  stage "checklist page (tjekliste.html) in headless Chromium"
  t=$(now)
  node "$BROWSER_DIR/checklist.mjs" "$SITE" --results "$RESULTS_DIR/checklist" \
    --response-out "$RESULTS_DIR/questionnaire-response.json" \
    --screenshots "$ROOT/target/screenshots"
  add_results "$RESULTS_DIR/checklist" "checklist checks"
  record_time "browser (checklist)" "$(elapsed "$t")"

  stage "checklist FHIR R4: Questionnaire and QuestionnaireResponse"
  t=$(now)
  node "$BROWSER_DIR/fhir.mjs" "$SITE" --results "$RESULTS_DIR/fhir" \
    --response "$RESULTS_DIR/questionnaire-response.json"
  add_results "$RESULTS_DIR/fhir" "checklist FHIR checks"
  record_time "checklist FHIR (schema)" "$(elapsed "$t")"
fi

# ---- Offline reading: the service worker (sw.js) and assets/offline.js ------
# offline.mjs lets the worker pre-cache the site, goes offline and reads pages
# (one never opened before) from the cache, with the notice, then searches on
# soeg.html offline (typed queries and the plain ?q= form); nothing leaves
# 127.0.0.1, the worker's requests included.
if [ "$RUN_BROWSER" = 1 ]; then
  stage "offline reading (sw.js, offline.js) in headless Chromium"
  t=$(now)
  node "$BROWSER_DIR/offline.mjs" "$SITE" --results "$RESULTS_DIR/offline"
  add_results "$RESULTS_DIR/offline" "offline checks"
  record_time "browser (offline)" "$(elapsed "$t")"
fi

# ---- Local versions: a hostile overlay, and the deviations page -------------
# local.mjs builds tests/fixtures/local/hostile (script tags, handlers,
# javascript: links, iframe, meta refresh, SVG with script) with the binary
# cargo test built, loads its pages and checks that none of it is active and
# nothing leaves 127.0.0.1; axe on Region Midtjylland's deviations page, and
# axe plus the Nu checker on the Testby fixture's, which has a replacement
# diff and a stale overlay.
if [ "$RUN_BROWSER" = 1 ]; then
  stage "local versions: hostile overlay and deviations page in headless Chromium"
  t=$(now)
  VEJVISER="$ROOT/target/debug/vejviser" node "$BROWSER_DIR/local.mjs" "$SITE" --results "$RESULTS_DIR/local"
  add_results "$RESULTS_DIR/local" "local version checks"
  record_time "browser (local versions)" "$(elapsed "$t")"
fi

# ---- Search: soeg.html and the Pagefind index in Chromium -------------------
# search.mjs: clinician queries with their expected section in the top 3, the
# role filter, the keyboard, the plain ?q= form, the no-JS notice, the CSP,
# axe, local requests only, and the badge of local material on a fixture site
# it builds with the debug binary; prints a small benchmark (median time per
# query, index size). The full search benchmark is benches/search.mjs.
if [ "$RUN_BROWSER" = 1 ]; then
  stage "search page (soeg.html, Pagefind) in headless Chromium"
  t=$(now)
  node "$BROWSER_DIR/search.mjs" "$SITE" --results "$RESULTS_DIR/search" \
    --screenshots "$ROOT/target/screenshots" --vejviser "$ROOT/target/debug/vejviser"
  add_results "$RESULTS_DIR/search" "search checks"
  record_time "browser (search)" "$(elapsed "$t")"
fi

# ---- Host headers: the site served with its _headers, search included ---------
# headers.mjs serves the site with a small server that sends each path's headers
# from _headers (as Netlify and Cloudflare Pages do): every page's header policy is
# its meta policy plus frame-ancestors, and search works under it.
if [ "$RUN_BROWSER" = 1 ]; then
  stage "host headers (_headers) with search in headless Chromium"
  t=$(now)
  node "$BROWSER_DIR/headers.mjs" "$SITE" --results "$RESULTS_DIR/headers"
  add_results "$RESULTS_DIR/headers" "host header checks"
  record_time "browser (host headers)" "$(elapsed "$t")"
fi

# ---- Preview: vejviser serve, live reload and the error overlay --------------
# live-reload.mjs runs the debug binary cargo built above (`serve` on a copy of
# content/ and templates/), edits a section and sees the open page reload, breaks
# it and sees the overlay with the file and line, fixes it and sees it go.
if [ "$RUN_BROWSER" = 1 ]; then
  stage "preview (vejviser serve): live reload and error overlay in headless Chromium"
  t=$(now)
  node "$BROWSER_DIR/live-reload.mjs" "$ROOT" --bin "$ROOT/target/debug/vejviser" \
    --results "$RESULTS_DIR/live-reload" --screenshots "$ROOT/target/screenshots"
  add_results "$RESULTS_DIR/live-reload" "live-reload checks"
  record_time "browser (live reload)" "$(elapsed "$t")"
fi

# ---- The second guideline: examples/cdc-hepatitis-c-screening --------------
# Built with the binary alone from an empty folder (no templates/ anywhere),
# then the same bars as the shipped site: the Nu checker 0 errors, axe 0
# violations (browser.mjs, with the example's own key pages for the phone check).
if [ "$RUN_VNU" = 1 ] || [ "$RUN_BROWSER" = 1 ]; then
  stage "second guideline (examples/cdc-hepatitis-c-screening): Nu checker and axe"
  t=$(now)
  EXAMPLE_SITE="$ROOT/target/example-site"
  EXAMPLE_WORK="$(mktemp -d)"
  rm -rf "$EXAMPLE_SITE"
  if (cd "$EXAMPLE_WORK" && "$ROOT/target/debug/vejviser" build \
    --content "$ROOT/examples/cdc-hepatitis-c-screening/content" --out "$EXAMPLE_SITE"); then
    if [ "$RUN_VNU" = 1 ]; then
      node "$BROWSER_DIR/vnu.mjs" "$EXAMPLE_SITE" --results "$RESULTS_DIR/example-vnu"
      add_results "$RESULTS_DIR/example-vnu" "example vnu"
    fi
    if [ "$RUN_BROWSER" = 1 ]; then
      KEY_PAGES="index.html,summary.html,recommendations.html" \
        node "$BROWSER_DIR/browser.mjs" "$EXAMPLE_SITE" --results "$RESULTS_DIR/example-browser"
      add_results "$RESULTS_DIR/example-browser" "example browser checks"
    fi
  else
    echo "FAIL example build: examples/cdc-hepatitis-c-screening did not build (see above)"
    FAILED=$((FAILED + 1))
  fi
  rm -rf "$EXAMPLE_WORK"
  record_time "second guideline (vnu, axe)" "$(elapsed "$t")"
fi

# ---- Summary ---------------------------------------------------------------
echo
echo "==== timings ===="
for line in "${TIMINGS[@]}"; do
  echo "  $line"
done
for s in "${SKIPPED[@]+"${SKIPPED[@]}"}"; do
  echo
  echo "SKIPPED: $s"
  echo "SKIPPED: install them to run every test (CI=true makes this a failure)"
done
echo
echo "$PASSED passed, $FAILED failed"
if [ "$FAILED" -gt 0 ]; then
  exit 1
fi
exit 0
