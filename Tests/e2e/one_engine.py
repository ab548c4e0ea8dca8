"""One engine behind every front door, end to end, with no mocks: the real `lore` binary, a real
SQLite file, the real all-MiniLM-L6-v2 weights where meaning matters, the official Python MCP SDK.

1. The stdio agent: a fresh database, `lore mcp` started by the MCP SDK, no `lore serve` anywhere:
   a written document is found by a `semantic` search without fallback within 60 s.
1b. Least privilege over stdio: `lore keys create --read-only --path-prefix team/`; `lore mcp` with
   that key lists three tools, refuses writes saying why, sees nothing outside team/, and stops at
   the next call once `lore keys revoke` ran.
2. `lore import` then `lore search --mode semantic`, no server: no fallback (import embeds).
3. Golden presentation: for the same queries, `lore search --json` equals the HTTP body except
   `requestId` and `tookMs`, and MCP's `structuredContent` carries the same hits and meta.
4. `lore serve` and `lore mcp` on one database, 500 documents written through both at once with a
   counting embeddings server: every chunk embedded exactly once, none lost.

    python3 Tests/e2e/one_engine.py [--only stdio,scoped,import,golden,shared]

Exits 0 when every check passes, 1 on the first failure.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lore_e2e as e2e  # noqa: E402

from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

SAMPLE = os.path.join(e2e.REPO, "fixtures", "sample-project")
MODEL_DIR = os.environ.get("LORE_MODEL_DIR") or os.path.join(e2e.REPO, "models", "all-MiniLM-L6-v2")


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run_lore(lore, env, *args, stdin=None):
    """Runs a `lore` command; returns stdout. Raises Failure with stderr on a non-zero exit."""
    done = subprocess.run([lore, *args], env=env, input=stdin, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise Failure(f"lore {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stdout


def new_project(lore, env):
    """A user and a project in the database of `env`; returns (project id, API key)."""
    run_lore(lore, env, "users", "create", "--email", "owner@example.com", "--name", "Owner", "--password-stdin",
             stdin="correct horse battery staple\n")
    created = json.loads(run_lore(lore, env, "projects", "create", "--owner", "owner@example.com", "--name", "Docs", "--json"))
    return created["id"], created["apiKey"]


@contextlib.asynccontextmanager
async def stdio_session(lore, env, key):
    parameters = StdioServerParameters(command=lore, args=["mcp", "--api-key", key], env=env)
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


@contextlib.asynccontextmanager
async def http_session(url, key):
    import httpx2
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=httpx2.Timeout(60.0)) as client:
        async with streamable_http_client(url, http_client=client) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


async def tool(session, name, arguments):
    result = await session.call_tool(name, arguments)
    check(not result.is_error, f"{name} failed: {result.content}")
    return result.structured_content


# --- 1. the stdio agent ------------------------------------------------------------------------

async def stdio_agent(lore, work):
    env = e2e.base_env({"LORE_DATABASE_URL": f"sqlite://{work}/stdio.db", "LORE_EMBEDDER": "builtin",
                        "LORE_MODEL_DIR": MODEL_DIR})
    _, key = new_project(lore, env)
    started = time.monotonic()
    async with stdio_session(lore, env, key) as session:
        await tool(session, "write_document", {
            "path": "ops/tides.md",
            "content": "# Tides\n\nThe moon's gravity pulls the oceans, raising the water twice a day along the coast."})
        await tool(session, "write_document", {
            "path": "ops/deploys.md", "content": "# Deploys\n\nRelease trains leave every Tuesday after the build is green."})
        while True:
            found = await tool(session, "search", {"query": "why does the sea level rise and fall", "mode": "semantic"})
            if found["mode"] == "semantic":
                break
            check(time.monotonic() - started < 60,
                  f"still {found['mode']} after 60 s: {found['fallbackReason']} (lore mcp does not embed)")
            await asyncio.sleep(0.5)
        check(found["fallbackReason"] is None, f"fallback: {found['fallbackReason']}")
        check(found["hits"] and found["hits"][0]["path"] == "ops/tides.md", f"semantic hits {found['hits']}")
        listed = await tool(session, "list_documents", {})
        check(all(d["embeddingStatus"] == "ready" for d in listed["documents"]), f"statuses {listed['documents']}")
    print(f"stdio: written and found by meaning in {time.monotonic() - started:.1f} s, no server", file=sys.stderr)


# --- 1b. a least-privilege agent over stdio ----------------------------------------------------

async def scoped_agent(lore, work):
    """`lore keys` issues a read key confined to team/; `lore mcp` with it lists three tools,
    refuses writes with a reason, sees nothing outside team/; revoked, it stops at the next call."""
    env = e2e.base_env({"LORE_DATABASE_URL": f"sqlite://{work}/scoped.db", "LORE_EMBEDDER": "none"})
    project, key = new_project(lore, env)
    async with stdio_session(lore, env, key) as session:
        for path in ("team/handbook.md", "secret/salaries.md"):
            await tool(session, "write_document", {"path": path, "content": f"# {path}\n\nquokka policy for {path}\n"})
    issued = json.loads(run_lore(lore, env, "keys", "create", "--project", "docs", "--name", "claude", "--read-only",
                                 "--path-prefix", "team/", "--expires-in", "30d", "--json"))
    check(issued["access"] == "read" and issued["pathPrefix"] == "team/" and issued["key"].startswith("lore_"),
          f"lore keys create: {issued}")
    async with stdio_session(lore, env, issued["key"]) as session:
        names = [t.name for t in (await session.list_tools()).tools]
        check(names == ["search", "read_document", "list_documents"], f"a read key lists {names}")
        found = await tool(session, "search", {"query": "quokka policy", "mode": "fulltext"})
        check([h["path"] for h in found["hits"]] == ["team/handbook.md"] and found["total"] == 1, f"scoped search {found}")
        listed = await tool(session, "list_documents", {})
        check([d["path"] for d in listed["documents"]] == ["team/handbook.md"], f"scoped list {listed}")
        outside = await session.call_tool("read_document", {"path": "secret/salaries.md"})
        check(outside.is_error, f"read outside the folder: {outside.content}")
        write = await session.call_tool("write_document", {"path": "team/x.md", "content": "x"})
        check(write.is_error and "only read" in write.content[0].text, f"write with a read key: {write.content}")
        listed_keys = json.loads(run_lore(lore, env, "keys", "list", "--project", project, "--json"))
        check(len(listed_keys) == 1 and listed_keys[0]["lastUsedAt"] and "key" not in listed_keys[0],
              f"lore keys list: {listed_keys}")
        run_lore(lore, env, "keys", "revoke", "--project", "docs", issued["id"])
        revoked = await session.call_tool("search", {"query": "quokka"})
        check(revoked.is_error and "revoked" in revoked.content[0].text, f"a revoked key still searched: {revoked.content}")
    print("scoped: a read key confined to team/ over stdio lists 3 tools, sees only team/, revoked at once",
          file=sys.stderr)


# --- 2. import, then search by meaning ---------------------------------------------------------

def import_then_search(lore, work):
    env = e2e.base_env({"LORE_DATABASE_URL": f"sqlite://{work}/import.db", "LORE_EMBEDDER": "builtin",
                        "LORE_MODEL_DIR": MODEL_DIR})
    project, key = new_project(lore, env)
    report = json.loads(run_lore(lore, env, "import", SAMPLE, "--project", project, "--json"))
    check(report["created"] > 0 and not report["failed"], f"import report {report}")
    check(report.get("embedded", 0) > 0, f"import embedded nothing: {report}")
    body = json.loads(run_lore(lore, env, "search", "how are passwords stored", "--project", project,
                               "--mode", "semantic", "--json"))
    check(body["meta"]["mode"] == "semantic" and body["meta"]["fallbackReason"] is None, f"search meta {body['meta']}")
    check(body["data"], "no semantic hits after import")

    # --no-embed leaves the documents pending, and says so.
    again = tempfile.mkdtemp(dir=work)
    shutil.copy(os.path.join(SAMPLE, "README.md") if os.path.exists(os.path.join(SAMPLE, "README.md"))
                else next(os.path.join(dp, f) for dp, _, fs in os.walk(SAMPLE) for f in fs if f.endswith(".md")),
                os.path.join(again, "copy.md"))
    skipped = json.loads(run_lore(lore, env, "import", again, "--project", project, "--no-embed", "--json"))
    check(skipped["created"] == 1 and skipped.get("embedded") is None, f"--no-embed report {skipped}")
    print(f"import: {report['created']} documents, {report['embedded']} chunks embedded; semantic search without "
          "fallback", file=sys.stderr)
    return env, project, key


# --- 3. one presentation -----------------------------------------------------------------------

def without(body, *fields):
    meta = {k: v for k, v in body["meta"].items() if k not in fields}
    return {"data": body["data"], "meta": meta}


async def golden(lore, work, env, project, key):
    server = e2e.Server(lore, env["LORE_DATABASE_URL"], env, work, name="golden").start()
    try:
        server.wait_ready()
        queries = [("session token refresh", "hybrid", "standard"), ("how are passwords stored", "semantic", "standard"),
                   ("rate-limit", "fulltext", "standard"), ('"api key" -rotate', "fulltext", "standard"),
                   ('"quantum entanglement" password hashing', "hybrid", "standard"),
                   ('"quantum entanglement" password hashing', "fulltext", "plain")]
        async with http_session(server.base + "/mcp", key) as session:
            for query, mode, syntax in queries:
                cli = json.loads(run_lore(lore, env, "search", query, "--project", project, "--mode", mode,
                                          "--limit", "5", "--syntax", syntax, "--json"))
                path = f"/api/v1/projects/{project}/search?" + urllib.parse.urlencode(
                    {"q": query, "mode": mode, "limit": 5, "syntax": syntax})
                status, http, _ = e2e.call(server.base, "GET", path, key=key)
                check(status == 200, f"HTTP search {status}: {http}")
                check("requestId" in http["meta"] and "tookMs" in cli["meta"], "requestId or tookMs missing")
                check(without(cli, "tookMs") == without(http, "tookMs", "requestId"),
                      f"{query!r} ({mode}): lore search --json differs from HTTP\ncli:  {json.dumps(without(cli, 'tookMs'))}\n"
                      f"http: {json.dumps(without(http, 'tookMs', 'requestId'))}")
                for hit in cli["data"]:
                    check(hit["documentId"] == hit["documentId"].lower() and hit["projectId"] == project,
                          f"ids not lower case: {hit}")
                check(round(cli["meta"]["tookMs"], 3) == cli["meta"]["tookMs"], f"tookMs not rounded: {cli['meta']}")
                check(http["meta"]["syntax"] == syntax, f"meta.syntax {http['meta']}")
                # No document has the phrase: the standard reading relaxes it, the plain one has none.
                if query.startswith('"quantum'):
                    check(http["meta"]["relaxed"] == (syntax == "standard"), f"{query!r} ({syntax}): relaxed {http['meta']}")
                elif not query.startswith('"'):
                    check(http["meta"]["relaxed"] is False, f"{query!r}: relaxed without a phrase {http['meta']}")
                check(http["data"] or not query.startswith('"quantum'), f"{query!r}: no hits after relaxing")
                structured = await tool(session, "search", {"query": query, "mode": mode, "limit": 5, "syntax": syntax})
                check(structured["hits"] == http["data"], f"{query!r} ({mode}): MCP hits differ from HTTP hits")
                meta = {k: v for k, v in structured.items() if k not in ("hits", "tookMs")}
                check(meta == {k: v for k, v in http["meta"].items() if k not in ("tookMs", "requestId")},
                      f"MCP meta {meta} differs from HTTP meta {http['meta']}")
            # Documents: MCP's read_document is the HTTP document, plus where it stands in lines.
            listed = await tool(session, "list_documents", {"limit": 1})
            first = listed["documents"][0]
            read = await tool(session, "read_document", {"path": first["path"]})
            status, document, _ = e2e.call(server.base, "GET", f"/api/v1/projects/{project}/documents/{first['id']}", key=key)
            lines = {"lines": read.pop("lines", None), "totalLines": read.pop("totalLines", None)}
            check(status == 200 and read == document["data"], f"read_document differs from GET document:\n{read}\n{document}")
            check(lines["lines"] == f"1-{lines['totalLines']}" and lines["totalLines"] == document["data"]["content"].count("\n"),
                  f"a whole read_document should say lines 1-N: {lines}")
            status, page, _ = e2e.call(server.base, "GET", f"/api/v1/projects/{project}/documents?limit=1", key=key)
            check(page["data"][0] == first, f"list_documents differs from GET documents:\n{first}\n{page['data'][0]}")
        print(f"golden: {len(queries)} queries alike through lore search --json, HTTP and MCP", file=sys.stderr)
    finally:
        server.terminate()


# --- 4. a server and an agent on one database ---------------------------------------------------

async def shared_database(lore, work, count=500):
    embedder = e2e.EmbeddingServer()
    env = e2e.base_env({"LORE_DATABASE_URL": f"sqlite://{work}/shared.db", **embedder.env()})
    project, key = new_project(lore, env)
    server = e2e.Server(lore, env["LORE_DATABASE_URL"], env, work, name="shared").start()
    try:
        server.wait_ready()

        def through_http():
            for index in range(0, count, 2):
                status, body, _ = e2e.call(server.api, "POST", f"/projects/{project}/documents", key=key, body={
                    "path": f"http/{index}.md", "content": f"# Note {index}\n\nmarker{index} written over HTTP."})
                check(status == 201, f"HTTP write {index}: {status} {body}")

        async def through_mcp():
            async with stdio_session(lore, env, key) as session:
                for index in range(1, count, 2):
                    await tool(session, "write_document", {
                        "path": f"mcp/{index}.md", "content": f"# Note {index}\n\nmarker{index} written by an agent."})
                # The agent stays a while, as sessions do: its worker shares the queue meanwhile.
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    found = await tool(session, "search", {"query": "marker0", "mode": "semantic", "limit": 1})
                    if found["mode"] == "semantic" and found["hits"] and found["hits"][0]["path"] == "http/0.md":
                        break
                    await asyncio.sleep(0.25)
                else:
                    raise Failure(f"the agent never found by meaning what the server wrote: {found}")

        await asyncio.gather(asyncio.to_thread(through_http), through_mcp())
        deadline = time.monotonic() + 120
        while True:
            with contextlib.closing(sqlite3.connect(f"{work}/shared.db", timeout=10)) as db:
                documents, chunks, embedded = db.execute(
                    "SELECT (SELECT count(*) FROM document), count(*), count(embedding) FROM chunk").fetchone()
            if documents == count and embedded == chunks:
                break
            check(time.monotonic() < deadline, f"queue not drained within 120 s: {documents} documents, "
                                               f"{embedded} of {chunks} chunks embedded")
            time.sleep(0.25)
        with embedder.lock:
            texts = collections.Counter(text for entries in embedder.served.values() for text, _ in entries)
        markers = collections.Counter()
        for text, times in texts.items():
            if "Note" not in text:
                continue  # a search's query, not a chunk
            for word in text.split():
                if word.startswith("marker"):
                    markers[word] += times
        twice = {m: n for m, n in markers.items() if n > 1}
        check(not twice, f"chunks embedded more than once: {sorted(twice.items())[:10]}")
        check(len(markers) == count, f"{len(markers)} of {count} documents' chunks were embedded")
        found = e2e.call(server.api, "GET", f"/projects/{project}/search?q=marker1&mode=semantic&limit=1", key=key)[1]
        check(found["meta"]["fallbackReason"] is None and found["data"][0]["path"] == "mcp/1.md",
              f"the server does not find by meaning what the agent wrote: {found}")
        print(f"shared: {count} documents through lore serve and lore mcp, every chunk embedded exactly once",
              file=sys.stderr)
    finally:
        server.terminate()
        embedder.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="stdio,scoped,import,golden,shared")
    wanted = set(parser.parse_args().only.split(","))
    work = tempfile.mkdtemp(prefix="lore-one-engine-")
    try:
        lore = e2e.binary_copy(work)
        if "stdio" in wanted:
            await stdio_agent(lore, work)
        if "scoped" in wanted:
            await scoped_agent(lore, work)
        if wanted & {"import", "golden"}:
            env, project, key = import_then_search(lore, work)
            if "golden" in wanted:
                await golden(lore, work, env, project, key)
        if "shared" in wanted:
            await shared_database(lore, work)
    except Failure as failure:
        print(f"one-engine: FAILED: {failure}", file=sys.stderr)
        for log in sorted(os.listdir(work)):
            if log.startswith("server-"):
                print(f"--- {log}\n" + open(os.path.join(work, log), errors="replace").read()[-3000:], file=sys.stderr)
        sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("one-engine: all checks passed", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
