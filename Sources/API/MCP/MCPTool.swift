import Foundation
import Index
import MCP
import Search

/// What a tool call acts on: the project the API key selected, as far as the key reaches
/// (every read, write and search goes through its ``ProjectAccess``).
struct MCPToolContext<AppStore: Store>: Sendable {
    let access: ProjectAccess<AppStore>

    var project: Project { access.project }
}

/// One MCP tool: its definition for `tools/list` and what `tools/call` does.
///
/// A tool throws argument errors (``MCPToolError``) and domain errors (`IndexError`,
/// `SearchError`); ``MCPErrorMapping`` turns them into a result with `isError: true`.
protocol MCPTool {
    /// Name, description, input and output schemas and annotations, as `tools/list` shows them.
    static var definition: Tool { get }

    /// Runs the tool with arguments already checked against the names the schema declares.
    static func call<AppStore: Store>(_ arguments: MCPArguments, in context: MCPToolContext<AppStore>) async throws -> CallTool.Result
}

extension MCPTool {
    /// Whether the tool changes documents (so a read key neither sees nor runs it).
    static var writes: Bool { definition.annotations.readOnlyHint != true }

    /// The argument names the input schema declares.
    static var argumentNames: [String] {
        definition.inputSchema.objectValue?["properties"]?.objectValue.map { $0.keys.sorted() } ?? []
    }
}

/// The tools Lore exposes, in the order `tools/list` shows them.
enum MCPTools {
    static var all: [any MCPTool.Type] {
        [SearchTool.self, ReadDocumentTool.self, WriteDocumentTool.self, ListDocumentsTool.self, DeleteDocumentTool.self]
    }

    static var names: [String] { all.map { $0.definition.name } }

    /// The tools a key with `scope` may run: a read key gets only those that do not write.
    static func available(to scope: KeyScope) -> [any MCPTool.Type] {
        all.filter { scope.canWrite || !$0.writes }
    }

    static func named(_ name: String) -> (any MCPTool.Type)? {
        all.first { $0.definition.name == name }
    }
}

/// Builders for the JSON Schemas (2020-12) of tool inputs and outputs.
enum JSONSchema {
    /// An object with these properties; no others are allowed.
    static func object(_ properties: [String: Value], required: [String] = [], description: String? = nil) -> Value {
        var schema: [String: Value] = [
            "type": "object",
            "properties": .object(properties),
            "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = .array(required.map(Value.string)) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func string(_ description: String, minLength: Int? = nil, maxLength: Int? = nil) -> Value {
        var schema: [String: Value] = ["type": "string", "description": .string(description)]
        if let minLength { schema["minLength"] = .int(minLength) }
        if let maxLength { schema["maxLength"] = .int(maxLength) }
        return .object(schema)
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil, default value: Int? = nil) -> Value {
        var schema: [String: Value] = ["type": "integer", "description": .string(description)]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        if let value { schema["default"] = .int(value) }
        return .object(schema)
    }

    static func number(_ description: String) -> Value {
        ["type": "number", "description": .string(description)]
    }

    static func enumeration(_ description: String, _ cases: [String], default value: String? = nil) -> Value {
        var schema: [String: Value] = ["type": "string", "enum": .array(cases.map(Value.string)), "description": .string(description)]
        if let value { schema["default"] = .string(value) }
        return .object(schema)
    }

    static func array(_ description: String, of items: Value) -> Value {
        ["type": "array", "items": items, "description": .string(description)]
    }

    static func nullableString(_ description: String) -> Value {
        ["type": .array(["string", "null"]), "description": .string(description)]
    }

    /// A map from strings to any JSON value.
    static func freeObject(_ description: String) -> Value {
        ["type": "object", "description": .string(description)]
    }
}
