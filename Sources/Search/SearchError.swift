/// The errors of the Search module.
public enum SearchError: Error, Sendable, Equatable {
    /// A request field is invalid (`q`, `mode`, `limit`, …).
    case invalid(field: String, reason: String)
    /// The caller's key does not allow this (a write with a read key, a path outside its folder).
    case forbidden(reason: String)
}

extension SearchError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .forbidden(let reason): reason
        }
    }
}
