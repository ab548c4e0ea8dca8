"""End-to-end check of Lore's MCP server with the official Python MCP SDK (`mcp` 2.x) as the client.

Drives the whole tool flow (initialize, tools/list, write -> search -> read -> list -> delete, and the
error results an agent must be able to recover from) over one transport, then runs two sessions of two
projects at once and checks that neither sees the other's documents or responses.

    python3 Tests/e2e/mcp_client.py http --url http://127.0.0.1:8080/mcp --key lore_… --other-key lore_…
    python3 Tests/e2e/mcp_client.py stdio --lore .build/debug/lore --database sqlite:///tmp/lore.db --key … --other-key …

Exits 0 when every check passes, 1 on the first failure (with the reason on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx2
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

EXPECTED_PROTOCOL = "2025-11-25"
TOOLS = {"search", "read_document", "write_document", "list_documents", "delete_document"}
# tool -> (readOnlyHint, destructiveHint, idempotentHint)
ANNOTATIONS = {
    "search": (True, False, True),
    "read_document": (True, False, True),
    "list_documents": (True, False, True),
    "write_document": (False, True, True),
    "delete_document": (False, True, True),
}
REQUIRED = {
    "search": ["query"],
    "read_document": ["path"],
    "write_document": ["path", "content"],
    "list_documents": [],
    "delete_document": ["path"],
}


class CheckFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def text_of(result: Any) -> str:
    return "\n".join(part.text for part in result.content if getattr(part, "type", "") == "text")


async def call(session: ClientSession, tool: str, arguments: dict[str, Any]) -> Any:
    result = await session.call_tool(tool, arguments)
    check(not result.is_error, f"{tool} {arguments} failed: {text_of(result)}")
    check(isinstance(result.structured_content, dict), f"{tool} returned no structuredContent")
    check(text_of(result) != "", f"{tool} returned no text")
    return result


async def call_error(session: ClientSession, tool: str, arguments: dict[str, Any], mentions: str) -> str:
    result = await session.call_tool(tool, arguments)
    message = text_of(result)
    check(result.is_error is True, f"{tool} {arguments} should be an error result, got: {message}")
    check(mentions.lower() in message.lower(), f"{tool} error should mention {mentions!r}: {message}")
    error = (result.structured_content or {}).get("error", {})
    check(bool(error.get("code")) and bool(error.get("message")), f"{tool} error lacks structured error: {result.structured_content}")
    return message


async def check_tools(session: ClientSession) -> None:
    listed = await session.list_tools()
    names = {tool.name for tool in listed.tools}
    check(names == TOOLS, f"tools/list returned {sorted(names)}")
    for tool in listed.tools:
        check(len(tool.description or "") >= 80, f"{tool.name}: the description is too thin for an agent")
        schema = tool.input_schema
        check(schema.get("type") == "object", f"{tool.name}: the input schema is not an object")
        check(sorted(schema.get("required", [])) == sorted(REQUIRED[tool.name]), f"{tool.name}: required is {schema.get('required')}")
        for name, prop in schema.get("properties", {}).items():
            check("type" in prop and prop.get("description"), f"{tool.name}.{name}: no type or description")
        check(tool.output_schema is not None, f"{tool.name}: no output schema")
        annotations = tool.annotations
        check(annotations is not None, f"{tool.name}: no annotations")
        got = (annotations.read_only_hint, annotations.destructive_hint, annotations.idempotent_hint)
        check(got == ANNOTATIONS[tool.name], f"{tool.name}: annotations are {got}")
    search = next(tool for tool in listed.tools if tool.name == "search")
    check(search.input_schema["properties"]["mode"].get("enum") == ["hybrid", "fulltext", "semantic"], "search.mode enum")


async def exercise(session: ClientSession, label: str) -> None:
    """The whole flow an agent goes through, on a project of its own."""
    initialized = await session.initialize()
    check(initialized.protocol_version == EXPECTED_PROTOCOL, f"negotiated {initialized.protocol_version}")
    check(initialized.server_info.name == "lore", f"server is {initialized.server_info.name}")
    check(initialized.capabilities.tools is not None, "the server does not announce tools")
    await check_tools(session)

    word = f"zebra{uuid.uuid4().hex[:8]}"
    folder = f"e2e/{label}"
    path = f"{folder}/crossing-guide.md"
    content = f"# Crossing guide\n\n## Rules\n\nThe {word} protocol says: look both ways before crossing.\n"

    written = await call(session, "write_document", {"path": path, "content": content, "tags": ["guide", "e2e"]})
    check(written.structured_content["outcome"] == "created", f"write outcome {written.structured_content}")
    document = written.structured_content["document"]
    check(document["path"] == path and document["title"] == "Crossing guide", f"written document {document}")
    check(document["tags"] == ["guide", "e2e"], f"tags {document['tags']}")

    again = await call(session, "write_document", {"path": path, "content": content, "tags": ["guide", "e2e"]})
    check(again.structured_content["outcome"] == "unchanged", "writing the same document again should change nothing")

    found = await call(session, "search", {"query": word, "mode": "fulltext", "limit": 5})
    hits = found.structured_content["hits"]
    check(found.structured_content["total"] == 1 and [hit["path"] for hit in hits] == [path], f"search found {hits}")
    check("<mark>" in hits[0]["snippet"], f"snippet without a highlight: {hits[0]['snippet']}")
    check(path in text_of(found), "the search text does not name the path")
    hybrid = await call(session, "search", {"query": word})
    check([hit["path"] for hit in hybrid.structured_content["hits"]] == [path], "hybrid search (default mode) misses the document")
    prefixed = await call(session, "search", {"query": word, "pathPrefix": "elsewhere/"})
    check(prefixed.structured_content["total"] == 0, "pathPrefix does not filter search")

    read = await call(session, "read_document", {"path": path})
    check(read.structured_content["content"] == content, "read_document returned other content")
    check(content.strip() in text_of(read), "read_document text lacks the content")

    await call(session, "write_document", {"path": f"{folder}/second.md", "content": "Second note.", "title": "Second"})
    listed = await call(session, "list_documents", {"pathPrefix": folder + "/", "limit": 1})
    check(listed.structured_content["total"] == 2, f"list total {listed.structured_content['total']}")
    check([d["path"] for d in listed.structured_content["documents"]] == [path], "list is not in path order")
    check("offset 1" in text_of(listed), "list text does not say how to get the next page")
    page2 = await call(session, "list_documents", {"pathPrefix": folder + "/", "offset": 1})
    check([d["path"] for d in page2.structured_content["documents"]] == [f"{folder}/second.md"], "second page")

    # Bad arguments are error results; the session stays usable after each.
    await call_error(session, "write_document", {"path": "../etc/passwd", "content": "x"}, "path")
    await call_error(session, "read_document", {"path": "/absolute.md"}, "relative")
    await call_error(session, "read_document", {"path": f"{folder}/missing.md"}, "list_documents")
    await call_error(session, "search", {"query": "   "}, "query")
    await call_error(session, "search", {"query": word, "limit": "ten"}, "integer")
    await call_error(session, "search", {"query": word, "mode": "psychic"}, "mode")
    await call_error(session, "search", {"q": word}, "query")
    await call_error(session, "write_document", {"path": f"{folder}/x.md"}, "content")
    await call_error(session, "list_documents", {"limit": 1000}, "limit")

    deleted = await call(session, "delete_document", {"path": path})
    check(deleted.structured_content == {"deleted": True, "path": path, "documentId": document["id"]}, f"delete {deleted.structured_content}")
    await call_error(session, "read_document", {"path": path}, "no document")
    await call_error(session, "delete_document", {"path": path}, "no document")
    gone = await call(session, "search", {"query": word, "mode": "fulltext"})
    check(gone.structured_content["total"] == 0, "a deleted document is still found")
    await call(session, "delete_document", {"path": f"{folder}/second.md"})
    empty = await call(session, "list_documents", {"pathPrefix": folder + "/"})
    check(empty.structured_content["total"] == 0, "documents left behind")


async def isolated(session: ClientSession, label: str, rounds: int = 12) -> None:
    """One of two sessions run at once: same paths, same JSON-RPC ids, different projects."""
    await session.initialize()
    path = "shared/name.md"
    content = f"# {label}\n\nThis project is {label}; marker-{label}.\n"
    await call(session, "write_document", {"path": path, "content": content})

    async def read_back(_: int) -> None:
        read = await call(session, "read_document", {"path": path})
        check(read.structured_content["content"] == content, f"session {label} read another project's document")
        found = await call(session, "search", {"query": f"marker-{label}", "mode": "fulltext"})
        check(found.structured_content["total"] == 1, f"session {label} search saw {found.structured_content}")

    await asyncio.gather(*(read_back(index) for index in range(rounds)))
    listed = await call(session, "list_documents", {})
    check([d["path"] for d in listed.structured_content["documents"]] == [path], f"session {label} lists {listed.structured_content}")
    other = "beta" if label == "alpha" else "alpha"
    leaked = await call(session, "search", {"query": f"marker-{other}", "mode": "fulltext"})
    check(leaked.structured_content["total"] == 0, f"session {label} finds the other project's document")
    await call(session, "delete_document", {"path": path})


@contextlib.asynccontextmanager
async def http_session(url: str, key: str) -> AsyncIterator[ClientSession]:
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=httpx2.Timeout(60.0)) as client:
        async with streamable_http_client(url, http_client=client) as (read, write):
            async with ClientSession(read, write) as session:
                yield session


@contextlib.asynccontextmanager
async def stdio_session(lore: str, database: str, key: str) -> AsyncIterator[ClientSession]:
    parameters = StdioServerParameters(
        command=lore, args=["mcp", "--api-key", key],
        env={"LORE_DATABASE_URL": database, "LORE_EMBEDDER": os.environ.get("LORE_EMBEDDER", "none"), "LORE_LOG_LEVEL": "warning"})
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            yield session


async def check_http_auth(url: str, key: str) -> None:
    initialize = {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": EXPECTED_PROTOCOL, "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}},
    }
    accept = {"Accept": "application/json, text/event-stream"}
    async with httpx2.AsyncClient(timeout=httpx2.Timeout(30.0)) as client:
        for headers, case in (({}, "no key"), ({"Authorization": "Bearer lore_wrong"}, "wrong key"),
                              ({"X-API-Key": key + "x"}, "altered key")):
            response = await client.post(url, json=initialize, headers=accept | headers)
            check(response.status_code == 401, f"{case}: status {response.status_code}")
            check(response.headers.get("www-authenticate", "").startswith("Bearer"), f"{case}: no WWW-Authenticate")
            body = response.json()
            check(body.get("error", {}).get("code") == "unauthorized" and "requestId" in body.get("meta", {}),
                  f"{case}: not the API error envelope: {body}")
        response = await client.post(url, json=initialize, headers=accept | {"X-API-Key": key})
        check(response.status_code == 200, f"X-API-Key: status {response.status_code}")
        result = response.json()["result"]
        check(result["protocolVersion"] == EXPECTED_PROTOCOL, f"raw initialize negotiated {result['protocolVersion']}")


async def run_http(arguments: argparse.Namespace) -> None:
    await check_http_auth(arguments.url, arguments.key)
    print("http: authentication checks passed", file=sys.stderr)
    async with http_session(arguments.url, arguments.key) as session:
        await exercise(session, "http")
    print("http: tool flow passed", file=sys.stderr)

    async def alpha() -> None:
        async with http_session(arguments.url, arguments.key) as session:
            await isolated(session, "alpha")

    async def beta() -> None:
        async with http_session(arguments.url, arguments.other_key) as session:
            await isolated(session, "beta")

    await asyncio.gather(alpha(), beta())
    print("http: two concurrent sessions stayed isolated", file=sys.stderr)


async def run_stdio(arguments: argparse.Namespace) -> None:
    async with stdio_session(arguments.lore, arguments.database, arguments.key) as session:
        await exercise(session, "stdio")
    print("stdio: tool flow passed", file=sys.stderr)

    async def alpha() -> None:
        async with stdio_session(arguments.lore, arguments.database, arguments.key) as session:
            await isolated(session, "alpha")

    async def beta() -> None:
        async with stdio_session(arguments.lore, arguments.database, arguments.other_key) as session:
            await isolated(session, "beta")

    await asyncio.gather(alpha(), beta())
    print("stdio: two concurrent sessions stayed isolated", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    transports = parser.add_subparsers(dest="transport", required=True)
    http = transports.add_parser("http", help="Streamable HTTP")
    http.add_argument("--url", required=True)
    stdio = transports.add_parser("stdio", help="lore mcp over standard input and output")
    stdio.add_argument("--lore", required=True, help="path of the lore binary")
    stdio.add_argument("--database", required=True, help="LORE_DATABASE_URL for lore mcp")
    for sub in (http, stdio):
        sub.add_argument("--key", required=True, help="API key of the first project")
        sub.add_argument("--other-key", required=True, help="API key of a second project")
    arguments = parser.parse_args()
    runner = run_http if arguments.transport == "http" else run_stdio
    try:
        asyncio.run(asyncio.wait_for(runner(arguments), timeout=300))
    except CheckFailed as failure:
        print(f"mcp-e2e ({arguments.transport}): FAILED: {failure}", file=sys.stderr)
        return 1
    except BaseException as error:  # an exception group from the SDK's task groups, a timeout, a crash
        print(f"mcp-e2e ({arguments.transport}): FAILED: {error!r}", file=sys.stderr)
        for inner in getattr(error, "exceptions", []):
            print(f"  caused by: {inner!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
