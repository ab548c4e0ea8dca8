#!/usr/bin/env python3
"""Reference full-text figures from raw SQLite FTS5 and tantivy, measured in one run, one thread.

    python3 reference_engines.py --corpus DIR [--json OUT]

DIR is a BEIR folder (corpus.jsonl, queries.jsonl, optional qrels.tsv). For each engine:
indexing throughput (documents/s, build + commit), per-query latency (p50/p99/mean ms over
>= 3 timed passes and >= 600 queries, after one warm-up pass), and nDCG@10 when qrels exist.
"""
import argparse
import datetime
import importlib.metadata
import json
import math
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_qrels(path):
    """{query-id: {corpus-id: gain}} from a BEIR qrels.tsv (header line, tab-separated)."""
    qrels = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            qid, did, score = line.rstrip("\n").split("\t")[:3]
            qrels.setdefault(qid, {})[did] = int(score)
    return qrels


def ndcg_at_10(results, qrels):
    """trec_eval ndcg_cut.10: gain/log2(rank+1); ideal from all judged gains of the query;
    queries without a positive judgment are skipped; a query with no results scores 0."""
    scores = []
    for qid, judged in qrels.items():
        ideal_gains = sorted((g for g in judged.values() if g > 0), reverse=True)[:10]
        if not ideal_gains:
            continue
        ideal = sum(g / math.log2(r + 2) for r, g in enumerate(ideal_gains))
        ranked = results.get(qid, [])[:10]
        dcg = sum(max(judged.get(d, 0), 0) / math.log2(r + 2) for r, d in enumerate(ranked))
        scores.append(dcg / ideal)
    return statistics.mean(scores) if scores else None


def measure_queries(search, queries):
    """One warm-up pass (its results are returned for nDCG), then timed passes."""
    results = {q["_id"]: search(q["text"]) for q in queries}
    passes = max(3, math.ceil(600 / len(queries)))
    times = []
    for _ in range(passes):
        for q in queries:
            t0 = time.perf_counter()
            search(q["text"])
            times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    return results, {
        "p50_ms": statistics.median(times),
        "p99_ms": times[math.ceil(0.99 * len(times)) - 1],  # nearest rank
        "mean_ms": statistics.mean(times),
        "timed_queries": len(times),
    }


def run_sqlite(docs, queries, workdir):
    con = sqlite3.connect(os.path.join(workdir, "fts.sqlite"), isolation_level=None)
    t0 = time.perf_counter()
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize='porter unicode61')")
    con.execute("BEGIN")
    con.executemany("INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)",
                    ((i + 1, d.get("title", ""), d.get("text", "")) for i, d in enumerate(docs)))
    con.execute("COMMIT")
    index_s = time.perf_counter() - t0
    ids = [d["_id"] for d in docs]
    sql = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10"

    def search(text):
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        return [ids[rowid - 1] for (rowid,) in con.execute(sql, (match,)).fetchall()]

    results, lat = measure_queries(search, queries)
    con.close()
    return results, {"index_docs_per_s": len(docs) / index_s, "index_s": index_s, **lat,
                     "version": sqlite3.sqlite_version}


def import_tantivy():
    try:
        import tantivy
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "tantivy"])
        import tantivy
    return tantivy, importlib.metadata.version("tantivy")


def run_tantivy(docs, queries, workdir):
    tantivy, version = import_tantivy()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", stored=False, tokenizer_name="en_stem")
    sb.add_text_field("body", stored=False, tokenizer_name="en_stem")
    sb.add_unsigned_field("idx", stored=True)
    schema = sb.build()
    path = os.path.join(workdir, "tantivy")
    os.makedirs(path)
    t0 = time.perf_counter()
    index = tantivy.Index(schema, path=path)
    writer = index.writer(heap_size=1_000_000_000, num_threads=1)
    for i, d in enumerate(docs):
        writer.add_document(tantivy.Document(title=d.get("title", ""), body=d.get("text", ""), idx=i))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    index_s = time.perf_counter() - t0
    searcher = index.searcher()
    ids = [d["_id"] for d in docs]

    def search(text):
        cleaned = " ".join(re.findall(r"\w+", text.lower()))  # drop query-syntax characters
        if not cleaned:
            return []
        hits = searcher.search(index.parse_query(cleaned, ["title", "body"]), 10).hits
        return [ids[searcher.doc(addr)["idx"][0]] for _, addr in hits]

    results, lat = measure_queries(search, queries)
    return results, {"index_docs_per_s": len(docs) / index_s, "index_s": index_s, **lat,
                     "version": version}


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0))}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="BEIR folder with corpus.jsonl and queries.jsonl")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args()

    docs = load_jsonl(os.path.join(args.corpus, "corpus.jsonl"))
    queries = load_jsonl(os.path.join(args.corpus, "queries.jsonl"))
    qrels_path = os.path.join(args.corpus, "qrels.tsv")
    qrels = load_qrels(qrels_path) if os.path.exists(qrels_path) else None

    engines = {}
    with tempfile.TemporaryDirectory(prefix="lore-ref-") as workdir:
        for name, run in (("sqlite-fts5", run_sqlite), ("tantivy", run_tantivy)):
            results, figures = run(docs, queries, workdir)
            if qrels is not None:
                figures["ndcg@10"] = ndcg_at_10(results, qrels)
            engines[name] = figures

    print(f"{args.corpus}: {len(docs)} documents, {len(queries)} queries")
    print(f"{'engine':<12} {'version':<8} {'docs/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'nDCG@10':>8}")
    for name, e in engines.items():
        ndcg = f"{e['ndcg@10']:.4f}" if e.get("ndcg@10") is not None else "-"
        print(f"{name:<12} {e['version']:<8} {e['index_docs_per_s']:>9.0f} {e['p50_ms']:>8.3f} "
              f"{e['p99_ms']:>8.3f} {e['mean_ms']:>8.3f} {ndcg:>8}")

    report = {"corpus": args.corpus, "documents": len(docs), "queries": len(queries),
              "engines": engines, "machine": machine(), "date": datetime.date.today().isoformat()}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
