import Index
import Search

extension OpenAPISpec {
    /// `components`: schemas, shared parameters, headers, error responses and security schemes.
    static var components: OpenAPIValue {
        [
            "schemas": .object(schemas.merging(mcpSchemas) { first, _ in first }),
            "parameters": .object(parameters),
            "headers": headers,
            "responses": .object(errorResponses),
            "securitySchemes": securitySchemes,
        ]
    }

    static var securitySchemes: OpenAPIValue {
        [
            "sessionCookie": [
                "type": "apiKey", "in": "cookie", "name": "lore_session",
                "description": "The session JWT that login and registration set as an HttpOnly cookie.",
            ],
            "sessionBearer": [
                "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "The session JWT (HS256 with sub, iat, exp, jti) as `Authorization: Bearer <jwt>`.",
            ],
            "apiKeyBearer": [
                "type": "http", "scheme": "bearer", "bearerFormat": "lore_ API key",
                "description": "A project API key as `Authorization: Bearer lore_…`: that project's documents and search only, within the key's scope (read or write, optionally one folder).",
            ],
            "apiKeyHeader": [
                "type": "apiKey", "in": "header", "name": "X-API-Key",
                "description": "A project API key as `X-API-Key: lore_…`: that project's documents and search only, within the key's scope (read or write, optionally one folder).",
            ],
        ]
    }

    static var headers: OpenAPIValue {
        [
            "RequestId": [
                "description": "The request id: the client's when it matches [A-Za-z0-9._-]{1,128}, else generated.",
                "required": true,
                "schema": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"],
            ],
            "ETag": [
                "description": "The document's version as an entity tag, for `If-Match`.",
                "required": true,
                "schema": ["type": "string", "pattern": "^\"v[0-9]+\"$"],
            ],
            "WWWAuthenticate": ["required": true, "schema": ["type": "string", "pattern": "^Bearer"]],
            "RetryAfter": [
                "description": "Whole seconds until the next request is allowed.",
                "required": true, "schema": ["type": "integer", "minimum": 1],
            ],
            "RateLimitLimit": [
                "description": "The capacity of the bucket the request was counted in.",
                "required": true, "schema": ["type": "integer", "minimum": 1],
            ],
            "RateLimitRemaining": [
                "description": "Requests left in that bucket.",
                "required": true, "schema": ["type": "integer", "minimum": 0],
            ],
            "RateLimitReset": [
                "description": "Whole seconds until that bucket is full again.",
                "required": true, "schema": ["type": "integer", "minimum": 0],
            ],
            "SetSessionCookie": [
                "description": "`lore_session=<jwt>; HttpOnly; SameSite=Lax; Path=/; Max-Age=…` (plus `Secure` in production).",
                "required": true,
                "schema": ["type": "string", "pattern": "^lore_session="],
            ],
        ]
    }

    /// The error responses by status; every one carries the error envelope.
    static var errorResponses: [String: OpenAPIValue] {
        var responses: [String: OpenAPIValue] = [:]
        for (status, name, description) in errorStatuses {
            var headers: [String: OpenAPIValue] = ["X-Request-ID": ["$ref": "#/components/headers/RequestId"]]
            if status == 401 { headers["WWW-Authenticate"] = ["$ref": "#/components/headers/WWWAuthenticate"] }
            if status == 429 {
                headers["Retry-After"] = ["$ref": "#/components/headers/RetryAfter"]
                headers["RateLimit-Limit"] = ["$ref": "#/components/headers/RateLimitLimit"]
                headers["RateLimit-Remaining"] = ["$ref": "#/components/headers/RateLimitRemaining"]
                headers["RateLimit-Reset"] = ["$ref": "#/components/headers/RateLimitReset"]
            }
            responses[name] = [
                "description": OpenAPIValue(.string(description)),
                "headers": .object(headers),
                "content": ["application/json": ["schema": Schema.ref("ErrorEnvelope")]],
            ]
        }
        return responses
    }

