import Foundation

/// A real Git repository made in a test: files written, moved and removed, commits with fixed
/// authors and dates, history rewritten for force-pushes. Sources fetch it by its path.
public final class GitRepositoryFixture: Sendable {
    public let folder: URL
    public var path: String { folder.path }

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    public func write(_ path: String, _ text: String) throws { try write(path, Data(text.utf8)) }

    public func write(_ path: String, _ data: Data) throws {
        let file = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    public func move(_ from: String, to: String) throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(to).deletingLastPathComponent(), withIntermediateDirectories: true)
        try git("mv", from, to)
    }

    public func remove(_ path: String) throws { try git("rm", "-q", path) }

    /// Commits everything; returns the new head.
    @discardableResult
    public func commit(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try head()
    }

    public func head() throws -> String { try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Moves the branch back to `commit` (the next commit rewrites history, as a force-push does).
    public func reset(to commit: String) throws { try git("reset", "-q", "--hard", commit) }

    /// The files of the working tree (what the head commit holds), by path.
    public func files() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try git("ls-files", "-z").split(separator: "\0").map(String.init) {
            files[path] = try Data(contentsOf: folder.appendingPathComponent(path))
        }
        return files
    }

    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging([
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_CONFIG_NOSYSTEM": "1", "HOME": folder.path,
        ]) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GitFixtureError(arguments: arguments) }
        return String(decoding: data, as: UTF8.self)
    }
}

public struct GitFixtureError: Error { public var arguments: [String] }
