#!/usr/bin/env python3
"""The console (SPEC §12) in a real browser: Debian's Chromium, driven by Playwright for Python,
against a real `lore serve` (SQLite or PostgreSQL) with the deterministic embeddings server.

  python3 Tests/e2e/console_e2e.py sqlite|postgres [--screenshots DIR] [--only journey,xss,...]

Parts (all by default):
  journey   register → project → read-only key → upload → coverage reaches 100% → search in each
            mode with the rank breakdown → edit, meet a version conflict from a second tab, keep
            mine → add a Git source made here and sync it → revoke the key, see it refused → status
            → sign out, sign in again with the keyboard only.
  xss       documents whose content, title, path and tags carry script tags, event handlers,
            javascript:/data: links and SVG payloads, opened in every view; the Markdown renderer
            over a battery of payloads in the page. A payload that ran would set window.__pwned or
            open a dialog; the CSP must report nothing.
  guards    a cross-site form post and fetch are refused; the page's security headers.
  layout    every page at 360 px: nothing wider than the screen; dark mode.

On every page of every part: axe-core finds no serious or critical violation, and the browser
console shows no error (a failed request the page expects and handles, such as the 409 of a version
conflict, is allowed only in the step that provokes it). With --screenshots, the main pages are
saved at desktop and phone widths.
"""
import argparse, http.server, os, re, shutil, sys, tempfile, threading, time, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lore_e2e as e2e  # noqa: E402

