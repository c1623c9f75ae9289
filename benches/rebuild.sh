#!/usr/bin/env bash
# Cached rebuilds: how long `vejviser build` takes after nothing changed, and after one
# section's text changed, against a build from clean, on the same synthetic corpus as
# benches/peers.sh.
#
#   bash benches/rebuild.sh [PAGES…]        # default: 1000 10000
#   RUNS=5 bash benches/rebuild.sh 10000    # measured runs per kind and size (default 5)
#
# For each size: one corpus (benches/peers_corpus.py, seed SEED, default 1), then one cached
# build to fill the cache, then RUNS rounds of, one after another:
#   clean      vejviser build --no-cache into a fresh folder (what peers.sh measures)
#   no change  vejviser build with nothing changed since the last build
#   one edit   vejviser build after one sentence was appended to one section (another
#              section each round, so every round really has one change)
# each under GNU time (wall seconds, peak RSS). It prints the medians and the ratios to the
# clean build, and writes every run to target/peers/rebuild.csv (or CSV=FILE). The corpora go
# to WORK (default a new folder under /tmp; WORK=/dev/shm/… for tmpfs), deleted unless KEEP=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
SEED=${SEED:-1}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
[[ $TARGET = /* ]] || TARGET="$ROOT/$TARGET"
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 10000)

die() { echo "rebuild.sh: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
command -v python3 >/dev/null || die "python3 is missing"
(cd "$ROOT" && cargo build --release --quiet --bin vejviser) || die "cargo build failed"
VEJVISER="$TARGET/release/vejviser"

WORK=${WORK:-$(mktemp -d /tmp/vejviser-rebuild.XXXXXX)}
mkdir -p "$WORK" "$ROOT/target/peers"
cleanup() { [[ ${KEEP:-0} = 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT
CSV=${CSV:-$ROOT/target/peers/rebuild.csv}
echo "pages,kind,run,wall_s,peak_kib" >"$CSV"
echo "machine: $(nproc) cores; vejviser $(git -C "$ROOT" rev-parse --short HEAD)"

# measure PAGES KIND RUN COMMAND…: one timed run, appended to the CSV.
measure() {
  local pages=$1 kind=$2 run=$3; shift 3
  sync
  /usr/bin/time -o "$WORK/time" -f '%e %M' "$@" >/dev/null 2>&1 || die "$kind failed: $*"
  local t; t=$(tail -1 "$WORK/time")
  echo "$pages,$kind,$run,${t% *},${t#* }" >>"$CSV"
}

for pages in "${SIZES[@]}"; do
  dir="$WORK/$pages"
  rm -rf "$dir"; mkdir -p "$dir"
  python3 "$ROOT/benches/peers_corpus.py" --pages "$pages" --seed "$SEED" --out "$dir" >/dev/null
  content="$dir/vejviser"
  sections=("$content"/sections/*.md)
  "$VEJVISER" build --content "$content" --out "$dir/site" >/dev/null 2>&1 || die "first build failed"
  for run in $(seq 1 "$RUNS"); do
    rm -rf "$dir/clean"
    measure "$pages" clean "$run" "$VEJVISER" build --no-cache --content "$content" --out "$dir/clean"
    measure "$pages" "no change" "$run" "$VEJVISER" build --content "$content" --out "$dir/site"
    # One sentence more in one section (a different one each round).
    section=${sections[$(( (run * 7919) % ${#sections[@]} ))]}
    printf '\nEn ny sætning i runde %s om genoptræning.\n' "$run" >>"$section"
    measure "$pages" "one edit" "$run" "$VEJVISER" build --content "$content" --out "$dir/site"
  done
  # The cached site is the clean build's, byte for byte.
  rm -rf "$dir/clean"
  "$VEJVISER" build --no-cache --content "$content" --out "$dir/clean" >/dev/null 2>&1
  diff -rq "$dir/site" "$dir/clean" >/dev/null || die "the cached site differs from a clean build"
done

python3 - "$CSV" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sizes = sorted({int(r["pages"]) for r in rows})
kinds = ["clean", "no change", "one edit"]
print("| pages | build | wall (median) | peak RSS (median) | wall / clean |")
print("|---:|---|---:|---:|---:|")
for s in sizes:
    med = {}
    for k in kinds:
        rs = [r for r in rows if int(r["pages"]) == s and r["kind"] == k]
        med[k] = (statistics.median(float(r["wall_s"]) for r in rs),
                  statistics.median(int(r["peak_kib"]) for r in rs) / 1024, len(rs))
    for k in kinds:
        w, m, n = med[k]
        print(f"| {s:,} | {k} (median of {n}) | {w:.2f} s | {m:.0f} MiB | {w / med['clean'][0]:.2f} |")
PY
