import Foundation

extension RateLimitSettings {
    /// A `LORE_RATE_LIMIT_*` variable that does not parse.
    public struct InvalidSetting: Error, CustomStringConvertible {
        public var name: String
        public var value: String
        public var description: String { "invalid \(name): '\(value)' (expected \(expected))" }
        var expected: String
    }

    /// The settings named by `LORE_RATE_LIMIT_*` variables (SPEC §6), defaults for those unset:
    ///
    /// - `LORE_RATE_LIMIT_ENABLED` (`true`): `false` turns every limit off;
    /// - `LORE_RATE_LIMIT_REQUESTS` (600) per `LORE_RATE_LIMIT_WINDOW` seconds (60): per API key,
    ///   user, or client address;
    /// - `LORE_RATE_LIMIT_LOGIN_REQUESTS` (20 per address) and `LORE_RATE_LIMIT_LOGIN_EMAIL_REQUESTS`
    ///   (10 per e-mail) per `LORE_RATE_LIMIT_LOGIN_WINDOW` seconds (60);
    /// - `LORE_RATE_LIMIT_REGISTER_REQUESTS` (10 per address) per `LORE_RATE_LIMIT_REGISTER_WINDOW`
    ///   seconds (3600);
    /// - `LORE_RATE_LIMIT_MAX_BUCKETS` (100000);
    /// - `LORE_RATE_LIMIT_TRUST_FORWARDED_FOR` (`false`).
    public init(environment: [String: String]) throws {
        let defaults = RateLimitSettings.standard
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        }
        func positive(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), number > 0 else {
                throw InvalidSetting(name: name, value: text, expected: "a whole number above 0")
            }
            return number
        }
        func flag(_ name: String, _ fallback: Bool) throws -> Bool {
            guard let text = value(name) else { return fallback }
            switch text.lowercased() {
            case "true", "1", "yes", "on", "enabled": return true
            case "false", "0", "no", "off", "disabled": return false
            default: throw InvalidSetting(name: name, value: text, expected: "true or false")
            }
        }
        let window = Duration.seconds(try positive("LORE_RATE_LIMIT_WINDOW", Int(defaults.requests.window.components.seconds)))
        let loginWindow = Duration.seconds(try positive("LORE_RATE_LIMIT_LOGIN_WINDOW", Int(defaults.loginPerAddress.window.components.seconds)))
        let registerWindow = Duration.seconds(
            try positive("LORE_RATE_LIMIT_REGISTER_WINDOW", Int(defaults.registrationPerAddress.window.components.seconds)))
        self.init(
            enabled: try flag("LORE_RATE_LIMIT_ENABLED", defaults.enabled),
            requests: RateLimitPolicy(requests: try positive("LORE_RATE_LIMIT_REQUESTS", defaults.requests.requests), per: window),
            loginPerAddress: RateLimitPolicy(
                requests: try positive("LORE_RATE_LIMIT_LOGIN_REQUESTS", defaults.loginPerAddress.requests), per: loginWindow),
            loginPerEmail: RateLimitPolicy(
                requests: try positive("LORE_RATE_LIMIT_LOGIN_EMAIL_REQUESTS", defaults.loginPerEmail.requests), per: loginWindow),
            registrationPerAddress: RateLimitPolicy(
                requests: try positive("LORE_RATE_LIMIT_REGISTER_REQUESTS", defaults.registrationPerAddress.requests), per: registerWindow),
            maximumBuckets: try positive("LORE_RATE_LIMIT_MAX_BUCKETS", defaults.maximumBuckets),
            trustForwardedFor: try flag("LORE_RATE_LIMIT_TRUST_FORWARDED_FOR", defaults.trustForwardedFor))
    }
}
