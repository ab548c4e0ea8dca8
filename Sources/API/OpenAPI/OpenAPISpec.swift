import Index

/// The content of the OpenAPI 3.1 document: every route of ``buildRouter(_:store:tokens:)`` with
/// its parameters, bodies, credentials and every status its code can answer with. The OpenAPI
/// tests keep it true to the router; `scripts/contract-test` checks it against a running server.
enum OpenAPISpec {
    static var document: JSONValue {
        let document: OpenAPIValue = [
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": [
                "title": "Lore",
                "version": "1.0.0",
                "description": """
                    Documentation search: projects of Markdown and text documents, found by full text \
                    and meaning. JSON in and out, camelCase keys, ISO-8601 UTC timestamps, UUID ids. \
                    Success bodies are `{data, meta}`, errors `{error: {code, message, details}, meta}`; \
                    every response carries `X-Request-ID`.
                    """,
            ],
            "tags": [
                ["name": "Operations", "description": "Health and this document."],
                ["name": "Console", "description": "The web console for people, served from the binary."],
                ["name": "Auth", "description": "Registration and sessions."],
                ["name": "Projects", "description": "A user's projects and their full-access API keys."],
                ["name": "Keys", "description": "Scoped API keys: read or write, optionally one folder and an expiry (least privilege for agents)."],
                ["name": "Sources", "description": "Git repositories a project follows: synced on an interval and on push webhooks; their documents are read-only through the API."],
                ["name": "Documents", "description": "A project's documents."],
                ["name": "Search", "description": "Full-text, semantic and hybrid search."],
                ["name": "MCP", "description": "The Model Context Protocol endpoint for coding agents."],
            ],
            "paths": .object(paths),
            "components": components,
        ]
        return document.json
    }
}
