import Index

extension OpenAPISpec {
    /// `components/schemas`: what the server sends and accepts, field for field.
    static var schemas: [String: OpenAPIValue] {
        resourceSchemas.merging(inputSchemas) { first, _ in first }
            .merging(envelopeSchemas) { first, _ in first }
    }

    /// The resources: users, projects, documents, bulk results, search hits and the error body.
    static var resourceSchemas: [String: OpenAPIValue] {
        typealias S = Schema
        return [
            "User": S.object(["id": S.uuid, "email": S.string, "name": S.string, "createdAt": S.dateTime]),
            "ProjectStats": S.object([
                "documents": S.count, "chunks": S.count, "embeddedChunks": S.count,
                "embeddingModel": S.nullable(S.string(description: "null while no embedder is configured")),
            ]),
            "Project": S.object(projectProperties),
            "ProjectWithKey": S.object(projectProperties.merging([
                "apiKey": ["type": "string", "pattern": "^lore_", "description": "Shown once: on creation and rotation."],
            ]) { first, _ in first }),
            "DocumentSummary": S.object(documentProperties, required: documentRequired),
            "Document": S.object(documentProperties.merging(["content": S.string]) { first, _ in first },
                                 required: documentRequired + ["content"]),
            "DocumentSource": S.object([
                "id": S.uuid,
                "commit": ["type": "string", "pattern": "^[0-9a-f]{40,64}$", "description": "The commit the content is from."],
                "path": S.string(description: "The file's path in the repository."),
            ]),
            "Source": S.object(sourceProperties),
            "SourceWithSecret": S.object(sourceProperties.merging([
                "webhookSecret": S.string(description: "Shown this once: the secret of push webhooks (GitHub/Gitea HMAC, GitLab token)."),
            ]) { first, _ in first }),
            "BulkItemResult": S.object([
                "index": S.count,
                "path": S.string,
                "status": S.enumeration(["created", "updated", "unchanged", "error"]),
                "document": S.ref("DocumentSummary"),
                "error": S.ref("ErrorBody"),
            ], required: ["index", "path", "status"]),
            "SearchHit": S.object([
                "documentId": S.uuid, "projectId": S.uuid, "path": S.string, "title": S.string,
                "score": ["type": "number"],
                "snippet": S.string(description: "Plain text, HTML-escaped, matches wrapped in <mark>…</mark>."),
                "matchedBy": S.array(of: S.enumeration(["fulltext", "semantic"])),
                "ranks": [
                    "type": "object",
                    "propertyNames": S.enumeration(["fulltext", "semantic"]),
                    "additionalProperties": S.integer(minimum: 1),
                ],
                "chunk": S.object(["index": S.count, "heading": S.string(description: "The heading trail, e.g. `Auth > Tokens`.")]),
                "source": S.ref("DocumentSource"),
            ], required: ["documentId", "projectId", "path", "title", "score", "snippet", "matchedBy", "ranks", "chunk"]),
            "ProjectKey": S.object(keyProperties),
            "ProjectKeyWithSecret": S.object(keyProperties.merging([
                "key": ["type": "string", "pattern": "^lore_", "description": "Shown this once."],
            ]) { first, _ in first }),
            "Health": S.object(["status": S.enumeration(["ok"])]),
            "Readiness": S.object([
                "status": S.enumeration(["ready", "unavailable"]),
                "database": S.enumeration(["ok", "unavailable"]),
                "embedder": S.string,
                "vectorIndex": S.string,
            ]),
            "FieldProblem": S.object(["field": S.string, "message": S.string]),
            "ErrorBody": S.object([
                "code": S.enumeration([
                    "unauthorized", "forbidden", "not_found", "conflict", "payload_too_large", "unsupported_media_type",
                    "validation_error", "rate_limited", "method_not_allowed", "bad_request", "internal_error", "unavailable",
                    "source_owned",
                ]),
                "message": S.string,
                "details": S.array(of: S.ref("FieldProblem")),
            ]),
        ]
    }

    private static var projectProperties: [String: OpenAPIValue] {
        [
            "id": Schema.uuid, "ownerId": Schema.uuid, "name": Schema.string, "slug": Schema.string,
            "description": Schema.string, "apiKeyPrefix": Schema.string, "stats": Schema.ref("ProjectStats"),
            "createdAt": Schema.dateTime, "updatedAt": Schema.dateTime,
        ]
    }

    private static var keyProperties: [String: OpenAPIValue] {
        [
            "id": Schema.uuid, "projectId": Schema.uuid, "name": Schema.string,
            "prefix": Schema.string(description: "The key's first characters, safe to display."),
            "access": Schema.enumeration(KeyAccess.allCases.map(\.rawValue)),
            "pathPrefix": Schema.nullable(Schema.string(description: "The folder the key is confined to; null for the whole project.")),
            "createdAt": Schema.dateTime,
            "lastUsedAt": Schema.nullable(Schema.dateTime.merging(["description": "To within a minute; null if never used."])),
            "expiresAt": Schema.nullable(Schema.dateTime),
        ]
    }

