import Foundation
import Logging

/// A `LogHandler` that scrubs every event with ``LogRedactor`` before the handler it wraps sees
/// it: the message, the event's metadata, the logger's own metadata and that of the metadata
/// provider, and a logged error (turned into redacted `error` metadata).
///
/// It keeps the logger metadata and the provider itself and hands the wrapped handler only
/// redacted explicit metadata, so nothing reaches the output by another route.
public struct RedactingLogHandler: LogHandler {
    private var wrapped: any LogHandler
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(wrapping handler: any LogHandler) {
        var handler = handler
        metadata = handler.metadata
        metadataProvider = handler.metadataProvider
        handler.metadata = [:]
        handler.metadataProvider = nil
        wrapped = handler
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = .string("\(error)")
        }
        var redacted = event
        redacted.message = Logger.Message(stringLiteral: LogRedactor.redact(event.message.description))
        redacted.metadata = merged.isEmpty ? nil : LogRedactor.redact(merged)
        redacted.error = nil
        wrapped.log(event: redacted)
    }
}
