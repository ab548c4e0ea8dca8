import Foundation
import Index

/// A file of the head commit a sync would store: its document and content hash.
struct SourceFileTarget: Sendable {
    var document: NewDocument
    var contentHash: String
}

/// What a repository file makes: a document, or a reason to leave it out.
enum FileReading: Sendable {
    case document(SourceFileTarget)
    case skipped(SkippedFile)
}

/// Turns the repository's files into a ``SourceSyncPlan`` against what the source holds.
///
/// Invariant: after the plan is applied, the source holds exactly one document per selected,
/// readable file of the head commit, at `pathPrefix + path`, with that file's content; a document
/// whose content reappears at another path is moved (keeping its id, chunks and embeddings), and
/// a document whose content is unchanged is not written at all.
struct SourceSyncPlanner: Sendable {
    let source: Source
    let include: [PathPattern]
    let exclude: [PathPattern]
    let preparer = DocumentPreparer()

    init(source: Source) {
        self.source = source
        include = source.include.map(PathPattern.init)
        exclude = source.exclude.map(PathPattern.init)
    }

    /// Whether the source follows the file at `path` (by its filters alone).
    func selects(_ path: String) -> Bool {
        PathPattern.selects(path, include: include, exclude: exclude)
    }

    /// The entries worth reading, and why the others that the filters select are left out.
    func candidates(_ entries: [TreeEntry]) -> (read: [TreeEntry], skipped: [SkippedFile]) {
        var read: [TreeEntry] = [], skipped: [SkippedFile] = []
        for entry in entries where selects(entry.path) {
            if entry.path.contains("\u{FFFD}") {
                skipped.append(SkippedFile(path: entry.path, reason: "its name is not valid UTF-8"))
            } else if entry.mode == "120000" {
                skipped.append(SkippedFile(path: entry.path, reason: "a symbolic link"))
            } else if entry.mode == "160000" {
                skipped.append(SkippedFile(path: entry.path, reason: "a submodule"))
            } else if entry.isRegularFile {
                read.append(entry)
            }
        }
        return (read, skipped)
    }

    /// The document `data` at `path` makes, or why it cannot be one.
    func target(path: String, data: Data) -> FileReading {
        if data.contains(0) { return .skipped(SkippedFile(path: path, reason: "a binary file")) }
        guard let content = String(data: data, encoding: .utf8) else {
            return .skipped(SkippedFile(path: path, reason: "not valid UTF-8 text"))
        }
        let document = NewDocument(path: source.documentPath(of: path), content: content)
        do {
            _ = try preparer.prepare(document)
        } catch {
            return .skipped(SkippedFile(path: path, reason: "\(error)"))
        }
        return .document(SourceFileTarget(document: document, contentHash: ContentHash.of(content)))
    }

    /// The plan for `commit`: `considered` are the repository paths that may have changed (all of
    /// them in a full comparison), `targets` the readable files among them, `current` what the
    /// source holds, `renames` git's new path → old path. Also returns how many were unchanged.
    func plan(commit: String, considered: Set<String>, targets: [String: SourceFileTarget], current: [String: SourceFile],
              renames: [String: String]) -> (SourceSyncPlan, unchanged: Int) {
        var plan = SourceSyncPlan(commit: commit)
        var unchanged = 0
        var gone: [String: SourceFile] = [:]
        var arriving: [String] = []
        for path in considered.sorted() {
            let held = current[path]
            guard let target = targets[path] else {
                if let held { gone[path] = held }
                continue
            }
            if let held {
                if held.contentHash == target.contentHash && held.path == target.document.path {
                    unchanged += 1
                } else {
                    plan.writes.append(SourceFileWrite(document: target.document, repositoryPath: path))
                }
            } else {
                arriving.append(path)
            }
        }
        // A new file takes over a vanished document: the one git says it was renamed from, else
        // one with the same content (so a move found by content keeps its embeddings too).
        var goneByHash: [String: [String]] = [:]
        for (path, file) in gone.sorted(by: { $0.key < $1.key }) { goneByHash[file.contentHash, default: []].append(path) }
        for path in arriving {
            let target = targets[path]!
            var previous: String?
            if let old = renames[path], gone[old] != nil {
                previous = old
            } else if let old = goneByHash[target.contentHash]?.first(where: { gone[$0] != nil }) {
                previous = old
            }
            if let previous, let file = gone.removeValue(forKey: previous) {
                plan.writes.append(SourceFileWrite(document: target.document, repositoryPath: path, previousPath: file.path))
            } else {
                plan.writes.append(SourceFileWrite(document: target.document, repositoryPath: path))
            }
        }
        plan.deletes = gone.values.map(\.path).sorted()
        return (plan, unchanged)
    }
}
