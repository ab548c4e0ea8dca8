import Index

/// The content of the OpenAPI document (kept true to the router by a test).
enum OpenAPISpec {
    static var document: JSONValue {
        .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("Lore"), "version": .string("1.0.0")]),
            "paths": .object([:]),
        ])
    }
}
