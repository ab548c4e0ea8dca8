"""Git sources (SPEC §11), end to end: real repositories made with `git`, a real `lore serve`, the
deterministic embeddings server of lore_e2e.py (which counts what it embeds), and the CLI.

Parts (all by default; `--only` picks some):
  api       the sources endpoints: who may create, read, change and delete a source (owner session,
            the project's key, unconfined write keys; read and confined keys; another user), bad
            bodies (a url with a password, other schemes, relative paths, intervalSeconds out of
            10..604800, kind), the Source shape, webhookSecret shown only on creation.
  history   a source following a bare repository the test pushes to; a scripted history, each step
            synced through the push webhook (GitHub signature or GitLab token) and awaited (status
            idle, lastCommit = the new head): files added, one modified, renamed (same document id,
            nothing re-embedded), moved between folders, renamed and modified, deleted; files outside
            the globs, excluded, binary and non-UTF-8 (absent, the sync still succeeds); a force-push
            (reset + amend + push --force); a sync on the interval alone (no webhook). After every
            step: the documents are exactly the expected paths and contents with provenance
            (source.id, source.commit = head, source.path), unchanged documents keep id, version and
            chunks, full-text search finds each changed file's unique word (and no longer finds
            removed words), and the embedder saw exactly the changed files' chunks, once each.
  webhooks  valid GitHub signature → 202; a wrong one, a missing one, another source's secret, a
            captured body replayed with the signature of another body → 401; GitLab token valid →
            202, wrong → 401; a write key → 202; a read key → not 202.
  owned     writes to a source's document (PUT, DELETE, POST at its path, bulk upsert, MCP
            write_document and delete_document) → 409 source_owned (MCP: isError), nothing changed.
  failure   a sync to a ref that does not exist, and to a repository gone missing: status error,
            lastError, documents untouched (even with a new commit waiting on the branch); fixed,
            the next sync succeeds. A filter change (PATCH exclude) re-compares the whole tree.
  final     semantic and hybrid hits carry `source`; /metrics has the lore_sync_* series; every
            stored vector was computed from its own chunk's text; the store is consistent;
            DELETE removes the source and its documents only; SIGTERM exits 0.
  kill      no server: `lore sources add/list/remove` and `lore sync` on a second SQLite database, a
            repository of SOURCES_KILL_FILES (3000) files; `lore sync` is SIGKILLed at several
            moments of a sync that rewrites every file: the documents are exactly the old commit's or
            exactly the new commit's, never a mixture; the next `lore sync` completes to the new
            commit. `lore sync` of a source whose repository is missing exits non-zero.
  postgres  two `lore serve` on one PostgreSQL database, three sources; each round every source gets
            a push and both servers receive its webhook at the same moment (threads): exactly the
            right documents, no duplicates, each source at its head, document counts equal to file
            counts, renames keep ids, both servers find the changes.

Usage: sources_e2e.py [sqlite|postgres|all] [--only api,history,webhooks,owned,failure,final,kill,postgres]
  sqlite runs every part but postgres; postgres needs LORE_TEST_POSTGRES_URL (scripts/pg-cluster).
Environment: LORE_BINARY (default .build/debug/lore, copied first), SOURCES_KILL_FILES (3000),
SOURCES_KILL_ROUNDS (3), SOURCES_PG_ROUNDS (4), SOURCES_KEEP=1 keeps the work folder.
Exits 0 when every check passes, 1 otherwise (failures listed).
"""
import argparse, secrets, hashlib, hmac, json, os, re, shutil, signal, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lore_e2e as e2e  # noqa: E402

HEX40 = re.compile(r"^[0-9a-f]{40}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SOURCE_FIELDS = {"id", "projectId", "kind", "url", "ref", "include", "exclude", "pathPrefix", "intervalSeconds",
                 "status", "lastCommit", "lastSyncedAt", "lastError", "documents", "createdAt", "progress"}
DEFAULT_INCLUDE = ["**/*.md", "**/*.markdown", "**/*.txt"]
SYNC_TIMEOUT_S = 90


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def say(message):
    print(f"sources-e2e: {message}", file=sys.stderr, flush=True)


def short(payload, limit=500):
    return json.dumps(payload)[:limit]


def expect(status, payload, wanted, what):
    wanted = wanted if isinstance(wanted, tuple) else (wanted,)
    if status not in wanted:
        raise Failure(f"{what}: expected {'/'.join(map(str, wanted))}, got {status}: {short(payload)}")
    return payload


def expect_error(status, payload, wanted_status, code, what, field=None):
    expect(status, payload, wanted_status, what)
    error = (payload or {}).get("error") if isinstance(payload, dict) else None
    check(isinstance(error, dict) and error.get("code") == code,
          f"{what}: expected error.code {code!r}, got {short(payload)}")
    check(isinstance((payload.get("meta") or {}).get("requestId"), str), f"{what}: no meta.requestId: {short(payload)}")
    if field:
        fields = [d.get("field") for d in error.get("details") or [] if isinstance(d, dict)]
        check(field in fields, f"{what}: error.details should name {field!r}: {short(payload)}")
    return error


# --- git ---------------------------------------------------------------------------------------

git, git_env = e2e.git, e2e.git_env


class Repo:
    """A bare repository (`bare`, what a source follows) and a clone (`work`) that commits and pushes
    to it, with fixed author, committer and dates."""

    def __init__(self, folder, branch="main"):
        self.folder, self.branch = folder, branch
        self.bare = os.path.join(folder, "origin.git")
        self.work = os.path.join(folder, "clone")
        self.tick = 0
        os.makedirs(folder, exist_ok=True)
        git("init", "-q", "--bare", "-b", branch, self.bare)
        git("init", "-q", "-b", branch, self.work)
        git("remote", "add", "origin", self.bare, cwd=self.work)

    def git(self, *args):
        return git(*args, cwd=self.work, tick=self.tick)

    def write(self, path, data):
        full = os.path.join(self.work, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)

    def remove(self, path):
        self.git("rm", "-q", path)

    def move(self, old, new):
        os.makedirs(os.path.dirname(os.path.join(self.work, new)) or self.work, exist_ok=True)
        self.git("mv", old, new)

    def commit(self, message, amend=False):
        self.tick += 1
        self.git("add", "-A")
        if amend:
            self.git("commit", "-q", "--amend", "-m", message)
        else:
            self.git("commit", "-q", "-m", message)
        return self.head()

    def push(self, force=False):
        self.git("push", "-q", *(["--force"] if force else []), "origin", f"HEAD:refs/heads/{self.branch}")
        return self.head()

    def head(self):
        return self.git("rev-parse", "HEAD")

    def tree(self):
        """{repository path: bytes} of the clone's HEAD (the work tree, clean after a commit)."""
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=self.work, env=git_env(), capture_output=True,
                                check=True).stdout.split(b"\0")
        tree = {}
        for name in filter(None, listed):
            path = name.decode()
            with open(os.path.join(self.work, path), "rb") as f:
                tree[path] = f.read()
        return tree


def matches_default_globs(path, excluded_prefixes=()):
    return path.endswith((".md", ".markdown", ".txt")) and not any(path.startswith(p) for p in excluded_prefixes)


def expected_documents(tree, prefix, excluded_prefixes=()):
    """{project path: (repository path, text)} a source with the default include (and `exclude` as
    folder prefixes) holds for `tree`: binary (NUL) and non-UTF-8 files are skipped."""
    documents = {}
    for path, data in tree.items():
        if not matches_default_globs(path, excluded_prefixes) or b"\0" in data:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        documents[prefix + path] = (path, text)
    return documents


def marker(seed):
    """A word of 10 letters unique to `seed`, for full-text checks."""
    return "".join(chr(97 + int(c, 16)) for c in hashlib.sha1(seed.encode()).hexdigest()[:10])


def page(title, word, extra=""):
    return (f"# {title}\n\n{title} explains one part of the handbook. Teams read it before they change the "
            f"system, and reviewers check its wording, links and numbers at every release.\n"
            f"Each section keeps its examples short and its commands exact.\n"
            f"The unique word of this page is {word}.\n{extra}")


# --- HTTP ----------------------------------------------------------------------------------------

