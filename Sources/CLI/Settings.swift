import Foundation
import Index
import Logging
import Runtime
import Search
import Vectors
import Runtime

/// The settings every command reads from the environment (SPEC §6).
struct Settings {
    static let defaultDatabaseURL = "sqlite://./data/lore.db"

    var variables: [String: String]

    init(variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    /// `LORE_DATABASE_URL`, or the default SQLite file.
    var databaseURL: String {
        variables["LORE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultDatabaseURL
    }

    var logLevel: String? { variables["LORE_LOG_LEVEL"] }
    /// `LORE_LOG_FORMAT` (`text` | `json`); JSON by default in production.
    var logFormat: LogFormat { LogFormat.resolve(nonEmpty("LORE_LOG_FORMAT"), environment: environment) }

    var host: String { nonEmpty("LORE_HOST") ?? "127.0.0.1" }
    var port: Int { nonEmpty("LORE_PORT").flatMap(Int.init) ?? 8080 }
    var portIsValid: Bool { nonEmpty("LORE_PORT").map { Int($0).map { (0...65535).contains($0) } ?? false } ?? true }
    var environment: AppEnvironment { nonEmpty("LORE_ENV").flatMap { AppEnvironment(rawValue: $0.lowercased()) } ?? .development }
    var jwtSecret: String? { nonEmpty("LORE_JWT_SECRET") }
    var registrationEnabled: Bool { (nonEmpty("LORE_REGISTRATION") ?? "enabled").lowercased() == "enabled" }

    /// The settings whose value must be one of a few words, with those words. Settings fail
    /// closed: a value that is not listed stops every command with a message naming it, so
    /// `LORE_REGISTRATION=off` or `LORE_ENV=prod` can never silently mean the opposite.
    static let enumerated: [(name: String, values: [String])] = [
        ("LORE_ENV", AppEnvironment.allCases.map(\.rawValue)),
        ("LORE_REGISTRATION", ["enabled", "disabled"]),
        ("LORE_LOG_FORMAT", LogFormat.allCases.map(\.rawValue)),
        ("LORE_LOG_LEVEL", Logger.Level.allCases.map(\.rawValue)),
        ("LORE_EMBEDDER", EmbedderSettings.Kind.allCases.map(\.rawValue)),
        ("LORE_SOURCES_LOCAL", ["enabled", "disabled"]),
    ]

    /// Throws ``CLIError/badSetting(name:value:)`` for the first setting whose value is not one
    /// of its words (compared without case), or a port that is not a number 0–65535.
    func validate() throws(CLIError) {
        for (name, values) in Self.enumerated {
            guard let value = nonEmpty(name) else { continue }
            guard values.contains(value.lowercased()) else {
                throw .badSetting(name: name, value: "'\(value)' (expected one of: \(values.joined(separator: ", ")))")
            }
        }
        guard portIsValid else { throw .badSetting(name: "LORE_PORT", value: "'\(variables["LORE_PORT"] ?? "")' (expected 0–65535)") }
    }

    /// `LORE_SOURCES_DIR`: where sources keep their mirrors (default: `sources/` in the data folder).
    var sourcesDirectory: URL? { nonEmpty("LORE_SOURCES_DIR").map { URL(fileURLWithPath: $0) } }
    /// `LORE_SOURCES_LOCAL`: whether a source may name a repository on this machine's disk.
    var sourcesAllowLocalPaths: Bool { (nonEmpty("LORE_SOURCES_LOCAL") ?? "enabled").lowercased() == "enabled" }

    /// The sources settings of the installation at `databaseURL`.
    func sourceSettings(databaseURL: String) -> SourceSettings {
        let dataDirectory = (try? DatabaseLocation.parse(databaseURL).dataDirectory) ?? URL(fileURLWithPath: "data")
        return SourceSettings(directory: sourcesDirectory ?? dataDirectory.appendingPathComponent("sources"),
                              allowsLocalPaths: sourcesAllowLocalPaths)
    }

    /// The engine every command assembles: the configured embedder (none when `fullTextOnly`).
    func engineOptions(fullTextOnly: Bool = false, databaseURL: String? = nil) throws -> EngineOptions {
        EngineOptions(embedder: fullTextOnly ? EmbedderSettings(kind: .none) : try EmbedderSettings(environment: variables),
                      sources: sourceSettings(databaseURL: databaseURL ?? self.databaseURL))
    }

    private func nonEmpty(_ name: String) -> String? {
        variables[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Failures of the command line that are not errors of a lower layer.
enum CLIError: Error, CustomStringConvertible {
    case badSetting(name: String, value: String)
    case ambiguousProject(String)
    case message(String)

    var description: String {
        switch self {
        case .badSetting(let name, let value): "invalid \(name): \(value)"
        case .ambiguousProject(let slug): "several projects have the slug '\(slug)': use the project id"
        case .message(let text): text
        }
    }
}
