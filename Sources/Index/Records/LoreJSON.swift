import Foundation

/// The JSON conventions of every answer Lore sends (HTTP, MCP, `--json`): camelCase keys,
/// ISO-8601 UTC dates, sorted keys for stable bytes, `/` unescaped.
public enum LoreJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
