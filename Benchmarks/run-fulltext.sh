#!/usr/bin/env bash
# Full-text speed of Lore against raw SQLite FTS5 and tantivy, on Cranfield and on a synthetic
# 100k-document corpus, all on this machine in one session. JSON goes to Benchmarks/results/.
#   Benchmarks/run-fulltext.sh          (from anywhere; LORE_SYNTH_DIR overrides the corpus folder)
set -euo pipefail
cd "$(dirname "$0")/.."
# The shared data sits beside the repository (../shared); LORE_SHARED_DIR overrides it.
SHARED="${LORE_SHARED_DIR:-$(cd .. && pwd)/shared}"
RESULTS=Benchmarks/results
SYNTH=${LORE_SYNTH_DIR:-${TMPDIR:-/tmp}/lore-synth-100k}

swift build -c release --package-path Benchmarks --product FullTextBenchmark
BIN="$(swift build -c release --package-path Benchmarks --show-bin-path)/FullTextBenchmark"

if [ ! -s "$SYNTH/queries.jsonl" ]; then  # generated into .partial, renamed when complete
    [ ! -e "$SYNTH" ] || { echo "$SYNTH is incomplete: remove it first" >&2; exit 1; }
    rm -rf "$SYNTH.partial"
    python3 Benchmarks/reference/generate_corpus.py --documents 100000 --out "$SYNTH.partial"
    mv -T "$SYNTH.partial" "$SYNTH"
fi
[ "$(wc -l < "$SYNTH/corpus.jsonl")" -eq 100000 ] || { echo "$SYNTH: not the 100k corpus" >&2; exit 1; }

mkdir -p "$RESULTS"
for pair in "cranfield=$SHARED/data/cranfield" "synth-100k=$SYNTH"; do
    name=${pair%%=*} dir=${pair#*=}
    echo "== $name: Lore and raw FTS5 (Swift)"
    "$BIN" --corpus "$dir" --json "$RESULTS/lore-$name.json"
    echo "== $name: reference engines (Python)"
    python3 Benchmarks/reference/reference_engines.py --corpus "$dir" --json "$RESULTS/reference-$name.json"
done

python3 - "$RESULTS" <<'PY'
import json, sys
results = sys.argv[1]
print("\n== Summary (ratios > 1: Lore slower / takes longer)")
for name in ("cranfield", "synth-100k"):
    lore = json.load(open(f"{results}/lore-{name}.json"))
    ref = json.load(open(f"{results}/reference-{name}.json"))
    rows = {"Lore": lore["engines"]["lore"], "raw FTS5 (Swift/GRDB)": lore["engines"]["raw-fts5"],
            "raw FTS5, stop words dropped": lore["engines"]["raw-fts5-stop-words-dropped"],
            "raw FTS5 (Python sqlite3)": ref["engines"]["sqlite-fts5"], "tantivy": ref["engines"]["tantivy"]}
    print(f"\n{name}: {lore['documents']} documents, {lore['queries']} queries, "
          f"{lore['machine']['cpu']} x{lore['machine']['cores']}, {lore['date']}")
    print(f"{'engine':<30} {'docs/s':>9} {'p50 ms':>9} {'p99 ms':>9}")
    for label, e in rows.items():
        print(f"{label:<30} {e['index_docs_per_s']:>9.0f} {e['p50_ms']:>9.3f} {e['p99_ms']:>9.3f}")
    l = rows["Lore"]
    for label in ("raw FTS5 (Swift/GRDB)", "tantivy"):
        o = rows[label]
        print(f"Lore / {label}: p50 x{l['p50_ms'] / o['p50_ms']:.2f}, p99 x{l['p99_ms'] / o['p99_ms']:.2f}, "
              f"indexing time x{o['index_docs_per_s'] / l['index_docs_per_s']:.2f}")
PY
