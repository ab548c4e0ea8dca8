import Index

extension OpenAPISpec {
    /// Who may call an operation, as its `security` requirements.
    enum Access {
        /// No credentials.
        case anyone
        /// A signed-in person: the session cookie or the session JWT as a bearer token.
        case user
        /// The project's owner (as for `user`) or the project's API key (bearer or `X-API-Key`).
        case project
        /// The project's API key only (MCP).
        case projectKey

        var requirements: OpenAPIValue {
            switch self {
            case .anyone: []
            case .user: [["sessionCookie": []], ["sessionBearer": []]]
            case .project: [["sessionCookie": []], ["sessionBearer": []], ["apiKeyBearer": []], ["apiKeyHeader": []]]
            case .projectKey: [["apiKeyBearer": []], ["apiKeyHeader": []]]
            }
        }
    }

    /// A success response of an operation.
    struct Success {
        var status: Int
        var description: String
        /// The body's schema in `components/schemas`; `nil` for an empty body.
        var schema: String?
        /// Headers besides `X-Request-ID`, by name: references into `components/headers`.
        var headers: [String] = []
        /// The body's media type.
        var contentType = "application/json"
        /// Other media types the body may have, with the same schema.
        var otherContentTypes: [String] = []

        var response: OpenAPIValue {
            var fields: [String: OpenAPIValue] = ["X-Request-ID": ["$ref": "#/components/headers/RequestId"]]
            for header in headers {
                let component = header == "Set-Cookie" ? "SetSessionCookie" : header
                fields[header] = ["$ref": "#/components/headers/\(component)"]
            }
            var value: [String: OpenAPIValue] = ["description": OpenAPIValue(.string(description)), "headers": .object(fields)]
            if let schema {
                value["content"] = .object(Dictionary(uniqueKeysWithValues: ([contentType] + otherContentTypes).map {
                    ($0, ["schema": Schema.ref(schema)] as OpenAPIValue)
                }))
            }
            return .object(value)
        }
    }

    /// One operation: its id, tag and summary, who may call it, its parameters (names in
    /// `components/parameters`), request body (a schema name), success responses and error statuses.
    static func operation(
        _ id: String, tag: String, summary: String, access: Access, parameters: [String] = [],
        body: String? = nil, success: [Success], errors: [Int], rateLimited: Bool = true
    ) -> OpenAPIValue {
        var responses: [String: OpenAPIValue] = [:]
        for response in success { responses[String(response.status)] = response.response }
        // Every route but health, metrics and this document passes the rate limiter.
        for status in errors + (rateLimited ? [429] : []) {
            guard let name = errorStatuses.first(where: { $0.0 == status })?.1 else {
                preconditionFailure("no error response for status \(status)")
            }
            responses[String(status)] = ["$ref": "#/components/responses/\(name)"]
        }
        var value: [String: OpenAPIValue] = [
            "operationId": OpenAPIValue(.string(id)),
            "tags": [OpenAPIValue(.string(tag))],
            "summary": OpenAPIValue(.string(summary)),
            "security": access.requirements,
            "responses": .object(responses),
        ]
        if !parameters.isEmpty {
            value["parameters"] = .array(parameters.map { ["$ref": "#/components/parameters/\($0)"] })
        }
        if let body {
            value["requestBody"] = ["required": true, "content": ["application/json": ["schema": Schema.ref(body)]]]
        }
        return .object(value)
    }
}
