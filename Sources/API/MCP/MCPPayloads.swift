import Foundation
import Index
import MCP

/// The documents of tool results are the HTTP API's documents (``DocumentResponse``): one type,
/// one shape.
extension DocumentResponse {
    /// The output schema of a document; `withContent` adds the required `content`.
    static func schema(withContent: Bool) -> Value {
        var properties: [String: Value] = [
            "id": JSONSchema.string("The document's id (UUID)."),
            "projectId": JSONSchema.string("The project's id (UUID)."),
            "path": JSONSchema.string("The document's path in the project."),
            "title": JSONSchema.string("The given title, else the first Markdown heading, else the file name."),
            "tags": JSONSchema.array("Tags.", of: ["type": "string"]),
            "metadata": JSONSchema.freeObject("Free-form JSON metadata given on write."),
            "version": JSONSchema.integer("1 on creation, +1 on every change."),
            "contentHash": JSONSchema.string("SHA-256 of the content, lower-case hex."),
            "embeddingStatus": JSONSchema.enumeration("Where the semantic index stands for this document.",
                                                      EmbeddingStatus.allCases.map(\.rawValue)),
            "createdAt": JSONSchema.string("ISO-8601 UTC time of creation."),
            "updatedAt": JSONSchema.string("ISO-8601 UTC time of the last change."),
            "source": sourceSchema,
        ]
        var required = ["id", "projectId", "path", "title", "tags", "metadata", "version", "contentHash", "embeddingStatus", "createdAt", "updatedAt"]
        if withContent {
            properties["content"] = JSONSchema.string("The full Markdown or text content.")
            required.append("content")
        }
        return JSONSchema.object(properties, required: required)
    }
}

/// The provenance of a document a Git source holds (SPEC §11), in documents and search hits.
let sourceSchema = JSONSchema.object([
    "id": JSONSchema.string("The source's id (UUID)."),
    "commit": JSONSchema.string("The commit the content is from (40 hex digits)."),
    "path": JSONSchema.string("The file's path in the repository."),
], required: ["id", "commit", "path"], description: "Present when the document comes from a Git source: it is read-only here; change the file in the repository.")

extension CallTool.Result {
    /// A successful result: `text` for the model, `structured` for programs, encoded as the HTTP
    /// API encodes its bodies (so ids, dates and hits read the same through every front door).
    static func success(text: String, structured: some Encodable) throws -> CallTool.Result {
        let value = try JSONDecoder().decode(Value.self, from: APIJSON.encoder.encode(structured))
        return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: Optional<Value>.some(value), isError: false)
    }
}
