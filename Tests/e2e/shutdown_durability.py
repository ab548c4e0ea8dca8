"""SIGTERM during a bulk import loses no acknowledged document.

Starts `lore serve`, writes batches of documents through POST /documents/bulk from two threads,
sends SIGTERM while they run, and then checks, on the database the server left behind, that every
document a 200 acknowledged is stored and findable, and that SQLite's integrity check passes.
Usage: shutdown_durability.py LORE_BINARY WORKDIR
"""
import json, os, signal, socket, sqlite3, subprocess, sys, threading, time, urllib.request

lore, work = sys.argv[1], sys.argv[2]
env = dict(os.environ, LORE_DATABASE_URL=f"sqlite://{work}/lore.db", LORE_EMBEDDER="none",
           LORE_LOG_LEVEL="error", LORE_RATE_LIMIT_REQUESTS="1000000")

def run(*args, stdin=None):
    return subprocess.run([lore, *args], env=env, input=stdin, capture_output=True, text=True, check=True).stdout

run("users", "create", "--email", "durable@example.com", "--name", "D", "--password-stdin", stdin="long enough password\n")
project = json.loads(run("projects", "create", "--owner", "durable@example.com", "--name", "Durable", "--json"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([lore, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}/api/v1/projects/{project['id']}"
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
        break
    except OSError:
        time.sleep(0.05)

acknowledged, lock, stop = [], threading.Lock(), threading.Event()

def writer(name):
    batch = 0
    while not stop.is_set():
        paths = [f"{name}/{batch}/{i}.md" for i in range(50)]
        body = json.dumps({"mode": "upsert", "documents": [
            {"path": p, "content": f"# {p}\nlighthouse keeper {p}"} for p in paths]}).encode()
        request = urllib.request.Request(f"{base}/documents/bulk", data=body, method="POST", headers={
            "Content-Type": "application/json", "X-API-Key": project["apiKey"]})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                items = json.load(response)["data"]
                with lock:
                    acknowledged.extend(item["path"] for item in items if item["status"] != "error")
        except Exception:
            return  # the server is going away: whatever was not answered was not acknowledged
        batch += 1

threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
for thread in threads:
    thread.start()
time.sleep(1.5)
server.send_signal(signal.SIGTERM)
try:
    code = server.wait(timeout=20)
except subprocess.TimeoutExpired:
    server.kill()
    sys.exit("shutdown: lore serve did not exit within 20 s of SIGTERM")
stop.set()
for thread in threads:
    thread.join()

db = sqlite3.connect(f"{work}/lore.db")
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity check failed"
stored = {row[0] for row in db.execute("SELECT path FROM document")}
missing = [p for p in acknowledged if p not in stored]
assert acknowledged, "no batch was acknowledged before SIGTERM"
assert not missing, f"{len(missing)} acknowledged documents are missing, e.g. {missing[:3]}"
indexed = db.execute("SELECT COUNT(*) FROM chunk_fts").fetchone()[0]
chunks = db.execute("SELECT COUNT(*) FROM chunk").fetchone()[0]
assert indexed == chunks, f"full-text index out of step: {indexed} entries for {chunks} chunks"
print(f"shutdown: exit code {code}; {len(acknowledged)} acknowledged documents all stored; integrity ok")
