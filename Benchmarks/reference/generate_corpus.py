#!/usr/bin/env python3
"""Deterministic generator of a synthetic BEIR-style corpus that reads like documentation prose.

    python3 generate_corpus.py --documents 100000 --out DIR [--queries 200] [--seed 42]

Writes DIR/corpus.jsonl ({"_id","title","text"}) and DIR/queries.jsonl ({"_id","text"}).
Words are drawn from a Zipf-like vocabulary: the words of the Cranfield corpus ranked by
frequency, with technical terms mixed in at random ranks and camelCase identifiers in the tail.
The same arguments always produce byte-identical files (stdlib `random`, fixed seed).
"""
import argparse
import itertools
import json
import os
import random
import re
from collections import Counter

# ../shared beside the repository (LORE_SHARED_DIR overrides it).
SHARED = os.environ.get("LORE_SHARED_DIR") or os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared"))
CRANFIELD = os.path.join(SHARED, "data/cranfield/corpus.jsonl")
TECH_TERMS = """
api endpoint request response server client cache index query search tokenizer token schema
database table column row transaction commit rollback migration latency throughput thread
async await actor task queue buffer stream socket http https json yaml config configuration
environment variable deploy deployment container docker kubernetes cluster node replica shard
backup restore snapshot log logging metric metrics trace tracing error exception retry timeout
swift package module library framework protocol struct enum closure generic optional array
dictionary string integer boolean parameter argument function method property initializer
compiler build test benchmark profile memory allocation pointer reference handle session
authentication authorization token certificate encryption key secret permission role user
account webhook callback event handler middleware router route pagination cursor offset limit
filter sort ranking score relevance embedding vector sqlite fts5 bm25 unicode utf8 install
upgrade version release changelog deprecated flag option default override plugin extension
""".split()
ID_PARTS = ["cache", "index", "query", "search", "token", "request", "response", "session",
            "buffer", "stream", "config", "event", "handler", "writer", "reader", "store",
            "manager", "client", "server", "limit", "timeout", "size", "count", "path", "name",
            "id", "key", "value", "schema", "field", "score", "batch", "page", "cursor"]


def build_vocabulary(rng, zipf_s=1.05):
    """Return (words, cumulative Zipf weights); rank 0 is the most frequent word."""
    counts = Counter()
    with open(CRANFIELD, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            counts.update(re.findall(r"[a-z][a-z0-9]+|[a-z]", (doc["title"] + " " + doc["text"]).lower()))
    words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    seen = set(words)
    for term in TECH_TERMS:  # technical terms at ranks 20..2000, i.e. common-to-mid frequency
        if term not in seen:
            words.insert(rng.randint(20, min(2000, len(words))), term)
            seen.add(term)
    idents = sorted({a + b.capitalize() for a, b in itertools.permutations(ID_PARTS, 2)})
    rng.shuffle(idents)
    words += [w for w in idents if w not in seen]  # rare identifiers form the long tail
    cum = list(itertools.accumulate(1.0 / (r + 1) ** zipf_s for r in range(len(words))))
    return words, cum


def sentence(rng, words, cum, n):
    ws = rng.choices(words, cum_weights=cum, k=n)
    ws[0] = ws[0].capitalize()
    return " ".join(ws) + "."


def document(rng, words, cum):
    title = " ".join(rng.choices(words, cum_weights=cum, k=rng.randint(3, 8))).capitalize()
    remaining, parts = int(rng.triangular(80, 400, 150)), []
    while remaining > 0:
        n = min(remaining, rng.randint(6, 22))
        parts.append(sentence(rng, words, cum, n))
        remaining -= n
    # Split into short paragraphs, like documentation.
    paras, i = [], 0
    while i < len(parts):
        k = rng.randint(2, 5)
        paras.append(" ".join(parts[i:i + k]))
        i += k
    return title, "\n\n".join(paras)


def query(rng, words, cum):
    """2-8 distinct words; mostly mid-frequency (ranks 100-5000), sometimes Zipf-drawn."""
    n, chosen = rng.randint(2, 8), []
    hi = min(5000, len(words))
    while len(chosen) < n:
        w = words[rng.randrange(100, hi)] if rng.random() < 0.8 else rng.choices(words, cum_weights=cum)[0]
        if w not in chosen:
            chosen.append(w)
    return " ".join(chosen)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    words, cum = build_vocabulary(rng)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for i in range(args.documents):
            title, text = document(rng, words, cum)
            f.write(json.dumps({"_id": f"d{i}", "title": title, "text": text}) + "\n")
    with open(os.path.join(args.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for i in range(args.queries):
            f.write(json.dumps({"_id": f"q{i}", "text": query(rng, words, cum)}) + "\n")
    print(f"wrote {args.documents} documents and {args.queries} queries to {args.out} "
          f"(vocabulary {len(words)} words)")


if __name__ == "__main__":
    main()
