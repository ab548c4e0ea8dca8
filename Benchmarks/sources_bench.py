"""Git sources (SPEC §11) under a realistic repository: how fast a first sync indexes it, and how soon
a one-file commit is searchable.

1. Generates a repository of FILES Markdown files (deterministic: seeded, 1–4 KB each, headings and
   paragraphs, spread over folders), commits it and pushes it to a bare repository.
2. Starts `lore serve` (LORE_BINARY, default .build/release/lore, copied first) on a new SQLite file,
   with LORE_EMBEDDER=none (default) or, with --embedder counting, the deterministic embeddings server
   of Tests/e2e/lore_e2e.py, which counts what it embeds.
3. Adds a source following the bare repository and times its first sync (POST → status idle at
   the head): seconds and documents per second. With --embedder counting, also until every chunk
   is embedded.
4. COMMITS times: appends a paragraph with a new word to one file, commits, pushes, calls the
   webhook (signed as GitHub signs it) and polls full-text search until the word is found at that
   file's path: commit → searchable, p50 / p95 / max. With --embedder counting: the embeddings
   computed for each one-file commit (ideally the file's changed chunks only).
Prints a Markdown table with the machine, the command and the date (and one JSON line of figures
with --json).

    python3 Benchmarks/sources_bench.py [--files 10000] [--commits 20] [--embedder none|counting] [--json]
"""
import argparse, datetime, hashlib, hmac, json, os, platform, random, shutil, statistics, sys
import tempfile, time, urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "Tests", "e2e"))
import lore_e2e as e2e  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ten", "ra", "vo", "shi", "pe", "dan", "gu", "bel", "tor", "ny", "zu", "quin",
             "mar", "sol", "fi", "ret", "cal", "dro", "ven", "the", "ix", "om", "par", "lu", "sen", "gra", "ho"]
COMMON = ["the", "service", "request", "deploy", "token", "cluster", "database", "queue", "release", "config",
          "user", "error", "retry", "cache", "index", "search", "schema", "backup", "metric", "alert", "team",
          "review", "build", "test", "page", "guide", "step", "value", "limit", "timeout", "network", "storage"]


def say(message):
    print(f"sources-bench: {message}", file=sys.stderr, flush=True)


git = e2e.git


def generate(clone, files, seed):
    """FILES Markdown files of 1–4 KB in the clone; returns ({path: size}, total bytes)."""
    rng = random.Random(seed)
    vocabulary = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(4000)})

    def sentence():
        words = [rng.choice(COMMON if rng.random() < 0.4 else vocabulary) for _ in range(rng.randint(6, 16))]
        return " ".join(words).capitalize() + "."

    sizes, total = {}, 0
    sections = [f"{rng.choice(vocabulary)}-{i:02d}" for i in range(40)]
    for i in range(files):
        folder = f"{sections[i % len(sections)]}/{rng.choice(['guides', 'reference', 'runbooks', 'adr', 'notes'])}"
        path = f"{folder}/{rng.choice(vocabulary)}-{i:05d}.md"
        target = rng.randint(1024, 4096)
        parts = [f"# {rng.choice(vocabulary).capitalize()} {rng.choice(COMMON)} {i}\n"]
        size = len(parts[0])
        while size < target:
            if rng.random() < 0.25:
                block = f"\n## {rng.choice(COMMON).capitalize()} {rng.choice(vocabulary)}\n"
            elif rng.random() < 0.1:
                block = "\n```sh\n" + f"lore {rng.choice(COMMON)} --{rng.choice(vocabulary)} {rng.randint(1, 999)}\n" + "```\n"
            else:
                block = "\n" + " ".join(sentence() for _ in range(rng.randint(2, 5))) + "\n"
            if size + len(block) > 4096 and size >= 1024:
                break
            parts.append(block)
            size += len(block)
        text = "".join(parts)
        full = os.path.join(clone, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
        sizes[path] = len(text.encode())
        total += sizes[path]
    return sizes, total


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} × {model} (nproc {os.cpu_count()}){memory}, {platform.system()} {platform.release()}"


