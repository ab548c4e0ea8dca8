import Foundation
import Logging

/// How log lines are written: readable text, or JSON lines for log collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json

    /// `LORE_LOG_FORMAT` when set (`text` or `json`), else JSON in production and text otherwise.
    public static func resolve(_ setting: String?, environment: AppEnvironment) -> LogFormat {
        if let setting, let format = LogFormat(rawValue: setting.trimmingCharacters(in: .whitespaces).lowercased()) {
            return format
        }
        return environment == .production ? .json : .text
    }
}

/// The log handlers of every Lore process: standard error, in the chosen format, always behind
/// ``RedactingLogHandler`` so that no secret reaches a log whichever logger writes it.
public enum LogOutput {
    /// The handler `LoggingSystem.bootstrap` installs for `label`.
    public static func makeHandler(label: String, level: Logger.Level, format: LogFormat) -> RedactingLogHandler {
        var handler: any LogHandler = switch format {
        case .text: StreamLogHandler.standardError(label: label)
        case .json: JSONLogHandler.standardError(label: label)
        }
        handler.logLevel = level
        return RedactingLogHandler(wrapping: handler)
    }
}
