"""Tenant isolation as a property, against a live `lore serve` on SQLite or PostgreSQL.

Three users (alice, bob, carol) with two projects each write, update, rename and delete documents
whose words overlap on purpose (one shared vocabulary, the same paths in every project), and search
in all three modes through every door: project search (GET and POST, with the project key or the
owner's session), the cross-project GET /api/v1/search (session cookie or Bearer JWT) and the MCP
`search` tool (project key, stateless JSON-RPC). A model keeps which documents are live where.

INVARIANT, after every search: each hit's project is one of the searched projects, and its
(projectId, path, documentId) is a live document of the model at that moment (a semantic hit may
lag behind an update of a live document, but a deleted document must never appear); its title and
snippet contain only text that document has held (each version carries a secret word of its own, so
a snippet from another tenant's chunk shows); `meta.total` never counts more documents than the
searched projects hold. A key or session used on another tenant's project gets 403/404. Now and
then a user deletes a whole project (its documents must vanish everywhere, its key answer 401) and
makes a new one.
Every DRAIN_EVERY steps the embedding queue must drain (stats.chunks == stats.embeddedChunks, every
document `ready`); then semantic search must run on vectors (meta.mode semantic, no fallbackReason),
every stored vector must have been computed from its own chunk's text (the embeddings server
remembers what it embedded), and the stored rows must agree (SQLite integrity and FTS checks;
PostgreSQL chunk/document project agreement).

The embedder is a deterministic OpenAI-compatible server in this process (hashed words, 384
dimensions). Step 0 is the known SQLite leak of issue 12: Alice writes, embeds, searches and
deletes a document; Bob writes one in his own project; Alice's semantic and hybrid searches must
not return it.

Usage: isolation_property.py sqlite|postgres
Environment: LORE_BINARY (default .build/debug/lore), ISOLATION_SEED (default random, printed),
ISOLATION_STEPS (default 2000), ISOLATION_DRAIN_EVERY (default 250), ISOLATION_MAX_SECONDS (default
300: steps stop there, said loudly), LORE_TEST_POSTGRES_URL for postgres.
Prints `N passed, N failed` (steps) last; exits 1 on any failure, printing the seed and each failing step.
"""
import html, json, os, random, re, sys, tempfile, time, shutil, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lore_e2e as e2e  # noqa: E402

VOCABULARY = """kafka consumer lag rotate certificate token refresh cache invalidation deploy rollback
database replica failover queue worker retry backoff latency budget alert pager runbook onboarding
laptop mentor password reset login session cookie search index shard vector embedding cluster
node memory disk volume snapshot backup restore migration schema tenant project document billing
invoice payment gateway webhook timeout circuit breaker""".split()
PATHS = ["readme.md", "guides/setup.md", "guides/deploy.md", "runbooks/restart.md", "runbooks/failover.md",
         "notes/a.md", "notes/b.md", "notes/c.md", "adr/0001-cache.md", "adr/0002-queue.md",
         "ops/backup.txt", "api/tokens.md", "api/search.md", "team/onboarding.md", "x.md"]
USERS = ["alice", "bob", "carol"]
PROJECTS_PER_USER = 2
MODES = ["fulltext", "semantic", "hybrid"]
MARK = re.compile(r"</?mark>")
SECRET = re.compile(r"\bq[a-z]{8}\b")


class Doc:
    def __init__(self, doc_id, project, path, title, content):
        self.id, self.project, self.path, self.title, self.content = doc_id, project, path, title, content
        self.alive = True
        self.version = 1
        self.seen = set()   # every path, title and content it has held, lower-cased
        self.remember()

    def remember(self):
        self.seen.update(s.lower() for s in (self.path, self.title, self.content))


class Project:
    def __init__(self, owner, pid, key, name):
        self.owner, self.id, self.key, self.name = owner, pid, key, name
        self.docs = {}      # path -> live Doc
        self.alive = True


class Failure(Exception):
    pass


