#!/usr/bin/env bash
# Load test of the web viewer: serves a models folder with the release binary and measures the
# compare page of the largest procedure (the most bytes of As-Is + To-Be) with a real load
# generator: wrk (Debian package `wrk`) or oha (`cargo install oha`), whichever is installed.
#
# Usage: scripts/load-test.sh [models-folder] [connections] [seconds]
# Env:   NAGARE_BIN=path/to/nagare   (default: build and use target/release/nagare)
# Prints requests/s and the p50/p99 latency; the target is p99 < 50 ms at 64 connections.
set -euo pipefail

cd "$(dirname "$0")/.."
folder="${1:-models}"
connections="${2:-64}"
seconds="${3:-10}"

if [[ -z "${NAGARE_BIN:-}" ]]; then
  cargo build --release -p nagare-cli --quiet
  NAGARE_BIN=target/release/nagare
fi

# The largest procedure that has both an As-Is and a To-Be file.
largest=""
largest_size=0
for dir in "$folder"/*/; do
  name="$(basename "$dir")"
  [[ -f "$dir/as-is.flow" && -f "$dir/to-be.flow" ]] || continue
  size=$(( $(wc -c < "$dir/as-is.flow") + $(wc -c < "$dir/to-be.flow") ))
  if (( size > largest_size )); then
    largest="$name"
    largest_size=$size
  fi
done
if [[ -z "$largest" ]]; then
  echo "no procedure with as-is.flow and to-be.flow in $folder" >&2
  exit 2
fi

log="$(mktemp)"
"$NAGARE_BIN" serve "$folder" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://[0-9.:]*/' "$log" | head -n1 || true)"
  [[ -n "$url" ]] && break
  sleep 0.1
done
if [[ -z "$url" ]]; then
  echo "the server did not start:" >&2
  cat "$log" >&2
  exit 2
fi

# URL-encode the procedure name (folder names may be Japanese).
target="${url}c/$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$largest")"
status="$(curl -s -o /dev/null -w '%{http_code}' "$target")"
bytes="$(curl -s "$target" | wc -c)"
echo "compare page of the largest procedure: $largest ($largest_size bytes of .flow) -> $target"
echo "status $status, $bytes bytes of HTML"
[[ "$status" == 200 ]] || { echo "page does not answer 200" >&2; exit 1; }

if command -v oha >/dev/null 2>&1; then
  oha --no-tui -c "$connections" -z "${seconds}s" "$target"
elif command -v wrk >/dev/null 2>&1; then
  threads=$(( $(nproc) < connections ? $(nproc) : connections ))
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$target"
else
  echo "neither oha nor wrk is installed (apt-get install wrk, or cargo install oha)" >&2
  exit 2
fi
