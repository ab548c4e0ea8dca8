"""Shared pieces of the live-server tests in Tests/e2e: a deterministic OpenAI-compatible
embeddings server, a `lore serve` process, JSON calls to the API and MCP, and fresh databases on
either backend (a SQLite file, or a new database on the PostgreSQL cluster scripts/pg-cluster runs).

Only the Python standard library (plus `psql` for PostgreSQL) is used.
"""
import hashlib, http.cookies, http.server, json, math, os, re, secrets, shutil, signal, socket, sqlite3
import subprocess, sys, threading, time, urllib.error, urllib.parse, urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIMENSION = 384
WORD = re.compile(r"[a-z0-9]+")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary_copy(work):
    """A private copy of LORE_BINARY (default .build/debug/lore): the build folder may be rebuilt
    while a test runs."""
    source = os.environ.get("LORE_BINARY") or os.path.join(REPO, ".build", "debug", "lore")
    if not os.access(source, os.X_OK):
        sys.exit(f"no lore binary at {source}: build it (swift build) or set LORE_BINARY")
    target = os.path.join(work, "lore")
    if os.path.abspath(source) != target:
        shutil.copy2(source, target)
    return target


# --- the deterministic embedder -------------------------------------------------------------

def sparse_embedding(text):
    """A unit vector (as {index: value}) from the words of `text`: each word adds ±1 at two
    indices chosen by its hash, so texts sharing words have a positive cosine. No words: e0."""
    counts = {}
    for word in WORD.findall(text.lower()):
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        for part in (digest[:4], digest[4:]):
            value = int.from_bytes(part, "little")
            index, sign = value % DIMENSION, (1.0 if value & (1 << 31) else -1.0)
            counts[index] = counts.get(index, 0.0) + sign
    counts = {i: v for i, v in counts.items() if v != 0.0}
    if not counts:
        return {0: 1.0}
    norm = math.sqrt(sum(v * v for v in counts.values()))
    return {i: v / norm for i, v in counts.items()}


def dense(sparse):
    vector = [0.0] * DIMENSION
    for index, value in sparse.items():
        vector[index] = value
    return vector


class EmbeddingServer:
    """POST /v1/embeddings {model, input: [..]} → {data: [{index, embedding}], model, usage},
    in a thread of the test process. Remembers every input it embedded (for provenance checks)."""

    def __init__(self, remember=True):
        self.remember = remember
        self.lock = threading.Lock()
        self.served = {}       # frozenset of nonzero indices -> list of (text, sparse vector)
        self.requests = 0
        self.inputs = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length))
                    inputs = body["input"]
                    if isinstance(inputs, str):
                        inputs = [inputs]
                    data = []
                    for index, text in enumerate(inputs):
                        sparse = sparse_embedding(text)
                        owner.note(text, sparse)
                        data.append({"object": "embedding", "index": index, "embedding": dense(sparse)})
                    answer = json.dumps({"object": "list", "data": data, "model": body.get("model", "fake"),
                                         "usage": {"prompt_tokens": 0, "total_tokens": 0}}).encode()
                    status = 200
                except Exception as error:  # a malformed request: say so, as a real server would
                    answer, status = json.dumps({"error": {"message": str(error)}}).encode(), 400
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A client (lore serve) killed mid-request resets its connection: nothing to report.
        self.server.handle_error = lambda request, client_address: None
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def note(self, text, sparse):
        with self.lock:
            self.requests += 1
            self.inputs += 1
            if self.remember:
                self.served.setdefault(frozenset(sparse), []).append((text, sparse))

    def sources_of(self, vector):
        """The texts this server embedded into `vector` (a dense list of floats, as stored)."""
        support = frozenset(i for i, v in enumerate(vector) if abs(v) > 1e-6)
        found = []
        with self.lock:
            candidates = list(self.served.get(support, ()))
        for text, sparse in candidates:
            if sum(vector[i] * v for i, v in sparse.items()) > 0.9999:
                found.append(text)
        return found

    def env(self):
        return {"LORE_EMBEDDER": "openai", "LORE_OPENAI_BASE_URL": self.base_url,
                "LORE_OPENAI_MODEL": "lore-e2e-hash-384"}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- git ------------------------------------------------------------------------------------------

