#!/usr/bin/env python3
"""Adversarial HTTP suite against a live `lore serve`, generated from its /openapi.json.

Every operation of the document is sent hostile values in every parameter it declares (path,
query, header, the JSON body's properties one level into arrays of objects), in the credentials of
every security scheme it accepts, in its URL (trailing and doubled slashes, dot segments) and in
its body as a whole (malformed and deep JSON, duplicate keys, wrong types and content types, gzip,
a gzip bomb, an oversized body). New routes are covered without editing this file: only the
fixtures (a user, a project with its key, a document) know the current API.

After every request:
  * an HTTP answer came back and its status is not 5xx;
  * a 4xx carries the error envelope of SPEC §3 (`{"error": {"code", "message", "details"},
    "meta": {"requestId"}}`, the code that belongs to the status), unless the operation declares
    that status with a schema of its own (MCP's JSON-RPC errors);
  * a value the operation's schema refuses (type, range, length, pattern, enum, uuid) is a 4xx;
  * the process is alive and GET /health answers 200 (a dead server is restarted and counted).
Then the limits of SPEC §9 and the bypasses of issue 12, one by one (offsets, query bytes, content,
tags, metadata, paths, login throttles on `/auth/login/`, duplicate keys, registration bucket).

Usage: adversarial.py --lore BINARY [--database-url URL] [--only main|limits|ratelimit]
Prints one line per failure, a summary by check, and `N passed, N failed`; exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import gzip
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60.0
MIB = 1 << 20
# SPEC §9.
MAX_WINDOW = 10_000          # offset + limit
MAX_QUERY_BYTES = 4096
MAX_CONTENT_BYTES = MIB
MAX_BODY_BYTES = 8 * MIB     # after decompression
MAX_METADATA_BYTES = 64 * 1024
MAX_METADATA_DEPTH = 16      # the metadata object itself is depth 1
MAX_TAGS = 64
MAX_TAG_CHARS = 64
ERROR_CODES = {
    401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
}
LONG = "a" * 100_000
FLOOD = "a" + "\u0301" * 100_000          # one grapheme, 200 KB of UTF-8
DEEP = 10_000


# ---------------------------------------------------------------------------------------------
# A live server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def raised_rate_limit_env(lore: str) -> dict[str, str]:
    """Every `LORE_RATE_LIMIT_…REQUESTS` setting the binary knows, raised for a fuzzing run (the
    limiter still runs and sends its headers). Read from the binary so that a bucket added later
    (registration, say) is raised too without editing this file."""
    names = {"LORE_RATE_LIMIT_REQUESTS", "LORE_RATE_LIMIT_LOGIN_REQUESTS", "LORE_RATE_LIMIT_LOGIN_EMAIL_REQUESTS"}
    try:
        with open(lore, "rb") as f:
            names |= {m.decode() for m in re.findall(rb"LORE_RATE_LIMIT_[A-Z_]*REQUESTS", f.read())}
    except OSError:
        pass
    return {name: "1000000" for name in names}


class Server:
    """`lore serve` on an ephemeral port of 127.0.0.1, its log in `work`."""

    def __init__(self, lore: str, database_url: str, work: str, env: dict[str, str] | None = None, name: str = "server"):
        self.lore, self.database_url, self.work, self.name = lore, database_url, work, name
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log_path = os.path.join(work, f"{name}.log")
        self.restarts = 0

    def start(self) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LORE_")}
        env.update({
            "LORE_DATABASE_URL": self.database_url, "LORE_ENV": "development", "LORE_LOG_LEVEL": "error",
            "LORE_EMBEDDER": os.environ.get("LORE_EMBEDDER", "none"),
        })
        for passed in ("LORE_MODEL_DIR", "LORE_JWT_SECRET"):
            if passed in os.environ:
                env[passed] = os.environ[passed]
        env.update(self.extra_env)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.lore, "serve", "--host", HOST, "--port", str(self.port)],
                                        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.work)
        log.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if request(self.port, "GET", "/health", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /health within 120 s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if not self.process:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


# ---------------------------------------------------------------------------------------------
# Raw HTTP: every byte of the request line, headers and body is ours to choose.


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def text(self, limit: int = 300) -> str:
        text = self.body[:limit].decode("utf-8", "replace")
        return text + ("…" if len(self.body) > limit else "")


class NoResponse(Exception):
    pass


def to_bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


def request(port: int, method: str, target, headers=(), body: bytes | None = None,
            timeout: float = REQUEST_TIMEOUT) -> Response:
    """One request on a fresh connection. `target` is sent as given (already percent-encoded).
    A large body is sent in pieces while watching for an early answer (a 413 before the upload
    ends), so that the answer is read instead of lost to a reset."""
    head = [to_bytes(method) + b" " + to_bytes(target) + b" HTTP/1.1", b"Host: %s:%d" % (HOST.encode(), port),
            b"Connection: close"]
    names = {to_bytes(k).lower() for k, _ in headers}
    if body is not None and b"content-length" not in names:
        head.append(b"Content-Length: %d" % len(body))
    for key, value in headers:
        head.append(to_bytes(key) + b": " + to_bytes(value))
    data = b"\r\n".join(head) + b"\r\n\r\n"
    sock = socket.create_connection((HOST, port), timeout=timeout)
    try:
        try:
            sock.sendall(data)
            if body:
                view, sent = memoryview(body), 0
                while sent < len(view):
                    readable, writable, _ = select.select([sock], [sock], [], timeout)
                    if readable:
                        break  # answered before the body ended
                    if not writable:
                        raise NoResponse("timed out sending the body")
                    sent += sock.send(view[sent:sent + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: its answer may still be there
        response = http.client.HTTPResponse(sock, method=method)
        try:
            response.begin()
            payload = response.read()
        except (ConnectionResetError, http.client.HTTPException, socket.timeout, OSError) as error:
            raise NoResponse(f"{type(error).__name__}: {error}") from None
        if (response.getheader("Content-Encoding") or "").lower() == "gzip":
            payload = gzip.decompress(payload)
        return Response(response.status, list(response.getheaders()), payload)
    finally:
        sock.close()


# ---------------------------------------------------------------------------------------------
# JSON with values Python's json cannot write: raw tokens, duplicate keys, deep nesting.


class Raw:
    """A JSON text written as is. `value` is what it means for schema checks: NOT_JSON for text
    that is not JSON (NaN, Infinity), DEEP for nesting past any bound."""

    def __init__(self, text: str, value):
        self.text, self.value = text, value

    def __repr__(self) -> str:
        return self.text if len(self.text) < 60 else self.text[:40] + f"…({len(self.text)} chars)"


class Pairs(list):
    """A JSON object as a list of (key, value) pairs: keys may repeat."""


NOT_JSON = object()
DEEP_VALUE = object()
ABSENT = object()


def dumps(value) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Pairs):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(v) for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def meaning(value):
    """The Python value of a body value, for schema checks."""
    if isinstance(value, Raw):
        return value.value
    if isinstance(value, Pairs):
        return {k: meaning(v) for k, v in value}
    if isinstance(value, dict):
        return {k: meaning(v) for k, v in value.items()}
    if isinstance(value, list):
        return [meaning(v) for v in value]
    return value


def deep_array(depth: int = DEEP) -> Raw:
    return Raw("[" * depth + "]" * depth, DEEP_VALUE)


def deep_object(depth: int = DEEP) -> Raw:
    return Raw('{"a":' * depth + "1" + "}" * depth, DEEP_VALUE)


def nested_metadata(depth: int) -> dict:
    """An object `depth` levels deep, counting itself as level 1."""
    value: dict = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


# Hostile values for the JSON body's properties.
BODY_HOSTILE = [
    Raw("9223372036854775807", 2**63 - 1), Raw("-9223372036854775808", -2**63), Raw("4611686018427387904", 2**62),
    Raw("9223372036854775808", 2**63), Raw("-9223372036854775809", -2**63 - 1), Raw("-1", -1), Raw("0", 0),
    Raw("1.5", 1.5), Raw("1e309", float("inf")), Raw("-1e309", float("-inf")), Raw("NaN", NOT_JSON),
    Raw("Infinity", NOT_JSON), "", LONG, FLOOD, "\u0000", "a\u0000b", "\u202e", "evil\u202egnp.md", "a\u200db",
    Raw('"\\ud800"', "\ud800"), None, True, [], {}, [1, "x"], {"a": 1}, deep_array(), deep_object(),
]
# Hostile values for query, path and header parameters (text; sent UTF-8 and percent-encoded).
TEXT_HOSTILE = [
    "9223372036854775807", "-9223372036854775808", "4611686018427387904", "9223372036854775808", "-1", "1e309",
    "NaN", "Infinity", "-Infinity", "", "1.5", "0x10", " 1", LONG, FLOOD, "\u0000", "a\u0000b", "\u202e",
    "a\u200db", "%", "..", "../../etc/passwd", b"\xff\xfe",
]
HEADER_HOSTILE = ["", LONG, FLOOD, "\u0000", "\u202e", b"\xff\xfe", "Bearer", "Bearer ", "lore_" + "a" * 60,
                  "9223372036854775808"]


def show(value) -> str:
    if value is LONG:
        return "<100k×'a'>"
    if value is FLOOD:
        return "<'a'+100k×U+0301>"
    if isinstance(value, str) and len(value) > 60:
        return repr(value[:40]) + f"…({len(value)} chars)"
    return repr(value)


# ---------------------------------------------------------------------------------------------
# Schemas


class Spec:
    def __init__(self, document: dict):
        self.document = document

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            node = self.document
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema, seen = node, seen + 1
        return schema

    def ref_name(self, schema) -> str | None:
        if isinstance(schema, dict) and "$ref" in schema:
            return schema["$ref"].rsplit("/", 1)[-1]
        return None

    def operations(self):
        order = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
        found = []
        for path, item in self.document.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method, op in item.items():
                if method not in order:
                    continue
                params = [self.resolve(p) for p in shared + op.get("parameters", [])]
                found.append(Operation(self, path, method, op, params))
        destructive = lambda o: o.method == "delete" or o.path.endswith(("/logout", "/api-key"))
        found.sort(key=lambda o: (destructive(o), order[o.method], o.path))
        return found

    def violation(self, schema, value) -> str | None:
        """Why `value` breaks `schema` (a JSON Schema subset), or None."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return None
        if value is NOT_JSON:
            return "not JSON"
        if value is DEEP_VALUE:
            return "nested past every bound"
        for key in ("anyOf", "oneOf"):
            if key in schema:
                reasons = [self.violation(s, value) for s in schema[key]]
                if all(reasons):
                    return reasons[0]
        for sub in schema.get("allOf", []):
            reason = self.violation(sub, value)
            if reason:
                return reason
        if "const" in schema and value != schema["const"]:
            return f"not {schema['const']!r}"
        if "enum" in schema and value not in schema["enum"]:
            return "not in enum"
        types = schema.get("type")
        if types is not None:
            types = types if isinstance(types, list) else [types]
            if not any(type_matches(t, value) for t in types):
                return f"not {'/'.join(types)}"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value != value or value in (float("inf"), float("-inf")):
                return "not finite"
            if "minimum" in schema and value < schema["minimum"]:
                return f"below {schema['minimum']}"
            if "maximum" in schema and value > schema["maximum"]:
                return f"above {schema['maximum']}"
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                return f"shorter than {schema['minLength']}"
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                return f"longer than {schema['maxLength']}"
            if "pattern" in schema:
                try:
                    if not re.search(schema["pattern"], value):
                        return f"does not match {schema['pattern']}"
                except re.error:
                    pass
            if schema.get("format") == "uuid" and not re.fullmatch(
                    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", value):
                return "not a uuid"
        if isinstance(value, list):
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                return f"more than {schema['maxItems']} items"
            if "minItems" in schema and len(value) < schema["minItems"]:
                return f"fewer than {schema['minItems']} items"
            for item in value:
                reason = self.violation(schema.get("items", {}), item)
                if reason:
                    return "item " + reason
        if isinstance(value, dict):
            for name in schema.get("required", []):
                if name not in value:
                    return f"no {name}"
            for name, sub in schema.get("properties", {}).items():
                if name in value:
                    reason = self.violation(sub, value[name])
                    if reason:
                        return f"{name}: {reason}"
        return None

    def query_value(self, schema, text):
        """What a query or path value means under its schema: a number for numeric schemas (or
        NOT_JSON when it is not one), the text otherwise."""
        schema = self.resolve(schema)
        types = schema.get("type", "string") if isinstance(schema, dict) else "string"
        types = types if isinstance(types, list) else [types]
        if isinstance(text, bytes):
            return ABSENT  # not UTF-8: no schema expectation
        if "integer" in types:
            return int(text) if re.fullmatch(r"-?(0|[1-9][0-9]*)", text) else NOT_JSON
        if "number" in types:
            if re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?", text):
                return float(text)
            return NOT_JSON
        if "boolean" in types:
            return {"true": True, "false": False}.get(text, NOT_JSON)
        return text


def type_matches(kind: str, value) -> bool:
    return {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }.get(kind, True)


class Operation:
    def __init__(self, spec: Spec, path: str, method: str, op: dict, params: list[dict]):
        self.spec, self.path, self.method, self.op, self.params = spec, path, method, op, params
        self.id = op.get("operationId", f"{method} {path}")
        self.security = [name for requirement in op.get("security", []) for name in requirement]
        body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
        self.body_ref = spec.ref_name(body["schema"]) if body else None
        self.body_schema = spec.resolve(body["schema"]) if body else None

    def param(self, location: str, name: str):
        return next((p for p in self.params if p["in"] == location and p["name"] == name), None)

    def declared_body_schema(self, status: int):
        """The schema the operation declares for `status`, when it is not the error envelope."""
        response = self.spec.resolve(self.op.get("responses", {}).get(str(status)))
        if not isinstance(response, dict):
            return None
        for media in (response.get("content") or {}).values():
            schema = media.get("schema")
            if self.spec.ref_name(schema) != "ErrorEnvelope":
                return schema
        return None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


# ---------------------------------------------------------------------------------------------
# The suite


class Failure:
    def __init__(self, check: str, what: str, response: Response | None, detail: str):
        self.check, self.what, self.response, self.detail = check, what, response, detail

    def __str__(self) -> str:
        got = f"{self.response.status} {self.response.text(240)}" if self.response else "-"
        return f"[{self.check}] {self.what} → {got} :: {self.detail}"


class Suite:
    def __init__(self, server: Server):
        self.server = server
        self.passed = 0
        self.failures: list[Failure] = []
        self.counts = collections.Counter()
        self.serial = 0
        self.jwt = self.api_key = self.project_id = self.document_id = None
        self.document_path = "guides/fixture.md"
        self.document_version = 1
        self.email = self.password = None
        self.created_ids: dict[str, str] = {}
        self.timings: list[tuple[float, str]] = []
        self.slow_bombs = 0

    # -- plumbing -------------------------------------------------------------------------

    def unique(self, stem: str) -> str:
        self.serial += 1
        return f"{stem}-{os.getpid()}-{self.serial}"

    def send(self, method, target, headers=(), body=None, timeout=REQUEST_TIMEOUT) -> Response | None:
        try:
            return request(self.server.port, method, target, headers, body, timeout)
        except (NoResponse, OSError) as error:
            self.last_error = str(error)
            return None

    def api(self, method, path, body=None, auth=None, expect=None) -> Response:
        """A well-formed request of the fixtures' own; any trouble here is the server's."""
        headers = [("Content-Type", "application/json")] if body is not None else []
        headers += auth or []
        response = self.send(method, path, headers, None if body is None else dumps(body).encode())
        if response is None or (expect and response.status not in expect):
            raise RuntimeError(f"fixture request {method} {path} failed: "
                               f"{response.status if response else 'no answer'} {response.text() if response else ''}")
        return response

    def session_auth(self):
        return [("Authorization", f"Bearer {self.jwt}")]

    def key_auth(self):
        return [("X-API-Key", self.api_key)]

    # -- fixtures (the only part that knows the current API) ------------------------------

    def setup(self) -> None:
        self.email, self.password = f"{self.unique('adversary')}@example.com", "correct-horse-battery"
        response = self.api("POST", "/api/v1/auth/register",
                            {"email": self.email, "password": self.password, "name": "Adversary"}, expect={201})
        self.jwt = cookie(response, "lore_session")
        self.new_project()

    def new_project(self) -> None:
        response = self.api("POST", "/api/v1/projects", {"name": self.unique("Target"), "description": "fuzzed"},
                            self.session_auth(), expect={201})
        data = response.json()["data"]
        self.project_id, self.api_key = data["id"], data["apiKey"]
        self.created_ids = {}
        self.new_document()

    def new_document(self) -> None:
        self.document_path = f"guides/{self.unique('fixture')}.md"
        response = self.api("POST", f"/api/v1/projects/{self.project_id}/documents", {
            "path": self.document_path, "title": "Fixture", "tags": ["guide"], "metadata": {"owner": "docs"},
            "content": "# Install\n\nRun the installer, then rotate the API key.\n"}, self.key_auth(), expect={201})
        data = response.json()["data"]
        self.document_id, self.document_version = data["id"], data["version"]

    def repair(self) -> None:
        """After any request that may have changed state: bring the fixtures back."""
        me = self.api("GET", "/api/v1/auth/me", auth=self.session_auth())
        if me.status == 401:
            self.jwt = cookie(self.api("POST", "/api/v1/auth/login", {"email": self.email, "password": self.password},
                                       expect={200}), "lore_session")
        project = self.api("GET", f"/api/v1/projects/{self.project_id}", auth=self.session_auth())
        if project.status == 404:
            self.new_project()
            return
        document = self.api("GET", f"/api/v1/projects/{self.project_id}/documents/{self.document_id}",
                            auth=self.key_auth())
        if document.status == 401:
            rotated = self.api("POST", f"/api/v1/projects/{self.project_id}/api-key", auth=self.session_auth(),
                               expect={200})
            self.api_key = rotated.json()["data"]["apiKey"]
            document = self.api("GET", f"/api/v1/projects/{self.project_id}/documents/{self.document_id}",
                                auth=self.key_auth())
        if document.status == 404:
            self.new_document()
        elif document.status == 200:
            data = document.json()["data"]
            self.document_path, self.document_version = data["path"], data["version"]

    # -- valid requests, from the schema -------------------------------------------------

    def path_value(self, op: Operation, name: str) -> str:
        if name == "projectId":
            return self.project_id
        if name == "documentId":
            return self.document_id
        # Another resource: create one through the collection's POST when the document has one.
        if name not in self.created_ids:
            self.created_ids[name] = str(uuid.uuid4())
            prefix = op.path.split("{" + name + "}")[0].rstrip("/")
            for creator in self.operations:
                if creator.path == prefix and creator.method == "post" and creator.body_schema:
                    response = self.send("POST", self.url(creator, {}), self.auth(creator) + JSON,
                                         dumps(self.valid_body(creator)).encode())
                    data = response.json() if response else None
                    if response and response.status < 300 and isinstance(data, dict) and isinstance(data.get("data"), dict):
                        self.created_ids[name] = data["data"].get("id", self.created_ids[name])
                    break
        return self.created_ids[name]

    def valid(self, schema, name: str = ""):
        spec = self.spec
        ref = spec.ref_name(schema)
        schema = spec.resolve(schema)
        if ref == "JSONRPCMessage":
            return {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        if not isinstance(schema, dict):
            return "x"
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return next(v for v in schema["enum"] if v is not None)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [s for s in schema[key] if spec.resolve(s).get("type") != "null"]
                return self.valid(options[0] if options else schema[key][0], name)
        types = schema.get("type", "object")
        kind = next((t for t in (types if isinstance(types, list) else [types]) if t != "null"), "null")
        if kind == "string":
            if schema.get("format") == "email" or name == "email":
                return f"{self.unique('user')}@example.com"
            if schema.get("format") == "uuid":
                return str(uuid.uuid4())
            hints = {"path": f"adversarial/{self.unique('doc')}.md", "password": "correct-horse-battery",
                     "content": "# Notes\n\nAbout the installer.\n", "q": "installer", "query": "installer"}
            if name in hints:
                return hints[name]
            return self.unique(name or "text")[: schema.get("maxLength", 64)]
        if kind == "integer":
            if name == "version":
                return self.document_version
            return schema.get("default", max(schema.get("minimum", 1), 1))
        if kind == "number":
            return schema.get("default", 0.5)
        if kind == "boolean":
            return True
        if kind == "array":
            return [self.valid(schema.get("items", {}), name)] if schema.get("minItems") or name == "documents" else []
        if kind == "object":
            properties = schema.get("properties", {})
            # `version` is optional only because `If-Match` may carry it instead.
            return {key: self.valid(sub, key) for key, sub in properties.items()
                    if key in schema.get("required", []) or key == "version"}
        return None

    def valid_body(self, op: Operation):
        return self.valid(op.op["requestBody"]["content"]["application/json"]["schema"])

    def url(self, op: Operation, overrides: dict, query: list | None = None) -> str:
        """The target of `op` with valid path values (or `overrides`) and query pairs."""
        def segment(match):
            name = match.group(1)
            value = overrides.get(name, ABSENT)
            value = self.path_value(op, name) if value is ABSENT else value
            return quote(value)
        target = re.sub(r"\{([^}]+)\}", segment, op.path)
        if query is None:
            query = self.valid_query(op)
        if query:
            target += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query)
        return target

    def valid_query(self, op: Operation) -> list:
        pairs = []
        for param in op.params:
            if param["in"] == "query" and param.get("required"):
                name = param["name"]
                value = self.document_path if name == "path" else self.valid(param.get("schema", {}), name)
                pairs.append((name, str(value)))
        return pairs

    def auth(self, op: Operation) -> list:
        if "apiKeyHeader" in op.security:
            return self.key_auth()
        if "sessionBearer" in op.security:
            return self.session_auth()
        if "sessionCookie" in op.security:
            return [("Cookie", f"lore_session={self.jwt}")]
        if "apiKeyBearer" in op.security:
            return [("Authorization", f"Bearer {self.api_key}")]
        return []

    def extra_headers(self, op: Operation) -> list:
        return [("Accept", "application/json, text/event-stream")] if op.body_ref == "JSONRPCMessage" else []

    # -- one case -------------------------------------------------------------------------

    def case(self, check: str, op: Operation | None, method: str, target: str, headers=(), body: bytes | None = None,
             *, reject: str | None = None, status: set[int] | None = None, field=None,
             envelope: bool = True, timeout: float = REQUEST_TIMEOUT, label: str | None = None,
             item: int | None = None, max_seconds: float | None = None) -> Response | None:
        """Sends one request and checks the invariants, plus: `reject` (why the value is invalid:
        the answer must be a 4xx), `status` (the answer must be one of these), `field` (a 422
        must name it in `error.details`). A value refused inside a 2xx counts as refused: a JSON-RPC
        `error`, or for `item` (a bulk item) that item's result carrying an `error`."""
        what = label or f"{method} {target[:160]}"
        self.counts[check] += 1
        started = time.monotonic()
        response = self.send(method, target, headers, body, timeout)
        elapsed = time.monotonic() - started
        self.timings.append((elapsed, what))
        problems = []
        if response is None:
            problems.append(f"no HTTP answer ({self.last_error})")
        else:
            if response.status >= 500:
                problems.append("server error")
            if 400 <= response.status < 500 and envelope:
                declared = op.declared_body_schema(response.status) if op else None
                problem = envelope_problem(response) if declared is None else json_problem(response)
                if problem:
                    problems.append(problem)
            if response.header("X-Request-ID") is None:
                problems.append("no X-Request-ID")
            if reject and response.status < 400 and not rejected_inside(response, item):
                problems.append(f"accepted an invalid value ({reject})")
            if max_seconds and elapsed > max_seconds:
                problems.append(f"took {elapsed:.1f}s (bound {max_seconds:g}s)")
            if status and response.status not in status:
                problems.append(f"expected {'/'.join(map(str, sorted(status)))}")
            if field and response.status == 422 and not names_field(response, field):
                problems.append(f"the 422 does not name {' or '.join(field) if isinstance(field, tuple) else field!r}")
        alive = self.alive()
        if not alive:
            problems.append("the server died")
        if problems:
            self.failures.append(Failure(check, what, response, "; ".join(problems)))
            print(f"FAIL {self.failures[-1]}", flush=True)
        else:
            self.passed += 1
        if response is not None and response.status < 300 and method != "GET":
            started = time.monotonic()
            self.repair()
            self.timings.append((time.monotonic() - started, "repair after " + what))
        return response

    def alive(self) -> bool:
        healthy = False
        if self.server.alive():
            try:
                healthy = request(self.server.port, "GET", "/health", timeout=10).status == 200
            except (NoResponse, OSError):
                healthy = False
        if not healthy:
            print(f"{self.server.name} is down; its log:\n{self.server.log_tail()}", flush=True)
            self.server.stop()
            self.server.restarts += 1
            self.server.start()
            self.repair()
        return healthy

    # -- the generated sweep --------------------------------------------------------------

    def run_generated(self, spec: Spec) -> None:
        self.spec = spec
        self.operations = spec.operations()
        for op in self.operations:
            started = time.monotonic()
            before = len(self.failures)
            self.sweep_parameters(op)
            self.sweep_credentials(op)
            self.sweep_url(op)
            if op.body_schema is not None:
                self.sweep_body(op)
            print(f"  {op.id:<28} {str(op):<58} {time.monotonic() - started:5.1f}s "
                  f"{len(self.failures) - before} failures", flush=True)

    def base_headers(self, op):
        return self.auth(op) + self.extra_headers(op)

    def sweep_parameters(self, op: Operation) -> None:
        spec = self.spec
        for param in op.params:
            name, where, schema = param["name"], param["in"], param.get("schema", {})
            if where == "path":
                for value in TEXT_HOSTILE:
                    meant = spec.query_value(schema, value)
                    # An empty segment makes another route's URL (`/projects/` is the list): no expectation.
                    reason = None if meant is ABSENT or value == "" else spec.violation(schema, meant)
                    body = dumps(self.valid_body(op)).encode() if op.body_schema else None
                    self.case("path-param", op, op.method.upper(), self.url(op, {name: value}),
                              self.base_headers(op) + (JSON if body else []), body, reject=reason,
                              label=f"{op} {name}={show(value)}")
            elif where == "query":
                base = [(k, v) for k, v in self.valid_query(op) if k != name]
                for value in TEXT_HOSTILE:
                    meant = spec.query_value(schema, value)
                    reason = None if meant is ABSENT else spec.violation(schema, meant)
                    self.case("query-param", op, op.method.upper(), self.url(op, {}, base + [(name, value)]),
                              self.base_headers(op), reject=reason, label=f"{op} ?{name}={show(value)}")
                repeated = base + [(name, self.valid(schema, name)), (name, "9223372036854775807")]
                self.case("query-param", op, op.method.upper(), self.url(op, {}, [(k, str(v)) for k, v in repeated]),
                          self.base_headers(op), label=f"{op} ?{name} twice")
                if param.get("required"):
                    self.case("query-param", op, op.method.upper(), self.url(op, {}, base), self.base_headers(op),
                              reject=f"required {name} missing", label=f"{op} without ?{name}")
            elif where == "header":
                body = dumps(self.valid_body(op)).encode() if op.body_schema else None
                for value in HEADER_HOSTILE:
                    meant = ABSENT if isinstance(value, bytes) else value
                    reason = None if meant is ABSENT else spec.violation(schema, meant)
                    self.case("header-param", op, op.method.upper(), self.url(op, {}),
                              self.base_headers(op) + [(name, value)] + (JSON if body else []), body, reject=reason,
                              label=f"{op} {name}: {show(value)}")

    def sweep_credentials(self, op: Operation) -> None:
        if not op.security:
            return
        schemes = self.spec.document.get("components", {}).get("securitySchemes", {})
        body = dumps(self.valid_body(op)).encode() if op.body_schema else None
        extra = self.extra_headers(op) + (JSON if body else [])
        for name in sorted(set(op.security)):
            scheme = schemes.get(name, {})
            for value in HEADER_HOSTILE:
                if scheme.get("type") == "http":
                    header = ("Authorization", b"Bearer " + to_bytes(value))
                elif scheme.get("in") == "cookie":
                    header = ("Cookie", to_bytes(scheme.get("name", "session")) + b"=" + to_bytes(value))
                else:
                    header = (scheme.get("name", "X-API-Key"), value)
                self.case("credentials", op, op.method.upper(), self.url(op, {}), [header] + extra, body,
                          reject="bad credentials", label=f"{op} {name}={show(value)}")
        # A session used as an API key and the other way round must not pass either.
        for header in [("X-API-Key", self.jwt), ("Cookie", f"lore_session={self.api_key}")]:
            self.case("credentials", op, op.method.upper(), self.url(op, {}), [header] + extra, body,
                      reject="credentials of the wrong kind", label=f"{op} {header[0]}=<the other credential>")

    def sweep_url(self, op: Operation) -> None:
        target = self.url(op, {})
        path, _, query = target.partition("?")
        query = "?" + query if query else ""
        variants = {
            "trailing slash": path + "/" + query,
            "doubled slash inside": path.replace("/", "//", 2).replace("//", "/", 1) + query,
            "doubled leading slash": "/" + path + query,
            "dot segment": path.replace("/", "/./", 1) + query,
            "dot-dot segment": "/x/.." + path + query,
            "encoded slash": path.replace("/", "%2F", 2).replace("%2F", "/", 1) + query,
            "upper case": path.upper() + query,
            "absolute-form": f"http://{HOST}:{self.server.port}{path}{query}",
        }
        for name, variant in variants.items():
            body = dumps(self.valid_body(op)).encode() if op.body_schema else None
            self.case("url", op, op.method.upper(), variant, self.base_headers(op) + (JSON if body else []), body,
                      label=f"{op} {name}: {variant[:120]}")

    def body_targets(self, op: Operation):
        """(location, schema, required) for each property, one level into arrays of objects."""
        targets = []
        for name, sub in op.body_schema.get("properties", {}).items():
            targets.append(((name,), sub, name in op.body_schema.get("required", [])))
            resolved = self.spec.resolve(sub)
            items = self.spec.resolve(resolved.get("items")) if isinstance(resolved, dict) and resolved.get("items") else None
            if isinstance(items, dict) and items.get("properties"):
                for inner, inner_sub in items["properties"].items():
                    targets.append(((name, 0, inner), inner_sub, inner in items.get("required", [])))
        return targets

    def sweep_body(self, op: Operation) -> None:
        spec, method = self.spec, op.method.upper()
        headers = self.base_headers(op) + JSON
        for location, schema, required in self.body_targets(op):
            label_name = ".".join(str(p) for p in location)
            for value in BODY_HOSTILE + (["__absent__"] if required else []):
                body = self.valid_body(op)
                if len(location) == 3 and not body.get(location[0]):
                    items = spec.resolve(op.body_schema["properties"][location[0]])["items"]
                    body[location[0]] = [self.valid(items)]
                container = body if len(location) == 1 else body[location[0]][0]
                if value == "__absent__":
                    container.pop(location[-1], None)
                    reason = f"required {label_name} missing"
                else:
                    container[location[-1]] = value
                    reason = spec.violation(schema, meaning(value))
                self.case("body-property", op, method, self.url(op, {}), headers, dumps(body).encode(), reject=reason,
                          item=location[1] if len(location) == 3 else None, label=f"{op} {label_name}={show(value) if value != '__absent__' else '<absent>'}")
            # The property twice: the first value valid, the second not (or another valid one).
            body = Pairs(self.valid_body(op).items())
            if len(location) == 1:
                first = self.valid(schema, location[0])
                body = Pairs([(k, v) for k, v in body if k != location[0]] + [(location[0], first),
                                                                              (location[0], Raw("[]", []))])
                self.case("duplicate-key", op, method, self.url(op, {}), headers, dumps(body).encode(),
                          label=f"{op} {label_name} twice")
        whole = {
            "empty": b"", "malformed": b'{"a":', "trailing comma": b'{"a":1,}', "bare word": b"nul",
            "null": b"null", "array": b"[]", "string": b'"x"', "number": b"1e309", "NaN": b"NaN",
            "invalid UTF-8": b'{"x": "\xff\xfe"}', "lone surrogate": b'{"x": "\\udc00"}',
            "deep array": deep_array().text.encode(), "deep object": deep_object().text.encode(),
            "BOM": b"\xef\xbb\xbf" + dumps(self.valid_body(op)).encode(),
        }
        for name, raw in whole.items():
            reason = None if name == "BOM" else f"body is {name}"
            self.case("body", op, method, self.url(op, {}), headers, raw, reject=reason, label=f"{op} body: {name}")
        self.case("body", op, method, self.url(op, {}), self.base_headers(op), None,
                  reject="no body", label=f"{op} no body at all")
        # Content types: JSON under another name is refused with 415; JSON's own spellings work.
        plain = self.case("content-type", op, method, self.url(op, {}), headers, dumps(self.valid_body(op)).encode(),
                          label=f"{op} valid JSON body")
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                             "application/xml", "text/json", ""):
            self.case("content-type", op, method, self.url(op, {}), self.base_headers(op) +
                      [("Content-Type", content_type)], dumps(self.valid_body(op)).encode(), status={415},
                      label=f"{op} Content-Type: {content_type!r}")
        if plain is not None:
            for content_type in ("application/json; charset=utf-8", "Application/JSON"):
                self.case("content-type", op, method, self.url(op, {}), self.base_headers(op) +
                          [("Content-Type", content_type)], dumps(self.valid_body(op)).encode(),
                          status={plain.status} if plain.status < 400 else None,
                          label=f"{op} Content-Type: {content_type!r}")
        # gzip: a small valid body works like the same body plain; a bomb is a 413.
        reference = self.case("gzip", op, method, self.url(op, {}), headers, dumps(self.valid_body(op)).encode(),
                              label=f"{op} plain reference body")
        zipped = gzip.compress(dumps(self.valid_body(op)).encode())
        self.case("gzip", op, method, self.url(op, {}), headers + [("Content-Encoding", "gzip")], zipped,
                  status={reference.status} if reference is not None and reference.status < 500 else None,
                  label=f"{op} gzip body (plain answer {reference.status if reference else '-'})")
        self.case("gzip", op, method, self.url(op, {}), headers + [("Content-Encoding", "gzip")], b"not gzip at all",
                  reject="not gzip", label=f"{op} Content-Encoding: gzip, body not gzip")
        self.case("gzip", op, method, self.url(op, {}), headers + [("Content-Encoding", "gzip")], zipped[:-9],
                  reject="truncated gzip", label=f"{op} truncated gzip")
        self.case("gzip", op, method, self.url(op, {}), headers + [("Content-Encoding", "br")], zipped,
                  reject="unsupported encoding", label=f"{op} Content-Encoding: br")
        # Inflating must stop at the bound, quickly: 9 KB that cost seconds of CPU are a denial of
        # service. After four slow answers the rest are skipped (same cause; keeps the run short).
        if self.slow_bombs < 4:
            bomb = self.case("gzip", op, method, self.url(op, {}), headers + [("Content-Encoding", "gzip")], GZIP_BOMB,
                             status={413}, max_seconds=BOMB_SECONDS,
                             label=f"{op} gzip bomb ({len(GZIP_BOMB)} bytes → {BOMB_INFLATED >> 20} MiB)")
            if bomb is None or self.timings[-1][0] > BOMB_SECONDS:
                self.slow_bombs += 1
                if self.slow_bombs == 4:
                    print("  (gzip bombs are slow: the bomb is not sent to the remaining operations)", flush=True)
        self.case("gzip", op, method, self.url(op, {}), headers + [("Content-Encoding", "gzip, gzip")],
                  gzip.compress(gzip.compress(b" " * (MAX_BODY_BYTES + 1))),
                  reject="double gzip over the bound", label=f"{op} Content-Encoding: gzip, gzip (nested bomb)")
        self.case("oversized", op, method, self.url(op, {}), headers, OVERSIZED, status={413},
                  label=f"{op} plain body of {len(OVERSIZED)} bytes")

    # -- SPEC §9 and issue 12, one by one -------------------------------------------------

    def run_limits(self, spec: Spec) -> None:
        self.spec = spec
        self.operations = spec.operations()
        for op in self.operations:
            if op.param("query", "offset") or (op.body_schema and "offset" in op.body_schema.get("properties", {})):
                self.window_checks(op)
            if op.param("query", "q") or (op.body_schema and "q" in op.body_schema.get("properties", {})):
                self.query_checks(op)
            if op.body_schema and {"path", "content"} <= set(op.body_schema.get("properties", {})):
                self.document_checks(op)
            if op.body_schema and "documents" in op.body_schema.get("properties", {}):
                self.bulk_checks(op)
            if op.param("query", "path"):
                for char in FORMAT_CHARACTERS:
                    self.case("limits/path", op, "GET", self.url(op, {}, [("path", f"docs/a{char}b.md")]),
                              self.base_headers(op), status={422}, field="path",
                              label=f"{op} ?path with U+{ord(char):04X}")
        self.mcp_checks()

    def modes(self, op: Operation) -> list:
        param = op.param("query", "mode")
        schema = self.spec.resolve(param["schema"]) if param else (
            self.spec.resolve(op.body_schema["properties"]["mode"]) if op.body_schema and "mode" in
            op.body_schema.get("properties", {}) else {})
        values = [v for v in schema.get("enum", []) if v is not None] if isinstance(schema, dict) else []
        return values or [None]

    def list_request(self, op: Operation, numbers: dict, texts: dict):
        """The op's target and body with `numbers` (JSON number tokens: offset, limit) and `texts`
        (q, mode) in its query string, or in its JSON body when it takes them there."""
        names = set(numbers) | set(texts)
        if any(op.param("query", name) for name in names):
            base = [(k, v) for k, v in self.valid_query(op) if k not in names]
            return self.url(op, {}, base + list(numbers.items()) + list(texts.items())), None
        body = self.valid_body(op)
        body.update({k: Raw(v, None) for k, v in numbers.items()})
        body.update(texts)
        return self.url(op, {}), dumps(body).encode()

    def window_checks(self, op: Operation) -> None:
        over = [("9223372036854775807", None, ("offset",)), ("4611686018427387904", None, ("offset",)),
                ("9223372036854775808", None, ("offset",)), ("10000", None, ("offset",)),
                ("9901", "100", ("offset", "limit")), ("9999", "2", ("offset", "limit")),
                ("0", "9223372036854775807", ("limit",))]
        for mode in self.modes(op):
            texts = {"mode": mode} if mode else {}
            for offset, limit, fields in over:
                numbers = {"offset": offset} if limit is None else {"offset": offset, "limit": limit}
                target, body = self.list_request(op, numbers, texts)
                if body is not None and offset == "9223372036854775808":
                    # 2^63 is not an Int64: in a JSON body the decoder refuses the number itself.
                    fields = fields + ("body",)
                self.case("limits/window", op, op.method.upper(), target, self.base_headers(op) + (JSON if body else []),
                          body, status={422}, field=fields, label=f"{op} mode={mode} offset={offset} limit={limit}")
            # The last page inside the window is fine.
            target, body = self.list_request(op, {"offset": "9900", "limit": "100"}, texts)
            self.case("limits/window", op, op.method.upper(), target, self.base_headers(op) + (JSON if body else []),
                      body, status={200}, label=f"{op} mode={mode} offset=9900 limit=100 (inside the window)")

    def query_checks(self, op: Operation) -> None:
        too_long = [("a " * 2049, "4098 bytes of words"), ("a" + "\u0301" * 2048, "one grapheme of 4097 bytes"),
                    ("é" * 2049, "2049 characters, 4098 bytes"), (FLOOD, "the 200 KB combining flood")]
        words = " ".join(f"w{i}" for i in range(1000))[:MAX_QUERY_BYTES].strip()
        inside = [("x" * MAX_QUERY_BYTES, "4096 bytes, one term"), (words, f"{len(words)} bytes, ~800 terms"),
                  ("é" * 2048, "2048 × 'é', 4096 bytes")]
        for mode in self.modes(op):
            texts = {"mode": mode} if mode else {}
            for text, what in too_long:
                target, body = self.list_request(op, {}, dict(texts, q=text))
                if body is None and text is FLOOD:
                    # A 200 KB query string is past the HTTP parser's URL limit: the request is
                    # refused before it is routed, as an enveloped 400 (SPEC §9's 422 is for a
                    # query that is read).
                    self.case("limits/query", op, op.method.upper(), target, self.base_headers(op), None,
                              status={400, 414}, label=f"{op} mode={mode} q={what} (URL past the parser's limit)")
                    continue
                self.case("limits/query", op, op.method.upper(), target, self.base_headers(op) + (JSON if body else []),
                          body, status={422}, field=("q", "query"), label=f"{op} mode={mode} q={what}")
            for text, what in inside:
                target, body = self.list_request(op, {}, dict(texts, q=text))
                self.case("limits/query", op, op.method.upper(), target, self.base_headers(op) + (JSON if body else []),
                          body, status={200}, label=f"{op} mode={mode} q={what} (inside the bound)")

    def document_body(self, op: Operation, **fields) -> bytes:
        body = self.valid_body(op)
        body.update(fields)
        return dumps(body).encode()

    def document_checks(self, op: Operation) -> None:
        method, headers = op.method.upper(), self.base_headers(op) + JSON

        def check(name, fields, status, field=None):
            self.case(f"limits/{name.split(':')[0]}", op, method, self.url(op, {}), headers,
                      self.document_body(op, **fields), status=status, field=field, label=f"{op} {name}")

        ok = {200, 201}
        check("content: 1 MiB + 1 byte", {"content": "a" * (MAX_CONTENT_BYTES + 1)}, {413})
        check("content: 524,289 × 'é' (1 MiB + 2 bytes)", {"content": "é" * (MAX_CONTENT_BYTES // 2 + 1)}, {413})
        check("content: exactly 1 MiB", {"content": "a" * MAX_CONTENT_BYTES}, ok)
        for char in FORMAT_CHARACTERS:
            check(f"path: with U+{ord(char):04X}", {"path": f"docs/evil{char}dm.md"}, {422}, "path")
        check("tags: 65 tags", {"tags": [f"t{i}" for i in range(MAX_TAGS + 1)]}, {422})
        check("tags: a tag of 65 characters", {"tags": ["t" * (MAX_TAG_CHARS + 1)]}, {422})
        check("tags: a tag of 'a' + 100 combining marks", {"tags": ["a" + "\u0301" * 100]}, {422})
        check("tags: 64 tags of 64 characters", {"tags": [f"{i:02d}" + "t" * 62 for i in range(MAX_TAGS)]}, ok)
        check("metadata: 64 KiB + 1 as JSON", {"metadata": {"k": "a" * (MAX_METADATA_BYTES - 7)}}, {422})
        check("metadata: 4 MiB", {"metadata": {f"k{i}": "v" * 1000 for i in range(4096)}}, {422})
        check("metadata: 60 KiB", {"metadata": {"k": "a" * 60_000}}, ok)
        check(f"metadata: depth {MAX_METADATA_DEPTH + 1}", {"metadata": nested_metadata(MAX_METADATA_DEPTH + 1)},
              {422})
        check(f"metadata: depth {MAX_METADATA_DEPTH}", {"metadata": nested_metadata(MAX_METADATA_DEPTH)}, ok)
        check("metadata: depth 10,000", {"metadata": deep_object()}, {422})

    def bulk_checks(self, op: Operation) -> None:
        """A bad item of a bulk write fails alone, with the code a single write would get."""
        items_schema = self.spec.resolve(self.spec.resolve(op.body_schema["properties"]["documents"])["items"])
        bad = {
            "content over 1 MiB": ({"content": "a" * (MAX_CONTENT_BYTES + 1)}, "payload_too_large"),
            "path with U+202E": ({"path": "docs/evil\u202edm.md"}, "validation_error"),
            "65 tags": ({"tags": [f"t{i}" for i in range(MAX_TAGS + 1)]}, "validation_error"),
            "metadata of depth 17": ({"metadata": nested_metadata(MAX_METADATA_DEPTH + 1)}, "validation_error"),
            "metadata over 64 KiB": ({"metadata": {"k": "a" * MAX_METADATA_BYTES}}, "validation_error"),
        }
        for name, (fields, code) in bad.items():
            good = self.valid(items_schema)
            item = self.valid(items_schema)
            item.update(fields)
            body = self.valid_body(op)
            body["documents"] = [good, item]
            self.counts["limits/bulk"] += 1
            response = self.send("POST", self.url(op, {}), self.base_headers(op) + JSON, dumps(body).encode())
            results = (response.json() or {}).get("data") if response is not None and response.status == 200 else None
            problem = None
            if response is None or response.status >= 500:
                problem = "no answer or 5xx"
            elif response.status == 200:
                if not isinstance(results, list) or len(results) != 2:
                    problem = "no result per item"
                elif results[1].get("status") != "error" or (results[1].get("error") or {}).get("code") != code:
                    problem = f"item 1 should be an error with code {code}"
                elif results[0].get("status") == "error":
                    problem = "the valid item failed with the bad one"
            elif response.status != 413 or "MiB" not in name:
                problem = "expected 200 with a result per item"
            if not self.alive():
                problem = (problem + "; " if problem else "") + "the server died"
            if problem:
                self.failures.append(Failure("limits/bulk", f"{op} item with {name}", response, problem))
                print(f"FAIL {self.failures[-1]}", flush=True)
            else:
                self.passed += 1
            self.repair()

    def mcp_checks(self) -> None:
        """MCP tools, generated from tools/list: each argument of each tool gets hostile values;
        the answer is a JSON-RPC result (isError for a bad argument), never a 5xx or a crash."""
        mcp = next((op for op in self.operations if op.body_ref == "JSONRPCMessage" and op.method == "post"), None)
        if mcp is None:
            return
        headers = [("X-API-Key", self.api_key), ("Accept", "application/json, text/event-stream")] + JSON
        init = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "adversarial", "version": "1"}}}
        self.send("POST", mcp.path, headers, dumps(init).encode())
        listed = self.send("POST", mcp.path, headers, dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).encode())
        tools = (((listed.json() or {}).get("result") or {}).get("tools") or []) if listed else []
        if not tools:
            self.failures.append(Failure("mcp", "tools/list", listed, "no tools listed"))
            return
        hostile = [Raw("9223372036854775807", 0), Raw("-9223372036854775808", 0), Raw("4611686018427387904", 0),
                   Raw("1e309", 0), Raw("-1", 0), "", FLOOD, "a\u0000b", "docs/evil\u202edm.md", "a\u200db", None,
                   [], {}, deep_array(2000)]
        for tool in tools:
            schema = tool.get("inputSchema") or {}
            properties = schema.get("properties") or {}
            for name in properties:
                for value in hostile:
                    arguments = {k: self.valid(s, k) for k, s in properties.items() if k in schema.get("required", [])}
                    if tool["name"] in ("read_document", "delete_document") and "path" in arguments:
                        arguments["path"] = "adversarial/missing.md"
                    arguments[name] = value
                    call = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                            "params": {"name": tool["name"], "arguments": arguments}}
                    self.case("mcp", mcp, "POST", mcp.path, headers, dumps(call).encode(),
                              label=f"MCP {tool['name']} {name}={show(value)}")
        for name in ("offset", "limit"):
            for value in ("9223372036854775807", "4611686018427387904"):
                call = {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                        "params": {"name": "list_documents", "arguments": {name: Raw(value, 0)}}}
                response = self.case("mcp", mcp, "POST", mcp.path, headers, dumps(call).encode(), status={200},
                                     label=f"MCP list_documents {name}={value}")
                result = ((response.json() or {}).get("result") or {}) if response is not None else {}
                if response is not None and response.status == 200 and not result.get("isError") and \
                        "error" not in (response.json() or {}):
                    self.failures.append(Failure("mcp", f"MCP list_documents {name}={value}", response,
                                                 "accepted a window past 10,000"))

    # -- throttles that must not be dodged ------------------------------------------------

    def run_rate_limits(self, make_server) -> None:
        """On servers with the default login limits (20 a minute per address, 10 per e-mail), one
        server per check so that the buckets start full (`make_server(name)` is a context manager
        that stops it). A login that reaches the handler is a 401
        (the e-mails are not registered); one that is throttled is a 429; a spelling the router
        does not match (404) reaches nothing and counts for neither."""
        def attempts(server, count, body_of, path_of):
            self.attempts_started = time.monotonic()
            statuses = []
            for i in range(count):
                response = self.send_to(server, "POST", path_of(i), JSON, body_of(i))
                statuses.append(response.status if response else None)
                if response is not None and response.status == 429:
                    break
            return statuses

        def allowed(burst, window=60.0):
            """A bucket's burst plus what it earned back while the attempts ran (and one for luck)."""
            return burst + int((time.monotonic() - self.attempts_started) / (window / burst)) + 1

        def record(check, what, statuses, ok, detail):
            self.counts[check] += 1
            if ok:
                self.passed += 1
            else:
                self.failures.append(Failure(check, what, None, f"{detail}; statuses {statuses}"))
                print(f"FAIL {self.failures[-1]}", flush=True)

        login = lambda email: dumps({"email": email, "password": "wrong-password-1"}).encode()
        spellings = ["/api/v1/auth/login/", "//api/v1/auth/login", "/api/v1/auth/login//", "/api/v1//auth/login"]
        # 1. One e-mail through other spellings of the route: its bucket (10) must fill.
        with make_server("ratelimit-email") as server:
            statuses = attempts(server, 16, lambda i: login("victim@example.com"), lambda i: spellings[i % 4])
            record("ratelimit", "16 logins for one e-mail via /auth/login/, //api/v1/auth/login, …", statuses,
                   statuses.count(401) <= allowed(10), "more logins for one e-mail reached the handler than its bucket allows")
        # 2. One address, a new e-mail each time, the trailing slash: the address bucket (20) must fill.
        with make_server("ratelimit-address") as server:
            statuses = attempts(server, 34, lambda i: login(f"u{i}@example.com"), lambda i: "/api/v1/auth/login/")
            record("ratelimit", "34 logins from one address via POST /api/v1/auth/login/", statuses,
                   statuses.count(401) <= allowed(20), "more logins from one address reached the handler than its bucket allows")
        # 3. `email` twice: refused (422), or charged to the e-mail the handler checks (the first).
        with make_server("ratelimit-duplicate") as server:
            body = lambda i: (f'{{"email": "victim@example.com", "email": "decoy{i}@example.com", '
                              f'"password": "wrong-password-1"}}').encode()
            statuses = attempts(server, 16, body, lambda i: "/api/v1/auth/login")
            record("ratelimit", 'login {"email": "victim@…", "email": "decoyN@…"} ×16', statuses,
                   all(s == 422 for s in statuses) or statuses.count(401) <= allowed(10),
                   "neither refused (422) nor charged to the e-mail the handler checks")
        # 4. Registration: a strict bucket per address (issue 12: 40 in a row all succeeded).
        with make_server("ratelimit-register") as server:
            statuses = attempts(server, 40, lambda i: dumps({"email": f"reg{i}-{os.getpid()}@example.com",
                                                             "password": "correct-horse-battery",
                                                             "name": "R"}).encode(),
                                lambda i: "/api/v1/auth/register/" if i % 2 else "/api/v1/auth/register")
            record("ratelimit", "40 registrations from one address (half via /register/)", statuses,
                   429 in statuses, "no registration was refused")

    def send_to(self, server, method, target, headers=(), body=None) -> Response | None:
        try:
            return request(server.port, method, target, headers, body)
        except (NoResponse, OSError):
            return None

    # -- report ---------------------------------------------------------------------------

    def report(self) -> int:
        causes = collections.defaultdict(list)
        for failure in self.failures:
            status = failure.response.status if failure.response else "-"
            causes[(status, re.sub(r"\d+(\.\d+)?s", "Ns", failure.detail))].append(failure)
        if causes:
            print("\nfailures by cause (count, answer, problem, first example):")
            for (status, detail), failures in sorted(causes.items(), key=lambda item: -len(item[1])):
                print(f"  {len(failures):5d} × {status} {detail}\n          e.g. {failures[0].what[:150]}")
        print("\nsummary by check (requests sent / failures):")
        by_check = collections.Counter(f.check for f in self.failures)
        for check in sorted(set(self.counts) | set(by_check)):
            print(f"  {check:<22} {self.counts[check]:6d} {by_check[check]:6d}")
        slowest = sorted(self.timings, reverse=True)[:12]
        if slowest:
            print(f"slowest requests ({sum(t for t, _ in self.timings):.0f}s in {len(self.timings)}):")
            for seconds, what in slowest:
                print(f"  {seconds:6.2f}s {what[:150]}")
        if self.server.restarts:
            print(f"the server was restarted {self.server.restarts} times after dying")
        print(f"{self.passed} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0


JSON = [("Content-Type", "application/json")]
FORMAT_CHARACTERS = ["\u202e", "\u200d", "\u200b", "\u2066", "\ufeff"]
BOMB_INFLATED = 9 * MIB
BOMB_SECONDS = 5.0           # a debug build inflates 9 MiB in well under a second when it streams
GZIP_BOMB = gzip.compress(b'{"path": "bomb.md", "content": "' + b"a" * BOMB_INFLATED + b'"}', 9)
OVERSIZED = b'{"pad": "' + b"a" * (MAX_BODY_BYTES + 16) + b'"}'


def quote(value) -> str:
    return urllib.parse.quote(to_bytes(value), safe="")


def cookie(response: Response, name: str) -> str:
    for key, value in response.headers:
        if key.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise RuntimeError(f"no {name} cookie in {response.status} {response.text()}")


def envelope_problem(response: Response) -> str | None:
    if not (response.header("Content-Type") or "").startswith("application/json"):
        return f"4xx without a JSON body (Content-Type {response.header('Content-Type')!r})"
    body = response.json()
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return "4xx without the error envelope"
    error = body["error"]
    if not isinstance(error.get("code"), str) or not isinstance(error.get("message"), str):
        return "error without code and message"
    expected = ERROR_CODES.get(response.status)
    if expected and error["code"] != expected:
        return f"code {error['code']!r} for {response.status} (expected {expected!r})"
    details = error.get("details", [])
    if not isinstance(details, list) or any(not isinstance(d, dict) or not isinstance(d.get("field"), str) or
                                            not isinstance(d.get("message"), str) for d in details):
        return "details are not [{field, message}]"
    if not isinstance(body.get("meta"), dict) or not isinstance(body["meta"].get("requestId"), str):
        return "no meta.requestId"
    if response.status == 401 and not (response.header("WWW-Authenticate") or "").startswith("Bearer"):
        return "401 without WWW-Authenticate: Bearer"
    if response.status == 429 and response.header("Retry-After") is None:
        return "429 without Retry-After"
    return None


def rejected_inside(response: Response, item: int | None) -> bool:
    """A 2xx that still refuses: a JSON-RPC error, or an error in the result of bulk item `item`."""
    body = response.json()
    if not isinstance(body, dict):
        return False
    if "error" in body and "result" not in body:
        return True
    data = body.get("data")
    if item is not None and isinstance(data, list):
        for result in data:
            if isinstance(result, dict) and result.get("index", -1) == item:
                return result.get("status") == "error" or "error" in result
        return len(data) > item and isinstance(data[item], dict) and "error" in data[item]
    return False


def json_problem(response: Response) -> str | None:
    return None if isinstance(response.json(), dict) else "declared JSON answer is not a JSON object"


def names_field(response: Response, field) -> bool:
    """Whether the 422's details name `field` (or one of a tuple of names)."""
    fields = field if isinstance(field, tuple) else (field,)
    body = response.json() or {}
    details = ((body.get("error") or {}).get("details") or []) if isinstance(body, dict) else []
    return any(isinstance(d, dict) and any(f in str(d.get("field", "")) for f in fields) for d in details)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lore", required=True)
    parser.add_argument("--database-url", help="an empty database to serve from (default: a new SQLite file)")
    parser.add_argument("--only", choices=["main", "limits", "ratelimit"], action="append")
    args = parser.parse_args()
    parts = args.only or ["main", "limits", "ratelimit"]
    work = tempfile.mkdtemp(prefix="lore-adversarial-")
    started = time.monotonic()
    url = args.database_url or f"sqlite://{work}/main/lore.db"
    os.makedirs(os.path.join(work, "main"), exist_ok=True)
    server = Server(args.lore, url, work, raised_rate_limit_env(args.lore), name="main")
    suite = Suite(server)
    try:
        server.start()
        suite.setup()
        spec = Spec(request(server.port, "GET", "/openapi.json").json())
        if "main" in parts:
            print(f"generated sweep over {len(spec.operations())} operations:", flush=True)
            suite.run_generated(spec)
        if "limits" in parts:
            print("SPEC §9 limits:", flush=True)
            suite.repair()
            suite.run_limits(spec)
        server.stop()
        if "ratelimit" in parts:
            print("rate limits (default login limits, one server per check):", flush=True)

            @contextlib.contextmanager
            def make_server(name):
                os.makedirs(os.path.join(work, name), exist_ok=True)
                limited = Server(args.lore, f"sqlite://{work}/{name}/lore.db", work, name=name)
                limited.start()
                try:
                    yield limited
                finally:
                    limited.stop()
            suite.run_rate_limits(make_server)
    finally:
        server.stop()
        if suite.failures and server.restarts:
            print(f"main server log (tail):\n{server.log_tail(60)}")
        shutil.rmtree(work, ignore_errors=True)
    print(f"adversarial: {time.monotonic() - started:.0f}s")
    return suite.report()


if __name__ == "__main__":
    sys.exit(main())
