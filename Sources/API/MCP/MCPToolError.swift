/// Problems with the arguments of a tool call, found before any work is done.
///
/// Like every error a tool throws, these become a tool result with `isError: true` in
/// ``MCPErrorMapping``; the session stays usable.
enum MCPToolError: Error, Sendable, Equatable {
    /// A required argument is absent (or `null`).
    case missingArgument(name: String)
    /// An argument has another JSON type than the schema declares (`expected` says which).
    case wrongType(name: String, expected: String)
    /// An argument the tool does not take; `known` lists the ones it does.
    case unknownArgument(name: String, known: [String])
    /// An argument of the right type with a value the tool cannot use.
    case invalidArgument(name: String, reason: String)
    /// The API key the stdio server started with no longer opens a project (rotated, revoked, or
    /// the project was deleted).
    case keyRevoked
    /// The API key the stdio server started with has expired.
    case keyExpired
}