class GitError(RuntimeError):
    pass


def git_env(tick=0):
    """Git with no user or system configuration and no prompts, a fixed author and committer, and
    commit dates `tick` minutes after a fixed instant: a repository made by a test or a benchmark
    has the same commits every run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    date = f"{1_700_000_000 + tick * 60} +0000"
    env.update(GIT_AUTHOR_NAME="Lore E2E", GIT_AUTHOR_EMAIL="e2e@example.com", GIT_COMMITTER_NAME="Lore E2E",
               GIT_COMMITTER_EMAIL="e2e@example.com", GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date,
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    return env


def git(*args, cwd=None, tick=0):
    """Runs git with ``git_env(tick)``; returns its output, stripped. Raises GitError."""
    done = subprocess.run(["git", *args], cwd=cwd, env=git_env(tick), capture_output=True)
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode(errors="replace").strip()


# --- HTTP ------------------------------------------------------------------------------------

def call(base, method, path, body=None, key=None, token=None, cookie=None, timeout=30, headers=None):
    """One call: returns (status, decoded JSON or None, headers). Transport errors raise OSError."""
    sent = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    if key:
        sent["X-API-Key"] = key
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if cookie:
        sent["Cookie"] = f"lore_session={cookie}"
    sent.update(headers or {})
    request = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, answer_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, answer_headers = error.code, error.read(), error.headers
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = {"raw": raw[:300].decode(errors="replace")}
    return status, payload, answer_headers


def session_cookie(headers):
    for header in headers.get_all("Set-Cookie") or []:
        jar = http.cookies.SimpleCookie()
        jar.load(header)
        if "lore_session" in jar and jar["lore_session"].value:
            return jar["lore_session"].value
    return None


def mcp_call(base, key, method, params, request_id=1, timeout=30):
    """One JSON-RPC request to the stateless /mcp endpoint: (HTTP status, JSON-RPC message or None)."""
    body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
    status, payload, _ = call(base, "POST", "/mcp", body, key=key, timeout=timeout, headers={
        "Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"})
    return status, payload


def mcp_initialize(base, key):
    return mcp_call(base, key, "initialize", {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "lore-e2e", "version": "1.0"}})


def mcp_tool(base, key, name, arguments, request_id=2):
    """tools/call: (HTTP status, result dict or None, the raw message)."""
    status, message = mcp_call(base, key, "tools/call", {"name": name, "arguments": arguments}, request_id)
    result = (message or {}).get("result") if isinstance(message, dict) else None
    return status, result, message


# --- the server process -------------------------------------------------------------------------

class Server:
    """`lore serve` on a free port, its output in WORK/server-NAME.log."""

    def __init__(self, binary, database_url, env, work, name="lore", port=None):
        self.binary, self.database_url, self.env, self.work, self.name = binary, database_url, env, work, name
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = self.base + "/api/v1"
        self.log_path = os.path.join(work, f"server-{name}.log")
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        log = open(self.log_path, "ab")
        log.write(f"\n=== start {self.starts} at {time.strftime('%H:%M:%S')} ===\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            [self.binary, "serve", "--database", self.database_url, "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, cwd=self.work, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout=120):
        """Waits for /health/ready 200; returns the seconds it took. Raises RuntimeError."""
        started = time.monotonic()
        last = None
        while time.monotonic() - started < timeout:
            if not self.alive():
                raise RuntimeError(f"lore serve exited with code {self.process.returncode} before it was ready\n"
                                   + self.tail())
            try:
                status, payload, _ = call(self.base, "GET", "/health/ready", timeout=2)
                if status == 200:
                    return time.monotonic() - started
                last = (status, payload)
            except OSError as error:
                last = error
            time.sleep(0.05)
        raise RuntimeError(f"/health/ready not 200 within {timeout} s (last: {last})\n" + self.tail())

    def kill(self):
        if self.alive():
            self.process.kill()
        if self.process is not None:
            self.process.wait()

    def terminate(self, timeout=20):
        """SIGTERM; returns the exit code, or None when it did not exit in time (then SIGKILL)."""
        if not self.alive():
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])


def base_env(extra=None):
    """The environment for `lore`: no inherited LORE_ settings but LORE_TEST_*, development mode,
    limits raised so a test's traffic is not throttled (the limiter still runs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LORE_") or k.startswith("LORE_TEST_")}
    env.update(LORE_ENV="development", LORE_JWT_SECRET=secrets.token_urlsafe(48), LORE_LOG_LEVEL="warning",
               LORE_RATE_LIMIT_REQUESTS="1000000", LORE_RATE_LIMIT_LOGIN_REQUESTS="100000",
               LORE_RATE_LIMIT_LOGIN_EMAIL_REQUESTS="100000")
    env.update(extra or {})
    return env


