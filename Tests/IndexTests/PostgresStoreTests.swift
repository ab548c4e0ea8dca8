import Foundation
import LoreTestSupport
import PostgresNIO
import Testing
@testable import Index

/// What only the PostgreSQL store does: TLS modes, timeouts.
@Suite("PostgreSQL: TLS, timeouts", .enabled(if: TestBackend.contract.contains(.postgres)))
struct PostgresStoreTests {
    @Test func tlsModesConnectAsConfigured() async throws {
        let base = try #require(TestBackend.postgresURL)
        let authority = try #require(ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_CA"])
        let stranger = try #require(ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_OTHER_CA"])
        func usesTLS(_ parameters: String) async throws -> Bool {
            let store = try await PostgresStore(url: base + "?" + parameters)
            defer { Task { await store.close() } }
            return try await store.rows("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0].value("ssl", as: Bool.self)
        }
        #expect(try await usesTLS("sslmode=verify-full&sslrootcert=\(authority)"))
        #expect(try await usesTLS("sslmode=require"))
        #expect(try await usesTLS("sslmode=prefer"))
        #expect(try await !usesTLS("sslmode=disable"))
        await #expect {
            _ = try await PostgresStore(url: base + "?sslmode=verify-full&sslrootcert=\(stranger)")
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("CERTIFICATE_VERIFY_FAILED")
        }
    }

    @Test func wrongCredentialsAndStatementTimeoutsAreClearErrors() async throws {
        let base = try #require(TestBackend.postgresURL)
        var wrong = try #require(URLComponents(string: base))
        wrong.password = "not-the-password"
        let started = ContinuousClock.now
        await #expect {
            _ = try await PostgresStore(url: wrong.string!)
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("password authentication failed")
        }
        #expect(ContinuousClock.now - started < .seconds(5), "a bad password fails at once, not after the pool's retries")

        // Migrated first under the default timeout: opening runs the migration check under an
        // advisory lock, which tests running alongside may hold for longer than the 300 ms.
        await (try await PostgresStore(url: base)).close()
        let store = try await PostgresStore(url: base + "?statement_timeout=300")
        await #expect {
            _ = try await store.rows("SELECT pg_sleep(2)")
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("statement timeout")
        }
        try await store.ping()
        await store.close()
    }

    /// With every connection busy (or the server gone), a query gives up after the connect
    /// timeout with a storage error (a 503), instead of queueing in the pool for a minute.
    @Test func waitingForAConnectionIsBoundedByTheConnectTimeout() async throws {
        let base = try #require(TestBackend.postgresURL)
        let store = try await PostgresStore(url: base + "?pool_size=1&connect_timeout=1")
        let holder = Task { try await store.rows("SELECT pg_sleep(4)") }
        try await Task.sleep(for: .milliseconds(300))
        await #expect {
            _ = try await store.rows("SELECT 1")
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("no database connection within")
        }
        _ = try await holder.value
        #expect(try await store.rows("SELECT 1 AS one")[0].value("one", as: Int.self) == 1)
        await store.close()
    }
}
