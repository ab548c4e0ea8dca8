@testable import API
import Foundation
import Index
import Synchronization
import Testing

@Suite("Cached lookups")
struct CachedStoreTests {
    final class Counts: Sendable {
        let hits = Mutex(0)
        let misses = Mutex(0)
    }

    func makeStore() throws -> (CachedStore<SQLiteStore>, Counts, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-cache-\(UUID().uuidString)")
        let base = try SQLiteStore(path: folder.appendingPathComponent("lore.db").path)
        let counts = Counts()
        let store = CachedStore(base: base) { hit in
            if hit { counts.hits.withLock { $0 += 1 } } else { counts.misses.withLock { $0 += 1 } }
        }
        return (store, counts, folder)
    }

    @Test func repeatedLookupsAreServedFromMemory() async throws {
        let (store, counts, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let user = try await store.createUser(NewUser(email: "a@example.com", name: "A", passwordHash: "h"))
        let created = try await store.createProject(NewProject(ownerId: user.id, name: "P"))
        for _ in 0..<3 {
            _ = try await store.user(id: user.id)
            _ = try await store.grant(apiKey: created.apiKey)
            _ = try await store.projects(ownedBy: user.id, page: PageRequest())
        }
        #expect(counts.misses.withLock { $0 } == 3 && counts.hits.withLock { $0 } == 6)
    }

    @Test func writesInvalidateAtOnce() async throws {
        let (store, _, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let user = try await store.createUser(NewUser(email: "a@example.com", name: "A", passwordHash: "h"))
        let first = try await store.createProject(NewProject(ownerId: user.id, name: "First"))
        #expect(try await store.projects(ownedBy: user.id, page: PageRequest()).total == 1)
        _ = try await store.grant(apiKey: first.apiKey)

        let rotated = try await store.rotateAPIKey(projectID: first.project.id)
        await #expect(throws: IndexError.self) { try await store.grant(apiKey: first.apiKey) }
        #expect(try await store.grant(apiKey: rotated.apiKey).project.id == first.project.id)

        _ = try await store.createProject(NewProject(ownerId: user.id, name: "Second"))
        #expect(try await store.projects(ownedBy: user.id, page: PageRequest()).total == 2)
        let renamed = try await store.updateProject(id: first.project.id, name: "Renamed", description: nil)
        #expect(try await store.project(id: first.project.id).name == renamed.name)
        #expect(try await store.grant(apiKey: rotated.apiKey).project.name == "Renamed")

        try await store.deleteProject(id: first.project.id)
        await #expect(throws: IndexError.self) { try await store.grant(apiKey: rotated.apiKey) }
        await #expect(throws: IndexError.self) { try await store.project(id: first.project.id) }
        #expect(try await store.projects(ownedBy: user.id, page: PageRequest()).total == 1)

        #expect(try await store.isSessionRevoked(id: "jti-1") == false)
        try await store.revokeSession(id: "jti-1", expiresAt: Date().addingTimeInterval(60))
        #expect(try await store.isSessionRevoked(id: "jti-1"))
    }
}

@Suite("Lookup cache generations")
struct LookupCacheGenerationTests {
    /// A lookup that loaded before a rotation or a logout must not put its stale answer back.
    @Test func aLoadThatRacedAWriteIsNotCached() {
        let cache = LookupCache<String, Bool>()
        let before = cache.generation
        cache.store(true, for: "jti")            // logout: revoked
        cache.fill(false, for: "jti", loadedAt: before)   // a check that read "not revoked" earlier
        #expect(cache.value(for: "jti") == true)
        let rotating = cache.generation
        cache.remove { key, _ in key == "jti" }
        cache.fill(false, for: "jti", loadedAt: rotating)
        #expect(cache.value(for: "jti") == nil)
        cache.fill(false, for: "jti", loadedAt: cache.generation)
        #expect(cache.value(for: "jti") == false)
    }
}