    private static var sourceProperties: [String: OpenAPIValue] {
        [
            "id": Schema.uuid, "projectId": Schema.uuid, "kind": Schema.enumeration(SourceKind.allCases.map(\.rawValue)),
            "url": Schema.string(description: "The repository, credentials removed."),
            "ref": Schema.string, "include": Schema.array(of: Schema.string), "exclude": Schema.array(of: Schema.string),
            "pathPrefix": Schema.string(description: "The project folder the files land in: empty, or ending with '/'."),
            "intervalSeconds": Schema.integer(minimum: Source.intervalRange.lowerBound, maximum: Source.intervalRange.upperBound),
            "status": Schema.enumeration(SourceStatus.allCases.map(\.rawValue)),
            "lastCommit": Schema.nullable(["type": "string", "pattern": "^[0-9a-f]{40,64}$"]),
            "lastSyncedAt": Schema.nullable(Schema.dateTime),
            "lastError": Schema.nullable(Schema.string),
            "documents": Schema.count,
            "createdAt": Schema.dateTime,
            "progress": Schema.nullable(Schema.object([
                "phase": Schema.enumeration(["fetching", "comparing", "reading", "applying"]),
                "done": Schema.count, "total": Schema.count,
            ])),
        ]
    }

    private static var documentRequired: [String] {
        documentProperties.keys.filter { $0 != "source" }
    }

    private static var documentProperties: [String: OpenAPIValue] {
        [
            "id": Schema.uuid, "projectId": Schema.uuid, "path": Schema.string, "title": Schema.string,
            "tags": Schema.array(of: Schema.string), "metadata": Schema.anyObject,
            "version": Schema.integer(minimum: 1),
            "contentHash": ["type": "string", "pattern": "^[0-9a-f]{64}$"],
            "embeddingStatus": Schema.enumeration(EmbeddingStatus.allCases.map(\.rawValue)),
            "createdAt": Schema.dateTime, "updatedAt": Schema.dateTime,
            "source": Schema.ref("DocumentSource"),
        ]
    }

    /// The envelopes of every success response.
    static var envelopeSchemas: [String: OpenAPIValue] {
        typealias S = Schema
        return [
            "RequestMeta": S.object(["requestId": S.string]),
            "ListMeta": S.object(["requestId": S.string, "offset": S.count, "limit": S.integer(minimum: 1, maximum: 100), "total": S.count]),
            "BulkMeta": S.object(["requestId": S.string, "total": S.count, "failed": S.count]),
            "SearchMeta": S.object([
                "requestId": S.string,
                "query": S.string,
                "mode": S.enumeration(["hybrid", "fulltext", "semantic"]),
                "requestedMode": S.enumeration(["hybrid", "fulltext", "semantic"]),
                "fallbackReason": S.nullable(S.string(description: "Why hybrid or semantic ran as full text; null when nothing fell back.")),
                "offset": S.count,
                "limit": S.integer(minimum: 1, maximum: 100),
                "total": S.count,
                "tookMs": ["type": "number", "minimum": 0],
                "syntax": S.enumeration(QuerySyntax.allCases.map(\.rawValue)),
                "relaxed": ["type": "boolean",
                            "description": "True when a required phrase or exclusion matched nothing and the text was searched as plain words."],
                "truncated": ["type": "boolean",
                              "description": "True when hits were dropped or a snippet shortened to fit `maxTokens`."],
            ]),
            "HealthEnvelope": S.envelope(S.ref("Health")),
            "ReadinessEnvelope": S.envelope(S.ref("Readiness")),
            "UserEnvelope": S.envelope(S.ref("User")),
            "ProjectEnvelope": S.envelope(S.ref("Project")),
            "ProjectWithKeyEnvelope": S.envelope(S.ref("ProjectWithKey")),
            "ProjectListEnvelope": S.envelope(S.array(of: S.ref("Project")), meta: "ListMeta"),
            "ProjectKeyWithSecretEnvelope": S.envelope(S.ref("ProjectKeyWithSecret")),
            "ProjectKeyListEnvelope": S.envelope(S.array(of: S.ref("ProjectKey")), meta: "ListMeta"),
            "SourceEnvelope": S.envelope(S.ref("Source")),
            "SourceWithSecretEnvelope": S.envelope(S.ref("SourceWithSecret")),
            "SourceListEnvelope": S.envelope(S.array(of: S.ref("Source")), meta: "ListMeta"),
            "DocumentEnvelope": S.envelope(S.ref("Document")),
            "DocumentListEnvelope": S.envelope(S.array(of: S.ref("DocumentSummary")), meta: "ListMeta"),
            "BulkResultEnvelope": S.envelope(S.array(of: S.ref("BulkItemResult")), meta: "BulkMeta"),
            "SearchResultEnvelope": S.envelope(S.array(of: S.ref("SearchHit")), meta: "SearchMeta"),
            "ErrorEnvelope": S.object(["error": S.ref("ErrorBody"), "meta": S.ref("RequestMeta")]),
            "OpenAPIDocument": [
                "type": "object",
                "required": ["openapi", "info", "paths"],
                "properties": ["openapi": ["const": "3.1.0"], "info": S.anyObject, "paths": S.anyObject],
            ],
            "ConsoleFile": ["type": "string", "description": "A file of the console, as text."],
            "PrometheusText": ["type": "string", "description": "Metric families as `# HELP`, `# TYPE` and sample lines."],
        ]
    }
}
