import API
import ArgumentParser
import Foundation
import Hummingbird
import Index
import Logging
import Search
import Vectors
import Runtime

/// `lore serve`: the HTTP server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP server (and MCP endpoint).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on (LORE_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (LORE_PORT, default 8080; 0 picks a free port).") var port: Int?
    @Flag(help: "Load the sample project from fixtures/ and print a login and an API key.") var demo = false

    var settings: Settings { Settings() }

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0–65535") }
        guard Settings().portIsValid else { throw ValidationError("LORE_PORT must be a number 0–65535") }
    }

    func run() async throws {
        LoggingSetup.bootstrap(level: settings.logLevel, fallback: .info)
        if demo {
            guard settings.environment != .production else {
                throw CLIError.message("--demo is refused in production: it creates a user with a published password")
            }
            let opened = try await store.openStore()
            try await DemoProject.load(into: opened)
            await opened.close()
        }
        let app = try await buildApplication(try ServeArguments(command: self), logger: Logger(label: "lore"))
        try await app.runService()
    }
}

/// The settings of `lore serve` as the application reads them.
struct ServeArguments: AppArguments {
    var hostname: String
    var port: Int
    var databaseURL: String
    var environment: AppEnvironment
    var jwtSecret: String?
    var registrationEnabled: Bool
    var embedderSettings: EmbedderSettings
    var rateLimits: RateLimitSettings
    var sourcesDirectory: URL?
    var sourcesAllowLocalPaths: Bool

    init(command: ServeCommand) throws {
        let settings = command.settings
        hostname = command.host ?? settings.host
        port = command.port ?? settings.port
        databaseURL = command.store.database ?? settings.databaseURL
        environment = settings.environment
        jwtSecret = settings.jwtSecret
        registrationEnabled = settings.registrationEnabled
        embedderSettings = try EmbedderSettings(environment: settings.variables)
        rateLimits = try RateLimitSettings(environment: settings.variables)
        sourcesDirectory = settings.sourcesDirectory
        sourcesAllowLocalPaths = settings.sourcesAllowLocalPaths
    }
}
