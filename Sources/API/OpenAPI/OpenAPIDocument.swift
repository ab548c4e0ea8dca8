import Foundation

/// The OpenAPI 3.1 document of the API, encoded once.
enum OpenAPIDocument {
    static let json: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(OpenAPISpec.document)) ?? Data("{}".utf8)
    }()
}
