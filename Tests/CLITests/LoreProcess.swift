import Foundation
import LoreTestSupport

/// Runs the built `lore` executable as a child process, as a user would.
struct LoreProcess {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `LORE_BINARY`, else the debug build beside the package.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["LORE_BINARY"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/lore")
    }

    /// The database the commands use (`LORE_DATABASE_URL`): the integration backend's.
    let database: TestDatabase
    var folder: URL { database.folder }
    var databaseURL: String { database.url }

    /// A new working folder and a new database of `backend`.
    static func make(_ backend: TestBackend = TestBackend.integration) async throws -> LoreProcess {
        LoreProcess(database: try await TestDatabase.create(backend))
    }

    /// Runs `lore` with `arguments`; `environment` adds to (or overrides) the test's own.
    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["LORE_DATABASE_URL"] = databaseURL
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }
}
