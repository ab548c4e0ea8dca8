import Foundation
import Index

/// The `git` command, Lore's engine of record for sources (see ARCHITECTURE.md): run with its
/// arguments as a list — never through a shell — with prompts off and only the `file`, `https`
/// and `ssh` transports allowed. Credentials come from the server's environment (credential
/// helpers, `GIT_ASKPASS`, the SSH agent), never from Lore.
struct GitCommand: Sendable {
    let executable: URL
    let environment: [String: String]
    /// The longest one git command may run before it is stopped.
    let timeout: Duration

    init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = .seconds(600)) throws(SourceSyncError) {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        guard let found = path.split(separator: ":").map({ URL(fileURLWithPath: String($0)).appendingPathComponent("git") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw .git("the git command was not found on PATH; install git to use sources")
        }
        executable = found
        var environment = environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ALLOW_PROTOCOL"] = "file:https:ssh"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["LC_ALL"] = "C"
        // SSH must never wait for a host-key or password prompt.
        if environment["GIT_SSH_COMMAND"] == nil { environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes" }
        self.environment = environment
        self.timeout = timeout
    }

    /// Runs `git arguments…` (in `directory`), feeding `input`; returns standard output, or
    /// throws ``SourceSyncError/git(_:)`` with git's message when it fails or runs too long.
    func run(_ arguments: [String], in directory: URL? = nil, input: Data? = nil) async throws(SourceSyncError) -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do {
            try process.run()
        } catch {
            throw .git("git could not be started: \(error)")
        }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.components.seconds * 1000)), execute: timer)
        defer { timer.cancel() }
        if let input {
            DispatchQueue.global().async {
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
        }
        // Both pipes are drained on their own threads, so neither can fill and stall git.
        async let out = Self.readAll(output.fileHandleForReading)
        async let err = Self.readAll(errors.fileHandleForReading)
        let (stdout, stderr) = await (out, err)
        await Self.waitForExit(process)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let what = process.terminationReason == .uncaughtSignal ? "was stopped after \(timeout)" : "failed"
            let command = (arguments.first == "--git-dir" ? arguments.dropFirst(2) : arguments[...]).first ?? ""
            throw .git(SourceURL.redactingCredentials("git \(command) \(what)" + (message.isEmpty ? "" : ": \(message.suffix(500))")))
        }
        return stdout
    }

    /// Whether `git arguments…` succeeds.
    func succeeds(_ arguments: [String], in directory: URL? = nil) async -> Bool {
        (try? await run(arguments, in: directory)) != nil
    }

    private static func readAll(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }

    private static func waitForExit(_ process: Process) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }
}