    /// The statuses the error envelope is sent with: status, response name, description.
    static let errorStatuses: [(Int, String, String)] = [
        (401, "Unauthorized", "No, invalid, revoked or expired credentials (`unauthorized`)."),
        (403, "Forbidden", "Valid credentials that do not reach this resource: another project, a write with a read key, a path outside the key's folder; or a change a browser sends from another site (`Origin` or `Sec-Fetch-Site` not this server's) (`forbidden`)."),
        (404, "NotFound", "No such resource, or one of another user (`not_found`)."),
        (409, "Conflict", "A duplicate e-mail, project name or document path, or a stale version (`conflict`); a write to a document a Git source holds (`source_owned`)."),
        (413, "PayloadTooLarge", "The body is over 8 MiB (after inflating a gzip body), or a document's content over 1 MiB (`payload_too_large`)."),
        (415, "UnsupportedMediaType", "A body that is not application/json, or a Content-Encoding other than gzip (`unsupported_media_type`)."),
        (422, "ValidationError", "Malformed JSON, missing or invalid fields or query parameters (`validation_error`)."),
        (429, "TooManyRequests", "A rate limit was reached: per API key, user or client address; login also per e-mail (`rate_limited`)."),
        (500, "InternalError", "An unexpected failure; detail only in development (`internal_error`)."),
    ]

    static var parameters: [String: OpenAPIValue] {
        typealias S = Schema
        return [
            "ProjectId": path("projectId", "The project's id; a malformed id is a 404."),
            "DocumentId": path("documentId", "The document's id; a malformed id is a 404."),
            "KeyId": path("keyId", "The key's id; a malformed id is a 404."),
            "SourceId": path("sourceId", "The source's id; a malformed id is a 404."),
            "ConsoleFile": path("file", "A file of the console, e.g. `app.js`; any other name is a 404."),
            "Offset": query("offset", S.integer(minimum: 0, maximum: PageRequest.maximumWindow - 1, default: 0),
                            "Items to skip; offset + limit must be at most 10,000."),
            "Limit": query("limit", S.integer(minimum: 1, maximum: 100, default: 20), "Items per page."),
            "SearchLimit": query("limit", S.integer(minimum: 1, maximum: 100, default: 10), "Hits per page."),
            "Sort": query("sort", S.enumeration(DocumentSort.allCases.map(\.rawValue), default: "path"),
                          "By path, or newest first."),
            "PathPrefix": query("pathPrefix", S.string, "Only paths that start with this text."),
            "Tag": query("tag", S.string, "Only documents carrying this tag."),
            "DocumentPath": query("path", S.string(minLength: 1, maxLength: 512), "The document's path.", required: true),
            "Query": query("q", ["type": "string", "minLength": 1, "maxLength": OpenAPIValue(.number(Double(QueryParser.maximumBytes))), "pattern": "\\S"],
                           "Words, \"exact phrases\", -excluded, prefix*; must not be empty; at most 4,096 bytes of UTF-8.", required: true),
            "Mode": query("mode", S.enumeration(["hybrid", "fulltext", "semantic"], default: "hybrid"),
                          "The requested mode; `meta.mode` says which ran."),
            "Syntax": query("syntax", S.enumeration(QuerySyntax.allCases.map(\.rawValue), default: "standard"),
                            "`standard` reads \"phrases\", -exclusions and prefix*; `plain` reads words only (for questions)."),
            "MaxTokens": query("maxTokens", S.integer(minimum: AnswerBudget.allowed.lowerBound, maximum: AnswerBudget.allowed.upperBound),
                               "A budget for `data` in WordPiece tokens: later hits are dropped and the last snippet shortened to fit; "
                                   + "`meta.truncated` says whether anything was cut. The next page starts at offset + the hits returned."),
            "Fusion": query("fusion", S.enumeration(["rrf", "linear"], default: "rrf"), "How hybrid merges the rankings."),
            "SemanticRatio": query("semanticRatio", ["type": "number", "minimum": 0, "maximum": 1, "default": 0.5],
                                   "The semantic weight of a linear blend."),
            "IfMatch": [
                "name": "If-Match", "in": "header", "required": false,
                "description": "`\"v<version>\"` (the ETag, optionally weak) or `*`; stands in for the body's `version`.",
                "schema": ["type": "string", "pattern": "^(\\*|(W/)?\"v[0-9]+\")$"],
            ],
        ]
    }

    private static func path(_ name: String, _ description: String) -> OpenAPIValue {
        ["name": OpenAPIValue(.string(name)), "in": "path", "required": true,
         "description": OpenAPIValue(.string(description)), "schema": Schema.uuid]
    }

    private static func query(_ name: String, _ schema: OpenAPIValue, _ description: String, required: Bool = false) -> OpenAPIValue {
        ["name": OpenAPIValue(.string(name)), "in": "query", "required": OpenAPIValue(.bool(required)),
         "description": OpenAPIValue(.string(description)), "schema": schema]
    }
}