class Run:
    def __init__(self, backend, seed, steps, drain_every, max_seconds):
        self.backend, self.seed, self.steps, self.drain_every, self.max_seconds = backend, seed, steps, drain_every, max_seconds
        self.rng = random.Random(seed)
        self.step = 0
        self.what = "setup"
        self.passed = self.failed = 0
        self.problems = []          # problems of the current step
        self.failures = []          # (step, what, problems)
        self.projects = {}          # id -> Project
        self.users = {}             # name -> {"session": jwt, "projects": [Project]}
        self.docs = {}              # id -> Doc (deleted ones too)
        self.secrets = set()
        self.dead_projects = []
        self.project_serial = PROJECTS_PER_USER
        self.counts = {"searches": 0, "hits_checked": 0, "writes": 0, "semantic_on_vectors": 0, "drains": 0,
                       "vectors_checked": 0, "mcp_searches": 0, "global_searches": 0, "probes": 0,
                       "projects_deleted": 0}

    # --- plumbing ---------------------------------------------------------------------------

    def problem(self, message):
        self.problems.append(message)

    def begin(self, what):
        self.what = what
        self.problems = []

    def end(self):
        if self.problems:
            self.failed += 1
            self.failures.append((self.step, self.what, list(self.problems)))
            if len(self.failures) <= 40:
                print(f"FAIL step {self.step} (seed {self.seed}, {self.backend}): {self.what}", file=sys.stderr)
                for p in self.problems[:8]:
                    print(f"    {p}", file=sys.stderr)
        else:
            self.passed += 1
        if not self.server.alive():
            raise Failure(f"lore serve died (exit code {self.server.process.returncode}) at step {self.step}: "
                          f"{self.what}\n{self.server.tail()}")

    def api(self, method, path, body=None, **auth):
        try:
            return e2e.call(self.server.api, method, path, body, **auth)
        except OSError as error:
            if not self.server.alive():
                raise Failure(f"lore serve died (exit code {self.server.process.returncode}) at step {self.step}: "
                              f"{self.what}\n{self.server.tail()}")
            return None, {"transport": str(error)}, {}

    def expect(self, answer, wanted, what):
        """The payload (or {} for an empty body) when the status is `wanted`, else None and a problem."""
        status, payload, _ = answer
        if status not in ((wanted,) if isinstance(wanted, int) else wanted):
            self.problem(f"{what}: expected {wanted}, got {status}: {json.dumps(payload)[:300]}")
            return None
        return payload if payload is not None else {}

    # --- content -----------------------------------------------------------------------------

    def secret(self):
        while True:
            word = "q" + "".join(self.rng.choice("bcdfghjklmnpvwxz") for _ in range(8))
            if word not in self.secrets:
                self.secrets.add(word)
                return word

    def words(self, low, high):
        return [self.rng.choice(VOCABULARY) for _ in range(self.rng.randint(low, high))]

    def document_text(self):
        """(title, content): shared words with this version's secret word in the title and in every paragraph."""
        secret = self.secret()
        title = " ".join(self.words(2, 3) + [secret]).capitalize()
        lines = [f"# {title}", ""]
        for section in range(self.rng.choice([1, 1, 2, 3, 5])):
            if section:
                lines += [f"## {' '.join(self.words(1, 3)).capitalize()}", ""]
            for _ in range(self.rng.randint(1, 3)):
                sentence = self.words(6, 60)
                for _ in range(1 + len(sentence) // 20):
                    sentence.insert(self.rng.randrange(len(sentence) + 1), secret)
                lines += [" ".join(sentence).capitalize() + ".", ""]
        return title, "\n".join(lines)

    def query_text(self):
        roll = self.rng.random()
        words = self.words(1, 3)
        if roll < 0.25 and self.docs:
            # Another document's secret word (any tenant's, live or deleted): the sharpest probe.
            doc = self.docs[self.rng.choice(list(self.docs))]
            secrets = sorted(set(SECRET.findall(doc.content.lower())))
            if secrets:
                words.append(self.rng.choice(secrets))
        elif roll < 0.35:
            words[0] = words[0][:4] + "*"
        elif roll < 0.42:
            words = ['"' + " ".join(words) + '"']
        return " ".join(words)

    # --- the model's writes ----------------------------------------------------------------------

    def free_path(self, project):
        free = [p for p in PATHS if p not in project.docs]
        return self.rng.choice(free) if free else None

    def create(self, project, path=None, title=None, content=None, auth="key"):
        path = path or self.free_path(project)
        if path is None:
            return None
        if title is None:
            title, content = self.document_text()
        self.begin(f"{project.owner} creates {project.name}:{path}")
        payload = self.expect(self.api("POST", f"/projects/{project.id}/documents",
                                       {"path": path, "title": title, "content": content}, **self.auth(project, auth)),
                              201, "create")
        doc = None
        if payload:
            data = payload["data"]
            doc = Doc(data["id"], project.id, path, title, content)
            doc.version = data.get("version", 1)
            if data.get("projectId") != project.id or data.get("path") != path:
                self.problem(f"create answered {data.get('projectId')}:{data.get('path')}")
            project.docs[path] = doc
            self.docs[doc.id] = doc
        self.counts["writes"] += 1
        self.end()
        return doc

    def update(self, project, doc, auth="key"):
        title, content = self.document_text()
        self.begin(f"{project.owner} updates {project.name}:{doc.path}")
        payload = self.expect(self.api("PUT", f"/projects/{project.id}/documents/{doc.id}",
                                       {"title": title, "content": content, "version": doc.version},
                                       **self.auth(project, auth)), 200, "update")
        if payload:
            doc.title, doc.content, doc.version = title, content, payload["data"].get("version")
            doc.remember()
        self.counts["writes"] += 1
        self.end()

    def rename(self, project, doc):
        target = self.free_path(project)
        if target is None:
            return
        change_content = self.rng.random() < 0.5
        title, content = self.document_text() if change_content else (doc.title, doc.content)
        self.begin(f"{project.owner} renames {project.name}:{doc.path} -> {target}"
                   + (" with new content" if change_content else ""))
        payload = self.expect(self.api("PUT", f"/projects/{project.id}/documents/{doc.id}",
                                       {"path": target, "title": title, "content": content, "version": doc.version},
                                       key=project.key), 200, "rename")
        if payload:
            doc.version = payload["data"].get("version")
            del project.docs[doc.path]
            doc.path, doc.title, doc.content = target, title, content
            doc.remember()
            project.docs[target] = doc
            if payload["data"].get("path") != target:
                self.problem(f"rename answered path {payload['data'].get('path')}")
        self.counts["writes"] += 1
        self.end()

    def delete(self, project, doc, via="http"):
        self.begin(f"{project.owner} deletes {project.name}:{doc.path} ({via})")
        if via == "mcp":
            status, result, message = self.mcp(project, "delete_document", {"path": doc.path})
            ok = status == 200 and result is not None and not result.get("isError")
            if not ok:
                self.problem(f"MCP delete_document: {status} {json.dumps(message)[:300]}")
        else:
            ok = self.expect(self.api("DELETE", f"/projects/{project.id}/documents/{doc.id}", key=project.key),
                             204, "delete") is not None
        if ok:
            doc.alive = False
            del project.docs[doc.path]
        self.counts["writes"] += 1
        self.end()

    def mcp_write(self, project):
        path = self.rng.choice(PATHS)
        title, content = self.document_text()
        existing = project.docs.get(path)
        self.begin(f"{project.owner} writes {project.name}:{path} over MCP ({'replace' if existing else 'create'})")
        status, result, message = self.mcp(project, "write_document", {"path": path, "title": title, "content": content})
        if status != 200 or result is None or result.get("isError"):
            self.problem(f"MCP write_document: {status} {json.dumps(message)[:300]}")
        else:
            data = (result.get("structuredContent") or {}).get("document") or {}
            if existing and data.get("id") == existing.id:
                existing.title, existing.content, existing.version = title, content, data.get("version")
                existing.remember()
            else:
                if existing:
                    self.problem(f"MCP write over a live path gave a new id {data.get('id')} (was {existing.id})")
                    existing.alive = False
                doc = Doc(data.get("id"), project.id, path, title, content)
                doc.version = data.get("version")
                project.docs[path] = doc
                self.docs[doc.id] = doc
        self.counts["writes"] += 1
        self.end()

    def auth(self, project, how):
        if how == "session":
            return {"cookie": self.users[project.owner]["session"]}
        if how == "bearer-key":
            return {"token": project.key}
        return {"key": project.key}

    def mcp(self, project, tool, arguments):
        try:
            return e2e.mcp_tool(self.server.base, project.key, tool, arguments, request_id=self.rng.randint(1, 10**6))
        except OSError as error:
            if not self.server.alive():
                raise Failure(f"lore serve died at step {self.step}: {self.what}\n{self.server.tail()}")
            return None, None, {"transport": str(error)}

    # --- searches and the invariant ----------------------------------------------------------------

    def check_hits(self, hits, searched, via, meta):
        searched_ids = {p.id for p in searched}
        live_total = sum(len(p.docs) for p in searched)
        total = meta.get("total")
        if isinstance(total, int) and total > live_total:
            self.problem(f"{via}: total {total} exceeds the {live_total} live documents of the searched projects")
        for hit in hits:
            self.counts["hits_checked"] += 1
            project_id = hit.get("projectId", searched[0].id if via.startswith("mcp") else None)
            path, doc_id = hit.get("path"), hit.get("documentId")
            where = f"{via}: hit {project_id}:{path} ({doc_id}, matchedBy {hit.get('matchedBy')})"
            if project_id not in searched_ids:
                owner = self.projects[project_id].owner + "'s " + self.projects[project_id].name \
                    + ("" if self.projects[project_id].alive else " (a DELETED project)") \
                    if project_id in self.projects else "an unknown project"
                self.problem(f"{where} is from {owner}, not a searched project")
                continue
            doc = self.projects[project_id].docs.get(path)
            if doc is None or doc.id != doc_id:
                known = self.docs.get(doc_id)
                if known is None:
                    why = "a document this test never wrote"
                elif not known.alive:
                    why = (f"DELETED document (was {self.projects[known.project].owner}'s "
                           f"{self.projects[known.project].name}:{known.path})")
                elif known.project != project_id:
                    why = f"another project's live document ({self.projects[known.project].name}:{known.path})"
                else:
                    why = f"a live document of this project shown under a stale path (now {known.path})"
                self.problem(f"{where} is not live there: {why}")
                continue
            allowed = " ".join(doc.seen)
            if hit.get("title", "").lower() not in allowed:
                self.problem(f"{where}: title {hit.get('title')!r} was never this document's")
            snippet = html.unescape(MARK.sub("", hit.get("snippet", ""))).lower()
            foreign = [w for w in e2e.WORD.findall(snippet) if w not in allowed]
            if foreign:
                self.problem(f"{where}: snippet words {foreign[:5]} were never in this document "
                             f"(snippet {hit.get('snippet', '')[:120]!r})")
            if via.endswith("semantic") and "semantic" not in (hit.get("matchedBy") or []) and meta.get("mode") == "semantic":
                self.problem(f"{where}: a semantic search's hit is not matchedBy semantic")

    def search(self, kind, user, project=None, mode=None, query=None, expect_vectors=False):
        mode = mode or self.rng.choice(MODES)
        query = query or self.query_text()
        limit = self.rng.choice([5, 10, 10, 20, 50])
        offset = self.rng.choice([0, 0, 0, 0, 5])
        session = self.users[user]["session"]
        self.begin(f"{user}: {kind} {mode} search {query!r} limit {limit} offset {offset}"
                   + (f" in {project.name}" if project else " across all projects"))
        self.counts["searches"] += 1
        if kind == "mcp":
            self.counts["mcp_searches"] += 1
            status, result, message = self.mcp(project, "search", {"query": query, "mode": mode, "limit": limit})
            if status != 200 or result is None or result.get("isError"):
                self.problem(f"MCP search: {status} {json.dumps(message)[:300]}")
            else:
                out = result.get("structuredContent") or {}
                self.check_hits(out.get("hits", []), [project], f"mcp {mode}", out)
                self.vectors_used(out, f"mcp {mode}", expect_vectors)
        else:
            params = {"q": query, "mode": mode, "limit": limit, "offset": offset}
            if kind == "global":
                self.counts["global_searches"] += 1
                searched = self.users[user]["projects"]
                auth = self.rng.choice([{"cookie": session}, {"token": session}])
                answer = self.api("GET", "/search?" + urllib.parse.urlencode(params), **auth)
            else:
                searched = [project]
                auth = self.rng.choice([{"key": project.key}, {"key": project.key}, {"token": project.key},
                                        {"cookie": session}])
                if kind == "post":
                    answer = self.api("POST", f"/projects/{project.id}/search", params, **auth)
                else:
                    answer = self.api("GET", f"/projects/{project.id}/search?" + urllib.parse.urlencode(params), **auth)
            payload = self.expect(answer, 200, f"{kind} search")
            if payload:
                self.check_hits(payload.get("data", []), searched, f"{kind} {mode}", payload.get("meta", {}))
                self.vectors_used(payload.get("meta", {}), f"{kind} {mode}", expect_vectors)
        self.end()

    def vectors_used(self, meta, via, expect_vectors):
        if not expect_vectors:
            return
        if meta.get("mode") != meta.get("requestedMode") or meta.get("fallbackReason"):
            self.problem(f"{via}: after the queue drained, ran as {meta.get('mode')} "
                         f"(fallbackReason {meta.get('fallbackReason')!r})")
        else:
            self.counts["semantic_on_vectors"] += 1

    def probe(self):
        """Another tenant's project with one's own key or session: 403 or 404, never data."""
        attacker = self.rng.choice(USERS)
        victim = self.rng.choice([p for p in self.projects.values() if p.owner != attacker and p.alive])
        own = self.rng.choice(self.users[attacker]["projects"])
        how = self.rng.choice(["key", "session"])
        auth = {"key": own.key} if how == "key" else {"cookie": self.users[attacker]["session"]}
        target = self.rng.choice(["search", "documents"])
        self.begin(f"{attacker} probes {victim.owner}'s {victim.name} /{target} with own {how}")
        self.counts["probes"] += 1
        path = f"/projects/{victim.id}/search?q=" + urllib.parse.quote(self.query_text()) if target == "search" \
            else f"/projects/{victim.id}/documents"
        status, payload, _ = self.api("GET", path, **auth)
        if status not in (403, 404):
            self.problem(f"GET {path}: expected 403 or 404, got {status}: {json.dumps(payload)[:300]}")
        self.end()

    # --- embeddings ----------------------------------------------------------------------------

    def drain(self, timeout=90):
        """Waits until every chunk of every project has a vector and every document is `ready`."""
        self.begin("wait for the embedding queue to drain")
        self.counts["drains"] += 1
        started = time.monotonic()
        while True:
            pending = {}
            for project in [p for p in self.projects.values() if p.alive]:
                status, payload, _ = self.api("GET", f"/projects/{project.id}",
                                              cookie=self.users[project.owner]["session"])
                if status != 200:
                    pending[project.name] = f"GET project {status}"
                    continue
                stats = payload["data"].get("stats", {})
                if stats.get("chunks") != stats.get("embeddedChunks") or stats.get("documents") != len(project.docs):
                    pending[project.name] = stats
            if not pending:
                break
            if time.monotonic() - started > timeout:
                self.problem(f"the embedding queue did not drain within {timeout} s: {pending}")
                self.end()
                return False
            time.sleep(0.1)
        for project in [p for p in self.projects.values() if p.alive]:
            offset, seen = 0, 0
            while True:
                status, payload, _ = self.api("GET", f"/projects/{project.id}/documents?limit=100&offset={offset}",
                                              key=project.key)
                if status != 200:
                    self.problem(f"list documents of {project.name}: {status}")
                    break
                for item in payload["data"]:
                    seen += 1
                    doc = project.docs.get(item["path"])
                    if doc is None or doc.id != item["id"]:
                        self.problem(f"{project.name} lists {item['path']} ({item['id']}), not a live document of the model")
                    elif item.get("embeddingStatus") != "ready":
                        self.problem(f"{project.name}:{item['path']} is {item.get('embeddingStatus')} after the queue drained")
                offset += len(payload["data"])
                if not payload["data"] or offset >= payload["meta"].get("total", 0):
                    break
            if seen != len(project.docs):
                self.problem(f"{project.name} lists {seen} documents, the model has {len(project.docs)}")
        self.end()
        return True

    def store_checks(self):
        self.begin("stored rows: consistency and the provenance of every vector")
        try:
            for p in e2e.store_consistency(self.database):
                self.problem(p)
            checked, problems = e2e.embedding_provenance(self.database, self.embedder)
            self.counts["vectors_checked"] += checked
            for p in problems:
                self.problem(p)
        except Exception as error:
            self.problem(f"could not read the store: {type(error).__name__}: {error}")
        self.end()

    def wait_ready(self, project, doc, timeout=60):
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            status, payload, _ = self.api("GET", f"/projects/{project.id}/documents/{doc.id}", key=project.key)
            if status == 200 and payload["data"].get("embeddingStatus") == "ready":
                return True
            time.sleep(0.05)
        self.problem(f"{project.name}:{doc.path} not embedded within {timeout} s")
        return False

    def after_drain(self):
        """Semantic and hybrid searches on vectors, through every door, then the stored-row checks."""
        for user in USERS:
            for project in self.users[user]["projects"]:
                if not project.docs:
                    continue
                for kind in ("get", "mcp"):
                    self.step += 1
                    self.search(kind, user, project, mode=self.rng.choice(["semantic", "hybrid"]), expect_vectors=True)
            self.step += 1
            if any(p.docs for p in self.users[user]["projects"]):
                self.search("global", user, mode="semantic", expect_vectors=True)
        self.store_checks()

    # --- the run -------------------------------------------------------------------------------

    def setup(self):
        for user in USERS:
            email = f"{user}@isolation.example"
            self.begin(f"register {user}")
            status, payload, headers = self.api("POST", "/auth/register",
                                                {"email": email, "password": f"{user}-password-long", "name": user})
            if status != 201:
                raise Failure(f"register {user}: {status} {json.dumps(payload)[:300]}")
            session = e2e.session_cookie(headers)
            self.users[user] = {"session": session, "projects": []}
            for number in range(1, PROJECTS_PER_USER + 1):
                self.new_project(user, f"{user}-{number}")

    def new_project(self, user, name):
        status, payload, _ = self.api("POST", "/projects", {"name": name}, cookie=self.users[user]["session"])
        if status != 201:
            raise Failure(f"create project {name}: {status} {json.dumps(payload)[:300]}")
        data = payload["data"]
        project = Project(user, data["id"], data["apiKey"], name)
        self.projects[project.id] = project
        self.users[user]["projects"].append(project)
        status, message = e2e.mcp_initialize(self.server.base, project.key)
        if status != 200 or "result" not in (message or {}):
            raise Failure(f"MCP initialize with {name}'s key: {status} {json.dumps(message)[:300]}")
        return project

    def replace_project(self, user):
        """The user deletes one of their projects (its documents go with it) and makes a new one."""
        old = self.rng.choice(self.users[user]["projects"])
        self.begin(f"{user} deletes project {old.name} ({len(old.docs)} documents) and creates another")
        if self.expect(self.api("DELETE", f"/projects/{old.id}", cookie=self.users[user]["session"]), 204,
                       "delete project") is not None:
            old.alive = False
            self.counts["projects_deleted"] += 1
            for doc in old.docs.values():
                doc.alive = False
            old.docs = {}
            self.users[user]["projects"].remove(old)
            self.dead_projects.append(old)
            self.project_serial += 1
            self.new_project(user, f"{user}-{self.project_serial}")
            status, payload, _ = self.api("GET", f"/projects/{old.id}/search?q=payment", key=old.key)
            if status != 401:
                self.problem(f"the deleted project's key still answers {status} on search")
            status, message = e2e.mcp_call(self.server.base, old.key, "tools/list", {})
            if status != 401:
                self.problem(f"the deleted project's key still answers {status} on /mcp")
        self.end()

    def known_leak_scenario(self):
        """Issue 12, item 2, step by step (numbered steps 1…)."""
        alice, bob = self.users["alice"]["projects"][0], self.users["bob"]["projects"][0]
        shared = "payment gateway webhook timeout retry backoff invoice billing"
        self.step += 1
        doc = self.create(alice, "notes/alice-secret.md", "Alice payment notes qalicezzz",
                          f"# Alice payment notes qalicezzz\n\n{shared} qalicezzz alice private ledger.\n")
        self.secrets.add("qalicezzz")
        self.step += 1
        self.begin("alice waits for her document's embedding")
        if doc:
            self.wait_ready(alice, doc)
        self.end()
        for mode in ("semantic", "hybrid"):
            # On vectors (so the project's vector index is loaded), as the reported leak needs.
            self.step += 1
            self.search("get", "alice", alice, mode=mode, query="payment webhook timeout", expect_vectors=True)
        if doc:
            self.step += 1
            self.delete(alice, doc)
        self.step += 1
        bob_doc = self.create(bob, "notes/bob-secret.md", "Bob payment notes qbobzzzzz",
                              f"# Bob payment notes qbobzzzzz\n\n{shared} qbobzzzzz bob private ledger.\n")
        self.secrets.add("qbobzzzzz")
        for ready in (False, True):
            if ready and bob_doc:
                self.step += 1
                self.begin("bob waits for his document's embedding")
                self.wait_ready(bob, bob_doc)
                self.end()
            for mode in ("semantic", "hybrid"):
                for kind in ("get", "post", "mcp", "global"):
                    self.step += 1
                    self.search(kind, "alice", alice if kind != "global" else None, mode=mode,
                                query="payment webhook timeout")

    def random_step(self):
        user = self.rng.choice(USERS)
        project = self.rng.choice(self.users[user]["projects"])
        live = list(project.docs.values())
        roll = self.rng.random()
        if roll < 0.17 or (not live and roll < 0.55):
            if self.create(project, auth=self.rng.choice(["key", "key", "session", "bearer-key"])) is None and live:
                self.update(project, self.rng.choice(live))
        elif roll < 0.55:
            if not live:
                return self.search("get", user, project)
            doc = self.rng.choice(live)
            kind = self.rng.random()
            if kind < 0.40:
                self.update(project, doc, auth=self.rng.choice(["key", "session"]))
            elif kind < 0.60:
                self.rename(project, doc)
            elif kind < 0.92:
                self.delete(project, doc, via="mcp" if self.rng.random() < 0.2 else "http")
            else:
                self.mcp_write(project)
        elif roll < 0.97:
            kind = self.rng.choice(["get", "get", "post", "global", "mcp"])
            self.search(kind, user, None if kind == "global" else project)
        elif roll < 0.995:
            self.probe()
        else:
            self.replace_project(user)

    def run(self):
        started = time.monotonic()
        self.setup()
        self.known_leak_scenario()
        scenario_steps = self.step
        stopped_early = False
        for number in range(1, self.steps + 1):
            if time.monotonic() - started > self.max_seconds:
                stopped_early = True
                print(f"isolation: STOPPED after {number - 1} of {self.steps} random steps: the "
                      f"{self.max_seconds} s budget (ISOLATION_MAX_SECONDS) ran out", file=sys.stderr)
                break
            self.step += 1
            self.random_step()
            if number % self.drain_every == 0:
                self.step += 1
                if self.drain():
                    self.after_drain()
        self.step += 1
        if self.drain():
            self.after_drain()
        return scenario_steps, stopped_early, time.monotonic() - started


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("sqlite", "postgres"):
        sys.exit("usage: isolation_property.py sqlite|postgres")
    backend = sys.argv[1]
    seed = int(os.environ.get("ISOLATION_SEED") or random.SystemRandom().randrange(1, 10**9))
    steps = int(os.environ.get("ISOLATION_STEPS", "2000"))
    drain_every = int(os.environ.get("ISOLATION_DRAIN_EVERY", "250"))
    max_seconds = float(os.environ.get("ISOLATION_MAX_SECONDS", "300"))
    print(f"isolation: {backend}, seed {seed} (ISOLATION_SEED={seed} repeats it), {steps} random steps",
          file=sys.stderr, flush=True)

    work = tempfile.mkdtemp(prefix=f"lore-isolation-{backend}-")
    binary = e2e.binary_copy(work)
    embedder = e2e.EmbeddingServer()
    database = e2e.Database(backend, work, "isolation")
    run = Run(backend, seed, steps, drain_every, max_seconds)
    run.embedder, run.database = embedder, database
    server = e2e.Server(binary, database.url, e2e.base_env(embedder.env()), work)
    run.server = server
    aborted = None
    elapsed = 0.0
    try:
        server.start()
        server.wait_ready()
        scenario_steps, stopped_early, elapsed = run.run()
    except (Failure, RuntimeError) as error:
        aborted = str(error)
        run.failed += 1
        run.failures.append((run.step, run.what, [aborted]))
        print(f"FAIL step {run.step} (seed {seed}, {backend}): {run.what}\n    {aborted}", file=sys.stderr)
    finally:
        server.kill()
        embedder.close()
        database.drop()
    counts = " ".join(f"{k}={v}" for k, v in run.counts.items())
    print(f"isolation: {backend}, seed {seed}: {run.step} steps in {elapsed:.0f} s; {counts}", file=sys.stderr)
    if run.failures:
        first = run.failures[0]
        print(f"isolation: {len(run.failures)} failing steps; first: step {first[0]}: {first[1]}: {first[2][0][:400]}",
              file=sys.stderr)
        print(f"isolation: server log and database kept in {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{run.passed} passed, {run.failed} failed")
    sys.exit(1 if run.failed else 0)


if __name__ == "__main__":
    main()
