/// The errors of the Search module.
public enum SearchError: Error, Sendable, Equatable {
    /// A request field is invalid (`q`, `mode`, `limit`, …).
    case invalid(field: String, reason: String)
}

extension SearchError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        }
    }
}
