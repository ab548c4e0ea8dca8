import Foundation

/// Why a copy did not happen or did not finish whole.
public enum InstallationCopyError: Error, CustomStringConvertible {
    case targetNotEmpty(InstallationCounts)
    case countsDiffer(source: InstallationCounts, target: InstallationCounts)

    public var description: String {
        switch self {
        case .targetNotEmpty(let counts): "the target is not empty (\(counts)): copy into a new database"
        case .countsDiffer(let source, let target): "the copy is incomplete: source has \(source), target has \(target)"
        }
    }
}

/// Copies a whole installation from one store to another (`lore copy`) and verifies the counts.
public enum InstallationCopier {
    /// Copies users, projects, documents with chunks and vectors, and revoked sessions, in
    /// transactions of `batchSize` documents; then compares every count.
    /// `progress` receives (documents copied, documents in all).
    @discardableResult
    public static func copy(
        from source: some InstallationTransfer, to target: some InstallationTransfer, batchSize: Int = 200,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> InstallationCounts {
        let existing = try await target.counts()
        guard existing.isEmpty else { throw InstallationCopyError.targetNotEmpty(existing) }
        let expected = try await source.counts()
        try await target.importUsers(try await source.exportUsers())
        let projects = try await source.exportProjects()
        try await target.importProjects(projects)
        var copied = 0
        progress(0, expected.documents)
        for project in projects {
            var after: String?
            while true {
                let batch = try await source.exportDocuments(projectID: project.project.id, afterPath: after, limit: batchSize)
                guard let last = batch.last else { break }
                try await target.importDocuments(batch)
                copied += batch.count
                progress(copied, expected.documents)
                after = last.document.path
            }
        }
        try await target.importRevokedSessions(try await source.exportRevokedSessions())
        let actual = try await target.counts()
        guard actual == expected else { throw InstallationCopyError.countsDiffer(source: expected, target: actual) }
        return actual
    }
}