# --- databases ------------------------------------------------------------------------------------

class Database:
    """A fresh store: `sqlite` (a file in WORK) or `postgres` (a new database on the cluster named by
    LORE_TEST_POSTGRES_URL, dropped by drop())."""

    def __init__(self, backend, work, label="e2e"):
        self.backend = backend
        self.created = False
        if backend == "sqlite":
            self.path = os.path.join(work, "lore.db")
            self.url = f"sqlite://{self.path}"
        elif backend == "postgres":
            self.admin_url = os.environ.get("LORE_TEST_POSTGRES_URL")
            if not self.admin_url:
                sys.exit('LORE_TEST_POSTGRES_URL is not set: eval "$(scripts/pg-cluster start)" first')
            if shutil.which("psql") is None:
                sys.exit("psql not found (apt-get install postgresql-client)")
            parts = urllib.parse.urlsplit(self.admin_url)
            self.name = f"lore_{label}_{secrets.token_hex(5)}"
            self.test_url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}", query=""))
            self.url = f"{self.test_url}?sslmode=disable"
            self.psql_admin(f"CREATE DATABASE {self.name}")
            self.created = True
        else:
            sys.exit(f"unknown backend {backend!r} (sqlite or postgres)")

    def psql_admin(self, sql):
        result = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.admin_url, "-c", sql],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed on {sql!r}: {result.stderr.strip()}")

    def query(self, sql):
        """Rows of a query as lists of strings (PostgreSQL: through psql, fields unaligned, tab-separated;
        keep text columns free of tabs and newlines, e.g. with encode(…, 'hex')). SQLite: python tuples."""
        if self.backend == "sqlite":
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return db.execute(sql).fetchall()
            finally:
                db.close()
        result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                                 self.test_url, "-c", sql], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed on {sql!r}: {result.stderr.strip()}")
        return [line.split("\t") for line in result.stdout.splitlines() if line]

    def drop(self):
        if self.backend == "postgres" and self.created:
            try:
                self.psql_admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            except RuntimeError as error:
                print(f"could not drop {self.name}: {error}", file=sys.stderr)


def decode_vector(raw):
    """A stored vector (little-endian float32) from bytes or a hex string."""
    if isinstance(raw, str):
        raw = bytes.fromhex(raw)
    import struct
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


