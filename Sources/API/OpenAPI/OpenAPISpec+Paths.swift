import Index

extension OpenAPISpec {
    /// `paths`: every route that ``buildRouter(_:store:tokens:)`` registers.
    static var paths: [String: OpenAPIValue] {
        operationsPaths.merging(accountPaths) { first, _ in first }
            .merging(documentPaths) { first, _ in first }
            .merging(searchPaths) { first, _ in first }
            .merging(mcpPaths) { first, _ in first }
    }

    /// Health and the OpenAPI document, unversioned and under `/api/v1`.
    static var operationsPaths: [String: OpenAPIValue] {
        var paths: [String: OpenAPIValue] = [:]
        for (prefix, suffix) in [("", "Root"), ("/api/v1", "")] {
            paths["\(prefix)/health"] = ["get": operation(
                "getHealth\(suffix)", tag: "Operations", summary: "Liveness: 200 while the process runs.", access: .anyone,
                success: [Success(status: 200, description: "The process is up.", schema: "HealthEnvelope")], errors: [],
                rateLimited: false)]
            paths["\(prefix)/health/ready"] = ["get": operation(
                "getReadiness\(suffix)", tag: "Operations",
                summary: "Readiness: the state of the database, the embedder and the vector index.", access: .anyone,
                success: [
                    Success(status: 200, description: "Ready to serve.", schema: "ReadinessEnvelope"),
                    Success(status: 503, description: "Not ready: the database is unavailable.", schema: "ReadinessEnvelope"),
                ], errors: [], rateLimited: false)]
            paths["\(prefix)/openapi.json"] = ["get": operation(
                "getOpenAPIDocument\(suffix)", tag: "Operations", summary: "This OpenAPI 3.1 document.", access: .anyone,
                success: [Success(status: 200, description: "The document (not enveloped).", schema: "OpenAPIDocument")],
                errors: [], rateLimited: false)]
        }
        paths["/"] = ["get": operation(
            "getConsole", tag: "Console", summary: "The web console's page (SPEC §12); it signs in with the session cookie.",
            access: .anyone,
            success: [
                Success(status: 200, description: "The page.", schema: "ConsoleFile", contentType: "text/html"),
                Success(status: 304, description: "The browser's copy (`If-None-Match`) is current."),
            ],
            errors: [], rateLimited: false)]
        paths["/console/{file}"] = ["get": operation(
            "getConsoleFile", tag: "Console", summary: "A file of the console: its scripts, style sheet and icon, all compiled into Lore.",
            access: .anyone, parameters: ["ConsoleFile"],
            success: [
                Success(status: 200, description: "The file.", schema: "ConsoleFile", contentType: "text/javascript",
                        otherContentTypes: ["text/css", "image/svg+xml"]),
                Success(status: 304, description: "The browser's copy (`If-None-Match`) is current."),
            ],
            errors: [404], rateLimited: false)]
        paths["/metrics"] = ["get": operation(
            "getMetrics", tag: "Operations",
            summary: "Prometheus metrics: requests, latency, search latency by mode, store gauges, rate-limited requests.",
            access: .anyone,
            success: [Success(status: 200, description: "The Prometheus text exposition format 0.0.4.", schema: "PrometheusText",
                              contentType: "text/plain")],
            errors: [], rateLimited: false)]
        return paths
    }

