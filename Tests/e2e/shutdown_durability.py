"""Crash durability of `lore serve`, on SQLite or PostgreSQL.

1. SIGTERM during a bulk import: two threads write batches through POST /documents/bulk, SIGTERM
   arrives while they run; every document a 200 acknowledged is stored, the stored rows agree
   (SQLite: integrity_check, one FTS row per chunk; PostgreSQL: chunks in their document's project).
2. SIGKILL during concurrent writes, ROUNDS times: WRITERS threads create (POST), update (PUT),
   delete (DELETE) and bulk-upsert documents, each over paths of its own, recording every attempt
   and every acknowledgement (2xx); the server is SIGKILLed at a random moment, the stored rows are
   checked with the server dead, the server restarts, and every path must then hold the state of its
   last acknowledged write or of a write attempted after it (never an older one: no acknowledged
   write lost, an acknowledged delete stays deleted), with that write's version. After the last
   round the server runs until the embedding queue drains (every chunk embedded, every document
   `ready`; the embedder is a deterministic OpenAI-compatible server in this process), every stored
   vector must have been computed from its own chunk's text, and SIGTERM must stop it with 0.
Prints the figures as one JSON line; exits non-zero with the reasons on any failure.

Usage: shutdown_durability.py LORE_BINARY WORKDIR [sqlite|postgres]
Environment: SHUTDOWN_ROUNDS (default 8 on SQLite, 5 on PostgreSQL), SHUTDOWN_WRITERS (4),
SHUTDOWN_SEED (default random, printed), SHUTDOWN_DRAIN_SECONDS (how long the queue may take to drain
after the last restart: 90, as the claims of a killed instance wait out their 30 s lease,
EmbeddingClaim.lease), LORE_TEST_POSTGRES_URL (postgres).
"""
import json, os, random, shutil, signal, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lore_e2e as e2e  # noqa: E402

lore, work = sys.argv[1], sys.argv[2]
backend = sys.argv[3] if len(sys.argv) > 3 else "sqlite"
if backend not in ("sqlite", "postgres"):
    sys.exit("usage: shutdown_durability.py LORE_BINARY WORKDIR [sqlite|postgres]")
rounds = int(os.environ.get("SHUTDOWN_ROUNDS") or (8 if backend == "sqlite" else 5))
writers = int(os.environ.get("SHUTDOWN_WRITERS") or 4)
# Both stores lease claimed chunks for 30 s: a killed instance's claims wait that long.
drain_limit = float(os.environ.get("SHUTDOWN_DRAIN_SECONDS") or 90)
seed = int(os.environ.get("SHUTDOWN_SEED") or random.SystemRandom().randrange(1, 10**9))
rng = random.Random(seed)
tag = f"shutdown ({backend}, seed {seed})"


def say(message):
    print(f"shutdown: {message}", file=sys.stderr, flush=True)


failures = []


def fail(message):
    failures.append(message)
    say(f"FAILED: {message}")


binary = os.path.join(work, "lore")
shutil.copy2(lore, binary)
embedder = e2e.EmbeddingServer()
database = e2e.Database(backend, work, "durable")
env = e2e.base_env(embedder.env())
env["LORE_LOG_LEVEL"] = "error"
server = e2e.Server(binary, database.url, env, work)


def run(*args, stdin=None):
    return subprocess.run([binary, *args, "--database", database.url], env=env, input=stdin, capture_output=True,
                          text=True, check=True).stdout


def store_problems(when):
    try:
        for problem in e2e.store_consistency(database):
            fail(f"{when}: {problem}")
    except Exception as error:
        fail(f"{when}: could not check the store: {type(error).__name__}: {error}")


