#!/usr/bin/env bash
# Times Graphviz `dot -Tsvg` against nagare's swimlane layout on the same generated flows
# (50, 200, 1,000, 2,000 steps; process-shaped, see nagare-render's testgen) and compares edge
# crossings; then compares crossings on every model in models/ (MODELS=0 skips that part).
#
# Both sides are timed the same way: one process per run that reads the graph from a file
# and writes an SVG (dot: the DOT file; nagare: the model as JSON). Medians over RUNS runs.
# Crossings are counted the same way on both sides: proper crossings between the polylines of
# two different edges (dot's splines sampled finely); shared ends and overlaps do not count.
# dot gets the plain graph (no lanes), so it may put any step anywhere, while nagare keeps every
# step in its actor's lane; "dot+lanes" gives dot the lanes too, as one cluster per actor (dot
# cannot order clusters, so that only helps it).
# Needs: graphviz (`apt-get install graphviz`), cargo.
#
# Usage: scripts/compare-graphviz.sh [sizes…]   (default: 50 200 1000 2000)
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=("${@:-50 200 1000 2000}")
read -r -a SIZES <<<"${SIZES[*]}"
RUNS=${RUNS:-5}
SEEDS=${SEEDS:-6}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

command -v dot >/dev/null || { echo "graphviz (dot) is not installed" >&2; exit 2; }
cargo build -q --release -p nagare-render --example gen_dot
BIN=${CARGO_TARGET_DIR:-target}/release/examples/gen_dot

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

# Starting any process costs the same on both sides (a few ms here); the net ratio takes the
# median time of starting `true` off both, so that small graphs compare the layouts, not exec.
base_ms=$(time_cmd "$RUNS" true)
echo "process start-up (median of \`true\`): $base_ms ms"
echo "crossings: summed over seeds 1..$SEEDS of each size; dot+lanes is dot with one cluster per actor"
echo
printf '%-6s %10s %10s %7s %7s %10s %18s %10s\n' steps "dot ms" "nagare ms" ratio net "dot cross" "dot+lanes" "ours cross"
for n in "${SIZES[@]}"; do
    "$BIN" gen "$n" "$WORK" 1
    runs=$RUNS
    # dot takes seconds on the large graphs; three runs are enough for a median there.
    if [ "$n" -ge 1000 ]; then runs=3; fi
    dot_ms=$(time_cmd "$runs" dot -Tsvg "$WORK/flow-$n.dot" -o "$WORK/dot-$n.svg")
    ours_ms=$(time_cmd "$RUNS" "$BIN" render "$WORK/flow-$n.json" "$WORK/ours-$n.svg")
    dot_x=0; lanes_x=0; lanes_failed=0; ours_x=0
    for seed in $(seq "$SEEDS"); do
        "$BIN" gen "$n" "$WORK" "$seed"
        dot -Tplain "$WORK/flow-$n.dot" -o "$WORK/flow-$n.plain"
        dot_x=$((dot_x + $("$BIN" crossings-plain "$WORK/flow-$n.plain")))
        # With clusters dot often gives up ("trouble in init_rank") on the larger graphs.
        if dot -Tplain "$WORK/flow-$n-lanes.dot" -o "$WORK/lanes-$n.plain" 2>/dev/null; then
            lanes_x=$((lanes_x + $("$BIN" crossings-plain "$WORK/lanes-$n.plain")))
        else
            lanes_failed=$((lanes_failed + 1))
        fi
        ours_x=$((ours_x + $("$BIN" crossings-ours "$WORK/flow-$n.json")))
    done
    if [ "$lanes_failed" -gt 0 ]; then lanes_x="$lanes_x ($lanes_failed failed)"; fi
    ratio=$(awk -v a="$dot_ms" -v b="$ours_ms" 'BEGIN { printf "%.1fx", a / b }')
    net=$(awk -v a="$dot_ms" -v b="$ours_ms" -v z="$base_ms" 'BEGIN { d = b - z; if (d < 0.05) d = 0.05; printf "%.0fx", (a - z) / d }')
    printf '%-6s %10s %10s %7s %7s %10s %18s %10s\n' "$n" "$dot_ms" "$ours_ms" "$ratio" "$net" "$dot_x" "$lanes_x" "$ours_x"
done

[ "${MODELS:-1}" = 0 ] && exit 0
cargo build -q --release -p nagare-cli
NAGARE=${CARGO_TARGET_DIR:-target}/release/nagare
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