from playwright.sync_api import sync_playwright, expect  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 760}
PASSWORD = "console-password-1"
# Set before any page script runs: records CSP violations and dialogs a payload could open.
GUARD_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Browser:
    """One Chromium, its pages' console errors, dialogs and CSP reports, and the axe checks."""

    def __init__(self, playwright, base, screenshots):
        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if not executable:
            sys.exit("chromium not found: apt-get install chromium")
        self.browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                                  args=["--no-sandbox", "--disable-dev-shm-usage"])
        self.base = base
        self.screenshots = screenshots
        self.axe = Axe()
        self.errors = []           # unexpected console errors and page errors
        self.allowed = []          # regular expressions of failed requests the current step expects
        self.dialogs = []
        self.axe_checked = 0

    def context(self, **options):
        context = self.browser.new_context(base_url=self.base, viewport=options.pop("viewport", DESKTOP), **options)
        context.add_init_script(GUARD_SCRIPT)
        return context

    def watch(self, page):
        def on_console(message):
            if message.type != "error":
                return
            text = message.text
            if any(re.search(pattern, text) for pattern in self.allowed):
                return
            self.errors.append(f"console error on {page.url}: {text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error on {page.url}: {error}"))

        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    def new_page(self, context):
        return self.watch(context.new_page())

    def settle(self, page):
        page.wait_for_load_state("networkidle")

    def audit(self, page, label):
        """axe (no serious or critical violation), no console error so far, no CSP report, no dialog."""
        self.settle(page)
        results = self.axe.run(page)
        serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        self.axe_checked += 1
        check(not serious, f"axe on {label}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in serious))
        violations = page.evaluate("window.__cspViolations")
        check(not violations, f"CSP violations on {label}: {violations}")
        check(not self.errors, f"browser errors by {label}: {self.errors}")
        check(not self.dialogs, f"dialogs opened by {label}: {self.dialogs}")

    def shoot(self, page, name):
        if not self.screenshots:
            return
        self.settle(page)
        page.screenshot(path=os.path.join(self.screenshots, f"{name}.png"), full_page=False)

    def close(self):
        self.browser.close()


def api(server, method, path, body=None, key=None, cookie=None):
    return e2e.call(server.base, method, "/api/v1" + path, body=body, key=key, cookie=cookie)


# --- the journey -------------------------------------------------------------------------------

UPLOADS = {
    "tls.md": "# Rotating TLS certificates\n\nRenew the **certificate** before it expires; the ingress reloads it.\n\n"
              "## Steps\n\n1. Issue a new certificate\n2. Replace the secret\n3. Watch the handshake errors\n",
    "kafka.md": "# Kafka consumer lag\n\nWhen consumer lag grows, add partitions or consumers.\n\n"
                "| metric | alert |\n| --- | --- |\n| lag | > 10000 |\n",
    "oncall.md": "# On-call handbook\n\nPage the secondary after 15 minutes. See [the TLS guide](tls.md).\n",
    "redis.md": "# Redis hot keys\n\nA hot key saturates one shard; spread it with a suffix.\n",
    "backups.txt": "Backups run nightly at 02:00 and are kept for 30 days. Restore drills happen monthly.\n",
}


def journey(browser, server, work, backend):
    context = browser.context()
    page = browser.new_page(context)

    # Signed out: the sign-in page, with the way to register (LORE_REGISTRATION is on).
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in to Lore")).to_be_visible()
    browser.audit(page, "sign in")
    browser.shoot(page, "sign-in-desktop")
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    browser.audit(page, "register")
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(f"ada-{backend}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    expect(page.locator("main").get_by_text("No projects yet")).to_be_visible()

    # A project: its full-access key is shown once.
    page.get_by_label("Name").fill("Handbook")
    page.get_by_label("Description").fill("Operations handbook")
    page.get_by_role("button", name="Create project").click()
    full_key = page.get_by_role("textbox", name="API key of Handbook").input_value()
    check(full_key.startswith("lore_"), f"the project's key is shown once: {full_key!r}")
    browser.audit(page, "projects")
    browser.shoot(page, "projects-desktop")
    page.get_by_role("link", name="Open Handbook").click()
    expect(page.get_by_role("heading", name="Handbook", exact=True)).to_be_visible()
    project_id = page.url.split("/projects/")[1].split("/")[0].split("?")[0]
    check(re.fullmatch(r"[0-9a-f-]{36}", project_id), f"project id from the address: {project_id}")

    # A read-only key: the secret once, with a copy button; it reads and cannot write.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Keys").click()
    expect(page.get_by_role("heading", name="Keys of Handbook")).to_be_visible()
    page.get_by_label("Name").fill("reader")
    page.get_by_label("Read only: search and read documents").check()
    page.get_by_role("button", name="Create key").click()
    reader_key = page.get_by_role("textbox", name="Key “reader”").input_value()
    check(reader_key.startswith("lore_"), "the new key is shown")
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    expect(page.get_by_role("cell", name="read only")).to_be_visible()
    browser.audit(page, "keys")
    browser.shoot(page, "keys-desktop")
    status, _, _ = api(server, "GET", f"/projects/{project_id}/documents", key=reader_key)
    check(status == 200, f"the read-only key reads: {status}")
    status, _, _ = api(server, "POST", f"/projects/{project_id}/documents", {"path": "x.md", "content": "x"}, key=reader_key)
    check(status == 403, f"the read-only key cannot write: {status}")

    # Upload files into a folder; the tree shows them with counts.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Documents").click()
    expect(page.get_by_role("heading", name="Documents of Handbook")).to_be_visible()
    page.get_by_label("Files").set_input_files([
        {"name": name, "mimeType": "text/markdown" if name.endswith(".md") else "text/plain", "buffer": text.encode()}
        for name, text in UPLOADS.items()])
    page.get_by_label("Into folder").fill("ops")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("main").get_by_text(f"Uploaded: {len(UPLOADS)} created, 0 updated, 0 unchanged, 0 not stored.")).to_be_visible()
    expect(page.locator(".tree summary", has_text="ops/")).to_contain_text(f"({len(UPLOADS)})")
    browser.audit(page, "documents")

    # Coverage: the bar on the overview moves to 100% as the queue drains.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Overview").click()
    expect(page.locator("main").get_by_text(re.compile(r"Embedding coverage: 100% \("))).to_be_visible(timeout=60_000)
    progress = page.locator(".coverage progress")
    check(progress.get_attribute("value") == progress.get_attribute("max"), "the bar is full")
    browser.audit(page, "project overview")
    browser.shoot(page, "project-desktop")

    # Search in each mode; the hit explains itself.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Search").click()
    for mode, label, legs in [("fulltext", "Full text (words)", ["full text"]),
                              ("semantic", "Semantic (meaning)", ["meaning"]),
                              ("hybrid", "Hybrid (words and meaning)", ["full text", "meaning"])]:
        page.get_by_label("Query").fill("certificate handshake")
        page.get_by_label(label).check()
        page.get_by_role("button", name="Search", exact=True).click()
        names = {"fulltext": "full text", "semantic": "semantic", "hybrid": "hybrid"}
        expect(page.locator(".summary")).to_contain_text(f"ran as {names[mode]}")
        expect(page.locator(".summary")).to_contain_text(re.compile(r"took \d+\.\d ms"))
        first = page.locator(".hit").first
        expect(first.get_by_role("link")).to_have_text("Rotating TLS certificates")
        why = first.locator(".why").inner_text()
        for leg in legs:
            check(f"{leg} #" in why, f"{mode}: the hit's ranks name {leg}: {why!r}")
        check(why.startswith("Found by "), f"{mode}: matchedBy in words: {why!r}")
        if mode != "semantic":
            check(first.locator(".snippet mark").count() > 0, f"{mode}: the snippet marks the match")
        check("mode=" + mode in page.url, f"{mode}: the search is in the address ({page.url})")
        browser.audit(page, f"search {mode}")
    browser.shoot(page, "search-desktop")
    # Filters and paging: the folder filter keeps the hits inside it.
    page.locator("main").get_by_text("Fusion and filters").click()
    page.get_by_label("Fusion", exact=True).select_option("linear")
    expect(page.get_by_label("Semantic weight")).to_be_visible()
    page.get_by_label("Folder").fill("nowhere/")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".summary")).to_contain_text("0 documents match")
    page.get_by_label("Folder").fill("ops/")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".hit").first).to_be_visible()

    # Edit in place; a second tab saves first; the conflict is shown and resolved.
    page.goto(f"/#/projects/{project_id}/documents?path=ops/oncall.md")
    expect(page.get_by_role("heading", name="On-call handbook", level=2)).to_be_visible()
    article = page.locator("article.markdown")
    expect(article.get_by_role("link", name="the TLS guide")).to_have_attribute(
        "href", f"#/projects/{project_id}/documents?path=ops%2Ftls.md")
    browser.audit(page, "document view")
    browser.shoot(page, "document-desktop")
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Content (Markdown)").fill("# On-call handbook\n\nPage the secondary after 10 minutes (mine).\n")

    other = browser.new_page(context)
    other.goto(f"/#/projects/{project_id}/documents?path=ops/oncall.md")
    other.get_by_role("button", name="Edit").click()
    other.get_by_label("Content (Markdown)").fill("# On-call handbook\n\nPage the secondary after 5 minutes (theirs).\n")
    other.get_by_role("button", name="Save").click()
    expect(other.locator("article.markdown")).to_contain_text("5 minutes (theirs)")
    browser.audit(other, "second tab after saving")
    other.close()

    browser.allowed = [r"status of 409"]
    page.get_by_role("button", name="Save").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Someone saved version 2 while you were editing version 1.")
    expect(conflict.locator(".their-version")).to_contain_text("5 minutes (theirs)")
    check("10 minutes (mine)" in page.get_by_label("Content (Markdown)").input_value(), "my edit is kept in the editor")
    browser.audit(page, "version conflict")
    browser.allowed = []
    page.get_by_role("button", name="Keep mine (overwrite theirs)").click()
    expect(page.locator("article.markdown")).to_contain_text("10 minutes (mine)")
    expect(page.locator(".meta")).to_contain_text("version 3")
    status, body, _ = api(server, "GET", f"/projects/{project_id}/documents/by-path?path=ops/oncall.md", key=full_key)
    check(status == 200 and "(mine)" in body["data"]["content"] and body["data"]["version"] == 3,
          f"the server holds my version 3: {status} {body and body['data'].get('version')}")

    # A Git source made here: add it, sync now, its files become documents marked as from Git.
    repo = os.path.join(work, "handbook-repo")
    os.makedirs(os.path.join(repo, "runbooks"))
    for name, text in {"README.md": "# Team handbook\n\nHow we work.\n",
                       "runbooks/deploy.md": "# Deploy\n\nBlue-green deploys with a canary.\n",
                       "runbooks/rollback.md": "# Rollback\n\nRevert the release tag and redeploy.\n"}.items():
        with open(os.path.join(repo, name), "w") as f:
            f.write(text)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "handbook"]):
        e2e.git(*args, cwd=repo)
    head = e2e.git("rev-parse", "HEAD", cwd=repo)

    page.goto(f"/#/projects/{project_id}/sources")
    expect(page.get_by_role("heading", name="Sources of Handbook")).to_be_visible()
    expect(page.locator("main").get_by_text("No sources yet")).to_be_visible()
    page.get_by_label("Repository").fill(repo)
    page.get_by_label("Into folder").fill("team/")
    page.get_by_role("button", name="Add source").click()
    expect(page.get_by_role("textbox", name="Webhook secret")).to_be_visible()
    page.get_by_role("button", name="Sync now").click()
    source = page.locator("article.source")
    expect(source.locator(".facts")).to_contain_text(head[:12], timeout=60_000)
    expect(source.locator(".status")).to_have_text("Up to date", timeout=30_000)
    expect(source.locator(".facts")).to_contain_text("Documents3")
    browser.audit(page, "sources")
    browser.shoot(page, "sources-desktop")
    page.goto(f"/#/projects/{project_id}/documents?path=team/runbooks/deploy.md")
    expect(page.locator(".notice")).to_contain_text(f"From a Git source (commit {head[:12]}")
    expect(page.get_by_role("button", name="Edit")).to_be_disabled()
    expect(page.locator(".tree summary", has_text="team/")).to_contain_text("(3)")
    browser.audit(page, "document from git")

    # Revoke the read-only key: refused at once.
    page.goto(f"/#/projects/{project_id}/keys")
    page.get_by_role("button", name="Revoke reader").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Revoke reader?")
    browser.audit(page, "revoke dialog")
    dialog.get_by_role("button", name="Revoke key").click()
    expect(page.locator("main").get_by_text("No scoped keys yet")).to_be_visible()
    status, _, _ = api(server, "GET", f"/projects/{project_id}/documents", key=reader_key)
    check(status == 401, f"the revoked key is refused: {status}")

    # Status: ready, nothing waiting.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Status").click()
    expect(page.get_by_role("heading", name="Status")).to_be_visible()
    expect(page.locator(".stats")).to_contain_text("ready")
    expect(page.locator("main").get_by_text("Queue: 0 chunks wait for an embedding in your projects.")).to_be_visible()
    browser.audit(page, "status")
    browser.shoot(page, "status-desktop")

    # Sign out; sign in again with the keyboard only; a reload keeps the session.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Lore")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Sign in to Lore")).to_be_visible()
    page.keyboard.press("Tab")
    check(page.evaluate("document.activeElement.textContent") == "Skip to content", "the first Tab reaches the skip link")
    page.get_by_label("Email").focus()
    page.keyboard.type(f"ada-{backend}@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    outline = page.evaluate("""() => { const link = document.querySelector('.project-card a'); link.focus();
        return getComputedStyle(link).outlineStyle; }""")
    check(outline not in ("none", ""), f"focus is visible: outline {outline!r}")
    browser.audit(page, "projects after signing in again")

    context.close()
    return project_id, full_key


# --- XSS -------------------------------------------------------------------------------------------

HOSTILE_CONTENT = """# Payloads <script>window.__pwned = 'heading'</script>

<script>window.__pwned = 'script'</script>
<img src=x onerror="window.__pwned = 'img'">
<svg onload="window.__pwned = 'svg'"><script>window.__pwned = 'svg-script'</script></svg>
<iframe src="javascript:window.__pwned = 'iframe'"></iframe>
<a href="javascript:window.__pwned = 'raw-a'">raw anchor</a>
<details open ontoggle="window.__pwned = 'toggle'">x</details>

[js link](javascript:window.__pwned='link') and [upper](JAVASCRIPT:window.__pwned='upper')
[tab](java\tscript:window.__pwned='tab') and [entity](&#106;avascript:window.__pwned='entity')
[data](data:text/html,<script>window.__pwned='data'</script>) and [vb](vbscript:msgbox)
![image](javascript:window.__pwned='image') ![pixel](https://tracker.example/pixel.png)
<javascript:window.__pwned='autolink'> [proto](//evil.example/x)
**bold <b onmouseover="window.__pwned='bold'">x</b>** `code <script>window.__pwned='code'</script>`

```html
</code></pre><script>window.__pwned = 'fence'</script>
```

| a <img src=x onerror="window.__pwned='cell'"> | b |
| --- | --- |
| [cell](javascript:window.__pwned='cell-link') | <svg/onload=window.__pwned='cell-svg'> |

> <script>window.__pwned = 'quote'</script> &lt;script&gt;window.__pwned = 'entities'&lt;/script&gt;

- <img src=x onerror=window.__pwned='item'> payload item
"""

HOSTILE_DOCUMENTS = [
    {"path": "xss/content.md", "title": "Content payloads", "content": HOSTILE_CONTENT, "tags": ["payload"]},
    {"path": "xss/title.md", "title": "<img src=x onerror=\"window.__pwned='title'\"><script>window.__pwned='title'</script> payload",
     "content": "A payload in the title.", "tags": ["payload"]},
    {"path": "xss/tags.md", "title": "Tag payloads", "content": "A payload in the tags.",
     "tags": ["<script>window.__pwned='tag'</script>", "<svg onload=window.__pwned='tag'>", "payload"]},
    {"path": "xss/<img src=x onerror=window.__pwned='path'>.md", "title": "Path payload", "content": "A payload in the path.",
     "tags": ["payload"]},
    {"path": "xss/\"><svg onload=window.__pwned='quote-path'>.md", "title": "Quoted path payload",
     "content": "A payload in the path with quotes.", "tags": ["payload"]},
]

MARKDOWN_BATTERY = [
    "<script>window.__pwned='b1'</script>", "<img src=x onerror=window.__pwned='b2'>", "[a](javascript:alert(1))",
    "[a](  javascript:alert(1))", "[a](java\\nscript:alert(1))", "[a](\u0001javascript:alert(1))", "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](jav&#x09;ascript:alert(1))", "[a](vbscript:x)", "[a](file:///etc/passwd)", "[a](//evil.example)",
    "[a](https://ok.example/?q=<script>)", "[a](mailto:x@example.com)", "[<img src=x onerror=alert(1)>](https://ok.example)",
    "![x](javascript:alert(1))", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "```\n</pre><script>alert(1)</script>\n```", "`</code><script>alert(1)</script>`", "*<i onclick=alert(1)>x</i>*",
    "| <b onmouseover=alert(1)>h</b> |\n| - |\n| [c](javascript:alert(1)) |", "> [q](javascript:alert(1))",
    "- [ ] <input onfocus=alert(1) autofocus>", "[a](<javascript:alert(1)>)", "<a href=\"javascript:alert(1)\">x</a>",
    "[a](JaVaScRiPt:alert(1))", "[a](\tjavascript:alert(1))", "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<object data=\"javascript:alert(1)\">", "<base href=\"https://evil.example/\">", "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<form action=javascript:alert(1)><button>x</button></form>", "[x](#\"onmouseover=\"alert(1))", "**[x](javascript:alert(1))**",
    "[a](/\\evil.example)", "[a](\\\\evil.example)", "[a](java script:alert(1))", "[a](mailto:x@example.com?subject=<script>)",
]


def xss(browser, server, backend):
    context = browser.context()
    page = browser.new_page(context)
    email = f"mallory-{backend}@example.com"
    status, body, headers = api(server, "POST", "/auth/register", {"email": email, "password": PASSWORD, "name": "<img src=x onerror=window.__pwned='name'>"})
    check(status == 201, f"register: {status} {body}")
    cookie = e2e.session_cookie(headers)
    status, body, _ = api(server, "POST", "/projects", {"name": "<svg onload=window.__pwned='project'>"}, cookie=cookie)
    check(status == 201, f"project: {status} {body}")
    project_id, key = body["data"]["id"], body["data"]["apiKey"]
    stored = []
    for document in HOSTILE_DOCUMENTS:
        status, body, _ = api(server, "POST", f"/projects/{project_id}/documents", document, key=key)
        if status == 201:
            stored.append(document)
        else:
            check(status == 422, f"{document['path']!r}: refused with {status}, not a 422")
    check(len(stored) >= 3, f"the content, title and tag payloads are stored ({len(stored)})")

    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    browser.audit(page, "xss projects")
    page.goto(f"/#/projects/{project_id}/documents?folder=xss/")
    expect(page.locator(".tree")).to_be_visible()
    browser.audit(page, "xss tree")
    for document in stored:
        page.goto(f"/#/projects/{project_id}/documents?" + urllib.parse.urlencode({"path": document["path"]}))
        expect(page.locator("article.markdown")).to_be_visible()
        # Every link the view keeps is http(s), mailto or a console address; hover and click all of them.
        for link in page.locator("article.markdown a").all():
            href = link.get_attribute("href") or ""
            check(re.match(r"^(https?:|mailto:|#/projects/)", href), f"{document['path']}: a link kept {href!r}")
        for element in page.locator("article.markdown .link-removed, article.markdown code, article.markdown td").all():
            element.hover()
            element.click()
        assert_clean_dom(page, document["path"])
        browser.audit(page, f"xss view {document['path']}")
        page.get_by_role("button", name="Edit").click()
        expect(page.get_by_label("Content (Markdown)")).to_have_value(document["content"])
        page.get_by_role("button", name="Cancel").click()
    # The raw HTML is shown as the text it is.
    page.goto(f"/#/projects/{project_id}/documents?path=xss/content.md")
    expect(page.locator("article.markdown")).to_contain_text("<script>window.__pwned = 'script'</script>")
    # Search: snippets carry the payloads between <mark>s.
    for mode in ("fulltext", "hybrid"):
        page.goto(f"/#/projects/{project_id}/search?q=pwned+payload+script&mode={mode}")
        expect(page.locator(".hit").first).to_be_visible()
        expect(page.locator(".snippet mark").first).to_be_visible()
        assert_clean_dom(page, f"search {mode}")
        browser.audit(page, f"xss search {mode}")
    for path in ("", "/keys", "/sources"):
        page.goto(f"/#/projects/{project_id}{path}")
        page.locator("h1").wait_for()
        assert_clean_dom(page, f"project{path}")
        browser.audit(page, f"xss project{path}")

    # The renderer itself, over the battery, in the page.
    problems = page.evaluate("""async (battery) => {
      const { renderMarkdown } = await import('/console/markdown.js');
      const allowed = new Set(['P','H1','H2','H3','H4','H5','H6','PRE','CODE','BLOCKQUOTE','UL','OL','LI','HR','TABLE',
        'THEAD','TBODY','TR','TH','TD','DIV','A','SPAN','STRONG','EM','DEL','BR','INPUT']);
      const problems = [];
      for (const source of battery) {
        const box = document.createElement('div');
        box.append(renderMarkdown(source, { resolveLink: (href) => href }));
        for (const element of box.querySelectorAll('*')) {
          if (!allowed.has(element.tagName)) problems.push(`${JSON.stringify(source)} made <${element.tagName}>`);
          for (const attribute of element.attributes) {
            if (/^on/i.test(attribute.name) || attribute.name === 'style' || attribute.name === 'src')
              problems.push(`${JSON.stringify(source)} made ${attribute.name}=`);
          }
          if (element.tagName === 'A' && !/^(https?:|mailto:|#|[^:]*$)/i.test(element.getAttribute('href') ?? ''))
            problems.push(`${JSON.stringify(source)} kept href ${element.getAttribute('href')}`);
          if (element.tagName === 'A' && /^[\\/\\\\][\\/\\\\]/.test(element.getAttribute('href') ?? ''))
            problems.push(`${JSON.stringify(source)} kept a protocol-relative href`);
          if (element.tagName === 'INPUT' && element.type !== 'checkbox') problems.push(`${JSON.stringify(source)} made an input`);
        }
      }
      return problems;
    }""", MARKDOWN_BATTERY)
    check(not problems, f"the renderer: {problems}")
    check(page.evaluate("window.__pwned") is None, f"a payload ran: {page.evaluate('window.__pwned')}")
    browser.audit(page, "xss end")
    context.close()
    return len(stored)


def assert_clean_dom(page, label):
    found = page.evaluate("""() => {
      const problems = [];
      for (const element of document.querySelectorAll('body *')) {
        if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'svg', 'BASE', 'META', 'FORM'].includes(element.tagName)
            && !element.closest('form.card, form.editor, form.inline-form, form.search-form, form[method=dialog], header')) {
          if (element.tagName !== 'FORM') problems.push(element.tagName);
        }
        if (element.tagName === 'IMG' && !element.getAttribute('src').startsWith('/console/')) problems.push('IMG ' + element.getAttribute('src'));
        for (const attribute of element.attributes) if (/^on/i.test(attribute.name)) problems.push(`${element.tagName} ${attribute.name}`);
      }
      return { problems, pwned: window.__pwned ?? null };
    }""")
    check(not found["problems"], f"{label}: elements a document made: {found['problems']}")
    check(found["pwned"] is None, f"{label}: a payload ran ({found['pwned']})")


# --- guards ----------------------------------------------------------------------------------------

def guards(browser, server, backend):
    """A page of another origin posts a form and a fetch to Lore with the session: both refused."""
    context = browser.context()
    page = browser.new_page(context)
    email = f"guard-{backend}@example.com"
    page.goto("/#/register")
    page.get_by_label("Name").fill("Grace")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    cookies = [c for c in context.cookies() if c["name"] == "lore_session"]
    check(len(cookies) == 1 and cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Lax",
          f"the session cookie is HttpOnly and SameSite=Lax: {cookies}")
    check(page.evaluate("document.cookie").find("lore_session") < 0, "script cannot read the session cookie")

    # Another origin (127.0.0.1 and localhost are different sites to the browser): the same
    # context, so the cookie would ride along if the browser sent it.
    evil = e2e.free_port()
    attacker_base = f"http://localhost:{evil}"
    lore_base = server.base

    class Attacker(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = f"""<!doctype html><html lang="en"><title>attacker</title><body>
<form id="f" method="POST" action="{lore_base}/api/v1/projects" enctype="text/plain">
<input name='{{"name":"csrf-form","x":"' value='"}}'></form>
<script>
fetch("{lore_base}/api/v1/projects", {{method: "POST", credentials: "include", mode: "no-cors",
  headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{name: "csrf-fetch"}})}})
  .finally(() => document.getElementById("f").submit());
</script></body></html>""".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", evil), Attacker)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        attack = context.new_page()
        attack.goto(attacker_base + "/")
        attack.wait_for_url(re.compile(re.escape(lore_base)), timeout=10_000)
        attack.wait_for_load_state("networkidle")
        attack.close()
    finally:
        attacker.shutdown()
    cookie = cookies[0]["value"]
    status, body, _ = api(server, "GET", "/projects", cookie=cookie)
    names = [p["name"] for p in body["data"]]
    check(status == 200 and not any(name.startswith("csrf") for name in names), f"a cross-site request made a project: {names}")
    # The same request with a forged cross-site Origin, from outside a browser: refused with the envelope.
    status, body, _ = e2e.call(server.base, "POST", "/api/v1/projects", {"name": "csrf-direct"}, cookie=cookie,
                               headers={"Origin": "http://localhost:1", "Content-Type": "application/json"})
    check(status == 403 and body["error"]["code"] == "forbidden", f"a cross-site Origin: {status} {body}")

    # Headers of the page and of an API answer.
    with urllib.request.urlopen(server.base + "/") as response:
        headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        check(directive in csp, f"the page's CSP has {directive}: {csp}")
    check("unsafe-inline" not in csp and "unsafe-eval" not in csp, f"no unsafe sources: {csp}")
    check(headers.get("X-Content-Type-Options") == "nosniff" and headers.get("X-Frame-Options") == "DENY"
          and headers.get("Referrer-Policy") == "no-referrer", f"the page's headers: {dict(headers)}")
    # No request leaves the server: every request the console made while loading went to Lore.
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/#/projects")
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    browser.settle(page)
    foreign = [url for url in requests if not url.startswith(server.base)]
    check(not foreign, f"requests outside Lore: {foreign}")
    context.close()


# --- layout ----------------------------------------------------------------------------------------

def layout(browser, server, backend, project_id):
    """Every page at 360 px (nothing wider than the screen), and in dark mode."""
    for scheme in ("light", "dark"):
        context = browser.context(viewport=PHONE, color_scheme=scheme)
        page = browser.new_page(context)
        page.goto("/")
        page.get_by_label("Email").fill(f"ada-{backend}@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
        pages = {"projects": "/#/projects", "project": f"/#/projects/{project_id}",
                 "documents": f"/#/projects/{project_id}/documents?path=ops/tls.md",
                 "search": f"/#/projects/{project_id}/search?q=consumer+lag&mode=hybrid",
                 "keys": f"/#/projects/{project_id}/keys", "sources": f"/#/projects/{project_id}/sources", "status": "/#/status"}
        for name, address in pages.items():
            page.goto(address)
            page.locator("h1").wait_for()
            browser.settle(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            check(width <= PHONE["width"], f"{name} at 360 px ({scheme}) is {width} px wide")
            browser.audit(page, f"{name} at 360 px, {scheme}")
            if scheme == "light" and name in ("projects", "documents", "search", "sources"):
                browser.shoot(page, f"{name}-phone")
            if scheme == "dark" and name in ("search", "documents"):
                browser.shoot(page, f"{name}-dark")
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("backend", choices=["sqlite", "postgres"])
    parser.add_argument("--screenshots", help="a folder for the screenshots (docs/console)")
    parser.add_argument("--only", default="journey,xss,guards,layout")
    options = parser.parse_args()
    parts = set(options.only.split(","))
    work = tempfile.mkdtemp(prefix="lore-console-")
    screenshots = os.path.abspath(options.screenshots) if options.screenshots else None
    if screenshots:
        os.makedirs(screenshots, exist_ok=True)
    embedder = e2e.EmbeddingServer(remember=False)
    database = e2e.Database(options.backend, work, label="console")
    server = e2e.Server(e2e.binary_copy(work), database.url, e2e.base_env(embedder.env()), work).start()
    started = time.monotonic()
    failed = False
    try:
        server.wait_ready()
        with sync_playwright() as playwright:
            browser = Browser(playwright, server.base, screenshots)
            try:
                project_id = None
                if "journey" in parts or "layout" in parts:
                    project_id, _ = journey(browser, server, work, options.backend)
                    print(f"console-e2e ({options.backend}): journey passed", file=sys.stderr)
                if "xss" in parts:
                    stored = xss(browser, server, options.backend)
                    print(f"console-e2e ({options.backend}): xss passed ({stored} hostile documents, "
                          f"{len(MARKDOWN_BATTERY)} renderer payloads)", file=sys.stderr)
                if "guards" in parts:
                    guards(browser, server, options.backend)
                    print(f"console-e2e ({options.backend}): guards passed", file=sys.stderr)
                if "layout" in parts:
                    layout(browser, server, options.backend, project_id)
                    print(f"console-e2e ({options.backend}): layout passed", file=sys.stderr)
                print(f"console-e2e ({options.backend}): passed in {time.monotonic() - started:.0f} s, "
                      f"{browser.axe_checked} pages checked by axe", file=sys.stderr)
            finally:
                browser.close()
    except (Failure, AssertionError, Exception) as error:
        failed = True
        print(f"console-e2e ({options.backend}): FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        print(server.tail(), file=sys.stderr)
    finally:
        server.terminate()
        embedder.close()
        database.drop()
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
