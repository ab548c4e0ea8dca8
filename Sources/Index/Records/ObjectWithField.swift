/// The JSON object `object` encodes to, with one more field: `requestId` beside a search's
/// `meta`, `hits` beside the same fields in MCP's `structuredContent`, the secret `key` beside a
/// new key's record (HTTP and `lore keys create --json`).
public struct ObjectWithField<Object: Encodable, Value: Encodable>: Encodable {
    public var object: Object
    public var key: String
    public var value: Value

    public init(object: Object, key: String, value: Value) {
        self.object = object
        self.key = key
        self.value = value
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        try object.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(value, forKey: Key(stringValue: key))
    }
}
