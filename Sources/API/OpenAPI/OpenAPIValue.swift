import Index

/// A JSON value written with Swift literals, so that the OpenAPI document reads like the JSON it
/// becomes; `json` is the ``JSONValue`` that is encoded.
///
/// Object keys must be unique: a duplicate key stops the program when the document is built, which
/// the OpenAPI tests do.
struct OpenAPIValue: Sendable {
    var json: JSONValue

    init(_ json: JSONValue) {
        self.json = json
    }

    /// An object from computed members.
    static func object(_ members: [String: OpenAPIValue]) -> OpenAPIValue {
        OpenAPIValue(.object(members.mapValues(\.json)))
    }

    /// An array from computed elements.
    static func array(_ elements: [OpenAPIValue]) -> OpenAPIValue {
        OpenAPIValue(.array(elements.map(\.json)))
    }

    /// This object with the members of `other` added; `other` wins where both have a key.
    func merging(_ other: OpenAPIValue) -> OpenAPIValue {
        guard case .object(let mine) = json, case .object(let theirs) = other.json else { return other }
        return OpenAPIValue(.object(mine.merging(theirs) { _, new in new }))
    }
}

extension OpenAPIValue: ExpressibleByStringInterpolation {
    init(stringLiteral value: String) { json = .string(value) }
}

extension OpenAPIValue: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) { json = .number(Double(value)) }
}

extension OpenAPIValue: ExpressibleByFloatLiteral {
    init(floatLiteral value: Double) { json = .number(value) }
}

extension OpenAPIValue: ExpressibleByBooleanLiteral {
    init(booleanLiteral value: Bool) { json = .bool(value) }
}

extension OpenAPIValue: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: OpenAPIValue...) { json = .array(elements.map(\.json)) }
}

extension OpenAPIValue: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, OpenAPIValue)...) {
        json = .object(Dictionary(uniqueKeysWithValues: elements.map { ($0.0, $0.1.json) }))
    }
}
