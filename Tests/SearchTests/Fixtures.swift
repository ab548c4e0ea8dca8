import Foundation
import Index
import LoreTestSupport
import Search
import Testing
import Vectors

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

/// A real store (SQLite file or PostgreSQL database) with one project, removed when released.
final class ScratchStore: Sendable {
    let database: TestDatabase
    let store: any LoreStore
    let project: Project
    var folder: URL { database.folder }

    static func make(_ backend: TestBackend = .sqlite) async throws -> ScratchStore {
        let database = try await TestDatabase.create(backend)
        let store = try await database.openStore(embeddingsEnabled: true)
        let user = try await store.createUser(NewUser(email: "t@example.com", name: "T", passwordHash: "h"))
        let project = try await store.createProject(NewProject(ownerId: user.id, name: "Sample")).project
        return ScratchStore(database: database, store: store, project: project)
    }

    private init(database: TestDatabase, store: any LoreStore, project: Project) {
        self.database = database
        self.store = store
        self.project = project
    }

    /// A copy of this store in a new database of `backend` (through `lore copy`'s copier),
    /// with the same project.
    func copy(to backend: TestBackend) async throws -> ScratchStore {
        let database = try await TestDatabase.create(backend)
        let target = try await database.openStore(embeddingsEnabled: true)
        try await InstallationCopier.copy(from: store, to: target)
        return ScratchStore(database: database, store: target, project: project)
    }


    /// Imports a folder with ``DirectoryImporter``.
    func importFiles(from folder: URL = Fixtures.sampleProject) async throws -> ImportReport {
        try await Self.importFiles(from: folder, into: project.id, store: store)
    }

    private static func importFiles(from folder: URL, into project: UUID, store: some LoreStore) async throws -> ImportReport {
        try await DirectoryImporter(store: store).importFiles(from: folder, into: project)
    }

    /// Embeds every pending chunk; returns how many.
    @discardableResult
    func embedAll(with embedder: any Embedder, cache: VectorIndexCache? = nil) async throws -> Int {
        try await Self.embedAll(store: store, embedder: embedder, cache: cache)
    }

    private static func embedAll(store: some LoreStore, embedder: any Embedder, cache: VectorIndexCache?) async throws -> Int {
        try await EmbeddingWorker(store: store, embedder: embedder, cache: cache).drain()
    }

    /// The search service over this store.
    func service(semantic: SemanticSearcher? = nil) -> TestSearchService {
        Self.service(store: store, semantic: semantic)
    }

    private static func service(store: some LoreStore, semantic: SemanticSearcher?) -> TestSearchService {
        let service = SearchService(store: store, semantic: semantic)
        return TestSearchService(semantic: semantic) { try await service.search($0) }
    }
}

/// A ``SearchService`` over a store whose type is only known at run time.
struct TestSearchService: Sendable {
    let semantic: SemanticSearcher?
    let run: @Sendable (SearchRequest) async throws -> SearchResponse

    func search(_ request: SearchRequest) async throws -> SearchResponse {
        try await run(request)
    }
}
