#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reader-writer lock over `pthread_rwlock_t`: many readers at once, or one writer.
///
/// On glibc the lock prefers writers, so a steady stream of searches cannot starve the
/// background worker that updates an index. Not reentrant: a thread holding the lock must not
/// take it again.
final class ReadWriteLock: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<pthread_rwlock_t>

    /// Creates an unlocked lock.
    init() {
        handle = .allocate(capacity: 1)
        handle.initialize(to: pthread_rwlock_t())
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if canImport(Glibc)
        pthread_rwlockattr_setkind_np(
            &attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        let status = pthread_rwlock_init(handle, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        precondition(status == 0, "pthread_rwlock_init failed")
    }

    deinit {
        pthread_rwlock_destroy(handle)
        handle.deallocate()
    }

    /// Runs `body` holding the lock shared with other readers.
    func withReadLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_rwlock_rdlock(handle)
        defer { pthread_rwlock_unlock(handle) }
        return try body()
    }

    /// Runs `body` holding the lock exclusively.
    func withWriteLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_rwlock_wrlock(handle)
        defer { pthread_rwlock_unlock(handle) }
        return try body()
    }
}
