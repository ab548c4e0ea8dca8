#!/usr/bin/env python3
"""PostgreSQL full-text ranking variants, measured outside Lore on a database Lore filled.

    python3 -m venv /tmp/pgvenv && /tmp/pgvenv/bin/pip install "psycopg[binary]"
    lore eval ../shared/data/cranfield --mode fulltext --database postgres://…/EMPTY   # fills it
    /tmp/pgvenv/bin/python postgres_rerank.py --database postgresql://…/EMPTY --corpus ../shared/data/cranfield

For each variant: nDCG@10 over the judged queries and the p50/mean latency of the idf round trip
plus the ranking statement, one thread. Terms are the query's lower-cased words without Lore's
stop words (Lore's parser splits a little differently, so nDCG differs from `lore eval` in the
third decimal). The statements follow `PostgresStore.searchFullText`; see BENCHMARKS.md.
"""
import argparse
import json
import math
import pathlib
import re
import statistics
import time

import psycopg

RANK_WEIGHTS = "'{0.4, 0.6, 0.8, 1.0}'::float4[]"
PASSAGE_WEIGHTS = "'{0.2, 0.4, 0, 0}'::float4[]"
STOP_WORDS_SWIFT = pathlib.Path(__file__).resolve().parents[2] / "Sources/Index/FullText/StopWords.swift"


def stop_words():
    source = STOP_WORDS_SWIFT.read_text()
    return set(re.findall(r'"([a-z]+)"', source.split("static let words")[1]))


def ndcg_at_10(ranking, gains):
    def dcg(values):
        return sum(value / math.log2(index + 2) for index, value in enumerate(values[:10]))
    ideal = dcg(sorted((g for g in gains.values() if g > 0), reverse=True))
    return dcg([max(gains.get(d, 0), 0) for d in ranking[:10]]) / ideal if ideal else 0.0


def inverse_document_frequencies(connection, project, terms):
    columns = ["(SELECT count(*) FROM chunk WHERE project_id = %(p)s)"]
    params = {"p": project}
    for index, term in enumerate(terms):
        params[f"t{index}"] = term
        columns.append(f"(SELECT count(*) FROM chunk WHERE project_id = %(p)s "
                       f"AND search @@ phraseto_tsquery('english', %(t{index})s))")
    row = connection.execute("SELECT " + ", ".join(columns), params).fetchone()
    total = row[0]
    return [0.0 if df == 0 else math.log(1 + (total - df + 0.5) / (df + 0.5)) for df in row[1:]]


def statement(variant, terms, weights, project, depth):
    params = {"p": [project]}
    tsqueries = []
    for index, term in enumerate(terms):
        params[f"t{index}"] = term
        tsqueries.append(f"phraseto_tsquery('english'::regconfig, %(t{index})s)")
    whole = "(" + " || ".join(tsqueries) + ")"
    score = " + ".join(f"{weight!r} * ts_rank({RANK_WEIGHTS}, c.search, {tsqueries[index]}, 32)"
                       for index, weight in enumerate(weights) if weight > 0) or "0"
    tail = f"""
        best AS (SELECT DISTINCT ON (document_id) id, document_id, max(score) OVER (PARTITION BY document_id) AS score
                 FROM matches ORDER BY document_id, passage DESC, score DESC, position),
        page AS (SELECT best.*, d.path, count(*) OVER () AS total FROM best JOIN document d ON d.id = best.document_id
                 ORDER BY best.score DESC, d.path LIMIT 10)
        SELECT page.path, ts_headline('english'::regconfig, c.text, {whole}, 'MaxWords=32, MinWords=12')
        FROM page JOIN chunk c ON c.id = page.id ORDER BY page.score DESC, page.path"""
    if variant == "shipped":
        head = f"""WITH query AS (SELECT {whole} AS r), matches AS (
            SELECT c.id, c.document_id, c.position, ({score})::float8 AS score,
                   ts_rank({PASSAGE_WEIGHTS}, c.search, query.r, 32) AS passage
            FROM chunk c CROSS JOIN query WHERE c.project_id = ANY(%(p)s) AND c.search @@ query.r),"""
    elif variant == "inline":
        head = f"""WITH matches AS (
            SELECT c.id, c.document_id, c.position, ({score})::float8 AS score,
                   ts_rank({PASSAGE_WEIGHTS}, c.search, {whole}, 32) AS passage
            FROM chunk c WHERE c.project_id = ANY(%(p)s) AND c.search @@ {whole}),"""
    else:  # rerank: one whole-query ts_rank for every match, the weighted per-term score for its top chunks
        head = f"""WITH rough AS (
            SELECT c.id, c.document_id, c.position, c.search FROM chunk c
            WHERE c.project_id = ANY(%(p)s) AND c.search @@ {whole}
            ORDER BY ts_rank({RANK_WEIGHTS}, c.search, {whole}, 32) DESC LIMIT {depth}),
            matches AS (SELECT c.id, c.document_id, c.position, ({score})::float8 AS score,
                               ts_rank({PASSAGE_WEIGHTS}, c.search, {whole}, 32) AS passage FROM rough c),"""
    return head + tail, params


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--corpus", required=True, type=pathlib.Path)
    arguments = parser.parse_args()
    stop = stop_words()
    queries = [json.loads(line) for line in (arguments.corpus / "queries.jsonl").open()]
    judgments = {}
    for line in (arguments.corpus / "qrels.tsv").read_text().splitlines()[1:]:
        if line.strip():
            query, document, gain = line.split("\t")
            judgments.setdefault(query, {})[document] = int(gain)
    connection = psycopg.connect(arguments.database, autocommit=True)
    project = connection.execute("SELECT id FROM project").fetchone()[0]
    for variant, depth in [("shipped", 0), ("inline", 0), ("rerank", 100), ("rerank", 300)]:
        times, scores = [], []
        for query in queries:
            terms = [word for word in re.findall(r"\w+", query["text"].lower()) if word not in stop]
            if not terms:
                continue
            started = time.perf_counter()
            weights = inverse_document_frequencies(connection, project, terms)
            sql, params = statement(variant, terms, weights, project, depth)
            rows = connection.execute(sql, params).fetchall()
            times.append(time.perf_counter() - started)
            ranking = [path.split("/")[-1].rsplit(".", 1)[0] for path, _ in rows]
            gains = judgments.get(query["_id"], {})
            if any(gain > 0 for gain in gains.values()):
                scores.append(ndcg_at_10(ranking, gains))
        label = variant + (f" top {depth}" if depth else "")
        print(f"{label:<14} nDCG@10 {sum(scores) / len(scores):.4f}  p50 {statistics.median(times) * 1e3:.2f} ms  "
              f"mean {statistics.mean(times) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
