import Foundation

/// A file in a commit's tree.
struct TreeEntry: Sendable, Equatable {
    var path: String
    /// Git's file mode: `100644`/`100755` files, `120000` symbolic links, `160000` submodules.
    var mode: String
    var object: String

    var isRegularFile: Bool { mode == "100644" || mode == "100755" }
}

/// What changed between two commits: the paths that no longer hold what they held, the entries
/// now present at changed paths, and renames (new path → old path).
struct TreeChanges: Sendable, Equatable {
    var removed: [String] = []
    var present: [TreeEntry] = []
    var renames: [String: String] = [:]
}

/// A source's bare mirror of its repository, under the sources folder (`LORE_SOURCES_DIR`).
///
/// Only the process holding the source's sync claim uses it; the claim is what makes clearing a
/// crashed process's lock files safe.
struct GitMirror: Sendable {
    let directory: URL
    let git: GitCommand

    /// The ref a fetch updates to the source's head.
    static let headRef = "refs/lore/head"

    /// Fetches `ref` of `url` and returns the commit it names. A mirror that a crash left
    /// unusable is made again from scratch, once.
    func fetch(_ url: String, ref: String) async throws(SourceSyncError) -> String {
        do {
            try await prepare()
            return try await fetchOnce(url, ref: ref)
        } catch {
            guard FileManager.default.fileExists(atPath: directory.path) else { throw error }
            try? FileManager.default.removeItem(at: directory)
            try await prepare()
            return try await fetchOnce(url, ref: ref)
        }
    }

    private func fetchOnce(_ url: String, ref: String) async throws(SourceSyncError) -> String {
        _ = try await run(["fetch", "--no-tags", "--force", "--quiet", "--no-write-fetch-head", "--end-of-options",
                           url, "+\(ref):\(Self.headRef)"])
        return try await revision(Self.headRef)
    }

    private func prepare() async throws(SourceSyncError) {
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("HEAD").path) {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw .git("the sources folder cannot be written: \(error.localizedDescription)")
            }
            _ = try await git.run(["init", "--bare", "--quiet", directory.path])
        }
        removeStaleLocks()
    }

    /// Lock files a killed git left behind; only the claim holder gets here, so none is live.
    private func removeStaleLocks() {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return }
        for case let file as URL in files where file.pathExtension == "lock" {
            try? FileManager.default.removeItem(at: file)
        }
    }

    /// The commit `name` resolves to.
    func revision(_ name: String) async throws(SourceSyncError) -> String {
        let output = try await run(["rev-parse", "--verify", "--quiet", "--end-of-options", "\(name)^{commit}"])
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `commit` is in the mirror and `head` descends from it (not after a force-push).
    func canDiff(from commit: String, to head: String) async -> Bool {
        guard commit.allSatisfy(\.isHexDigit), !commit.isEmpty else { return false }
        return await git.succeeds(["--git-dir", directory.path, "merge-base", "--is-ancestor", commit, head])
    }

    /// When `commit` was committed.
    func commitDate(_ commit: String) async -> Date? {
        guard let output = try? await run(["log", "-1", "--format=%ct", commit]),
              let seconds = TimeInterval(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Every file of `commit`'s tree.
    func files(at commit: String) async throws(SourceSyncError) -> [TreeEntry] {
        let output = try await run(["ls-tree", "-r", "-z", "--full-tree", commit])
        return output.split(separator: 0, omittingEmptySubsequences: true).compactMap { record in
            // <mode> SP <type> SP <object> TAB <path>
            guard let tab = record.firstIndex(of: 9) else { return nil }
            let fields = String(decoding: record[..<tab], as: UTF8.self).split(separator: " ")
            guard fields.count == 3 else { return nil }
            return TreeEntry(path: String(decoding: record[(tab + 1)...], as: UTF8.self), mode: String(fields[0]), object: String(fields[2]))
        }
    }

    /// What changed from `base` to `head`, renames found by git.
    func changes(from base: String, to head: String) async throws(SourceSyncError) -> TreeChanges {
        let output = try await run(["diff-tree", "-r", "-z", "--raw", "--no-abbrev", "-M", "--no-commit-id", base, head])
        var fields = output.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }[...]
        var changes = TreeChanges()
        while let header = fields.popFirst(), header.hasPrefix(":") {
            // :<old mode> <new mode> <old object> <new object> <status>, then one or two paths.
            let parts = header.dropFirst().split(separator: " ")
            guard parts.count == 5, let status = parts[4].first, let first = fields.popFirst() else { break }
            let newMode = String(parts[1]), newObject = String(parts[3])
            switch status {
            case "R", "C":
                guard let second = fields.popFirst() else { break }
                if status == "R" {
                    changes.removed.append(first)
                    changes.renames[second] = first
                }
                changes.present.append(TreeEntry(path: second, mode: newMode, object: newObject))
            case "D":
                changes.removed.append(first)
            default: // A, M, T
                changes.removed.append(first)
                changes.present.append(TreeEntry(path: first, mode: newMode, object: newObject))
            }
        }
        return changes
    }

    /// The sizes of `objects`, in bytes.
    func sizes(of objects: [String]) async throws(SourceSyncError) -> [String: Int] {
        guard !objects.isEmpty else { return [:] }
        let output = try await run(["cat-file", "--batch-check=%(objectname) %(objectsize)"], input: Data((objects.joined(separator: "\n") + "\n").utf8))
        var sizes: [String: Int] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let size = Int(parts[1]) { sizes[String(parts[0])] = size }
        }
        return sizes
    }

    /// The contents of `objects` (blobs).
    func contents(of objects: [String]) async throws(SourceSyncError) -> [String: Data] {
        guard !objects.isEmpty else { return [:] }
        let output = try await run(["cat-file", "--batch"], input: Data((objects.joined(separator: "\n") + "\n").utf8))
        var contents: [String: Data] = [:]
        var index = output.startIndex
        // <object> SP <type> SP <size> LF <contents> LF, for each object in turn.
        while index < output.endIndex, let newline = output[index...].firstIndex(of: 10) {
            let header = String(decoding: output[index..<newline], as: UTF8.self).split(separator: " ")
            index = newline + 1
            guard header.count == 3, let size = Int(header[2]) else { continue }
            let end = min(index + size, output.endIndex)
            contents[String(header[0])] = output[index..<end]
            index = end + 1
        }
        return contents
    }

    private func run(_ arguments: [String], input: Data? = nil) async throws(SourceSyncError) -> Data {
        try await git.run(["--git-dir", directory.path] + arguments, input: input)
    }
}
