/// The errors of the Index module: stores, path validation and query parsing.
///
/// Cases carry data, not preformatted strings; the HTTP and CLI layers turn them into messages
/// once (`IndexError.description` is the plain-English form the CLI prints).
public enum IndexError: Error, Sendable, Equatable {
    /// A field of the input is invalid; `field` names it (`path`, `email`, `q`, …).
    case invalid(field: String, reason: String)
    /// A field is larger than its limit (`limit` in bytes).
    case tooLarge(field: String, limit: Int)
    /// The named entity does not exist (or is not visible to the caller).
    case notFound(entity: String)
    /// A uniqueness rule was violated (`field` names the duplicated value's field).
    case conflict(field: String, reason: String)
    /// An update named a version other than the stored one.
    case staleVersion(expected: Int, actual: Int)
    /// The document belongs to a Git source: the repository is its truth, so only a sync writes it.
    case sourceOwned(path: String)
    /// The store could not be opened or migrated, or failed in a way the caller cannot fix.
    case storage(reason: String)
}

extension IndexError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .tooLarge(let field, let limit): "\(field): must be at most \(limit) bytes"
        case .notFound(let entity): "\(entity) not found"
        case .conflict(let field, let reason): "\(field): \(reason)"
        case .staleVersion(let expected, let actual):
            "version \(expected) is stale: the document is at version \(actual)"
        case .sourceOwned(let path):
            "'\(path)' comes from a Git source: change it in the repository, and the next sync brings the change"
        case .storage(let reason): "storage error: \(reason)"
        }
    }
}
