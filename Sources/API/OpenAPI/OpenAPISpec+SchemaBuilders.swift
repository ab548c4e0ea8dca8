import Index

extension OpenAPISpec {
    /// Builders of the JSON Schema (2020-12, as OpenAPI 3.1 uses it) fragments of the document.
    enum Schema {
        static let string: OpenAPIValue = ["type": "string"]
        static let uuid: OpenAPIValue = ["type": "string", "format": "uuid"]
        static let dateTime: OpenAPIValue = ["type": "string", "format": "date-time"]
        static let count: OpenAPIValue = ["type": "integer", "minimum": 0]
        static let anyObject: OpenAPIValue = ["type": "object"]

        /// A reference to `#/components/schemas/<name>`.
        static func ref(_ name: String) -> OpenAPIValue {
            ["$ref": "#/components/schemas/\(name)"]
        }

        /// A string with length bounds (JSON Schema counts code points).
        static func string(minLength: Int? = nil, maxLength: Int? = nil, description: String? = nil) -> OpenAPIValue {
            var schema: [String: OpenAPIValue] = ["type": "string"]
            if let minLength { schema["minLength"] = OpenAPIValue(.number(Double(minLength))) }
            if let maxLength { schema["maxLength"] = OpenAPIValue(.number(Double(maxLength))) }
            if let description { schema["description"] = OpenAPIValue(.string(description)) }
            return .object(schema)
        }

        /// An integer with optional bounds and default.
        static func integer(minimum: Int? = nil, maximum: Int? = nil, default fallback: Int? = nil) -> OpenAPIValue {
            var schema: [String: OpenAPIValue] = ["type": "integer"]
            if let minimum { schema["minimum"] = OpenAPIValue(.number(Double(minimum))) }
            if let maximum { schema["maximum"] = OpenAPIValue(.number(Double(maximum))) }
            if let fallback { schema["default"] = OpenAPIValue(.number(Double(fallback))) }
            return .object(schema)
        }

        /// A string restricted to `values`.
        static func enumeration(_ values: [String], default fallback: String? = nil) -> OpenAPIValue {
            var schema: [String: OpenAPIValue] = ["type": "string", "enum": .array(values.map { OpenAPIValue(.string($0)) })]
            if let fallback { schema["default"] = OpenAPIValue(.string(fallback)) }
            return .object(schema)
        }

        /// `schema` that also accepts (or may be) `null`: its `type` becomes `[type, "null"]`.
        static func nullable(_ schema: OpenAPIValue) -> OpenAPIValue {
            guard case .object(var members) = schema.json, case .string(let type)? = members["type"] else {
                return ["anyOf": [schema, ["type": "null"]]]
            }
            members["type"] = .array([.string(type), .string("null")])
            if case .array(let values)? = members["enum"] { members["enum"] = .array(values + [.null]) }
            return OpenAPIValue(.object(members))
        }

        /// An array of `items`.
        static func array(of items: OpenAPIValue, maxItems: Int? = nil) -> OpenAPIValue {
            var schema: [String: OpenAPIValue] = ["type": "array", "items": items]
            if let maxItems { schema["maxItems"] = OpenAPIValue(.number(Double(maxItems))) }
            return .object(schema)
        }

        /// A closed object: `properties`, of which `required` (default: all) must be present, and no others.
        static func object(_ properties: [String: OpenAPIValue], required: [String]? = nil) -> OpenAPIValue {
            let names = (required ?? Array(properties.keys)).sorted()
            return [
                "type": "object",
                "properties": .object(properties),
                "required": .array(names.map { OpenAPIValue(.string($0)) }),
                "additionalProperties": false,
            ]
        }

        /// The success envelope `{data, meta}` around `data`, with `meta` the named meta schema.
        static func envelope(_ data: OpenAPIValue, meta: String = "RequestMeta") -> OpenAPIValue {
            object(["data": data, "meta": ref(meta)])
        }
    }
}
