import Foundation
import Testing
@testable import Vectors

@Suite("VectorIndexCache")
struct VectorIndexCacheTests {
    /// A loader that serves fixed records per project, counts its calls and can be made slow or
    /// failing.
    actor FakeStore {
        private(set) var loads: [UUID: Int] = [:]
        var failures: Set<UUID> = []
        let rows: Int
        let delay: Duration

        init(rows: Int, delay: Duration = .zero) {
            self.rows = rows
            self.delay = delay
        }

        struct Unavailable: Error {}

        func load(_ project: UUID) async throws -> [VectorRecord] {
            loads[project, default: 0] += 1
            if delay > .zero { try await Task.sleep(for: delay) }
            if failures.contains(project) { throw Unavailable() }
            return VectorFixtures.records(count: rows, dimension: 16, documents: 3, seed: UInt64(truncatingIfNeeded: project.hashValue))
        }

        func setFailing(_ project: UUID, _ failing: Bool) {
            if failing { failures.insert(project) } else { failures.remove(project) }
        }

        func loadCount(_ project: UUID) -> Int { loads[project] ?? 0 }
    }

    /// The bytes one cached index of `rows` records takes, built the way the cache builds it.
    private func bytesPerIndex(rows: Int) throws -> Int {
        try VectorIndex(dimension: 16, records: VectorFixtures.records(count: rows, dimension: 16, documents: 3, seed: 1)).memoryBytes
    }

    @Test func concurrentFirstRequestsShareOneLoad() async throws {
        let store = FakeStore(rows: 50, delay: .milliseconds(100))
        let cache = VectorIndexCache(dimension: 16, memoryLimitBytes: 1 << 30) { try await store.load($0) }
        let project = UUID()
        let indexes = try await withThrowingTaskGroup(of: VectorIndex.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.index(for: project) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(await store.loadCount(project) == 1)
        #expect(indexes.count == 20 && indexes.allSatisfy { $0 === indexes[0] })
        #expect(indexes[0].count == 50)
        #expect(try await cache.index(for: project) === indexes[0])
        #expect(await store.loadCount(project) == 1)
    }

    @Test func leastRecentlyUsedIndexIsEvictedWhenTheBudgetIsExceeded() async throws {
        let store = FakeStore(rows: 200)
        let budget = try bytesPerIndex(rows: 200) * 5 / 2
        let cache = VectorIndexCache(dimension: 16, memoryLimitBytes: budget) { try await store.load($0) }
        let (a, b, c) = (UUID(), UUID(), UUID())

        _ = try await cache.index(for: a)
        _ = try await cache.index(for: b)
        _ = try await cache.index(for: a)  // b is now the least recently used
        _ = try await cache.index(for: c)

        #expect(await cache.loadedProjects == [a, c])
        #expect(await cache.memoryBytes <= budget)
        #expect(await cache.cachedIndex(for: b) == nil)
        _ = try await cache.index(for: b)  // reloads, evicting a (used before c)
        #expect(await store.loadCount(b) == 2)
        #expect(await cache.loadedProjects == [c, b])
        #expect(await store.loadCount(a) == 1)
        #expect(await store.loadCount(c) == 1)
    }

    @Test func anIndexLargerThanTheBudgetIsStillServed() async throws {
        let store = FakeStore(rows: 100)
        let cache = VectorIndexCache(dimension: 16, memoryLimitBytes: 1) { try await store.load($0) }
        let (a, b) = (UUID(), UUID())
        #expect(try await cache.index(for: a).count == 100)
        #expect(try await cache.index(for: b).count == 100)
        #expect(await cache.loadedProjects == [b])
    }

    @Test func invalidateMakesTheNextRequestLoadAfresh() async throws {
        let store = FakeStore(rows: 10)
        let cache = VectorIndexCache(dimension: 16, memoryLimitBytes: 1 << 30) { try await store.load($0) }
        let project = UUID()
        let first = try await cache.index(for: project)
        await cache.invalidate(project: project)
        #expect(await cache.cachedIndex(for: project) == nil)
        let second = try await cache.index(for: project)
        #expect(first !== second)
        #expect(await store.loadCount(project) == 2)
    }

    @Test func invalidatingDuringALoadDoesNotCacheTheStaleResult() async throws {
        let store = FakeStore(rows: 10, delay: .milliseconds(150))
        let cache = VectorIndexCache(dimension: 16, memoryLimitBytes: 1 << 30) { try await store.load($0) }
        let project = UUID()
        async let stale = cache.index(for: project)
        try await Task.sleep(for: .milliseconds(30))
        await cache.invalidate(project: project)
        _ = try await stale
        #expect(await cache.cachedIndex(for: project) == nil)
        _ = try await cache.index(for: project)
        #expect(await store.loadCount(project) == 2)
    }

    @Test func failedLoadsReachEveryWaiterAndAreRetriedNextTime() async throws {
        let store = FakeStore(rows: 10, delay: .milliseconds(50))
        let cache = VectorIndexCache(dimension: 16, memoryLimitBytes: 1 << 30) { try await store.load($0) }
        let project = UUID()
        await store.setFailing(project, true)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask { (try? await cache.index(for: project)) == nil }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == 5)
        #expect(await store.loadCount(project) == 1)
        #expect(await cache.cachedIndex(for: project) == nil)

        await store.setFailing(project, false)
        #expect(try await cache.index(for: project).count == 10)
        #expect(await store.loadCount(project) == 2)
    }

    @Test func aLoaderReturningAnInvalidVectorFailsTheLoad() async throws {
        let cache = VectorIndexCache(dimension: 3, memoryLimitBytes: 1 << 30) { _ in
            [(chunkID: 1, documentID: UUID(), vector: [1, 2])]
        }
        await #expect(throws: VectorError.dimensionMismatch(expected: 3, actual: 2)) {
            try await cache.index(for: UUID())
        }
    }
}
