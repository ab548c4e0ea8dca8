#!/usr/bin/env python3
"""Storage bound: bytes stored per byte written stay under STORAGE_FACTOR for adversarial documents.

Each case runs on a new SQLite store (the full-text index only: LORE_EMBEDDER=none, so no vectors):
the server starts, a user and a project are made, the server stops and the data folder is
measured (the baseline); the server starts again, the case's documents are written over HTTP, the
server stops (closing the store checkpoints the WAL) and the folder is measured again. The growth,
divided by the UTF-8 bytes of the documents that are live at the end, must stay under the factor.
A rewritten document counts once: rewriting a path must not pile up its old versions.

Issue 12 measured 822 MB of growth for one 900 KB document whose first line is a 400 KB `##`
heading (the heading trail copied into every chunk and its full-text row): a factor of ~900.

Usage: storage_bound.py --lore BINARY [--case NAME]…
Prints a table of the measured factors and `N passed, N failed`; exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adversarial import Server, cookie, dumps, raised_rate_limit_env, request  # noqa: E402

# Growth of the store over the live bytes written. The text is stored once in `documents`, again
# in its chunks (with overlap and the heading trail, cut at 300 characters) and once more in the
# FTS5 index (its terms, positions and the chunk text FTS5 keeps for snippets): a handful of copies.
# 12× leaves room for SQLite's page slack and B-tree overhead of many small chunks; a heading
# copied whole into every chunk, or versions that are never freed, blow through it.
STORAGE_FACTOR = 12.0
# Except where every passage is a few bytes: each Markdown section is its own passage (so it keeps
# its heading trail), and a passage costs ~250 bytes of bookkeeping whatever its text (its id,
# document id and content hash, an FTS5 row, the chunk_by_document index entry). A document made of
# 90,000 ten-byte sections therefore costs ~25× its bytes; the bound for it is stated on its own.
CASE_FACTORS = {"tiny-sections": 32.0}
KB = 1000


def prose(size: int, seed: int = 0) -> str:
    words = ["index", "search", "chunk", "vector", "token", "install", "rotate", "key", "cluster", "replica",
             "latency", "budget", "schema", "migration", "query", "snippet", "heading", "project", "agent", "lore"]
    out, i = [], seed
    length = 0
    while length < size:
        word = words[(i * 7 + i // 3) % len(words)] + (str(i % 97) if i % 5 == 0 else "")
        out.append(word)
        length += len(word) + 1
        i += 1
    text = " ".join(out)[:size]
    return text


def paragraphs(size: int, seed: int = 0) -> str:
    text = prose(size, seed)
    return "\n\n".join(text[i:i + 600] for i in range(0, len(text), 600))


def repeat_until(size: int, make) -> str:
    """`make(0) + make(1) + …` up to `size` characters."""
    parts, length, n = [], 0, 0
    while length < size:
        parts.append(make(n))
        length += len(parts[-1])
        n += 1
    return "".join(parts)[:size]


def normal_markdown(size: int) -> str:
    return repeat_until(size, lambda n: f"## Section {n}\n\n{paragraphs(3000, n)}\n\n")


def giant_heading() -> str:
    return "## " + prose(400 * KB) + "\n\n" + paragraphs(500 * KB, 1)


def tiny_headings() -> str:
    return repeat_until(900 * KB, lambda n: f"# h{n}\n")


def tiny_sections() -> str:
    return repeat_until(900 * KB, lambda n: f"# h{n}\nw{n}\n")


def nested_headings() -> str:
    return repeat_until(900 * KB, lambda n: "#" * (n % 6 + 1) + " " + prose(200, n) + f"\n\n{prose(120, n + 1)}\n\n")


def one_line() -> str:
    return prose(900 * KB, 2)


CASES = {
    "normal-markdown": lambda: [("docs/normal.md", [normal_markdown(900 * KB)])],
    "giant-heading": lambda: [("docs/giant-heading.md", [giant_heading()])],
    "tiny-headings": lambda: [("docs/tiny-headings.md", [tiny_headings()])],
    "tiny-sections": lambda: [("docs/tiny-sections.md", [tiny_sections()])],
    "nested-headings": lambda: [("docs/nested-headings.md", [nested_headings()])],
    "one-giant-line": lambda: [("docs/one-line.md", [one_line()])],
    "rewrites-50": lambda: [("docs/rewritten.md", [f"# Version {v}\n\n" + paragraphs(100 * KB, v) for v in range(50)])],
}


def folder_size(path: str) -> int:
    """The data folder's bytes once the WAL is folded into the database (the server, stopped,
    may leave it behind: its size is write traffic, not storage)."""
    database = os.path.join(path, "lore.db")
    if os.path.exists(database):
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def largest_tables(data: str) -> str:
    try:
        with sqlite3.connect(os.path.join(data, "lore.db")) as connection:
            rows = connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 3").fetchall()
        return ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in rows)
    except sqlite3.Error:
        return "(no dbstat)"


def run_case(lore: str, name: str, documents, work: str) -> tuple[float, str]:
    data = os.path.join(work, name)
    os.makedirs(data)
    server = Server(lore, f"sqlite://{data}/lore.db", work, raised_rate_limit_env(lore), name=f"storage-{name}")
    try:
        server.start()
        json_header = [("Content-Type", "application/json")]
        response = request(server.port, "POST", "/api/v1/auth/register", json_header,
                           dumps({"email": "storage@example.com", "password": "correct-horse-battery",
                                  "name": "Storage"}).encode())
        jwt = cookie(response, "lore_session")
        response = request(server.port, "POST", "/api/v1/projects", json_header + [("Authorization", f"Bearer {jwt}")],
                           dumps({"name": "Storage"}).encode())
        project = response.json()["data"]
        server.stop()
        baseline = folder_size(data)
        server.start()
        key = [("X-API-Key", project["apiKey"])] + json_header
        live = 0
        started = time.monotonic()
        for path, versions in documents:
            document_id, version = None, None
            for content in versions:
                if document_id is None:
                    response = request(server.port, "POST", f"/api/v1/projects/{project['id']}/documents", key,
                                       dumps({"path": path, "content": content}).encode(), timeout=600)
                else:
                    response = request(server.port, "PUT", f"/api/v1/projects/{project['id']}/documents/{document_id}",
                                       key, dumps({"content": content, "version": version}).encode(), timeout=600)
                if response.status not in (200, 201):
                    return float("inf"), f"write of {path} answered {response.status} {response.text()}"
                data_ = response.json()["data"]
                document_id, version = data_["id"], data_["version"]
            live += len(versions[-1].encode())
        seconds = time.monotonic() - started
        server.stop()
        growth = folder_size(data) - baseline
        return growth / live, (f"{live / 1e6:6.2f} MB live, {growth / 1e6:8.2f} MB growth, writes took {seconds:5.1f}s; "
                               f"largest: {largest_tables(data)}")
    except Exception as error:  # a dead or hung server is this case's failure, not the script's
        return float("inf"), f"{type(error).__name__}: {error}\n{server.log_tail()}"
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lore", required=True)
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    args = parser.parse_args()
    os.environ["LORE_EMBEDDER"] = "none"
    work = tempfile.mkdtemp(prefix="lore-storage-")
    passed = failed = 0
    started = time.monotonic()
    print(f"storage bound: growth / live bytes ≤ {STORAGE_FACTOR:g}× (SQLite, full text only)")
    try:
        for name in args.case or list(CASES):
            factor, detail = run_case(args.lore, name, CASES[name](), work)
            ok = factor <= CASE_FACTORS.get(name, STORAGE_FACTOR)
            passed, failed = passed + ok, failed + (not ok)
            print(f"  {'ok  ' if ok else 'FAIL'} {name:<16} {factor:8.2f}×  {detail}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"storage bound: {time.monotonic() - started:.0f}s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
