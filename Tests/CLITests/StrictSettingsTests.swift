import Foundation
import Testing

/// Settings fail closed: a value Lore does not know stops it with a message naming the setting.
@Suite("Strict settings")
struct StrictSettingsTests {
    @Test(arguments: [["LORE_REGISTRATION": "false"], ["LORE_REGISTRATION": "off"], ["LORE_ENV": "prod"],
                      ["LORE_LOG_FORMAT": "yaml"], ["LORE_EMBEDDER": "bert"], ["LORE_LOG_LEVEL": "loud"], ["LORE_PORT": "99999"]])
    func unknownValuesRefuseToStart(_ setting: [String: String]) async throws {
        let lore = try await LoreProcess.make()
        let outcome = try lore.run(["migrate"], environment: setting)
        #expect(outcome.status == 1, "\(setting): \(outcome.stderr)")
        #expect(outcome.stderr.contains(setting.keys.first!), "\(outcome.stderr)")
    }

    @Test func knownValuesInAnyCaseAreAccepted() async throws {
        let lore = try await LoreProcess.make()
        let outcome = try lore.run(["migrate"], environment: ["LORE_REGISTRATION": "Disabled", "LORE_ENV": "DEVELOPMENT", "LORE_LOG_LEVEL": "error"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func demoIsRefusedInProduction() async throws {
        let lore = try await LoreProcess.make()
        let outcome = try lore.run(["serve", "--demo", "--port", "0"], environment: [
            "LORE_ENV": "production", "LORE_JWT_SECRET": "a-strong-secret-0123456789-abcdefghijklmnopqrstuvwxyz"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("--demo"), "\(outcome.stderr)")
    }
}
