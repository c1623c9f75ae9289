#!/usr/bin/env bash
# Byte-for-byte comparison of what two commits build: the shipped guideline (the national site,
# every local version under lokal/, retningslinje.json and tjekliste.fhir.json in each), each
# local version built alone with --local, and a synthetic guideline from gen-corpus.
#
#   bash scripts/compare-build.sh [BASE_REF]     (default: the commit before the restructuring)
#
# BASE_REF is checked out into a temporary worktree and built there (release); the working tree
# is built as it is. Prints every differing file and exits non-zero if any file differs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# a48c1ea: main before issue 12's restructuring.
BASE_REF="${1:-a48c1ea}"
WORK="$(mktemp -d -t vejviser-compare.XXXXXX)"
trap 'git worktree remove --force "$WORK/base-src" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

echo "compare: building $BASE_REF in a temporary worktree"
git worktree add --detach "$WORK/base-src" "$BASE_REF" >/dev/null
(cd "$WORK/base-src" && CARGO_TARGET_DIR="$ROOT/target/compare-base" cargo build --release --quiet --bins)
echo "compare: building the working tree"
cargo build --release --quiet --bins
BASE_BIN="$ROOT/target/compare-base/release"
NEW_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release"
# Each commit builds with its own templates and its own content (a change may move text from
# the templates into the content, e.g. guideline.yaml's introduction and attribution).
BASE_TEMPLATES="$WORK/base-src/templates"
BASE_CONTENT="$WORK/base-src/content"

status=0
compare() {
  local what="$1" a="$2" b="$3"
  if diff -r "$a" "$b" >"$WORK/diff.txt"; then
    echo "same: $what ($(find "$a" -type f | wc -l) files)"
  else
    echo "DIFFERENT: $what"
    head -40 "$WORK/diff.txt"
    status=1
  fi
}

# The shipped guideline: national site with every local version.
"$BASE_BIN/vejviser" build --templates "$BASE_TEMPLATES" --content "$BASE_CONTENT" --out "$WORK/base-site" 2>/dev/null
"$NEW_BIN/vejviser" build --out "$WORK/new-site" 2>/dev/null
compare "shipped guideline, national + local versions" "$WORK/base-site" "$WORK/new-site"

# Each local version alone.
for dir in content/local/*/; do
  slug="$(basename "$dir")"
  "$BASE_BIN/vejviser" build --templates "$BASE_TEMPLATES" --content "$BASE_CONTENT" --local "$slug" --out "$WORK/base-$slug" 2>/dev/null
  "$NEW_BIN/vejviser" build --local "$slug" --out "$WORK/new-$slug" 2>/dev/null
  compare "local version $slug built alone" "$WORK/base-$slug" "$WORK/new-$slug"
done

# A synthetic guideline (the same corpus for both: the base commit's generator writes it).
"$BASE_BIN/gen-corpus" --sections 400 --seed 7 --out "$WORK/corpus" >/dev/null 2>&1
"$BASE_BIN/vejviser" build --templates "$BASE_TEMPLATES" --content "$WORK/corpus" --out "$WORK/base-corpus" 2>/dev/null
"$NEW_BIN/vejviser" build --content "$WORK/corpus" --out "$WORK/new-corpus" 2>/dev/null
compare "synthetic guideline of 400 sections" "$WORK/base-corpus" "$WORK/new-corpus"

exit $status
