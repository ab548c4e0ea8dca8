/// Whether a Lore process runs for development (details in errors, generated secrets, readable
/// logs) or production (JSON logs, strict settings).
public enum AppEnvironment: String, Sendable, CaseIterable {
    case development, production
}