    /// `/auth` and `/projects`: people and their projects.
    static var accountPaths: [String: OpenAPIValue] {
        let project = ["ProjectId"]
        return [
            "/api/v1/auth/register": ["post": operation(
                "register", tag: "Auth", summary: "Creates a user and signs them in.", access: .anyone, body: "RegisterInput",
                success: [Success(status: 201, description: "The new user; the session cookie is set.", schema: "UserEnvelope",
                                  headers: ["Set-Cookie"])],
                errors: [403, 409, 413, 415, 422, 500])],
            "/api/v1/auth/login": ["post": operation(
                "login", tag: "Auth", summary: "Signs in; a bad e-mail and a bad password get the same 401.", access: .anyone,
                body: "LoginInput",
                success: [Success(status: 200, description: "The user; the session cookie is set.", schema: "UserEnvelope",
                                  headers: ["Set-Cookie"])],
                errors: [401, 403, 413, 415, 422, 500])],
            "/api/v1/auth/logout": ["post": operation(
                "logout", tag: "Auth", summary: "Revokes the session token and clears the cookie.", access: .user,
                success: [Success(status: 204, description: "Signed out.", headers: ["Set-Cookie"])],
                errors: [401, 403, 413, 415, 500])],
            "/api/v1/auth/me": ["get": operation(
                "getCurrentUser", tag: "Auth", summary: "The signed-in user.", access: .user,
                success: [Success(status: 200, description: "The user.", schema: "UserEnvelope")], errors: [401, 403, 500])],
            "/api/v1/projects": [
                "get": operation(
                    "listProjects", tag: "Projects", summary: "The user's projects by name, with their stats.", access: .user,
                    parameters: ["Offset", "Limit"],
                    success: [Success(status: 200, description: "A page of projects.", schema: "ProjectListEnvelope")],
                    errors: [401, 403, 422, 500]),
                "post": operation(
                    "createProject", tag: "Projects", summary: "Creates a project and its API key (shown this once).",
                    access: .user, body: "ProjectCreateInput",
                    success: [Success(status: 201, description: "The project with `apiKey`.", schema: "ProjectWithKeyEnvelope")],
                    errors: [401, 403, 409, 413, 415, 422, 500]),
            ],
            "/api/v1/projects/{projectId}": [
                "get": operation(
                    "getProject", tag: "Projects", summary: "A project with its stats.", access: .user, parameters: project,
                    success: [Success(status: 200, description: "The project.", schema: "ProjectEnvelope")],
                    errors: [401, 403, 404, 500]),
                "patch": operation(
                    "updateProject", tag: "Projects", summary: "Renames or re-describes a project.", access: .user,
                    parameters: project, body: "ProjectUpdateInput",
                    success: [Success(status: 200, description: "The project.", schema: "ProjectEnvelope")],
                    errors: [401, 403, 404, 409, 413, 415, 422, 500]),
                "delete": operation(
                    "deleteProject", tag: "Projects", summary: "Deletes a project with its documents.", access: .user,
                    parameters: project, success: [Success(status: 204, description: "Deleted.")],
                    errors: [401, 403, 404, 500]),
            ],
            "/api/v1/projects/{projectId}/api-key": ["post": operation(
                "rotateProjectAPIKey", tag: "Projects", summary: "Issues a new API key; the old one stops working at once.",
                access: .user, parameters: project,
                success: [Success(status: 200, description: "The project with its new `apiKey`.", schema: "ProjectWithKeyEnvelope")],
                errors: [401, 403, 404, 413, 415, 500])],
            "/api/v1/projects/{projectId}/keys": [
                "get": operation(
                    "listProjectKeys", tag: "Keys",
                    summary: "The project's scoped keys, oldest first, with `lastUsedAt` (never the keys themselves).",
                    access: .user, parameters: project + ["Offset", "Limit"],
                    success: [Success(status: 200, description: "A page of keys.", schema: "ProjectKeyListEnvelope")],
                    errors: [401, 403, 404, 422, 500]),
                "post": operation(
                    "createProjectKey", tag: "Keys",
                    summary: "Issues a key with `read` or `write` access, optionally confined to a folder and expiring; the key is shown this once.",
                    access: .user, parameters: project, body: "ProjectKeyCreateInput",
                    success: [Success(status: 201, description: "The key's record with `key`.", schema: "ProjectKeyWithSecretEnvelope")],
                    errors: [401, 403, 404, 409, 413, 415, 422, 500]),
            ],
            "/api/v1/projects/{projectId}/sources": [
                "get": operation(
                    "listSources", tag: "Sources", summary: "The project's Git sources, oldest first, with their sync state.",
                    access: .project, parameters: project + ["Offset", "Limit"],
                    success: [Success(status: 200, description: "A page of sources.", schema: "SourceListEnvelope")],
                    errors: [401, 403, 404, 422, 500]),
                "post": operation(
                    "createSource", tag: "Sources",
                    summary: "Adds a Git source (owner or an unconfined write key) and syncs it; the webhook secret is shown this once.",
                    access: .project, parameters: project, body: "SourceCreateInput",
                    success: [Success(status: 201, description: "The source with `webhookSecret`.", schema: "SourceWithSecretEnvelope")],
                    errors: [401, 403, 404, 409, 413, 415, 422, 500]),
            ],
            "/api/v1/projects/{projectId}/sources/{sourceId}": [
                "get": operation(
                    "getSource", tag: "Sources", summary: "A source and its sync state.", access: .project,
                    parameters: project + ["SourceId"],
                    success: [Success(status: 200, description: "The source.", schema: "SourceEnvelope")],
                    errors: [401, 403, 404, 500]),
                "patch": operation(
                    "updateSource", tag: "Sources", summary: "Changes a source's ref, filters or interval; new filters compare the whole tree at the next sync.",
                    access: .project, parameters: project + ["SourceId"], body: "SourceUpdateInput",
                    success: [Success(status: 200, description: "The source.", schema: "SourceEnvelope")],
                    errors: [401, 403, 404, 413, 415, 422, 500]),
                "delete": operation(
                    "deleteSource", tag: "Sources", summary: "Deletes a source and every document it holds.", access: .project,
                    parameters: project + ["SourceId"], success: [Success(status: 204, description: "Deleted.")],
                    errors: [401, 403, 404, 500]),
            ],
            "/api/v1/projects/{projectId}/sources/{sourceId}/sync": ["post": operation(
                "syncSource", tag: "Sources", summary: """
                    Syncs the source now. Also the push webhook: accepted without a key when `X-Hub-Signature-256` \
                    (GitHub, Gitea: HMAC-SHA256 of the body with the source's secret) or `X-Gitlab-Token` proves the secret.
                    """,
                access: .project, parameters: project + ["SourceId"],
                success: [Success(status: 202, description: "The sync is under way; the source as it stands.", schema: "SourceEnvelope")],
                errors: [401, 403, 404, 413, 415, 500])],
            "/api/v1/projects/{projectId}/keys/{keyId}": ["delete": operation(
                "revokeProjectKey", tag: "Keys", summary: "Revokes a key: every instance refuses it at once.",
                access: .user, parameters: project + ["KeyId"], success: [Success(status: 204, description: "Revoked.")],
                errors: [401, 403, 404, 500])],
        ]
    }
}
