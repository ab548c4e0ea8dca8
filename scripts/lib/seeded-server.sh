# Sourced by scripts/contract-test and scripts/fuzz: installs schemathesis, starts `lore serve` on
# an ephemeral port of 127.0.0.1 over a new SQLite file (or $SEEDED_DATABASE_URL, an empty
# database), with rate limits raised for fuzzing traffic (the limiter still runs and sends its
# headers), and seeds it: a user with two sessions, a project with its API key, a sacrificial
# project, a document and a sacrificial document. Needs `name` (the caller's name for messages).
#
# Sets: lore, work (a temporary folder, removed on exit), server_pid, base, schemathesis,
# project_id, api_key, spare_project_id, document_id, spare_document_id, and exports
# LORE_CONTRACT_JWT, LORE_CONTRACT_LOGOUT_JWT, LORE_CONTRACT_API_KEY.
# Defines: field, post, session, schemathesis_config AUTH_SCHEME TOKEN_KEY TOKEN_VARIABLE,
# server_alive, lint_metrics.

# The contract concerns the HTTP API, not embeddings: run without the model unless asked.
export LORE_EMBEDDER="${LORE_EMBEDDER:-none}"

schemathesis_version=4.32.5
if ! python3 -m pip show schemathesis 2>/dev/null | grep -qx "Version: ${schemathesis_version}"; then
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==${schemathesis_version}"
fi
schemathesis=$(python3 -c 'import shutil, sys, os; print(shutil.which("schemathesis") or os.path.join(os.path.dirname(sys.executable), "schemathesis"))')

lore="${LORE_BINARY:-.build/debug/lore}"
if [ ! -x "$lore" ]; then
  swift build --product lore
fi
lore="$(cd "$(dirname "$lore")" && pwd)/$(basename "$lore")"

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:${port}"
# Limits high enough for the fuzzer's traffic: the limiter still runs and sends its headers.
LORE_DATABASE_URL="${SEEDED_DATABASE_URL:-sqlite://${work}/data/lore.db}" LORE_LOG_LEVEL=error LORE_ENV=development \
  LORE_RATE_LIMIT_REQUESTS=1000000 LORE_RATE_LIMIT_LOGIN_REQUESTS=100000 LORE_RATE_LIMIT_LOGIN_EMAIL_REQUESTS=100000 \
  LORE_RATE_LIMIT_REGISTER_REQUESTS=100000 \
  "$lore" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "$name: the server exited:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$base/health" >/dev/null

# field FILE PATH: prints data.PATH of a JSON envelope.
field() {
  python3 -c 'import json, sys; value = json.load(open(sys.argv[1]))["data"]
for key in sys.argv[2].split("."): value = value[key]
print(value)' "$1" "$2"
}

# post PATH BODY [HEADER...]: POSTs JSON, keeps headers and body in $work, fails on a non-2xx.
post() {
  local path=$1 body=$2
  shift 2
  local args=()
  for header in "$@"; do args+=(-H "$header"); done
  curl -fsS -D "$work/headers" -o "$work/body" -X POST "$base$path" \
    -H 'Content-Type: application/json' "${args[@]}" --data "$body"
}

session() {
  grep -i '^set-cookie: lore_session=' "$work/headers" | head -n 1 | sed -e 's/^[^=]*=//' -e 's/;.*$//' | tr -d '\r'
}

credentials='{"email": "contract@example.com", "password": "contract-password", "name": "Contract"}'
post /api/v1/auth/register "$credentials"
jwt=$(session)
post /api/v1/auth/login '{"email": "contract@example.com", "password": "contract-password"}'
logout_jwt=$(session)

post /api/v1/projects '{"name": "Contract", "description": "The contract test project"}' "Authorization: Bearer $jwt"
project_id=$(field "$work/body" id)
api_key=$(field "$work/body" apiKey)
post /api/v1/projects '{"name": "Sacrificial"}' "Authorization: Bearer $jwt"
spare_project_id=$(field "$work/body" id)

post "/api/v1/projects/$project_id/documents" \
  '{"path": "guides/getting-started.md", "title": "Getting started", "tags": ["guide"], "metadata": {"owner": "docs"}, "content": "# Getting started\n\n## Install\n\nRun the installer, then rotate the API key.\n"}' \
  "X-API-Key: $api_key"
document_id=$(field "$work/body" id)
post "/api/v1/projects/$project_id/documents" '{"path": "notes/spare.md", "content": "A document to delete."}' \
  "X-API-Key: $api_key"
spare_document_id=$(field "$work/body" id)

export LORE_CONTRACT_JWT="$jwt" LORE_CONTRACT_LOGOUT_JWT="$logout_jwt" LORE_CONTRACT_API_KEY="$api_key"

# schemathesis_config AUTH_SCHEME TOKEN_KEY TOKEN_VARIABLE: a schemathesis.toml that authenticates
# with one scheme of the document and pins the path parameters to the seeded data.
schemathesis_config() {
  cat <<TOML
[auth.openapi.$1]
$2 = "\${$3}"

[parameters]
"path.projectId" = "$project_id"
"path.documentId" = "$document_id"
"query.path" = "guides/getting-started.md"

[[operations]]
include-operation-id = "deleteProject"
parameters = { "path.projectId" = "$spare_project_id" }

[[operations]]
include-operation-id = "deleteDocument"
parameters = { "path.documentId" = "$spare_document_id" }
TOML
}

# server_alive: false (with a message) when the server has died.
server_alive() {
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "$name: the server died during the run:" >&2
    return 1
  fi
}

# lint_metrics: the metrics after all that traffic must be valid Prometheus text (promtool is in
# Debian's `prometheus` package; skipped where it is not installed).
lint_metrics() {
  if ! curl -fsS "$base/metrics" -o "$work/metrics"; then
    echo "$name: GET /metrics failed" >&2
    return 1
  elif command -v promtool >/dev/null 2>&1; then
    if ! promtool check metrics <"$work/metrics"; then
      echo "$name: promtool rejects /metrics" >&2
      return 1
    fi
  else
    echo "$name: promtool not found; /metrics not linted" >&2
  fi
}
