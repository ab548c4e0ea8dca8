import Foundation
import Hummingbird
import Index

/// Typed access to a request's query string; a bad value is a 422 naming the parameter.
struct QueryParameters {
    let values: [String: String]

    /// Reads the raw query string as HTML forms and curl write it: `+` is a space, `%XX` an
    /// escape (decoded once); the first occurrence of a name wins.
    init(_ request: Request) {
        values = Self.parse(request.uri.query ?? "")
    }

    static func parse(_ query: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            guard !key.isEmpty, values[key] == nil else { continue }
            values[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return values
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    func string(_ name: String) -> String? { values[name] }

    func int(_ name: String, default fallback: Int) throws -> Int {
        try int(name) ?? fallback
    }

    /// The integer, or `nil` when the parameter is absent.
    func int(_ name: String) throws -> Int? {
        guard let raw = values[name] else { return nil }
        guard let value = Int(raw) else { throw APIError.invalid(name, "must be an integer") }
        return value
    }

    /// The number, or `nil` when the parameter is absent.
    func double(_ name: String) throws -> Double? {
        guard let raw = values[name] else { return nil }
        guard let value = Double(raw), value.isFinite else { throw APIError.invalid(name, "must be a number") }
        return value
    }

    func enumeration<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) throws -> T where T.RawValue == String {
        try enumeration(name) ?? fallback
    }

    /// The value, or `nil` when the parameter is absent.
    func enumeration<T: RawRepresentable & CaseIterable>(_ name: String) throws -> T? where T.RawValue == String {
        guard let raw = values[name] else { return nil }
        guard let value = T(rawValue: raw) else {
            throw APIError.invalid(name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// `offset` and `limit` with the API's bounds (limit 1–100, default 20).
    func page(defaultLimit: Int = 20) throws -> PageRequest {
        do {
            return try PageRequest(offset: try int("offset", default: 0), limit: try int("limit", default: defaultLimit))
        } catch let error as IndexError {
            throw ErrorMapping.apiError(for: error)
        }
    }
}

extension Parameters {
    /// A UUID path parameter; a malformed one is a 404 (no such resource can exist).
    func uuid(_ name: String, entity: String) throws -> UUID {
        guard let value = get(name, as: UUID.self) else { throw APIError.notFound("\(entity) not found") }
        return value
    }
}