def store_consistency(database):
    """Cross-checks of the stored rows, independent of the server: returns a list of problems.
    SQLite: PRAGMA integrity_check, foreign keys, one FTS row per chunk carrying its own project's
    scope, path and title, the chunk owner tables (if present) agreeing with the chunks.
    PostgreSQL: every chunk's project_id is its document's project."""
    problems = []
    if database.backend == "sqlite":
        check = database.query("PRAGMA integrity_check")
        if [tuple(r) for r in check] != [("ok",)]:
            problems.append(f"PRAGMA integrity_check: {check[:5]}")
        fk = database.query("PRAGMA foreign_key_check")
        if fk:
            problems.append(f"PRAGMA foreign_key_check: {len(fk)} rows, e.g. {fk[:3]}")
        chunks = database.query("SELECT count(*) FROM chunk")[0][0]
        indexed = database.query("SELECT count(*) FROM chunk_fts")[0][0]
        if chunks != indexed:
            problems.append(f"chunk_fts has {indexed} rows for {chunks} chunks")
        orphans = database.query("SELECT count(*) FROM chunk_fts WHERE rowid NOT IN (SELECT id FROM chunk)")[0][0]
        if orphans:
            problems.append(f"{orphans} chunk_fts rows have no chunk")
        wrong = database.query("""
            SELECT count(*) FROM chunk c JOIN document d ON d.id = c.document_id JOIN project p ON p.id = d.project_id
            JOIN chunk_fts f ON f.rowid = c.id
            WHERE f.scope IS NOT p.search_token OR f.path IS NOT d.path OR f.title IS NOT d.title
               OR f.body IS NOT c.text""")[0][0]
        if wrong:
            problems.append(f"{wrong} chunk_fts rows disagree with their chunk (scope, path, title or body)")
        tables = {r[0] for r in database.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if {"document_number", "chunk_owner"} <= tables:
            disagreements = database.query("""
                SELECT (SELECT count(*) FROM document WHERE id NOT IN (SELECT document_id FROM document_number))
                     + (SELECT count(*) FROM chunk c
                        LEFT JOIN document_number n ON n.document_id = c.document_id
                        LEFT JOIN chunk_owner o ON o.chunk_id = c.id
                        WHERE o.document_number IS NOT n.number)
                     + (SELECT count(*) FROM chunk_owner WHERE chunk_id NOT IN (SELECT id FROM chunk))""")[0][0]
            if disagreements:
                problems.append(f"chunk_owner/document_number disagree with the chunks in {disagreements} rows")
    else:
        wrong = database.query("""
            SELECT count(*) FROM chunk c LEFT JOIN document d ON d.id = c.document_id
            WHERE d.id IS NULL OR d.project_id <> c.project_id""")[0][0]
        if str(wrong) != "0":
            problems.append(f"{wrong} chunks name a project other than their document's (or have no document)")
    return problems


def embedding_provenance(database, embedder, limit_examples=3):
    """Every stored chunk vector must be one the embedder computed from a text containing that
    chunk's own text (title + heading + text): a vector from another chunk's text (another
    tenant's) is a problem. Returns (chunks checked, list of problems)."""
    if database.backend == "sqlite":
        rows = database.query("""
            SELECT c.id, d.project_id, d.path, c.text, c.embedding FROM chunk c JOIN document d ON d.id = c.document_id
            WHERE c.embedding IS NOT NULL""")
    else:
        rows = [(r[0], r[1], r[2], bytes.fromhex(r[3]).decode(), r[4]) for r in database.query("""
            SELECT c.id, d.project_id, d.path, encode(convert_to(c.text, 'UTF8'), 'hex'), encode(c.embedding, 'hex')
            FROM chunk c JOIN document d ON d.id = c.document_id WHERE c.embedding IS NOT NULL""")]
    problems = []
    for chunk_id, project_id, path, text, blob in rows:
        vector = decode_vector(blob)
        sources = embedder.sources_of(vector)
        if not any(text.strip() in source for source in sources):
            if len(problems) < limit_examples:
                problems.append(
                    f"chunk {chunk_id} of {project_id}:{path} holds a vector not computed from its own text "
                    f"(text starts {text[:60]!r}; the vector was computed from "
                    f"{[s[:80] for s in sources[:2]] or 'no text this embedder saw'})")
            else:
                problems.append(None)
    count = len([p for p in problems])
    shown = [p for p in problems if p]
    if count > len(shown):
        shown.append(f"… {count - len(shown)} more chunks like these")
    return len(rows), shown