def raw_call(base, method, path, raw, headers, timeout=30):
    """A request with a body given as bytes (webhooks sign the exact bytes)."""
    request = urllib.request.Request(base + path, data=raw, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    try:
        payload = json.loads(body) if body else None
    except ValueError:
        payload = {"raw": body[:300].decode(errors="replace")}
    return status, payload


def push_body(head, name="handbook"):
    return json.dumps({"ref": "refs/heads/main", "after": head, "repository": {"full_name": f"e2e/{name}"},
                       "pusher": {"name": "e2e"}}).encode()


def github_signature(secret, raw):
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def webhook(api, project_id, source_id, secret=None, raw=None, style="github", signature=None, token=None):
    """POST …/sync with no API key, as a forge sends it: (status, payload)."""
    raw = raw if raw is not None else push_body("0" * 40)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if style == "github":
        headers["X-GitHub-Event"] = "push"
        sig = signature if signature is not None else (github_signature(secret, raw) if secret else None)
        if sig is not None:
            headers["X-Hub-Signature-256"] = sig
    elif style == "gitlab":
        headers["X-Gitlab-Event"] = "Push Hook"
        if token is not None:
            headers["X-Gitlab-Token"] = token
    return raw_call(api, "POST", f"/projects/{project_id}/sources/{source_id}/sync", raw, headers)


def check_source_shape(source, project_id, what):
    check(isinstance(source, dict), f"{what}: not an object: {short(source)}")
    missing = SOURCE_FIELDS - set(source)
    check(not missing, f"{what}: missing fields {sorted(missing)}: {short(source)}")
    check(source["projectId"] == project_id, f"{what}: projectId {source['projectId']} != {project_id}")
    check(source["kind"] == "git", f"{what}: kind {source['kind']!r}")
    check(source["status"] in ("idle", "syncing", "error"), f"{what}: status {source['status']!r}")
    check(source["lastCommit"] is None or HEX40.match(source["lastCommit"] or ""), f"{what}: lastCommit {source['lastCommit']!r}")
    for field in ("lastSyncedAt",):
        check(source[field] is None or ISO.match(source[field]), f"{what}: {field} {source[field]!r} is not ISO-8601")
    check(ISO.match(source["createdAt"] or ""), f"{what}: createdAt {source['createdAt']!r}")
    check(source["lastError"] is None or isinstance(source["lastError"], str), f"{what}: lastError {source['lastError']!r}")
    check(isinstance(source["documents"], int) and source["documents"] >= 0, f"{what}: documents {source['documents']!r}")
    progress = source["progress"]
    check(progress is None or (isinstance(progress, dict) and isinstance(progress.get("done"), int)
                               and isinstance(progress.get("total"), int)), f"{what}: progress {progress!r}")
    check(isinstance(source["include"], list) and isinstance(source["exclude"], list), f"{what}: include/exclude not lists")
    check(isinstance(source["intervalSeconds"], int), f"{what}: intervalSeconds {source['intervalSeconds']!r}")


class Project:
    """A user, a project, its key and a read key on a server; calls for its sources and documents."""

    def __init__(self, api, name, email=None):
        self.api = api
        self.email = email or f"sources-{os.urandom(4).hex()}@example.com"
        status, payload, headers = e2e.call(api, "POST", "/auth/register",
                                            {"email": self.email, "password": "correct horse battery", "name": name})
        if status == 409:
            status, payload, headers = e2e.call(api, "POST", "/auth/login",
                                                {"email": self.email, "password": "correct horse battery"})
        expect(status, payload, (200, 201), f"register {self.email}")
        self.cookie = e2e.session_cookie(headers)
        check(self.cookie, "no lore_session cookie after registering")
        status, payload, _ = e2e.call(api, "POST", "/projects", {"name": name}, cookie=self.cookie)
        project = expect(status, payload, 201, "create a project")["data"]
        self.id, self.key = project["id"], project["apiKey"]
        status, payload, _ = e2e.call(api, "POST", f"/projects/{self.id}/keys", {"name": "reader", "access": "read"},
                                      cookie=self.cookie)
        self.read_key = expect(status, payload, 201, "create a read key")["data"]["key"]

    def sources_path(self, source_id=None, tail=""):
        return f"/projects/{self.id}/sources" + (f"/{source_id}" if source_id else "") + tail

    def get_source(self, source_id, api=None):
        status, payload, _ = e2e.call(api or self.api, "GET", self.sources_path(source_id), key=self.read_key)
        return expect(status, payload, 200, f"GET source {source_id}")["data"]

    def documents(self, prefix=None, api=None):
        """Every document summary (all pages)."""
        found, offset = [], 0
        while True:
            query = {"limit": 100, "offset": offset}
            if prefix:
                query["pathPrefix"] = prefix
            status, payload, _ = e2e.call(api or self.api, "GET",
                                          f"/projects/{self.id}/documents?{urllib.parse.urlencode(query)}", key=self.key)
            payload = expect(status, payload, 200, "list documents")
            found += payload["data"]
            offset += 100
            if offset >= payload["meta"]["total"]:
                return found

    def document(self, document_id, api=None):
        status, payload, _ = e2e.call(api or self.api, "GET", f"/projects/{self.id}/documents/{document_id}", key=self.key)
        return expect(status, payload, 200, f"GET document {document_id}")["data"]

    def search(self, query, mode="fulltext", api=None, limit=20):
        q = urllib.parse.urlencode({"q": query, "mode": mode, "limit": limit})
        status, payload, _ = e2e.call(api or self.api, "GET", f"/projects/{self.id}/search?{q}", key=self.key)
        return expect(status, payload, 200, f"search {query!r} ({mode})")


def wait_source(project, source_id, done, what, timeout=SYNC_TIMEOUT_S, api=None):
    """Polls the source until `done(source)`; returns it. Fails with the last state on timeout."""
    started, source = time.monotonic(), None
    while time.monotonic() - started < timeout:
        source = project.get_source(source_id, api=api)
        if done(source):
            return source
        time.sleep(0.1)
    raise Failure(f"{what}: not reached within {timeout} s; the source is {short(source, 800)}")


def wait_synced(project, source_id, head, what, timeout=SYNC_TIMEOUT_S, api=None):
    return wait_source(project, source_id, lambda s: s["status"] == "idle" and s["lastCommit"] == head,
                       f"{what}: status idle at lastCommit {head[:10]}", timeout, api)


# --- the embedder that remembers the order of what it embedded ---------------------------------------

class CountingEmbedder(e2e.EmbeddingServer):
    def __init__(self):
        self.texts = []
        super().__init__()

    def note(self, text, sparse):
        super().note(text, sparse)
        with self.lock:
            self.texts.append(text)

    def mark(self):
        with self.lock:
            return len(self.texts)

    def since(self, mark):
        with self.lock:
            return list(self.texts[mark:])


def wait_embedded(project, embedder, timeout=60):
    """Waits until every document of the project is `ready` and the embedder has been quiet for a moment."""
    started = time.monotonic()
    while True:
        documents = project.documents()
        pending = [d["path"] for d in documents if d.get("embeddingStatus") != "ready"]
        if not pending:
            before = embedder.mark()
            time.sleep(0.6)
            if embedder.mark() == before:
                return
            continue
        if time.monotonic() - started > timeout:
            raise Failure(f"documents not embedded within {timeout} s: {pending[:5]} "
                          f"({[d.get('embeddingStatus') for d in documents if d['path'] in pending[:5]]})")
        time.sleep(0.2)


# --- the SQLite server parts ------------------------------------------------------------------------------

class Context:
    def __init__(self, args, work, binary):
        self.args, self.work, self.binary = args, work, binary
        self.failures = []


class History:
    """The main project with its `handbook/` source, and what the test knows about it."""
    PREFIX = "handbook/"
    EXCLUDED = ("drafts/",)

    def __init__(self, ctx, server, project, embedder, database):
        self.ctx, self.server, self.project, self.embedder, self.database = ctx, server, project, embedder, database
        self.repo = Repo(os.path.join(ctx.work, "handbook"))
        self.source_id = self.secret = None
        self.previous = {}         # project path -> {id, version, updatedAt, content}
        self.chunks = {}           # document id -> chunk ids (SQLite)
        self.vectors = {}          # document id -> sorted embedding blobs (SQLite)
        self.excluded = self.EXCLUDED
        self.steps = 0
        self.webhook_style = "github"

    # What the store holds for a document, read from SQLite (the server keeps running: WAL readers).
    def store_chunks(self):
        if self.database.backend != "sqlite":
            return {}, {}
        rows = self.database.query("SELECT lower(document_id), id, embedding FROM chunk ORDER BY id")
        chunks, vectors = {}, {}
        for document_id, chunk_id, embedding in rows:
            chunks.setdefault(document_id, []).append(chunk_id)
            vectors.setdefault(document_id, []).append(bytes(embedding) if embedding is not None else None)
        return chunks, {k: sorted(v, key=lambda b: b or b"") for k, v in vectors.items()}

    def sync(self, head, what, via_webhook=True):
        before = self.project.get_source(self.source_id)
        if before["lastCommit"] == head:
            time.sleep(1.1)  # lastSyncedAt has whole seconds: a new sync must end in a later second
        if via_webhook:
            if self.webhook_style == "github":
                status, payload = webhook(self.server.api, self.project.id, self.source_id, self.secret,
                                          raw=push_body(head))
            else:
                status, payload = webhook(self.server.api, self.project.id, self.source_id, raw=push_body(head),
                                          style="gitlab", token=self.secret)
            expect(status, payload, 202, f"{what}: webhook ({self.webhook_style})")
            check_source_shape(payload["data"], self.project.id, f"{what}: the 202 body")
            self.webhook_style = "gitlab" if self.webhook_style == "github" else "github"
        if before["lastCommit"] == head:  # the same commit again (a filter changed): wait for a new sync
            return wait_source(self.project, self.source_id,
                               lambda s: s["status"] == "idle" and s["lastCommit"] == head
                               and s["lastSyncedAt"] != before["lastSyncedAt"],
                               f"{what}: a new sync at lastCommit {head[:10]} (lastSyncedAt after {before['lastSyncedAt']})")
        return wait_synced(self.project, self.source_id, head, what)

    def step(self, what, embedded, renames=None, gone_words=(), found_words=None, via_webhook=True,
             push=True, force=False, mark=None):
        """Pushes the clone's HEAD, syncs, and checks everything a step should have done.
        embedded: repository paths whose (new) content must be embedded, once per chunk, and nothing else.
        renames: {old repository path: new repository path} that keep their document.
        gone_words: words no document may contain any more. found_words: {word: repository path}."""
        self.steps += 1
        label = f"step {self.steps} ({what})"
        mark = self.embedder.mark() if mark is None else mark
        head = self.repo.push(force=force) if push else self.repo.head()
        started = time.monotonic()
        source = self.sync(head, label, via_webhook)
        took = time.monotonic() - started
        check(source["lastError"] is None, f"{label}: lastError {source['lastError']!r} after a good sync")
        check(source["lastSyncedAt"] is not None, f"{label}: lastSyncedAt is null after a sync")
        check_source_shape(source, self.project.id, label)
        tree = self.repo.tree()
        expected = expected_documents(tree, self.PREFIX, self.excluded)
        check(source["documents"] == len(expected),
              f"{label}: the source reports {source['documents']} documents, the repository has {len(expected)} files it follows")

        # The documents: exactly the expected paths, contents and provenance.
        listed = self.project.documents(prefix=self.PREFIX)
        paths = [d["path"] for d in listed]
        check(len(paths) == len(set(paths)), f"{label}: duplicate paths {sorted(p for p in paths if paths.count(p) > 1)}")
        check(set(paths) == set(expected),
              f"{label}: documents differ from the repository: missing {sorted(set(expected) - set(paths))}, "
              f"unexpected {sorted(set(paths) - set(expected))}")
        current = {}
        for summary in listed:
            document = self.project.document(summary["id"])
            repo_path, text = expected[document["path"]]
            check(document["content"] == text,
                  f"{label}: {document['path']} holds {document['content'][:120]!r}, the repository {text[:120]!r}")
            provenance = document.get("source")
            provenance = {k: provenance.get(k) for k in ("id", "commit", "path")} if isinstance(provenance, dict) else provenance
            check(provenance == {"id": self.source_id, "commit": head, "path": repo_path},
                  f"{label}: {document['path']} has source {provenance!r}, expected "
                  f"{{'id': {self.source_id!r}, 'commit': {head!r}, 'path': {repo_path!r}}}")
            current[document["path"]] = {k: document[k] for k in ("id", "version", "updatedAt", "content")}

        # Ids, versions and chunks: unchanged documents untouched; renames keep their document.
        renames = {self.PREFIX + a: self.PREFIX + b for a, b in (renames or {}).items()}
        chunks, vectors = self.store_chunks()
        for path, now in current.items():
            before = self.previous.get(path)
            if before and before["content"] == now["content"]:
                check(now["id"] == before["id"], f"{label}: unchanged {path} got a new id")
                check(now["version"] == before["version"] and now["updatedAt"] == before["updatedAt"],
                      f"{label}: unchanged {path} was rewritten (version {before['version']} → {now['version']}, "
                      f"updatedAt {before['updatedAt']} → {now['updatedAt']})")
                if chunks:
                    check(chunks.get(now["id"]) == self.chunks.get(now["id"]),
                          f"{label}: unchanged {path} was re-chunked (chunk ids {self.chunks.get(now['id'])} → "
                          f"{chunks.get(now['id'])})")
        for old, new in renames.items():
            check(old not in current, f"{label}: {old} still exists after its rename to {new}")
            before, now = self.previous.get(old), current.get(new)
            check(before and now, f"{label}: rename {old} → {new}: before {bool(before)}, after {bool(now)}")
            check(now["id"] == before["id"],
                  f"{label}: the rename {old} → {new} did not keep the document (id {before['id']} → {now['id']})")
            if before["content"] == now["content"] and vectors:
                check(vectors.get(now["id"]) == self.vectors.get(now["id"]) and all(vectors.get(now["id"]) or [None]),
                      f"{label}: the rename {old} → {new} (same content) did not keep its embeddings")

        # Full-text search: each changed file's words are found at its path, with provenance; gone words are not.
        for word, repo_path in (found_words or {}).items():
            hits = self.project.search(word)["data"]
            check([h["path"] for h in hits] == [self.PREFIX + repo_path],
                  f"{label}: full-text search for {word!r} found {[h['path'] for h in hits]}, expected [{self.PREFIX + repo_path!r}]")
            check({k: (hits[0].get("source") or {}).get(k) for k in ("id", "commit", "path")}
                  == {"id": self.source_id, "commit": head, "path": repo_path},
                  f"{label}: the hit for {word!r} has source {hits[0].get('source')!r}")
        for word in gone_words:
            hits = self.project.search(word)["data"]
            check(not hits, f"{label}: {word!r} is gone from the repository but search finds {[h['path'] for h in hits]}")

        # Embeddings: exactly the changed files, each chunk once.
        wait_embedded(self.project, self.embedder)
        texts = self.embedder.since(mark)
        words = {}
        for repo_path in embedded:
            found = re.findall(r"unique word of this page is ([a-z]+)", tree[repo_path].decode())
            check(found, f"{label}: test bug: {repo_path} has no unique word")
            words[found[-1]] = repo_path
        attributed = {p: 0 for p in embedded}
        strays = []
        for text in texts:
            owners = [p for w, p in words.items() if w in text]
            if owners:
                attributed[owners[0]] += 1
            else:
                strays.append(text[:100])
        check(not strays, f"{label}: {len(strays)} embeddings computed for texts of files this step did not change, "
                          f"e.g. {strays[:3]} (changed: {sorted(embedded)})")
        check(all(n == 1 for n in attributed.values()),
              f"{label}: embeddings per changed file (one chunk each) should be 1: {attributed}")

        self.previous = current
        self.chunks, self.vectors = self.store_chunks()  # now that the step's vectors are stored
        say(f"{label}: synced in {took:.2f} s to {head[:10]}; {len(current)} documents, "
            f"{len(texts)} embedding(s) computed")
        return source, head


def part_api(ctx, server, project, other_project):
    """Validation and authorisation of the sources endpoints (sources made here are removed again)."""
    api, base = server.api, project.sources_path()
    repo_url = os.path.join(ctx.work, "api-repo.git")
    git("init", "-q", "--bare", "-b", "main", repo_url)
    good = {"kind": "git", "url": repo_url, "pathPrefix": "api-check/", "intervalSeconds": 604800}

    status, payload, _ = e2e.call(api, "POST", base, good)
    expect_error(status, payload, 401, "unauthorized", "POST sources without credentials")
    status, payload, _ = e2e.call(api, "POST", base, good, key=project.read_key)
    expect_error(status, payload, 403, "forbidden", "POST sources with a read key")
    status, payload, _ = e2e.call(api, "POST", f"/projects/{project.id}/keys",
                                  {"name": "confined", "access": "write", "pathPrefix": "notes/"}, cookie=project.cookie)
    confined = expect(status, payload, 201, "create a confined write key")["data"]["key"]
    status, payload, _ = e2e.call(api, "POST", base, good, key=confined)
    expect_error(status, payload, 403, "forbidden", "POST sources with a write key confined to notes/")
    status, payload, _ = e2e.call(api, "GET", base, cookie=other_project.cookie)
    expect_error(status, payload, 404, "not_found", "GET another user's project's sources")

    bad = [
        ({**good, "url": "https://alice:s3cret-pw@example.com/docs.git"}, "url", "a url with user:password@"),
        ({**good, "url": "ssh://git:s3cret-pw@example.com/docs.git"}, "url", "an ssh url with a password"),
        ({**good, "url": "http://example.com/docs.git"}, "url", "an http:// url"),
        ({**good, "url": "ftp://example.com/docs.git"}, "url", "an ftp:// url"),
        ({**good, "url": "relative/repo.git"}, "url", "a relative path"),
        ({**good, "url": ""}, "url", "an empty url"),
        ({k: v for k, v in good.items() if k != "url"}, "url", "no url"),
        ({**good, "kind": "svn"}, "kind", "kind svn"),
        ({**good, "intervalSeconds": 9}, "intervalSeconds", "intervalSeconds 9"),
        ({**good, "intervalSeconds": 604801}, "intervalSeconds", "intervalSeconds 604801"),
        ({**good, "intervalSeconds": -1}, "intervalSeconds", "intervalSeconds -1"),
        ({**good, "include": []}, "include", "an empty include"),
        ({**good, "pathPrefix": "../up/"}, "pathPrefix", "pathPrefix ../up/"),
        ({**good, "ref": "-x"}, "ref", "ref -x"),
    ]
    for body, field, what in bad:
        status, payload, _ = e2e.call(api, "POST", base, body, cookie=project.cookie)
        expect_error(status, payload, 422, "validation_error", f"POST sources with {what}", field=field)
        check("s3cret-pw" not in json.dumps(payload), f"POST sources with {what}: the answer repeats the password")

    # Created by the owner, by the project's key (X-API-Key and Bearer), by an unconfined write key.
    status, payload, _ = e2e.call(api, "POST", f"/projects/{project.id}/keys", {"name": "writer", "access": "write"},
                                  cookie=project.cookie)
    writer = expect(status, payload, 201, "create an unconfined write key")["data"]["key"]
    made = []
    for number, (label, auth) in enumerate([("the owner's session", {"cookie": project.cookie}),
                                            ("the project's key (X-API-Key)", {"key": project.key}),
                                            ("the project's key (Bearer)", {"token": project.key}),
                                            ("an unconfined write key", {"key": writer})]):
        body = {**good, "pathPrefix": f"api-check-{number}/", "ref": "main", "include": ["**/*.md"], "exclude": ["x/**"]}
        status, payload, _ = e2e.call(api, "POST", base, body, **auth)
        source = expect(status, payload, 201, f"POST sources with {label}")["data"]
        check_source_shape(source, project.id, f"the source made with {label}")
        secret = source.get("webhookSecret")
        check(isinstance(secret, str) and len(secret) >= 16, f"the 201 body has no webhookSecret: {short(source)}")
        check(source["url"] == repo_url and source["ref"] == "main" and source["include"] == ["**/*.md"]
              and source["exclude"] == ["x/**"] and source["pathPrefix"] == f"api-check-{number}/"
              and source["intervalSeconds"] == 604800, f"the source does not echo its settings: {short(source)}")
        made.append((source["id"], secret))

    # Defaults.
    status, payload, _ = e2e.call(api, "POST", base, {"kind": "git", "url": "file://" + repo_url, "pathPrefix": "api-defaults"},
                                  cookie=project.cookie)
    defaults = expect(status, payload, 201, "POST sources with only kind, url and pathPrefix")["data"]
    check(defaults["ref"] == "main" and defaults["include"] == DEFAULT_INCLUDE and defaults["exclude"] == []
          and defaults["intervalSeconds"] == 300,
          f"defaults should be ref main, include {DEFAULT_INCLUDE}, exclude [], intervalSeconds 300: {short(defaults)}")
    check(defaults["pathPrefix"] in ("api-defaults/", "api-defaults"), f"pathPrefix {defaults['pathPrefix']!r}")
    made.append((defaults["id"], defaults.get("webhookSecret")))

    # Reading: a read key lists and gets; the secret never shows again.
    status, payload, _ = e2e.call(api, "GET", base, key=project.read_key)
    listed = expect(status, payload, 200, "GET sources with a read key")
    ids = {s["id"] for s in listed["data"]}
    check({i for i, _ in made} <= ids, f"the list lacks sources just made: {short(listed)}")
    meta = listed.get("meta") or {}
    check(meta.get("total") == len(listed["data"]) and meta.get("offset") == 0 and isinstance(meta.get("limit"), int),
          f"the list's meta should have offset 0, limit and total: {meta}")
    check("webhookSecret" not in json.dumps(listed) and all(s not in json.dumps(listed) for _, s in made),
          "GET sources shows a webhook secret")
    for source in listed["data"]:
        check_source_shape(source, project.id, "a listed source")
    status, payload, _ = e2e.call(api, "GET", f"{base}?limit=2&offset=1", key=project.read_key)
    paged = expect(status, payload, 200, "GET sources limit=2 offset=1")
    check(len(paged["data"]) == min(2, len(ids) - 1) and paged["meta"].get("limit") == 2 and paged["meta"].get("offset") == 1,
          f"paging the sources: {short(paged)}")
    status, payload, _ = e2e.call(api, "GET", f"{base}?limit=0", key=project.read_key)
    expect_error(status, payload, 422, "validation_error", "GET sources limit=0")
    one_id, one_secret = made[0]
    status, payload, _ = e2e.call(api, "GET", project.sources_path(one_id), key=project.read_key)
    one = expect(status, payload, 200, "GET one source with a read key")["data"]
    check("webhookSecret" not in one and one_secret not in json.dumps(payload), "GET one source shows its webhook secret")
    status, payload, _ = e2e.call(api, "GET", project.sources_path("00000000-0000-4000-8000-000000000000"), key=project.key)
    expect_error(status, payload, 404, "not_found", "GET a source that does not exist")
    status, payload, _ = e2e.call(api, "GET", project.sources_path(one_id), cookie=other_project.cookie)
    expect(status, payload, 404, "GET a source of another user's project")

    # PATCH: read keys may not; bounds of intervalSeconds; ref, include, exclude change.
    path = project.sources_path(one_id)
    status, payload, _ = e2e.call(api, "PATCH", path, {"intervalSeconds": 600}, key=project.read_key)
    expect_error(status, payload, 403, "forbidden", "PATCH a source with a read key")
    for value in (9, 604801, "ten"):
        status, payload, _ = e2e.call(api, "PATCH", path, {"intervalSeconds": value}, cookie=project.cookie)
        expect_error(status, payload, 422, "validation_error", f"PATCH intervalSeconds {value!r}", field="intervalSeconds")
    for value in (10, 604800):
        status, payload, _ = e2e.call(api, "PATCH", path, {"intervalSeconds": value}, cookie=project.cookie)
        check(expect(status, payload, 200, f"PATCH intervalSeconds {value}")["data"]["intervalSeconds"] == value,
              f"PATCH intervalSeconds {value} did not take: {short(payload)}")
    status, payload, _ = e2e.call(api, "PATCH", path, {"ref": "release/v1", "include": ["docs/**/*.md"], "exclude": ["docs/old/**"]},
                                  key=project.key)
    patched = expect(status, payload, 200, "PATCH ref, include and exclude")["data"]
    check(patched["ref"] == "release/v1" and patched["include"] == ["docs/**/*.md"] and patched["exclude"] == ["docs/old/**"],
          f"PATCH did not take: {short(patched)}")
    check("webhookSecret" not in patched, "the PATCH answer shows the webhook secret")

    # The sync endpoint with keys: a write key starts a sync, a read key does not.
    status, payload, _ = e2e.call(api, "POST", project.sources_path(one_id, "/sync"), key=writer)
    expect(status, payload, 202, "POST …/sync with a write key")
    status, payload, _ = e2e.call(api, "POST", project.sources_path(one_id, "/sync"), key=project.read_key)
    check(status in (401, 403), f"POST …/sync with a read key: expected 401 or 403, got {status}: {short(payload)}")
    status, payload, _ = e2e.call(api, "POST", project.sources_path(one_id, "/sync"), cookie=other_project.cookie)
    expect(status, payload, 404, "POST …/sync of another user's project's source")

    # DELETE: a read key may not; the owner may; then 404.
    status, payload, _ = e2e.call(api, "DELETE", path, key=project.read_key)
    expect_error(status, payload, 403, "forbidden", "DELETE a source with a read key")
    for source_id, _ in made:
        status, payload, _ = e2e.call(api, "DELETE", project.sources_path(source_id), cookie=project.cookie)
        check(status == 204, f"DELETE source: expected 204, got {status}: {short(payload)}")
    status, payload, _ = e2e.call(api, "GET", path, key=project.key)
    expect_error(status, payload, 404, "not_found", "GET a deleted source")
    status, payload = webhook(api, project.id, one_id, one_secret)
    check(status in (401, 404), f"the webhook of a deleted source: expected 404 (or 401), got {status}: {short(payload)}")
    say("api: validation, authorisation, shape, defaults, paging, PATCH bounds and DELETE as specified")


def part_history(ctx, history):
    repo, project = history.repo, history.project
    W = {name: marker(f"{name}-1") for name in ("readme", "intro", "setup", "auth", "notes", "wip", "faq", "errors")}

    repo.write("README.md", page("Handbook", W["readme"]))
    repo.write("guide/intro.md", page("Introduction", W["intro"]))
    repo.write("guide/setup.md", page("Setting up", W["setup"]))
    repo.write("api/auth.md", page("Authentication", W["auth"]))
    repo.write("notes.txt", page("Release notes", W["notes"]))
    repo.write("drafts/wip.md", page("Work in progress", W["wip"]))
    repo.write("assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    repo.write("tools/build.py", "print('build')\n")
    repo.commit("initial handbook")
    repo.push()

    # The source (owner session), following the bare repository. (It may sync as soon as it exists.)
    mark = history.embedder.mark()
    body = {"kind": "git", "url": repo.bare, "ref": "main", "exclude": ["drafts/**"], "pathPrefix": history.PREFIX,
            "intervalSeconds": 3600}
    status, payload, _ = e2e.call(history.server.api, "POST", project.sources_path(), body, cookie=project.cookie)
    source = expect(status, payload, 201, "add the handbook source")["data"]
    check_source_shape(source, project.id, "the new source")
    history.source_id, history.secret = source["id"], source["webhookSecret"]
    check(source["include"] == DEFAULT_INCLUDE, f"include should default to {DEFAULT_INCLUDE}: {source['include']}")

    history.step("initial: 5 files followed, 1 excluded, 2 outside the globs",
                 embedded={"README.md", "guide/intro.md", "guide/setup.md", "api/auth.md", "notes.txt"},
                 found_words={W["readme"]: "README.md", W["intro"]: "guide/intro.md", W["setup"]: "guide/setup.md",
                              W["auth"]: "api/auth.md", W["notes"]: "notes.txt"},
                 gone_words=[W["wip"]], mark=mark)

    repo.write("guide/faq.md", page("Frequently asked questions", W["faq"]))
    repo.write("api/errors.markdown", page("Errors", W["errors"]))
    repo.commit("add faq and errors")
    history.step("two files added", embedded={"guide/faq.md", "api/errors.markdown"},
                 found_words={W["faq"]: "guide/faq.md", W["errors"]: "api/errors.markdown"})

    setup2 = marker("setup-2")
    repo.write("guide/setup.md", page("Setting up", setup2))
    repo.commit("rewrite setup")
    history.step("one file modified", embedded={"guide/setup.md"}, found_words={setup2: "guide/setup.md"},
                 gone_words=[W["setup"]])

    repo.move("guide/intro.md", "guide/introduction.md")
    repo.commit("rename intro")
    history.step("one file renamed", embedded=set(), renames={"guide/intro.md": "guide/introduction.md"},
                 found_words={W["intro"]: "guide/introduction.md"})

    repo.move("api/auth.md", "reference/auth.md")
    repo.commit("move auth to reference")
    history.step("one file moved to another folder", embedded=set(), renames={"api/auth.md": "reference/auth.md"},
                 found_words={W["auth"]: "reference/auth.md"})

    faq2 = marker("faq-2")
    repo.move("guide/faq.md", "guide/questions.md")
    repo.write("guide/questions.md", page("Frequently asked questions", W["faq"], f"The unique word of this page is {faq2}.\n"))
    repo.commit("rename faq to questions and add a line")
    history.step("one file renamed and modified", embedded={"guide/questions.md"},
                 renames={"guide/faq.md": "guide/questions.md"}, found_words={faq2: "guide/questions.md"})

    repo.remove("notes.txt")
    repo.write("tools/deploy.sh", "#!/bin/sh\necho deploy\n")
    repo.write("data/config.json", json.dumps({"word": marker("config")}))
    repo.write("drafts/next.md", page("Next draft", marker("next")))
    repo.commit("delete notes; add files outside the globs and an excluded draft")
    history.step("one deleted; files outside the globs and excluded added", embedded=set(),
                 gone_words=[W["notes"], marker("config"), marker("next")])

    ok_word, latin_word, blob_word = marker("ok"), marker("latin"), marker("blob")
    repo.write("bin/blob.md", b"# Blob\n\n\x00\x01\x02 binary " + blob_word.encode() + b"\x00\n")
    repo.write("guide/latin.md", f"# Caf\xe9\n\nR\xe9sum\xe9 in Latin-1, word {latin_word}.\n".encode("latin-1"))
    repo.write("guide/ok.md", page("Fine", ok_word))
    repo.commit("a binary .md, a Latin-1 .md and a good one")
    history.step("binary and non-UTF-8 files skipped", embedded={"guide/ok.md"}, found_words={ok_word: "guide/ok.md"},
                 gone_words=[latin_word, blob_word])

    # Force-push: back two commits (before the deletion of notes.txt), amend it with a change, push --force.
    repo.git("reset", "-q", "--hard", "HEAD~2")
    setup3 = marker("setup-3")
    repo.write("guide/setup.md", page("Setting up", setup3))
    repo.commit("rename faq to questions and add a line (amended)", amend=True)
    history.step("force-push of a rewritten history", embedded={"guide/setup.md", "notes.txt"}, force=True,
                 found_words={setup3: "guide/setup.md", W["notes"]: "notes.txt"},
                 gone_words=[setup2, ok_word])

    # The interval alone: no webhook.
    status, payload, _ = e2e.call(history.server.api, "PATCH", project.sources_path(history.source_id),
                                  {"intervalSeconds": 10}, cookie=project.cookie)
    expect(status, payload, 200, "PATCH intervalSeconds 10")
    errors2 = marker("errors-2")
    repo.write("api/errors.markdown", page("Errors", errors2))
    repo.commit("errors rewritten, synced by the interval")
    history.step("synced by `lore serve` on the interval (no webhook)", embedded={"api/errors.markdown"},
                 via_webhook=False, found_words={errors2: "api/errors.markdown"}, gone_words=[W["errors"]])
    status, payload, _ = e2e.call(history.server.api, "PATCH", project.sources_path(history.source_id),
                                  {"intervalSeconds": 3600}, cookie=project.cookie)
    expect(status, payload, 200, "PATCH intervalSeconds 3600")


def part_webhooks(ctx, history, other_secret):
    api, project, source_id, secret = history.server.api, history.project, history.source_id, history.secret
    head = history.repo.head()
    body = push_body(head)
    other_body = push_body(head, name="someone-else")

    status, payload = webhook(api, project.id, source_id, secret, raw=body)
    expect(status, payload, 202, "webhook with a valid GitHub signature")
    check(payload["data"]["id"] == source_id, f"the 202 body is not the source: {short(payload)}")
    status, payload = webhook(api, project.id, source_id, raw=body, signature="sha256=" + "0" * 64)
    expect_error(status, payload, 401, "unauthorized", "webhook with a wrong signature")
    status, payload = webhook(api, project.id, source_id, raw=body, signature=github_signature(secret, body)[:-2])
    expect_error(status, payload, 401, "unauthorized", "webhook with a truncated signature")
    status, payload = webhook(api, project.id, source_id, raw=body, signature=github_signature(secret, body).replace("sha256=", "sha1="))
    expect_error(status, payload, 401, "unauthorized", "webhook with a sha1= prefix")
    status, payload = webhook(api, project.id, source_id, raw=body)
    expect_error(status, payload, 401, "unauthorized", "webhook without a signature")
    status, payload = webhook(api, project.id, source_id, raw=body, signature=github_signature(secret, other_body))
    expect_error(status, payload, 401, "unauthorized", "a captured body replayed with the signature of another body")
    status, payload = webhook(api, project.id, source_id, raw=body, signature=github_signature(secret.upper() + "x", body))
    expect_error(status, payload, 401, "unauthorized", "webhook signed with another key")
    if other_secret:
        status, payload = webhook(api, project.id, source_id, other_secret, raw=body)
        expect_error(status, payload, 401, "unauthorized", "webhook signed with another source's secret")
    status, payload = webhook(api, project.id, source_id, raw=body, style="gitlab", token=secret)
    expect(status, payload, 202, "webhook with the GitLab token")
    status, payload = webhook(api, project.id, source_id, raw=body, style="gitlab", token=secret[:-1] + ("0" if secret[-1] != "0" else "1"))
    expect_error(status, payload, 401, "unauthorized", "webhook with a wrong GitLab token")
    status, payload = webhook(api, project.id, source_id, raw=body, style="gitlab", token="")
    expect_error(status, payload, 401, "unauthorized", "webhook with an empty GitLab token")
    if other_secret:
        status, payload = webhook(api, project.id, source_id, raw=body, style="gitlab", token=other_secret)
        expect_error(status, payload, 401, "unauthorized", "webhook with another source's GitLab token")
    status, payload, _ = e2e.call(api, "POST", project.sources_path(source_id, "/sync"), key=project.key)
    expect(status, payload, 202, "POST …/sync with the project's key")
    status, payload, _ = e2e.call(api, "POST", project.sources_path(source_id, "/sync"), cookie=project.cookie)
    expect(status, payload, 202, "POST …/sync with the owner's session")
    wait_synced(project, source_id, head, "after the webhook checks")
    time.sleep(1)  # the syncs those calls queued run on the same commit; let them finish
    wait_synced(project, source_id, head, "after the webhook checks")
    say("webhooks: GitHub signature and GitLab token accepted; wrong, missing, replayed and foreign ones refused")


def part_owned(ctx, history):
    api, project = history.server.api, history.project
    target = next(p for p in history.previous if p.endswith("guide/setup.md"))
    before = project.document(history.previous[target]["id"])
    document_id, version = before["id"], before["version"]

    def owned(status, payload, what):
        expect_error(status, payload, 409, "source_owned", what)

    status, payload, _ = e2e.call(api, "PUT", f"/projects/{project.id}/documents/{document_id}",
                                  {"content": "# Hijacked\n\nchanged over HTTP", "version": version}, key=project.key)
    owned(status, payload, "PUT a source's document")
    status, payload, _ = e2e.call(api, "PUT", f"/projects/{project.id}/documents/{document_id}",
                                  {"content": "# Hijacked\n\nchanged", "version": version}, cookie=project.cookie)
    owned(status, payload, "PUT a source's document (owner session)")
    status, payload, _ = e2e.call(api, "PUT", f"/projects/{project.id}/documents/{document_id}",
                                  {"content": before["content"], "path": "elsewhere/setup.md", "version": version},
                                  key=project.key)
    owned(status, payload, "PUT moving a source's document")
    status, payload, _ = e2e.call(api, "PATCH", f"/projects/{project.id}/documents/{document_id}",
                                  {"content": "# Hijacked"}, key=project.key)
    check(status in (404, 405, 409), f"PATCH a source's document: expected 409 (or no such route), got {status}")
    status, payload, _ = e2e.call(api, "DELETE", f"/projects/{project.id}/documents/{document_id}", key=project.key)
    owned(status, payload, "DELETE a source's document")
    status, payload, _ = e2e.call(api, "POST", f"/projects/{project.id}/documents",
                                  {"path": target, "content": "# Hijacked"}, key=project.key)
    expect(status, payload, 409, "POST a document at a source's path")
    status, payload, _ = e2e.call(api, "POST", f"/projects/{project.id}/documents/bulk",
                                  {"mode": "upsert", "documents": [{"path": target, "content": "# Hijacked"},
                                                                   {"path": "notes/bulk-ok.md", "content": "# Bulk\n\nfine"}]},
                                  key=project.key)
    result = expect(status, payload, 200, "bulk upsert over a source's path")["data"]
    items = result if isinstance(result, list) else (result.get("results") or result.get("items") or [])
    by_path = {i.get("path"): i for i in items}
    check(by_path.get(target, {}).get("status") == "error" and (by_path[target].get("error") or {}).get("code") == "source_owned",
          f"bulk upsert over a source's path: the item should be an error source_owned: {short(payload, 800)}")
    check(by_path.get("notes/bulk-ok.md", {}).get("status") == "created", f"the other bulk item should land: {short(payload, 800)}")

    status, _ = e2e.mcp_initialize(server_base(api), project.key)
    check(status == 200, f"MCP initialize: {status}")
    status, result, message = e2e.mcp_tool(server_base(api), project.key, "write_document",
                                           {"path": target, "content": "# Hijacked over MCP"})
    check(status == 200 and result and result.get("isError") is True,
          f"MCP write_document over a source's document should be a tool error: {short(message)}")
    check("source" in json.dumps(result).lower(), f"MCP write_document's error should say the document comes from a source: {short(result)}")
    status, result, message = e2e.mcp_tool(server_base(api), project.key, "delete_document", {"path": target}, request_id=3)
    check(status == 200 and result and result.get("isError") is True,
          f"MCP delete_document of a source's document should be a tool error: {short(message)}")

    after = project.document(document_id)
    check(after["content"] == before["content"] and after["version"] == version and after["path"] == target,
          f"a refused write changed the document: {short(after)}")
    wait_embedded(project, history.embedder)  # so its embedding does not land in the next step's count
    status, payload, _ = e2e.call(api, "DELETE", f"/projects/{project.id}/documents/{by_path['notes/bulk-ok.md']['document']['id']}",
                                  key=project.key)
    check(status == 204, f"DELETE notes/bulk-ok.md: {status}")
    say("owned: PUT, DELETE, POST, bulk upsert and MCP writes of a source's document refused with source_owned")


def server_base(api):
    return api[: -len("/api/v1")]


def part_failure(ctx, history):
    api, project, repo, source_id = history.server.api, history.project, history.repo, history.source_id
    snapshot = {p: (d["id"], d["version"], d["content"]) for p, d in history.previous.items()}
    old_head = repo.head()

    def unchanged(what):
        listed = project.documents(prefix=history.PREFIX)
        now = {}
        for summary in listed:
            document = project.document(summary["id"])
            now[document["path"]] = (document["id"], document["version"], document["content"])
            check((document.get("source") or {}).get("commit") == old_head,
                  f"{what}: {document['path']} now claims commit {(document.get('source') or {}).get('commit')}")
        check(now == snapshot, f"{what}: the documents changed: missing {sorted(set(snapshot) - set(now))}, "
                               f"new {sorted(set(now) - set(snapshot))}, "
                               f"different {sorted(p for p in now if p in snapshot and now[p] != snapshot[p])}")

    # A commit waits on main; the source is pointed at a branch that does not exist.
    words = marker("failure-commit")
    repo.write("guide/pending.md", page("Pending", words))
    repo.commit("a commit the failing syncs must not bring")
    repo.push()
    status, payload, _ = e2e.call(api, "PATCH", project.sources_path(source_id), {"ref": "no-such-branch"}, cookie=project.cookie)
    patched = expect(status, payload, 200, "PATCH ref no-such-branch")["data"]
    check(patched["ref"] == "no-such-branch", f"PATCH ref did not take: {short(patched)}")
    status, payload = webhook(api, project.id, source_id, history.secret, raw=push_body(old_head))
    expect(status, payload, 202, "webhook for the missing branch")
    failed = wait_source(project, source_id, lambda s: s["status"] == "error", "a sync of a missing branch fails", timeout=60)
    check(isinstance(failed["lastError"], str) and failed["lastError"].strip(), f"no lastError after a failed sync: {short(failed)}")
    check(failed["lastCommit"] == old_head, f"a failed sync moved lastCommit to {failed['lastCommit']}")
    check(failed["documents"] == len(snapshot), f"a failed sync changed the document count: {failed['documents']}")
    say(f"failure: missing branch → status error, lastError {failed['lastError'][:120]!r}")
    unchanged("after the failed sync of a missing branch")
    check(not project.search(words)["data"], "the pending commit's word is searchable after a failed sync")

    # Back to main, but the repository itself is gone (moved away first: the PATCH may start a sync).
    away = repo.bare + ".away"
    os.rename(repo.bare, away)
    try:
        status, payload, _ = e2e.call(api, "PATCH", project.sources_path(source_id), {"ref": "main"}, cookie=project.cookie)
        expect(status, payload, 200, "PATCH ref main")
        status, payload = webhook(api, project.id, source_id, history.secret, raw=push_body(old_head))
        expect(status, payload, 202, "webhook while the repository is missing")
        time.sleep(0.2)
        failed2 = wait_source(project, source_id, lambda s: s["status"] == "error" and s["lastError"] != failed["lastError"],
                              "a sync of a missing repository fails", timeout=60)
        check(failed2["lastCommit"] == old_head, f"a failed sync moved lastCommit to {failed2['lastCommit']}")
        say(f"failure: missing repository → status error, lastError {failed2['lastError'][:120]!r}")
        unchanged("after the failed sync of a missing repository")
    finally:
        os.rename(away, repo.bare)

    # Fixed: the next sync brings the pending commit, and only it is embedded.
    history.step("recovered after failed syncs", embedded={"guide/pending.md"}, push=False,
                 found_words={words: "guide/pending.md"})
    check(history.project.get_source(source_id)["lastError"] is None, "lastError stays after a successful sync")

    # A filter change: drafts/ no longer excluded → the whole tree is compared; the drafts appear.
    mark = history.embedder.mark()  # (the PATCH may start the sync itself)
    status, payload, _ = e2e.call(api, "PATCH", project.sources_path(source_id), {"exclude": []}, cookie=project.cookie)
    check(expect(status, payload, 200, "PATCH exclude []")["data"]["exclude"] == [], f"PATCH exclude [] did not take: {short(payload)}")
    history.excluded = ()
    history.step("exclude emptied: the drafts appear", embedded={"drafts/wip.md"}, push=False,
                 found_words={marker("wip-1"): "drafts/wip.md"}, mark=mark)
    mark = history.embedder.mark()
    status, payload, _ = e2e.call(api, "PATCH", project.sources_path(source_id), {"exclude": ["drafts/**"]}, cookie=project.cookie)
    expect(status, payload, 200, "PATCH exclude drafts/**")
    history.excluded = History.EXCLUDED
    history.step("drafts excluded again", embedded=set(), push=False, gone_words=[marker("wip-1")], mark=mark)


def part_final(ctx, history, database, embedder):
    api, project = history.server.api, history.project
    head = history.repo.head()
    # Semantic and hybrid hits of a source's document carry its provenance.
    for mode in ("semantic", "hybrid"):
        found = project.search("setting up the handbook examples", mode=mode)
        check(found["meta"].get("mode") == mode, f"{mode} search ran as {found['meta'].get('mode')}: {found['meta'].get('fallbackReason')}")
        hits = [h for h in found["data"] if h["path"].startswith(History.PREFIX)]
        check(hits, f"{mode} search found no document of the source: {short(found)}")
        for hit in hits:
            source = hit.get("source") or {}
            check(source.get("id") == history.source_id and source.get("commit") == head
                  and History.PREFIX + (source.get("path") or "") == hit["path"],
                  f"a {mode} hit's source is {hit.get('source')!r} for {hit['path']}")
    manual = project.search(marker("manual"))["data"]
    check(len(manual) == 1 and manual[0].get("source") is None,
          f"a client's document's hit should have source null (or none): {short(manual)}")

    # Metrics.
    with urllib.request.urlopen(server_base(api) + "/metrics", timeout=10) as response:
        metrics = response.read().decode()
    for name in ("lore_sync_duration_seconds", "lore_sync_lag_seconds", "lore_sync_documents_changed_total"):
        check(re.search(rf"^{name}(_bucket|_sum|_count)?({{[^}}]*}})? ", metrics, re.M),
              f"/metrics has no sample of {name}")
    changed = [float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith("lore_sync_documents_changed_total")]
    check(sum(changed) > 0, f"lore_sync_documents_changed_total is {changed}")

    # Stored rows.
    checked, problems = e2e.embedding_provenance(database, embedder)
    check(not problems, f"embedding provenance: {problems}")
    problems = e2e.store_consistency(database)
    check(not problems, f"store consistency: {problems}")

    # DELETE the source: its documents go, the client's document stays.
    status, payload, _ = e2e.call(api, "DELETE", project.sources_path(history.source_id), key=project.key)
    check(status == 204, f"DELETE the source: expected 204, got {status}: {short(payload)}")
    check(not project.documents(prefix=History.PREFIX), "the source's documents survive its deletion")
    paths = [d["path"] for d in project.documents()]
    check(paths == ["notes/manual.md"], f"after deleting the source the project holds {paths}")
    status, payload, _ = e2e.call(api, "GET", project.sources_path(history.source_id), key=project.key)
    expect_error(status, payload, 404, "not_found", "GET a deleted source")
    status, payload = webhook(api, project.id, history.source_id, history.secret, raw=push_body(head))
    check(status in (401, 404), f"the webhook of a deleted source: expected 404, got {status}")
    check(not project.search(marker("setup-3"))["data"], "a deleted source's words are still found")
    problems = e2e.store_consistency(database)
    check(not problems, f"store consistency after deleting the source: {problems}")
    say(f"final: provenance in semantic and hybrid hits, lore_sync_* metrics, {checked} vectors from their own text, "
        f"DELETE removed the source's documents only")


def run_server_parts(ctx, parts):
    work = os.path.join(ctx.work, "server")
    os.makedirs(work)
    embedder = CountingEmbedder()
    database = e2e.Database("sqlite", work)
    env = e2e.base_env({**embedder.env(), "LORE_SOURCES_DIR": os.path.join(work, "mirrors")})
    server = e2e.Server(ctx.binary, database.url, env, work)
    try:
        server.start()
        server.wait_ready()
        project = Project(server.api, "Handbook")
        other = Project(server.api, "Someone else's")
        status, payload, _ = e2e.call(server.api, "POST", f"/projects/{project.id}/documents",
                                      {"path": "notes/manual.md", "content": page("Manual note", marker("manual"))},
                                      key=project.key)
        expect(status, payload, 201, "write a client's document")
        if "api" in parts:
            run_part(ctx, "api", part_api, ctx, server, project, other)
        if not parts & {"history", "webhooks", "owned", "failure", "final"}:
            return
        history = History(ctx, server, project, embedder, database)
        wait_embedded(project, embedder)
        if not run_part(ctx, "history", part_history, ctx, history):
            return
        if "webhooks" in parts:
            # Another source's secret: a source of the other project.
            other_repo = os.path.join(ctx.work, "other.git")
            git("init", "-q", "--bare", "-b", "main", other_repo)
            status, payload, _ = e2e.call(server.api, "POST", f"/projects/{other.id}/sources",
                                          {"kind": "git", "url": other_repo, "intervalSeconds": 604800}, cookie=other.cookie)
            other_secret = expect(status, payload, 201, "a source in the other project")["data"]["webhookSecret"]
            run_part(ctx, "webhooks", part_webhooks, ctx, history, other_secret)
        if "owned" in parts:
            run_part(ctx, "owned", part_owned, ctx, history)
        if "failure" in parts:
            run_part(ctx, "failure", part_failure, ctx, history)
        if "final" in parts:
            run_part(ctx, "final", part_final, ctx, history, database, embedder)
            code = server.terminate()
            check_record(ctx, code == 0, f"final: SIGTERM: lore serve exited with {code}")
    finally:
        if ctx.failures:
            print(f"--- server log (tail of {server.log_path}) ---\n{server.tail(60)}", file=sys.stderr)
        server.kill()
        embedder.close()


def check_record(ctx, condition, message):
    if not condition:
        ctx.failures.append(message)
        say(f"FAILED: {message}")


def run_part(ctx, name, function, *args):
    started = time.monotonic()
    try:
        function(*args)
        say(f"{name}: passed in {time.monotonic() - started:.1f} s")
        return True
    except Failure as failure:
        check_record(ctx, False, f"{name}: {failure}")
    except Exception as error:  # an unexpected answer: report it as this part's failure
        import traceback
        traceback.print_exc()
        check_record(ctx, False, f"{name}: {type(error).__name__}: {error}")
    return False


# --- kill: `lore sync` SIGKILLed mid-sync -------------------------------------------------------------------

def part_kill(ctx):
    files = int(os.environ.get("SOURCES_KILL_FILES") or 3000)
    rounds = int(os.environ.get("SOURCES_KILL_ROUNDS") or 3)
    work = os.path.join(ctx.work, "kill")
    os.makedirs(work)
    database = e2e.Database("sqlite", work)
    env = e2e.base_env({"LORE_DATABASE_URL": database.url, "LORE_EMBEDDER": "none",
                        "LORE_SOURCES_DIR": os.path.join(work, "mirrors")})

    def lore(*args, stdin=None, timeout=300, ok=True):
        done = subprocess.run([ctx.binary, *args], env=env, cwd=work, input=stdin, capture_output=True, text=True,
                              timeout=timeout)
        if ok and done.returncode != 0:
            raise Failure(f"lore {' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")
        return done

    lore("users", "create", "--email", "kill@example.com", "--name", "Kill", "--password-stdin", stdin="long enough password\n")
    created = json.loads(lore("projects", "create", "--owner", "kill@example.com", "--name", "Kill", "--json").stdout)
    project_id = created["id"]

    repo = Repo(os.path.join(work, "repo"))

    def write_all(version):
        """Every file rewritten for `version`; a few deleted and added each time, so the sets differ too."""
        for stale in [p for p in repo.tree() if p.startswith(f"extra/v{version - 1}-")]:
            repo.remove(stale)
        for i in range(files):
            path = f"area{i % 30:02d}/page{i:04d}.md"
            repo.write(path, f"# Page {i}\n\nVersion {version} of page {i}. Word {marker(f'{i}-{version}')}.\n")
        for i in range(20):
            repo.write(f"extra/v{version}-{i:02d}.md", f"# Extra {i}\n\nAdded in version {version}.\n")
        return repo.commit(f"version {version}")

    def stored():
        rows = database.query("SELECT path, content FROM document WHERE lower(project_id) = lower(?)".replace("?", f"'{project_id}'"))
        commit = database.query("SELECT last_commit FROM source")
        return {path: hashlib.sha256(content.encode()).hexdigest() for path, content in rows}, [c[0] for c in commit]

    def expected():
        return {path: hashlib.sha256(text.encode()).hexdigest() for path, (_, text) in expected_documents(repo.tree(), "").items()}

    def compare(state, wanted):
        missing, extra = set(wanted) - set(state), set(state) - set(wanted)
        different = [p for p in wanted if p in state and state[p] != wanted[p]]
        return f"{len(missing)} missing, {len(extra)} extra, {len(different)} with other content"

    # The CLI: add, list.
    write_all(0)
    repo.push()
    added = lore("sources", "add", "--project", project_id, "--git", repo.bare, "--ref", "main", "--include", "**/*.md",
                 "--exclude", "nothing/**", "--interval", "604800", "--json").stdout
    source = json.loads(added)
    source = source.get("data", source)
    check(isinstance(source, dict) and source.get("id") and source.get("url") == repo.bare,
          f"lore sources add --json printed {added[:300]}")
    source_id = source["id"]
    listed = json.loads(lore("sources", "list", "--project", project_id, "--json").stdout)
    listed = listed.get("data", listed) if isinstance(listed, dict) else listed
    check([s["id"] for s in listed] == [source_id] and listed[0]["include"] == ["**/*.md"]
          and listed[0]["exclude"] == ["nothing/**"] and listed[0]["intervalSeconds"] == 604800,
          f"lore sources list --json: {short(listed)}")
    check("webhookSecret" not in json.dumps(listed), "lore sources list --json shows the webhook secret")
    plain = lore("sources", "list", "--project", project_id).stdout
    check(source_id in plain, f"lore sources list does not show the source id: {plain[:300]}")

    started = time.monotonic()
    first = lore("sync", "--project", project_id)
    initial_s = time.monotonic() - started
    state, commits = stored()
    check(state == expected() and commits == [repo.head()],
          f"after the first `lore sync`: {compare(state, expected())}; last_commit {commits}")
    check("\r" not in first.stdout + first.stderr, "`lore sync` drew a progress bar though its output is not a terminal")
    say(f"kill: first sync of {len(state)} files in {initial_s:.1f} s; its output: {(first.stderr or first.stdout).strip()[-200:]!r}")

    write_all(1)
    repo.push()
    started = time.monotonic()
    lore("sync", "--project", project_id, "--source", source_id)
    update_s = time.monotonic() - started
    state, commits = stored()
    check(state == expected() and commits == [repo.head()], f"after syncing version 1: {compare(state, expected())}")
    say(f"kill: a sync rewriting every file took {update_s:.1f} s")

    fractions = [0.5, 0.8, 0.95, 0.7, 0.9][:rounds] if rounds <= 5 else [0.2 + 0.75 * i / (rounds - 1) for i in range(rounds)]
    outcomes = []
    for number, fraction in enumerate(fractions, start=2):
        old_state, old_head = stored()[0], repo.head()
        write_all(number)
        new_head = repo.push()
        new_state = expected()
        delay = max(0.3, fraction * update_s)
        log_path = os.path.join(work, f"sync-{number}.log")
        with open(log_path, "wb") as log:
            process = subprocess.Popen([ctx.binary, "sync", "--project", project_id], env=env, cwd=work,
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            time.sleep(delay)
            killed = process.poll() is None
            if killed:
                os.kill(process.pid, signal.SIGKILL)
            code = process.wait()
        state, commits = stored()
        if state == old_state:
            outcome = "old"
            check(commits == [old_head], f"kill at {delay:.2f} s: the documents are the old commit's but last_commit is {commits}")
        elif state == new_state:
            outcome = "new"
            check(commits == [new_head], f"kill at {delay:.2f} s: the documents are the new commit's but last_commit is {commits}")
        else:
            raise Failure(f"kill -9 of `lore sync` at {delay:.2f} s left a mixture: against the old commit "
                          f"{compare(state, old_state)}; against the new one {compare(state, new_state)}")
        problems = e2e.store_consistency(database)
        check(not problems, f"store consistency after kill -9 at {delay:.2f} s: {problems}")
        with open(log_path, "rb") as f:
            last_line = (f.read().decode(errors="replace").strip().splitlines() or [""])[-1]
        started = time.monotonic()
        lore("sync", "--project", project_id, timeout=240)
        resync_s = time.monotonic() - started
        state, commits = stored()
        check(state == new_state and commits == [new_head],
              f"the `lore sync` after kill -9 did not complete to the new commit: {compare(state, new_state)}, last_commit {commits}")
        outcomes.append({"delay_s": round(delay, 2), "killed": killed, "exit": code, "state": outcome,
                         "last_output": last_line[-80:], "resync_s": round(resync_s, 1)})
        say(f"kill: round {number - 1}: {'SIGKILL' if killed else 'finished (exit %d)' % code} at {delay:.2f} s "
            f"→ documents of the {outcome} commit; resync completed in {resync_s:.1f} s (last output {last_line[-60:]!r})")
    if not any(o["killed"] and o["state"] == "old" for o in outcomes):
        say("kill: note: no round killed `lore sync` before its transaction committed")

    # Sources' folders may not overlap: the first fills the whole project, so a second is refused.
    overlap = lore("sources", "add", "--project", project_id, "--git", os.path.join(work, "missing.git"),
                   "--path-prefix", "broken/", "--interval", "604800", "--json", ok=False)
    check(overlap.returncode != 0 and "pathPrefix" in overlap.stderr,
          f"`lore sources add` of a folder inside another source's: exit {overlap.returncode}, {overlap.stderr[-300:]!r}")
    # A sync that fails (in a project of its own): exit status non-zero; removal.
    other = json.loads(lore("projects", "create", "--owner", "kill@example.com", "--name", "Broken", "--json").stdout)
    broken = json.loads(lore("sources", "add", "--project", other["id"], "--git", os.path.join(work, "missing.git"),
                             "--path-prefix", "broken/", "--interval", "604800", "--json").stdout)
    broken = broken.get("data", broken)
    failed = lore("sync", "--project", other["id"], "--source", broken["id"], ok=False, timeout=120)
    check(failed.returncode != 0, f"`lore sync` of a source whose repository is missing exited 0: {failed.stderr[-300:]}")
    lore("sources", "remove", "--project", other["id"], broken["id"])
    listed = json.loads(lore("sources", "list", "--project", other["id"], "--json").stdout)
    check(listed == [], f"after `lore sources remove` the other project lists {short(listed)}")
    listed = json.loads(lore("sources", "list", "--project", project_id, "--json").stdout)
    listed = listed.get("data", listed) if isinstance(listed, dict) else listed
    check([s["id"] for s in listed] == [source_id], f"after `lore sources remove` the list is {short(listed)}")
    bad = lore("sources", "add", "--project", project_id, "--git", "https://u:p4ss@example.com/x.git", "--json", ok=False)
    check(bad.returncode != 0 and "p4ss" not in bad.stdout + bad.stderr,
          f"`lore sources add` with a password in the url: exit {bad.returncode}, output {(bad.stdout + bad.stderr)[-300:]!r}")
    lore("sources", "remove", "--project", project_id, source_id)
    state, _ = stored()
    check(not state, f"`lore sources remove` left {len(state)} documents")
    say(f"kill: rounds {json.dumps(outcomes)}")


# --- postgres: two servers, simultaneous webhooks ----------------------------------------------------------------

def part_postgres(ctx):
    rounds = int(os.environ.get("SOURCES_PG_ROUNDS") or 4)
    work = os.path.join(ctx.work, "postgres")
    os.makedirs(work)
    embedder = CountingEmbedder()
    database = e2e.Database("postgres", work, "sources")
    servers = []
    try:
        shared_secret = secrets.token_urlsafe(48)  # one session secret: a sign-in on A is honoured by B
        for name in ("A", "B"):
            env = e2e.base_env({**embedder.env(), "LORE_SOURCES_DIR": os.path.join(work, f"mirrors-{name}"),
                                "LORE_JWT_SECRET": shared_secret})
            server = e2e.Server(ctx.binary, database.url, env, work, name=name)
            servers.append(server)
            server.start()
            server.wait_ready()  # one after the other: A migrates
        a, b = servers
        project = Project(a.api, "Two servers")
        repos, sources = [], []
        for number in range(3):
            repo = Repo(os.path.join(work, f"repo{number}"))
            for i in range(30):
                repo.write(f"docs/page{i:02d}.md", page(f"Page {number}-{i}", marker(f"pg-{number}-{i}-0")))
            repo.commit("initial")
            repo.push()
            status, payload, _ = e2e.call((a if number % 2 == 0 else b).api, "POST", project.sources_path(),
                                          {"kind": "git", "url": repo.bare, "pathPrefix": f"repo{number}/",
                                           "intervalSeconds": 3600}, cookie=project.cookie)
            sources.append(expect(status, payload, 201, f"add source {number}")["data"])
            repos.append(repo)
        ids = {}   # (source index, project path) -> document id
        for round_number in range(rounds + 1):
            renames = {}
            if round_number > 0:
                for number, repo in enumerate(repos):
                    tree = repo.tree()
                    names = sorted(tree)
                    for i in range(3):
                        repo.write(f"docs/new-{round_number}-{i}.md",
                                   page(f"New {round_number}-{i}", marker(f"pg-{number}-new-{round_number}-{i}")))
                    for path in names[:2]:
                        repo.write(path, page(f"Changed {path}", marker(f"pg-{number}-{path}-{round_number}")))
                    for path in names[2:4]:
                        repo.remove(path)
                    old = names[4]
                    new = f"moved/r{round_number}-{os.path.basename(old)}"
                    repo.move(old, new)
                    renames[(number, f"repo{number}/{old}")] = f"repo{number}/{new}"
                    repo.commit(f"round {round_number}")
                    repo.push()
            heads = [repo.head() for repo in repos]
            # Both servers receive every source's webhook at the same moment, twice.
            barrier = threading.Barrier(len(sources) * 2 * 2)
            answers = []

            def fire(server, source, head):
                raw = push_body(head)
                barrier.wait()
                answers.append((server.name, webhook(server.api, project.id, source["id"], source["webhookSecret"], raw=raw)[0]))

            threads = [threading.Thread(target=fire, args=(server, source, head))
                       for source, head in zip(sources, heads) for server in servers for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            check(sorted(set(s for _, s in answers)) == [202] and len(answers) == len(threads),
                  f"round {round_number}: simultaneous webhooks answered {answers}")
            for number, (source, head) in enumerate(zip(sources, heads)):
                synced = wait_synced(project, source["id"], head, f"round {round_number}, source {number}",
                                     api=servers[round_number % 2].api)
                check(synced["lastError"] is None, f"round {round_number}, source {number}: lastError {synced['lastError']!r}")
                tree = repos[number].tree()
                wanted = expected_documents(tree, f"repo{number}/")
                check(synced["documents"] == len(wanted),
                      f"round {round_number}, source {number}: documents {synced['documents']}, files {len(wanted)}")
                rows = database.query(
                    f"SELECT id, path, source_path, md5(content), lower(source_id::text) FROM document "
                    f"WHERE project_id = '{project.id}' AND path LIKE 'repo{number}/%'")
                paths = [r[1] for r in rows]
                check(len(paths) == len(set(paths)) == len(rows), f"round {round_number}, source {number}: duplicate paths")
                sps = [r[2] for r in rows]
                check(len(sps) == len(set(sps)), f"round {round_number}, source {number}: duplicate source paths "
                                                 f"{sorted(p for p in sps if sps.count(p) > 1)[:5]}")
                check(set(paths) == set(wanted),
                      f"round {round_number}, source {number}: missing {sorted(set(wanted) - set(paths))[:5]}, "
                      f"unexpected {sorted(set(paths) - set(wanted))[:5]}")
                for document_id, path, source_path, digest, source_id in rows:
                    repo_path, text = wanted[path]
                    check(source_path == repo_path and source_id == source["id"].lower(),
                          f"round {round_number}: {path} has source ({source_id}, {source_path})")
                    check(digest == hashlib.md5(text.encode()).hexdigest(), f"round {round_number}: {path} has other content")
                now = {path: document_id for document_id, path, *_ in rows}
                for (index, old), new in renames.items():
                    if index == number:
                        check(now.get(new) == ids.get((number, old)),
                              f"round {round_number}: the rename {old} → {new} did not keep the document")
                ids.update({(number, path): document_id for path, document_id in now.items()})
                # Both servers find a changed file.
                if round_number > 0:
                    word = marker(f"pg-{number}-new-{round_number}-0")
                    for server in servers:
                        hits = project.search(word, api=server.api)["data"]
                        check([h["path"] for h in hits] == [f"repo{number}/docs/new-{round_number}-0.md"],
                              f"round {round_number}: server {server.name} finds {word!r} at {[h['path'] for h in hits]}")
                        check((hits[0].get("source") or {}).get("commit") == head, f"round {round_number}: hit provenance {hits[0].get('source')}")
            total = len(project.documents())
            files = sum(len(expected_documents(r.tree(), "")) for r in repos)
            check(total == files, f"round {round_number}: the project has {total} documents for {files} files")
            say(f"postgres: round {round_number}: {len(threads)} simultaneous webhooks → 202; "
                f"3 sources at their heads, {total} documents = {files} files")
        wait_embedded(project, embedder, timeout=120)
        checked, problems = e2e.embedding_provenance(database, embedder)
        check(not problems, f"embedding provenance: {problems}")
        problems = e2e.store_consistency(database)
        check(not problems, f"store consistency: {problems}")
        for server in servers:
            code = server.terminate()
            check(code == 0, f"server {server.name} exited {code} after SIGTERM")
    finally:
        if ctx.failures or any(s.alive() for s in servers):
            for server in servers:
                if ctx.failures:
                    print(f"--- server {server.name} log ---\n{server.tail(40)}", file=sys.stderr)
        for server in servers:
            server.kill()
        embedder.close()
        database.drop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("backend", nargs="?", default="sqlite", choices=["sqlite", "postgres", "all"])
    parser.add_argument("--only", default="", help="comma-separated parts")
    args = parser.parse_args()
    server_parts = ["api", "history", "webhooks", "owned", "failure", "final"]
    everything = server_parts + ["kill", "postgres"]
    if args.only:
        parts = set(args.only.split(","))
        unknown = parts - set(everything)
        if unknown:
            sys.exit(f"unknown parts {sorted(unknown)}; parts are {','.join(everything)}")
    else:
        parts = set(everything) - {"postgres"} if args.backend == "sqlite" else (
            {"postgres"} if args.backend == "postgres" else set(everything))
    if shutil.which("git") is None:
        sys.exit("git not found (apt-get install git)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("sources-e2e: terminated"))
    work = tempfile.mkdtemp(prefix="lore-sources-")
    ctx = Context(args, work, e2e.binary_copy(work))
    started = time.monotonic()
    try:
        if parts & set(server_parts):
            run_server_parts(ctx, parts)
        if "kill" in parts:
            run_part(ctx, "kill", part_kill, ctx)
        if "postgres" in parts:
            run_part(ctx, "postgres", part_postgres, ctx)
    finally:
        keep = ctx.failures or os.environ.get("SOURCES_KEEP")
        if keep:
            say(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    took = time.monotonic() - started
    if ctx.failures:
        say(f"{len(ctx.failures)} FAILED in {took:.0f} s:")
        for failure in ctx.failures:
            print(f"  - {failure}", file=sys.stderr)
        sys.exit(1)
    say(f"all passed ({', '.join(p for p in everything if p in parts)}) in {took:.0f} s")


if __name__ == "__main__":
    main()
