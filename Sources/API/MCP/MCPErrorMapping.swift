import Index
import Logging
import MCP
import Search

/// The one place where errors of tool calls become tool results with `isError: true`.
///
/// Each message says what was wrong and how to recover, so an agent can correct its call;
/// `structuredContent` carries `{"error": {"code", "message", "field"}}` for programs.
/// Unknown errors are logged and reported without detail.
enum MCPErrorMapping {
    /// A failure as a tool result shows it.
    struct Failure: Codable, Sendable, Equatable {
        var code: String
        var message: String
        var field: String?
    }

    /// The result for `error`, thrown while running `tool` with `arguments`.
    static func result(for error: any Error, tool: String, arguments: [String: Value]?, logger: Logger) -> CallTool.Result {
        let failure = failure(for: error, tool: tool, arguments: arguments ?? [:])
        if failure.code == "internal_error" || failure.code == "unavailable" {
            logger.error("MCP tool call failed", metadata: [
                "mcp.tool": .string(tool), "error.type": .string(String(describing: type(of: error))),
            ])
        }
        let structured: Value = ["error": .object([
            "code": .string(failure.code), "message": .string(failure.message),
            "field": failure.field.map(Value.string) ?? .null,
        ])]
        let content: [Tool.Content] = [.text(text: failure.message, annotations: nil, _meta: nil)]
        do {
            return try CallTool.Result(content: content, structuredContent: structured, isError: true)
        } catch {
            return CallTool.Result(content: content, isError: true)
        }
    }

    static func failure(for error: any Error, tool: String, arguments: [String: Value]) -> Failure {
        switch error {
        case let error as MCPToolError: failure(for: error, tool: tool, arguments: arguments)
        case let error as IndexError: failure(for: error, tool: tool, arguments: arguments)
        case let error as SearchError: failure(for: error, tool: tool, arguments: arguments)
        default: Failure(code: "internal_error", message: "Lore failed while running \(tool). The call can be retried; if it fails again, report it to the Lore administrator.")
        }
    }

    static func failure(for error: MCPToolError, tool: String, arguments: [String: Value]) -> Failure {
        switch error {
        case .missingArgument(let name):
            return Failure(code: "validation_error",
                           message: "Missing required argument '\(name)'. Call \(tool) again with '\(name)' set.", field: name)
        case .wrongType(let name, let expected):
            return Failure(code: "validation_error",
                           message: "Argument '\(name)' must be \(expected). Call \(tool) again with a value of that type.", field: name)
        case .unknownArgument(let name, let known):
            let list = known.map { "'\($0)'" }.joined(separator: ", ")
            return Failure(code: "validation_error",
                           message: "Unknown argument '\(name)'. \(tool) takes only \(list).", field: name)
        case .invalidArgument(let name, let reason):
            return invalid(field: name, reason: reason, tool: tool, arguments: arguments)
        case .keyRevoked:
            return Failure(code: "unauthorized",
                           message: "The API key this MCP server was started with no longer opens a project: it was rotated or revoked, or the project was deleted. Restart `lore mcp` with a current key.")
        case .keyExpired:
            return Failure(code: "unauthorized",
                           message: "The API key this MCP server was started with has expired. Ask the project's owner for a new key (`lore keys create`) and restart `lore mcp` with it.")
        }
    }

    static func failure(for error: IndexError, tool: String, arguments: [String: Value]) -> Failure {
        switch error {
        case .invalid(let field, let reason):
            return invalid(field: field, reason: reason, tool: tool, arguments: arguments)
        case .tooLarge(let field, let limit):
            return Failure(code: "payload_too_large",
                           message: "Argument '\(field)' is too large: at most \(limit) bytes. Split the text into several smaller documents and write each one.",
                           field: field)
        case .notFound(let entity) where entity == "document":
            let path = arguments["path"]?.stringValue.map { " at path '\($0)'" } ?? ""
            return Failure(code: "not_found",
                           message: "No document\(path) in this project. Paths are case-sensitive; call list_documents (optionally with pathPrefix) or search to find the right path.",
                           field: "path")
        case .notFound(let entity):
            return Failure(code: "not_found", message: "The \(entity) was not found; it may have been deleted.")
        case .conflict(let field, let reason):
            return Failure(code: "conflict",
                           message: "\(field) \(reason). Read the document again with read_document, then retry.", field: field)
        case .staleVersion(_, let actual):
            return Failure(code: "conflict",
                           message: "The document changed while this call ran (it is now at version \(actual)). Read it again with read_document, then retry.",
                           field: "version")
        case .sourceOwned(let path):
            return Failure(code: "source_owned",
                           message: "'\(path)' comes from the project's Git repository, which is its truth: change the file there and the next sync brings the change. Write your own notes at a path outside the source's folder.",
                           field: "path")
        case .storage:
            return Failure(code: "unavailable", message: "Lore's database could not complete the call. Retry in a moment.")
        }
    }

    static func failure(for error: SearchError, tool: String, arguments: [String: Value]) -> Failure {
        switch error {
        case .invalid(let field, let reason):
            invalid(field: field == "q" ? "query" : field, reason: reason, tool: tool, arguments: arguments)
        case .forbidden(let reason):
            Failure(code: "forbidden",
                    message: "\(tool) is not allowed: \(reason). The project's owner can issue a key that reaches further.")
        }
    }

    private static func invalid(field: String, reason: String, tool: String, arguments: [String: Value]) -> Failure {
        let hint: String
        switch field {
        case "path":
            let given = arguments["path"]?.stringValue.map { " '\($0)'" } ?? ""
            return Failure(code: "validation_error",
                           message: "Invalid path\(given): \(reason). Use a relative path with '/' between folders and no '.' or '..' segments, for example 'docs/auth/tokens.md'.",
                           field: field)
        case "query", "q":
            hint = "Pass words to look for, \"exact phrases\", -excluded words or prefix*, for example 'rate limit'."
        case "limit", "offset":
            hint = "Call \(tool) again with a value in range, or leave it out for the default."
        default:
            hint = "Call \(tool) again with a corrected '\(field)'."
        }
        return Failure(code: "validation_error", message: "Invalid \(field): \(reason). \(hint)", field: field)
    }
}
