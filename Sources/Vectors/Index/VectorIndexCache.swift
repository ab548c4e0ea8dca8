import Foundation

/// The vector indexes of many projects, loaded on first use and kept within a memory budget by
/// evicting the least recently used.
///
/// ``index(for:)`` loads a project through the injected loader the first time it is asked for;
/// concurrent first requests share one load (single flight). A failed load is not cached: the
/// error goes to every waiter and the next request tries again. After each load, indexes are
/// evicted, least recently used first, until the sum of ``VectorIndex/memoryBytes`` fits
/// `memoryLimitBytes`; the index just loaded is never evicted by its own load, so one project
/// larger than the budget is still served (alone). Indexes already handed out stay valid after
/// eviction: an evicted index is only dropped from the cache, and freed once no search holds it.
///
/// The write path keeps cached indexes current with ``cachedIndex(for:)`` (update in place if
/// loaded; nothing to do otherwise, the next load reads the store) or ``invalidate(project:)``.
public actor VectorIndexCache {
    /// Reads every vector of a project from durable storage.
    public typealias Loader = @Sendable (_ project: UUID) async throws -> [VectorRecord]

    private enum State {
        case loading(Task<VectorIndex, any Error>, token: UInt64)
        case loaded(VectorIndex)
    }

    private struct Entry {
        var state: State
        var lastUse: UInt64
    }

    /// The dimension of every index the cache builds.
    public let dimension: Int
    /// The budget for the sum of the cached indexes' ``VectorIndex/memoryBytes``.
    public let memoryLimitBytes: Int
    private let loader: Loader
    private var entries: [UUID: Entry] = [:]
    private var clock: UInt64 = 0

    /// Creates an empty cache.
    /// - Parameters:
    ///   - dimension: the vector dimension of every project.
    ///   - memoryLimitBytes: the budget for all loaded indexes together.
    ///   - loader: reads a project's vectors; it may throw, e.g. ``VectorError`` for bad rows.
    public init(dimension: Int, memoryLimitBytes: Int, loader: @escaping Loader) {
        self.dimension = dimension
        self.memoryLimitBytes = memoryLimitBytes
        self.loader = loader
    }

    /// The index of `project`, loading it if it is not cached.
    /// - Throws: whatever the loader throws, or ``VectorError`` if it returns an invalid vector.
    public func index(for project: UUID) async throws -> VectorIndex {
        if let entry = entries[project] {
            switch entry.state {
            case .loaded(let index):
                touch(project)
                return index
            case .loading(let task, _):
                return try await task.value
            }
        }
        clock += 1
        let token = clock
        let loader = self.loader
        let dimension = self.dimension
        let task = Task.detached(priority: Task.currentPriority) {
            try VectorIndex(dimension: dimension, records: try await loader(project))
        }
        entries[project] = Entry(state: .loading(task, token: token), lastUse: token)
        do {
            // Task.value waits even if this caller is cancelled, so the entry always settles.
            let index = try await task.value
            if isLoading(project, token: token) {
                entries[project] = Entry(state: .loaded(index), lastUse: nextTick())
                evict(sparing: project)
            }
            return index
        } catch {
            if isLoading(project, token: token) { entries[project] = nil }
            throw error
        }
    }

    /// The index of `project` if it is loaded, without loading it or marking it used.
    public func cachedIndex(for project: UUID) -> VectorIndex? {
        if case .loaded(let index) = entries[project]?.state { return index }
        return nil
    }

    /// Drops `project` from the cache; its next request loads it afresh. A load in flight is
    /// left to finish for its waiters but is not cached.
    public func invalidate(project: UUID) {
        entries[project] = nil
    }

    /// Drops every project from the cache.
    public func invalidateAll() {
        entries.removeAll()
    }

    /// The projects whose indexes are loaded.
    public var loadedProjects: Set<UUID> {
        Set(entries.compactMap { key, entry in
            if case .loaded = entry.state { return key }
            return nil
        })
    }

    /// The sum of the loaded indexes' ``VectorIndex/memoryBytes`` right now.
    public var memoryBytes: Int {
        entries.values.reduce(0) { total, entry in
            if case .loaded(let index) = entry.state { return total + index.memoryBytes }
            return total
        }
    }

    private func isLoading(_ project: UUID, token: UInt64) -> Bool {
        if case .loading(_, let current) = entries[project]?.state { return current == token }
        return false
    }

    private func nextTick() -> UInt64 {
        clock += 1
        return clock
    }

    private func touch(_ project: UUID) {
        entries[project]?.lastUse = nextTick()
    }

    /// Evicts least recently used indexes other than `spared` until the budget holds. Indexes
    /// grow after loading as the write path upserts, so sizes are read afresh each time.
    private func evict(sparing spared: UUID) {
        var loaded = entries.compactMap { key, entry -> (project: UUID, lastUse: UInt64, bytes: Int)? in
            guard case .loaded(let index) = entry.state else { return nil }
            return (key, entry.lastUse, index.memoryBytes)
        }
        var total = loaded.reduce(0) { $0 + $1.bytes }
        guard total > memoryLimitBytes else { return }
        loaded.sort { $0.lastUse < $1.lastUse }
        for candidate in loaded where total > memoryLimitBytes && candidate.project != spared {
            entries[candidate.project] = nil
            total -= candidate.bytes
        }
    }
}
