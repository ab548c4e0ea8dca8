#!/usr/bin/env bash
# Git sources: first sync of a generated 10,000-file Markdown repository (seconds, documents/s) and
# one-file commit → searchable through the push webhook (p50/p95 over 20 commits), on a release
# `lore serve` over SQLite (Benchmarks/sources_bench.py). Prints a Markdown table for BENCHMARKS.md.
#   Benchmarks/run-sources-bench.sh [--files N] [--commits N] [--embedder none|counting] [--json]
# --embedder counting uses the deterministic embeddings server of Tests/e2e/lore_e2e.py and reports
# the embeddings recomputed per one-file commit (default: LORE_EMBEDDER=none).
# LORE_BINARY (or LORE_BENCH_BINARY) runs a lore already built; otherwise this builds the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v git >/dev/null || { echo "install git (apt-get install -y git)" >&2; exit 1; }
lore="${LORE_BINARY:-${LORE_BENCH_BINARY:-}}"
if [ -z "$lore" ]; then
  swift build -c release --product lore >&2
  lore="$PWD/.build/release/lore"
fi
LORE_BINARY="$(cd "$(dirname "$lore")" && pwd)/$(basename "$lore")"
export LORE_BINARY
export LORE_BENCH_COMMAND="Benchmarks/run-sources-bench.sh $*"
exec python3 Benchmarks/sources_bench.py "$@"