figures = {"backend": backend, "seed": seed}
try:
    run("users", "create", "--email", "durable@example.com", "--name", "D", "--password-stdin",
        stdin="long enough password\n")
    project = json.loads(run("projects", "create", "--owner", "durable@example.com", "--name", "Durable", "--json"))
    key = project["apiKey"]
    docs = f"/projects/{project['id']}/documents"

    def api(method, path, body=None, timeout=30):
        return e2e.call(server.api, method, path, body, key=key, timeout=timeout)

    # --- 1. SIGTERM during a bulk import ------------------------------------------------------------
    server.start()
    server.wait_ready()
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()

    def bulk_writer(name):
        batch = 0
        while not stop.is_set():
            paths = [f"term/{name}/{batch}/{i}.md" for i in range(50)]
            body = {"mode": "upsert", "documents": [{"path": p, "content": f"# {p}\nlighthouse keeper {p}"} for p in paths]}
            try:
                status, payload, _ = api("POST", f"{docs}/bulk", body, timeout=10)
            except OSError:
                return  # the server is going away: whatever was not answered was not acknowledged
            if status != 200:
                return
            with lock:
                acknowledged.extend(item["path"] for item in payload["data"] if item["status"] != "error")
            batch += 1

    threads = [threading.Thread(target=bulk_writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    code = server.terminate(timeout=20)
    stop.set()
    for thread in threads:
        thread.join()
    if code is None:
        fail("SIGTERM: lore serve did not exit within 20 s")
    stored = {row[0] for row in database.query("SELECT path FROM document WHERE path LIKE 'term/%'")}
    missing = [p for p in acknowledged if p not in stored]
    if not acknowledged:
        fail("SIGTERM: no bulk batch was acknowledged before SIGTERM")
    if missing:
        fail(f"SIGTERM: {len(missing)} acknowledged documents are missing, e.g. {missing[:3]}")
    store_problems("after SIGTERM")
    figures["sigterm"] = {"exit_code": code, "acknowledged": len(acknowledged), "missing": len(missing)}
    say(f"SIGTERM during import: exit code {code}; {len(acknowledged)} acknowledged documents, {len(missing)} missing")

    # --- 2. SIGKILL during concurrent writes, repeated --------------------------------------------------
    ABSENT = None

    class Path:
        """One path's history: attempts in order, each (state, acknowledged, version)."""

        def __init__(self, name):
            self.name, self.events, self.doc_id, self.exists, self.version = name, [], None, False, None

        def allowed(self):
            """The states the store may hold: that of the last acknowledged event or of any later attempt."""
            last = max((i for i, e in enumerate(self.events) if e["acked"]), default=None)
            if last is None:
                return [ABSENT] + [e["state"] for e in self.events], None
            return [e["state"] for e in self.events[last:]], self.events[last]

    paths = {}
    totals = {"acked": 0, "acked_create": 0, "acked_update": 0, "acked_delete": 0, "acked_bulk_items": 0,
              "unacknowledged_attempts": 0}
    totals_lock = threading.Lock()
    sequence = [0]

    def content_for(path):
        with totals_lock:
            sequence[0] += 1
            n = sequence[0]
        words = " ".join(rng.choice(["lighthouse", "keeper", "harbour", "storm", "beacon", "tide", "ledger",
                                     "anchor"]) for _ in range(12))
        return f"# {path}\n\nwrite {n}: {words} marker{n}\n"

    def count(kind, acked):
        with totals_lock:
            if acked:
                totals["acked"] += 1
                totals[f"acked_{kind}"] += 1

    def writer(number, stop, thread_rng):
        own = [paths[f"kill/w{number}/{i}.md"] for i in range(40)]
        bulk = [paths[f"kill/w{number}/bulk/{i}.md"] for i in range(60)]
        while not stop.is_set():
            try:
                if thread_rng.random() < 0.12:
                    chosen = thread_rng.sample(bulk, thread_rng.randint(5, 25))
                    events = []
                    for p in chosen:
                        event = {"state": content_for(p.name), "acked": False, "version": None}
                        p.events.append(event)
                        events.append((p, event))
                    status, payload, _ = api("POST", f"{docs}/bulk", {"mode": "upsert", "documents": [
                        {"path": p.name, "content": e["state"]} for p, e in events]})
                    if status != 200:
                        fail(f"bulk upsert answered {status}: {json.dumps(payload)[:200]}")
                        return
                    for (p, event), item in zip(events, payload["data"]):
                        if item.get("status") in ("created", "updated", "unchanged") and item.get("path") == p.name:
                            event["acked"], event["version"] = True, item["document"]["version"]
                            p.doc_id, p.exists, p.version = item["document"]["id"], True, item["document"]["version"]
                            count("bulk_items", True)
                        else:
                            count("bulk_items", False)
                    continue
                p = thread_rng.choice(own)
                if not p.exists:
                    event = {"state": content_for(p.name), "acked": False, "version": None}
                    p.events.append(event)
                    status, payload, _ = api("POST", docs, {"path": p.name, "content": event["state"]})
                    if status == 201:
                        event["acked"], event["version"] = True, payload["data"]["version"]
                        p.doc_id, p.exists, p.version = payload["data"]["id"], True, payload["data"]["version"]
                    elif status == 409:  # an unacknowledged create of an earlier round landed
                        status, payload, _ = api("GET", f"{docs}/by-path?path={p.name}")
                        if status != 200:
                            fail(f"{p.name}: POST said 409 but GET by-path said {status}")
                            return
                        p.doc_id, p.exists, p.version = payload["data"]["id"], True, payload["data"]["version"]
                    else:
                        fail(f"create {p.name} answered {status}: {json.dumps(payload)[:200]}")
                        return
                    count("create", event["acked"])
                elif thread_rng.random() < 0.15:
                    event = {"state": ABSENT, "acked": False, "version": None}
                    p.events.append(event)
                    status, payload, _ = api("DELETE", f"{docs}/{p.doc_id}")
                    if status in (204, 404):  # 404: an unacknowledged delete of an earlier round landed
                        event["acked"] = status == 204
                        p.exists, p.doc_id = False, None
                    else:
                        fail(f"delete {p.name} answered {status}: {json.dumps(payload)[:200]}")
                        return
                    count("delete", event["acked"])
                else:
                    event = {"state": content_for(p.name), "acked": False, "version": None}
                    p.events.append(event)
                    status, payload, _ = api("PUT", f"{docs}/{p.doc_id}", {"content": event["state"], "version": p.version})
                    if status == 200:
                        event["acked"], event["version"] = True, payload["data"]["version"]
                        p.version = payload["data"]["version"]
                    elif status == 404:  # an unacknowledged delete landed: create next time
                        p.exists, p.doc_id = False, None
                    else:
                        fail(f"update {p.name} answered {status}: {json.dumps(payload)[:200]}")
                        return
                    count("update", event["acked"])
            except OSError:
                return  # the server died: this thread's in-flight write stays unacknowledged

    for number in range(writers):
        for i in range(40):
            paths[f"kill/w{number}/{i}.md"] = Path(f"kill/w{number}/{i}.md")
        for i in range(60):
            paths[f"kill/w{number}/bulk/{i}.md"] = Path(f"kill/w{number}/bulk/{i}.md")

    def verify(when):
        """Every path against its history, through the API of the running server."""
        lost = []
        for p in paths.values():
            if not p.events:
                continue
            status, payload, _ = api("GET", f"{docs}/by-path?path={p.name}")
            if status == 200:
                state, version = payload["data"]["content"], payload["data"]["version"]
            elif status == 404:
                state, version = ABSENT, None
            else:
                fail(f"{when}: GET by-path {p.name} answered {status}")
                continue
            allowed, acked = p.allowed()
            if state not in allowed:
                lost.append(f"{p.name}: holds {('version %s %r' % (version, state[:40])) if state else 'nothing'}, "
                            f"the last acknowledged write was "
                            f"{('version %s %r' % (acked['version'], acked['state'][:40])) if acked and acked['state'] else 'a delete'}")
            elif acked is not None and state is not ABSENT and state == acked["state"] and acked["version"] is not None \
                    and version != acked["version"]:
                lost.append(f"{p.name}: holds the acknowledged content at version {version}, acknowledged as {acked['version']}")
            # What the store holds is now the truth the writers continue from.
            p.exists = state is not ABSENT
            p.doc_id = payload["data"]["id"] if state is not ABSENT else None
            p.version = version
        if lost:
            fail(f"{when}: {len(lost)} paths lost an acknowledged write, e.g. {lost[:3]}")
        return len(lost)

    round_figures, lost_total = [], 0
    for number in range(1, rounds + 1):
        server.start()
        ready_s = server.wait_ready(timeout=120)
        lost_total += verify(f"round {number}, after restart")
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(w, stop, random.Random(rng.random()))) for w in range(writers)]
        before = totals["acked"]
        for thread in threads:
            thread.start()
        delay = rng.uniform(0.3, 6.0)
        time.sleep(delay)
        alive = server.alive()
        server.kill()  # SIGKILL
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        if not alive:
            fail(f"round {number}: lore serve died before the SIGKILL (exit code {server.process.returncode}):\n"
                 + server.tail())
        store_problems(f"round {number}, after SIGKILL")
        round_figures.append({"ready_s": round(ready_s, 2), "killed_after_s": round(delay, 2),
                              "acked": totals["acked"] - before})
        say(f"round {number}: ready in {ready_s:.2f} s, SIGKILL after {delay:.2f} s, "
            f"{totals['acked'] - before} writes acknowledged")

    # --- after the last round: verify, drain the embedding queue, stop cleanly ------------------------
    server.start()
    figures["final_ready_s"] = round(server.wait_ready(timeout=120), 2)
    lost_total += verify("after the last restart")
    started, stats = time.monotonic(), None
    while True:
        status, payload, _ = api("GET", f"{docs}?limit=100&offset=0")
        total = payload["meta"]["total"] if status == 200 else None
        pending = []
        for offset in range(0, total or 0, 100):
            status, payload, _ = api("GET", f"{docs}?limit=100&offset={offset}")
            pending += [d["path"] for d in payload["data"] if d["embeddingStatus"] != "ready"]
        if total is not None and not pending:
            break
        if time.monotonic() - started > drain_limit:
            fail(f"the embedding queue did not drain within {drain_limit:.0f} s of the last restart: {len(pending)} "
                 f"documents not ready, e.g. {pending[:3]}")
            break
        time.sleep(0.25)
    figures["drain_s"] = round(time.monotonic() - started, 2)
    try:
        checked, problems = e2e.embedding_provenance(database, embedder)
        figures["vectors_checked"] = checked
        for problem in problems:
            fail(f"after the drain: {problem}")
        if backend == "sqlite":
            queued = database.query("SELECT count(*) FROM chunk WHERE embedding IS NULL")[0][0]
        else:
            queued = database.query("SELECT count(*) FROM chunk WHERE embedding IS NULL")[0][0]
        if str(queued) != "0" and not any("did not drain" in f for f in failures):
            fail(f"after the drain: {queued} chunks still have no vector")
    except Exception as error:
        fail(f"could not check the vectors: {type(error).__name__}: {error}")
    code = server.terminate(timeout=20)
    if code != 0:
        fail(f"SIGTERM after the rounds: exit code {code}")
    store_problems("after the final SIGTERM")
    totals["unacknowledged_attempts"] = sum(1 for p in paths.values() for e in p.events if not e["acked"])
    figures.update(rounds=rounds, writers=writers, acknowledged=totals, lost=lost_total, per_round=round_figures,
                   documents=len([p for p in paths.values() if p.exists]))
    say(f"SIGKILL: {rounds} rounds, {totals['acked']} acknowledged writes ({totals['acked_create']} creates, "
        f"{totals['acked_update']} updates, {totals['acked_delete']} deletes, {totals['acked_bulk_items']} bulk items), "
        f"{totals['unacknowledged_attempts']} unacknowledged attempts, lost={lost_total}; "
        f"queue drained in {figures['drain_s']} s; {figures.get('vectors_checked')} vectors checked")
except (RuntimeError, subprocess.CalledProcessError, OSError, KeyError, TypeError) as error:
    detail = getattr(error, "stderr", "") or ""
    fail(f"{type(error).__name__}: {error} {detail}\n{server.tail()}")
finally:
    server.kill()
    embedder.close()
    database.drop()

if failures:
    say(f"{tag}: {len(failures)} failures; server log in {server.log_path}")
    print(json.dumps(figures))
    sys.exit(1)
print(json.dumps(figures))
