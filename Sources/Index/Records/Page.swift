/// One page of an ordered list, with the total count of matching items.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var offset: Int
    public var limit: Int
    public var total: Int

    public init(items: [Item], offset: Int, limit: Int, total: Int) {
        self.items = items
        self.offset = offset
        self.limit = limit
        self.total = total
    }
}

/// Offset and limit of a page; `limit` 1–100, `offset` ≥ 0, `offset + limit` ≤ 10,000.
public struct PageRequest: Sendable, Equatable {
    public static let maximumLimit = 100
    /// The deepest any list or search pages (`offset + limit`). Every page of every front door is
    /// checked against it where the request is read, so no later sum or product of paging values
    /// can overflow, and no request makes a store fetch more than this many rows.
    public static let maximumWindow = 10_000
    public var offset: Int
    public var limit: Int

    /// Validates the bounds; throws `IndexError.invalid` naming `offset` or `limit`.
    public init(offset: Int = 0, limit: Int = 20) throws(IndexError) {
        guard offset >= 0 else { throw .invalid(field: "offset", reason: "must be 0 or more") }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalid(field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
        }
        try Self.checkWindow(offset: offset, limit: limit)
        self.offset = offset
        self.limit = limit
    }
}

extension PageRequest {
    /// Throws `IndexError.invalid` naming `offset` when `offset + limit` passes
    /// ``maximumWindow``; `offset` ≥ 0 and `limit` 1…100 are checked before (the comparison is
    /// written so that it cannot overflow whatever the values).
    public static func checkWindow(offset: Int, limit: Int) throws(IndexError) {
        guard offset <= maximumWindow - limit else {
            throw .invalid(field: "offset", reason: "offset + limit must be at most \(maximumWindow)")
        }
    }
}