class Counting(e2e.EmbeddingServer):
    def __init__(self):
        super().__init__(remember=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--embedder", choices=["none", "counting"], default="none")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if shutil.which("git") is None:
        sys.exit("sources-bench: git not found")

    source_binary = os.environ.get("LORE_BINARY") or os.path.join(REPO, ".build", "release", "lore")
    if not os.access(source_binary, os.X_OK):
        sys.exit(f"sources-bench: no lore binary at {source_binary}: build it (swift build -c release) or set LORE_BINARY")
    work = tempfile.mkdtemp(prefix="lore-sources-bench-")
    binary = os.path.join(work, "lore")
    shutil.copy2(source_binary, binary)
    embedder = Counting() if args.embedder == "counting" else None
    server = None
    figures = {"files": args.files, "commits": args.commits, "embedder": args.embedder}
    try:
        # 1. The repository.
        bare, clone = os.path.join(work, "origin.git"), os.path.join(work, "clone")
        git("init", "-q", "--bare", "-b", "main", bare)
        git("init", "-q", "-b", "main", clone)
        git("remote", "add", "origin", bare, cwd=clone)
        started = time.monotonic()
        sizes, total = generate(clone, args.files, args.seed)
        git("add", "-A", cwd=clone)
        git("commit", "-q", "-m", "the handbook", cwd=clone)
        git("push", "-q", "origin", "main", cwd=clone)
        head = git("rev-parse", "HEAD", cwd=clone)
        figures["repository_bytes"] = total
        figures["generate_s"] = round(time.monotonic() - started, 1)
        say(f"repository: {args.files} files, {total / 1e6:.1f} MB, made in {figures['generate_s']} s")

        # 2. The server.
        database = e2e.Database("sqlite", work)
        extra = {"LORE_SOURCES_DIR": os.path.join(work, "mirrors"), "LORE_LOG_LEVEL": "error"}
        extra.update(embedder.env() if embedder else {"LORE_EMBEDDER": "none"})
        server = e2e.Server(binary, database.url, e2e.base_env(extra), work)
        server.start()
        server.wait_ready()
        api = server.api
        status, payload, headers = e2e.call(api, "POST", "/auth/register",
                                            {"email": "bench@example.com", "password": "bench password", "name": "Bench"})
        cookie = e2e.session_cookie(headers)
        status, payload, _ = e2e.call(api, "POST", "/projects", {"name": "Handbook"}, cookie=cookie)
        if status != 201:
            sys.exit(f"sources-bench: create project: {status} {payload}")
        project_id, key = payload["data"]["id"], payload["data"]["apiKey"]

        def source_state(source_id):
            status, payload, _ = e2e.call(api, "GET", f"/projects/{project_id}/sources/{source_id}", key=key)
            if status != 200:
                sys.exit(f"sources-bench: GET source: {status} {payload}")
            return payload["data"]

        # 3. The first sync.
        started = time.monotonic()
        status, payload, _ = e2e.call(api, "POST", f"/projects/{project_id}/sources",
                                      {"kind": "git", "url": bare, "intervalSeconds": 604800}, cookie=cookie)
        if status != 201:
            sys.exit(f"sources-bench: add the source: {status} {payload}")
        source_id, secret = payload["data"]["id"], payload["data"]["webhookSecret"]
        while True:
            state = source_state(source_id)
            if state["status"] == "idle" and state["lastCommit"] == head:
                break
            if state["status"] == "error":
                sys.exit(f"sources-bench: the first sync failed: {state['lastError']}")
            if time.monotonic() - started > 3600:
                sys.exit(f"sources-bench: the first sync did not end within an hour: {state}")
            time.sleep(0.2)
        first = time.monotonic() - started
        figures["first_sync_s"] = round(first, 2)
        figures["first_sync_documents"] = state["documents"]
        figures["first_sync_documents_per_s"] = round(state["documents"] / first, 1)
        say(f"first sync: {state['documents']} documents in {first:.1f} s ({state['documents'] / first:.0f}/s)")
        if state["documents"] != args.files:
            say(f"WARNING: the source holds {state['documents']} documents for {args.files} files")

        if embedder:
            # Every chunk embedded: the project's stats say so.
            while True:
                status, payload, _ = e2e.call(api, "GET", f"/projects/{project_id}", cookie=cookie)
                stats = payload["data"].get("stats", {})
                chunks, embedded = stats.get("chunks"), stats.get("embeddedChunks")
                if chunks and embedded is not None and embedded >= chunks:
                    break
                if time.monotonic() - started > 7200:
                    sys.exit(f"sources-bench: not all chunks embedded after two hours: {stats}")
                time.sleep(0.5)
            figures["first_sync_embedded_s"] = round(time.monotonic() - started, 1)
            figures["chunks"] = chunks
            figures["embeddings_first_sync"] = embedder.inputs
            say(f"every chunk embedded {figures['first_sync_embedded_s']} s after the source was added "
                f"({chunks} chunks, {embedder.inputs} embeddings computed)")

        # 4. One-file commits.
        rng = random.Random(args.seed + 1)
        paths = sorted(sizes)
        latencies, sync_only, embedded_per_commit = [], [], []
        for number in range(args.commits):
            path = rng.choice(paths)
            word = "zz" + hashlib.sha1(f"bench-{args.seed}-{number}".encode()).hexdigest()[:10].translate(
                str.maketrans("0123456789", "ghijklmnop"))
            before_inputs = embedder.inputs if embedder else 0
            with open(os.path.join(clone, path), "a") as f:
                f.write(f"\n## Change {number}\n\nThis paragraph was added by commit {number}: {word}.\n")
            started = time.monotonic()
            git("commit", "-q", "-am", f"change {number}", cwd=clone, tick=number + 1)
            git("push", "-q", "origin", "main", cwd=clone)
            head = git("rev-parse", "HEAD", cwd=clone)
            raw = json.dumps({"ref": "refs/heads/main", "after": head, "repository": {"full_name": "bench/handbook"}}).encode()
            signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
            status, payload = raw_post(api + f"/projects/{project_id}/sources/{source_id}/sync", raw,
                                       {"Content-Type": "application/json", "X-GitHub-Event": "push",
                                        "X-Hub-Signature-256": signature})
            if status != 202:
                sys.exit(f"sources-bench: webhook answered {status}: {payload}")
            hooked = time.monotonic()
            query = urllib.parse.urlencode({"q": word, "mode": "fulltext", "limit": 5})
            while True:
                status, payload, _ = e2e.call(api, "GET", f"/projects/{project_id}/search?{query}", key=key)
                if status == 200 and any(h["path"] == path for h in payload["data"]):
                    break
                if time.monotonic() - started > 300:
                    sys.exit(f"sources-bench: commit {number} not searchable within 300 s: {source_state(source_id)}")
                time.sleep(0.02)
            found = time.monotonic()
            latencies.append(found - started)
            sync_only.append(found - hooked)
            if embedder:
                # The changed document embedded, and the embedder quiet.
                while True:
                    status, payload, _ = e2e.call(api, "GET", f"/projects/{project_id}", cookie=cookie)
                    stats = payload["data"].get("stats", {})
                    if stats.get("embeddedChunks") is not None and stats["embeddedChunks"] >= stats.get("chunks", 0):
                        quiet = embedder.inputs
                        time.sleep(0.5)
                        if embedder.inputs == quiet:
                            break
                    time.sleep(0.1)
                embedded_per_commit.append(embedder.inputs - before_inputs)
            say(f"commit {number + 1}/{args.commits}: {path} searchable {latencies[-1]:.2f} s after the commit"
                + (f", {embedded_per_commit[-1]} embedding(s)" if embedder else ""))
        figures["commit_to_searchable_s"] = {
            "p50": round(statistics.median(latencies), 3), "p95": round(percentile(latencies, 0.95), 3),
            "max": round(max(latencies), 3), "min": round(min(latencies), 3)}
        figures["webhook_to_searchable_s"] = {
            "p50": round(statistics.median(sync_only), 3), "p95": round(percentile(sync_only, 0.95), 3)}
        if embedder:
            figures["embeddings_per_commit"] = {"mean": round(statistics.mean(embedded_per_commit), 2),
                                                "max": max(embedded_per_commit), "all": embedded_per_commit}
    finally:
        if server:
            server.kill()
        if embedder:
            embedder.close()
        if args.keep:
            say(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    command = os.environ.get("LORE_BENCH_COMMAND") or "python3 Benchmarks/sources_bench.py " + " ".join(sys.argv[1:])
    lines = [
        f"### Git source sync — {datetime.date.today().isoformat()}",
        "",
        f"Machine: {machine()}. Command: `{command.strip()}`. Store: SQLite; embedder: "
        + ("the deterministic counting server (Tests/e2e/lore_e2e.py)" if embedder else "none") + ".",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| repository | {args.files:,} Markdown files, {figures['repository_bytes'] / 1e6:.1f} MB (1–4 KB each, headings) |",
        f"| first sync (source added → idle at the head) | {figures['first_sync_s']:.1f} s, "
        f"{figures['first_sync_documents_per_s']:,.0f} documents/s ({figures['first_sync_documents']:,} documents) |",
    ]
    if embedder:
        lines.append(f"| first sync, until every chunk is embedded | {figures['first_sync_embedded_s']:.1f} s "
                     f"({figures['chunks']:,} chunks) |")
    c = figures["commit_to_searchable_s"]
    lines += [
        f"| one-file commit → searchable (commit, push, webhook, sync, full-text hit), {args.commits} commits | "
        f"p50 {c['p50']:.2f} s, p95 {c['p95']:.2f} s (min {c['min']:.2f}, max {c['max']:.2f}) |",
        f"| webhook → searchable | p50 {figures['webhook_to_searchable_s']['p50']:.2f} s, "
        f"p95 {figures['webhook_to_searchable_s']['p95']:.2f} s |",
    ]
    if embedder:
        e = figures["embeddings_per_commit"]
        lines.append(f"| embeddings recomputed per one-file commit | mean {e['mean']}, max {e['max']} |")
    print("\n".join(lines))
    if args.json:
        print(json.dumps(figures))


def raw_post(url, raw, headers):
    import urllib.error, urllib.request
    request = urllib.request.Request(url, data=raw, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, body[:300]


if __name__ == "__main__":
    main()
