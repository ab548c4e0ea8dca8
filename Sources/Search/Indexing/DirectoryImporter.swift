import Foundation
import Index

/// The counts of one import run.
public struct ImportReport: Sendable, Equatable, Codable {
    /// A file that could not be imported, and why.
    public struct Failure: Sendable, Equatable, Codable {
        public var path: String
        public var reason: String
    }

    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var failed: [Failure] = []
    /// Chunks embedded before `lore import` ended; absent when embedding was left to a server.
    public var embedded: Int?

    public var processed: Int { created + updated + unchanged + failed.count }
}

/// Imports a folder of Markdown and text files into a project, in batched transactions.
///
/// A file's document path is its path relative to the folder. Files whose content hash equals
/// the stored document's are skipped without a write, so running an import twice is cheap and
/// changes nothing. Unreadable or invalid files are reported per file and never stop the rest.
public struct DirectoryImporter<Store: DocumentStore>: Sendable {
    public typealias Report = ImportReport
    public typealias Failure = ImportReport.Failure

    public static var defaultPatterns: [String] { ["*.md", "*.markdown", "*.txt"] }

    public let store: Store
    public var batchSize = 200

    public init(store: Store) {
        self.store = store
    }

    /// The files under `directory` whose relative path or file name matches one of `patterns`
    /// (shell globs: `*`, `?`, `[…]`), sorted by path. Hidden files and folders are skipped.
    public static func files(in directory: URL, matching patterns: [String]) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw IndexError.invalid(field: "directory", reason: "cannot read \(directory.path)") }
        let root = directory.standardizedFileURL.path
        var paths: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            var relative = url.standardizedFileURL.path
            if relative.hasPrefix(root) { relative.removeFirst(root.count) }
            while relative.hasPrefix("/") { relative.removeFirst() }
            let name = url.lastPathComponent
            if patterns.contains(where: { Glob.matches($0, relative) || Glob.matches($0, name) }) {
                paths.append(relative)
            }
        }
        return paths.sorted()
    }

    /// Imports the matching files of `directory` into the project; `progress` gets (done, total).
    public func importFiles(
        from directory: URL, into projectID: UUID, patterns: [String] = defaultPatterns,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Report {
        let paths = try Self.files(in: directory, matching: patterns)
        let known = try await store.contentHashes(in: projectID)
        var report = Report()
        progress(0, paths.count)
        for start in stride(from: 0, to: paths.count, by: batchSize) {
            var batch: [NewDocument] = []
            for path in paths[start..<min(start + batchSize, paths.count)] {
                let url = directory.appendingPathComponent(path)
                guard let data = FileManager.default.contents(atPath: url.path),
                      let content = String(data: data, encoding: .utf8) else {
                    report.failed.append(Failure(path: path, reason: "not readable as UTF-8 text"))
                    continue
                }
                let normalized = path.precomposedStringWithCanonicalMapping
                if known[normalized] == ContentHash.of(content) {
                    report.unchanged += 1
                    continue
                }
                batch.append(NewDocument(path: normalized, content: content))
            }
            for item in try await store.writeDocuments(batch, mode: .upsert, in: projectID) {
                switch item.result {
                case .success(let written):
                    switch written.outcome {
                    case .created: report.created += 1
                    case .updated: report.updated += 1
                    case .unchanged: report.unchanged += 1
                    }
                case .failure(let error):
                    report.failed.append(Failure(path: item.path, reason: error.description))
                }
            }
            progress(min(start + batchSize, paths.count), paths.count)
        }
        return report
    }
}
