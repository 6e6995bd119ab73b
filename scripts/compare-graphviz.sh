#!/usr/bin/env bash
# Times Graphviz `dot -Tsvg` against nagare's swimlane layout on the same generated flows
# (50, 200, 1,000, 2,000 steps; process-shaped, see nagare-render's testgen) and compares edge
# crossings; then compares crossings on every model in models/ (MODELS=0 skips that part).
#
# Both sides are timed the same way: one process per run that reads the graph from a file
# and writes an SVG (dot: the DOT file; nagare: the model as JSON). Medians over RUNS runs.
# Crossings are counted the same way on both sides: proper crossings between the polylines of
# two different edges (dot's splines sampled finely); shared ends and overlaps do not count.
# dot gets the plain graph (no lanes); nagare keeps every step in its actor's lane.
# Needs: graphviz (`apt-get install graphviz`), cargo.
#
# Usage: scripts/compare-graphviz.sh [sizes…]   (default: 50 200 1000 2000)
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=("${@:-50 200 1000 2000}")
read -r -a SIZES <<<"${SIZES[*]}"
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

command -v dot >/dev/null || { echo "graphviz (dot) is not installed" >&2; exit 2; }
cargo build -q --release -p nagare-render --example gen_dot
BIN=target/release/examples/gen_dot

now_ms() { date +%s%N | awk '{ printf "%.3f", $1 / 1000000 }'; }

# Prints the median of the numbers on stdin.
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

time_cmd() {
    local runs=$1; shift
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(now_ms); "$@" >/dev/null; t1=$(now_ms)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
    done | median
}

printf '%-7s %12s %12s %8s %14s %14s\n' steps "dot ms" "nagare ms" ratio "dot crossings" "ours crossings"
for n in "${SIZES[@]}"; do
    "$BIN" gen "$n" "$WORK"
    runs=$RUNS
    # dot takes seconds on the large graphs; three runs are enough for a median there.
    if [ "$n" -ge 1000 ]; then runs=3; fi
    dot_ms=$(time_cmd "$runs" dot -Tsvg "$WORK/flow-$n.dot" -o "$WORK/dot-$n.svg")
    ours_ms=$(time_cmd "$RUNS" "$BIN" render "$WORK/flow-$n.json" "$WORK/ours-$n.svg")
    dot -Tplain "$WORK/flow-$n.dot" -o "$WORK/flow-$n.plain"
    dot_x=$("$BIN" crossings-plain "$WORK/flow-$n.plain")
    ours_x=$("$BIN" crossings-ours "$WORK/flow-$n.json")
    ratio=$(awk -v a="$dot_ms" -v b="$ours_ms" 'BEGIN { printf "%.1fx", a / b }')
    printf '%-7s %12s %12s %8s %14s %14s\n' "$n" "$dot_ms" "$ours_ms" "$ratio" "$dot_x" "$ours_x"
done

[ "${MODELS:-1}" = 0 ] && exit 0
cargo build -q --release -p nagare-cli
NAGARE=target/release/nagare
echo
printf '%-36s %6s %14s %14s\n' model edges "dot crossings" "ours crossings"
tot_dot=0; tot_ours=0
for f in models/*/*.flow; do
    name=${f#models/}
    "$NAGARE" render "$f" --format json -o "$WORK/m.json" >/dev/null 2>&1 || { echo "$name: render failed" >&2; continue; }
    "$NAGARE" render "$f" --format dot -o "$WORK/m.dot" >/dev/null 2>&1 || continue
    dot -Tplain "$WORK/m.dot" -o "$WORK/m.plain"
    d=$("$BIN" crossings-plain "$WORK/m.plain")
    o=$("$BIN" crossings-scene "$WORK/m.json")
    e=$(grep -c ' -> ' "$WORK/m.dot" || true)
    tot_dot=$((tot_dot + d)); tot_ours=$((tot_ours + o))
    printf '%-36s %6s %14s %14s\n' "$name" "$e" "$d" "$o"
done
printf '%-36s %6s %14s %14s\n' total "" "$tot_dot" "$tot_ours"
