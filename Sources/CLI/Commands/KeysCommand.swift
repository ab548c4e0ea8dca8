import ArgumentParser
import Foundation
import Index

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage a project's scoped API keys: read-only or read-write, confined to a folder, expiring.",
        discussion: """
            The key a project gets at creation reaches everything in it. Give agents, CI jobs and chatbots keys of \
            their own instead, each with the least they need, and revoke one without breaking the others:
              lore keys create --project docs --name claude --read-only --path-prefix handbook/ --expires-in 30d
            """,
        subcommands: [CreateKeyCommand.self, ListKeysCommand.self, RevokeKeyCommand.self])
}

struct CreateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a key and print it (shown this once).")

    @OptionGroup var store: StoreOptions
    @Option(help: "The project's id or slug.") var project: String
    @Option(help: "What the key is for, e.g. 'claude-code' or 'ci'.") var name: String
    @Flag(help: "Search and read only; writes are refused (403).") var readOnly = false
    @Option(help: "Confine the key to documents under this folder, e.g. 'handbook/'.") var pathPrefix: String?
    @Option(help: "Expire the key after this long: a number and a unit, s, m, h, d or w (e.g. 30d).") var expiresIn: String?
    @Flag(help: "Print the key's record with the key as JSON.") var json = false

    func run() async throws {
        let expiresAt = try expiresIn.map { Date().addingTimeInterval(try KeyLifetime.parse($0)) }
        let opened = try await store.openStore()
        let target = try await store.resolveProject(project, in: opened)
        let (key, secret) = try await opened.createKey(
            NewProjectKey(name: name, access: readOnly ? .read : .write, pathPrefix: pathPrefix, expiresAt: expiresAt),
            in: target.id)
        if json {
            // The record with the key beside its fields, as `POST /keys` answers.
            try JSONOutput.print(ObjectWithField(object: key, key: "key", value: secret))
        } else {
            KeyTable.describe(key)
            print("key:         \(secret)")
            Terminal.writeError("Keep the key now: it is stored only as a hash and cannot be shown again.")
        }
    }
}

struct ListKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a project's keys (never the keys themselves).")

    @OptionGroup var store: StoreOptions
    @Option(help: "The project's id or slug.") var project: String
    @Flag(help: "Print the records as a JSON array.") var json = false

    func run() async throws {
        let opened = try await store.openStore()
        let target = try await store.resolveProject(project, in: opened)
        let keys = try await opened.keys(in: target.id, page: try PageRequest(offset: 0, limit: ProjectKey.maximumPerProject))
        if json {
            try JSONOutput.print(keys.items)
            return
        }
        guard !keys.items.isEmpty else {
            print("No keys besides the project's own. Create one with: lore keys create --project \(project) --name NAME --read-only")
            return
        }
        for (index, key) in keys.items.enumerated() {
            if index > 0 { print("") }
            KeyTable.describe(key)
        }
    }
}

struct RevokeKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a key: every server refuses it from now on.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The project's id or slug.") var project: String
    @Argument(help: "The key's id, as `lore keys list` shows it.") var keyID: String

    func run() async throws {
        guard let id = UUID(uuidString: keyID) else {
            throw ValidationError("KEY_ID must be a key's id (a UUID), as `lore keys list` shows it")
        }
        let opened = try await store.openStore()
        let target = try await store.resolveProject(project, in: opened)
        try await opened.revokeKey(id: id, in: target.id)
        print("revoked \(id.uuidString.lowercased())")
    }
}

/// The lifetime `--expires-in` gives: a whole number and a unit.
enum KeyLifetime {
    static func parse(_ text: String) throws -> TimeInterval {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int(text.dropLast()), count > 0,
              count <= 36_500 * 86_400 / Int(unit) else {
            throw ValidationError("--expires-in must be a positive number and a unit, s, m, h, d or w, of at most 100 years (like 30d)")
        }
        return TimeInterval(count) * unit
    }
}

/// Keys as the command line prints them.
enum KeyTable {
    static func describe(_ key: ProjectKey) {
        let never = "never"
        print("id:          \(key.id.uuidString.lowercased())")
        print("name:        \(key.name)")
        print("prefix:      \(key.prefix)…")
        print("access:      \(key.access.rawValue)")
        print("path prefix: \(key.pathPrefix ?? "(whole project)")")
        print("created:     \(key.createdAt.formatted(.iso8601))")
        print("last used:   \(key.lastUsedAt?.formatted(.iso8601) ?? never)")
        print("expires:     \(key.expiresAt?.formatted(.iso8601) ?? never)")
    }
}
