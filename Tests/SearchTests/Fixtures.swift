import Foundation
import Index

/// Paths of the checked-in fixtures and temporary stores for Search tests.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleProject = packageRoot.appendingPathComponent("fixtures/sample-project")
    static let rankingQueries = packageRoot.appendingPathComponent("fixtures/ranking-queries.json")

    struct RankingQuery: Decodable, Sendable, CustomTestStringConvertible {
        var query: String
        var expected: String
        var testDescription: String { "\(query) → \(expected)" }
    }

    static func loadRankingQueries() -> [RankingQuery] {
        guard let data = FileManager.default.contents(atPath: rankingQueries.path) else { return [] }
        return (try? JSONDecoder().decode([RankingQuery].self, from: data)) ?? []
    }
}

/// A real SQLite store in a fresh temporary folder with one project.
final class ScratchStore: @unchecked Sendable {
    let folder: URL
    let store: SQLiteStore
    let project: Project

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-search-\(UUID().uuidString)")
        store = try SQLiteStore(path: folder.appendingPathComponent("lore.db").path, embeddingsEnabled: true)
        let user = try await store.createUser(NewUser(email: "t@example.com", name: "T", passwordHash: "h"))
        project = try await store.createProject(NewProject(ownerId: user.id, name: "Sample")).project
    }

    private init(folder: URL, store: SQLiteStore, project: Project) {
        self.folder = folder
        self.store = store
        self.project = project
    }

    /// A copy of this store in a new folder (SQLite's online backup), with the same project.
    func copy() async throws -> ScratchStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-search-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("lore.db").path
        try await store.backup(to: path)
        return ScratchStore(folder: folder, store: try SQLiteStore(path: path, embeddingsEnabled: true), project: project)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

import Testing
