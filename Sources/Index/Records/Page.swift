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

/// Offset and limit of a page; `limit` 1–100, `offset` ≥ 0.
public struct PageRequest: Sendable, Equatable {
    public static let maximumLimit = 100
    public var offset: Int
    public var limit: Int

    /// Validates the bounds; throws `IndexError.invalid` naming `offset` or `limit`.
    public init(offset: Int = 0, limit: Int = 20) throws(IndexError) {
        guard offset >= 0 else { throw .invalid(field: "offset", reason: "must be 0 or more") }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalid(field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
        }
        self.offset = offset
        self.limit = limit
    }
}
