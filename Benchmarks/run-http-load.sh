#!/usr/bin/env bash
# HTTP search under concurrent load: a release `lore serve` over the 1,400-document Cranfield
# project, driven by wrk with the 225 Cranfield queries in rotation.
#   Benchmarks/run-http-load.sh [MODE] [BACKEND] [CACHE] [connections] [seconds]
# MODE: fulltext (default; LORE_EMBEDDER=none), hybrid or semantic (the builtin model; the import
# embeds every chunk before the load starts). BACKEND: sqlite (default: a new file) or postgres
# (LORE_BENCH_DATABASE_URL=postgres://…/EMPTY_DATABASE, which must be empty). CACHE: on (default;
# the rotation repeats every query after the first 225, so they come from the query-embedding
# cache) or off (LORE_QUERY_CACHE_SIZE=0: every query is encoded). The Cranfield data comes from
# ../shared beside the repository (LORE_SHARED_DIR overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."
# The shared data sits beside the repository (../shared); LORE_SHARED_DIR overrides it.
shared="${LORE_SHARED_DIR:-$(cd .. && pwd)/shared}"
mode=${1:-fulltext}
backend=${2:-sqlite}
cache=${3:-on}
connections=${4:-16}
seconds=${5:-20}
case "$mode" in fulltext|hybrid|semantic) ;; *) echo "MODE must be fulltext, hybrid or semantic" >&2; exit 2;; esac
case "$cache" in on) cache_size=10000;; off) cache_size=0;; *) echo "CACHE must be on or off" >&2; exit 2;; esac
case "$backend" in
  sqlite) database_url="" ;;
  postgres) database_url="${LORE_BENCH_DATABASE_URL:?set LORE_BENCH_DATABASE_URL to an empty PostgreSQL database}" ;;
  *) echo "BACKEND must be sqlite or postgres" >&2; exit 2;;
esac
command -v wrk >/dev/null || { echo "install wrk (apt-get install -y wrk)" >&2; exit 1; }
# LORE_BENCH_BINARY runs a lore already built (scripts/benchmarks-check passes the debug build).
if [ -n "${LORE_BENCH_BINARY:-}" ]; then
  lore="$LORE_BENCH_BINARY"
else
  swift build -c release --product lore >&2
  lore="$PWD/.build/release/lore"
fi
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
embedder=builtin
[ "$mode" = fulltext ] && embedder=none
export LORE_DATABASE_URL="${database_url:-sqlite://$work/lore.db}" LORE_EMBEDDER="${LORE_EMBEDDER:-$embedder}" LORE_LOG_LEVEL=error
export LORE_QUERY_CACHE_SIZE=$cache_size
# One API key drives all the load: lift its rate limit so the figure is the server's, not the limiter's.
export LORE_RATE_LIMIT_REQUESTS=100000000
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work" "$shared" <<'PY'
import json, os, sys, urllib.parse
work, shared = sys.argv[1], sys.argv[2]
os.makedirs(f"{work}/docs")
for line in open(f"{shared}/data/cranfield/corpus.jsonl"):
    d = json.loads(line)
    open(f"{work}/docs/{d['_id']}.txt", "w").write(d["text"])
queries = [urllib.parse.quote(json.loads(l)["text"]) for l in open(f"{shared}/data/cranfield/queries.jsonl")]
open(f"{work}/queries.lua", "w").write("queries = {" + ",".join(f'"{q}"' for q in queries) + "}\n")
PY
echo "load-test-password" | "$lore" users create --email load@example.com --name Load --password-stdin >/dev/null
created=$("$lore" projects create --owner load@example.com --name Cranfield --json)
key=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
id=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
started=$(date +%s.%N)
"$lore" import "$work/docs" --project cranfield >&2
echo "== import: 1400 documents in $(python3 -c "print(round($(date +%s.%N) - $started, 2))") s"

"$lore" serve --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

cat >> "$work/queries.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  local q = queries[(counter % #queries) + 1]
  return wrk.format("GET", "/api/v1/projects/$id/search?mode=$mode&limit=10&q=" .. q, {["X-API-Key"] = "$key"})
end
LUA
threads=$(( connections < 2 ? 1 : 2 ))
echo "== wrk: $mode, $backend, query cache $cache; $connections connections, $seconds s, $threads threads, GET /api/v1/projects/{id}/search (limit 10)"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/queries.lua" "http://127.0.0.1:$port"
