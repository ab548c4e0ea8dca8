import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The PostgreSQL implementation of every store protocol, on a PostgresNIO connection pool.
///
/// Several Lore instances may share one database: each write that other instances must
/// notice (a project renamed, deleted or re-keyed, a session revoked, new vectors) is announced
/// with `NOTIFY` in its own transaction (see ``changes()``), and the embedding queue is claimed
/// with `FOR UPDATE SKIP LOCKED`, so no chunk is embedded twice. Full text is a weighted
/// `tsvector` per chunk (title A, path B, heading C, body D) under a GIN index.
/// Every database error is translated to ``IndexError`` where it happens.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let settings: PostgresSettings
    let preparer: DocumentPreparer
    let embeddingsEnabled: Bool
    let logger: Logger
    /// Tells this instance's own notifications from other instances'.
    let instanceID: UUID
    let changeHub: StoreChangeHub
    private let runTask: Task<Void, Never>
    private let listenTask: Task<Void, Never>

    /// Connects, migrates the schema to the current version, and starts listening for other
    /// instances' changes.
    ///
    /// - Throws: ``IndexError/storage(reason:)`` when the server cannot be reached or the schema
    ///   cannot be migrated, ``IndexError/invalid(field:reason:)`` for bad settings.
    public init(
        settings: PostgresSettings, preparer: DocumentPreparer = DocumentPreparer(), embeddingsEnabled: Bool = false,
        logger: Logger = Logger(label: "lore.index")
    ) async throws {
        self.settings = settings
        self.preparer = preparer
        self.embeddingsEnabled = embeddingsEnabled
        self.logger = logger
        // One direct connection first: a wrong password, database, certificate or address
        // fails here within the connect timeout, with the server's own message, instead of
        // in the pool's retry loop.
        do {
            let probe = try await PostgresConnection.connect(configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw Self.translate(error, context: "cannot connect to \(settings.redactedDescription)")
        }
        let client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        self.client = client
        // Wait until the pool's run loop has started, so no query finds it idle (PostgresNIO
        // warns about leases before `run()`).
        var started: Task<Void, Never>?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            started = Task {
                continuation.resume()
                await client.run()
            }
        }
        runTask = started!
        do {
            try await PostgresMigrations.migrate(client: client, logger: logger)
        } catch {
            runTask.cancel()
            throw Self.translate(error, context: "cannot open \(settings.redactedDescription)")
        }
        let hub = StoreChangeHub()
        let instanceID = UUID()
        changeHub = hub
        self.instanceID = instanceID
        listenTask = Task { await Self.listen(settings: settings, hub: hub, instanceID: instanceID, logger: logger) }
    }

    /// Opens the store at a `postgres://` URL (see ``PostgresSettings``).
    public convenience init(url: String, embeddingsEnabled: Bool = false, logger: Logger = Logger(label: "lore.index")) async throws {
        try await self.init(settings: try PostgresSettings(url: url), embeddingsEnabled: embeddingsEnabled, logger: logger)
    }

    deinit {
        listenTask.cancel()
        runTask.cancel()
    }

    /// Closes every connection; the store cannot be used afterwards.
    public func close() async {
        changeHub.finish()
        listenTask.cancel()
        _ = await listenTask.value
        runTask.cancel()
        _ = await runTask.value
    }

    /// Whether every migration has run.
    public func isMigrated() async throws -> Bool {
        try await PostgresMigrations.isComplete(client: client, logger: logger)
    }

    // MARK: Queries with error translation

    /// Runs `query` on a pooled connection and collects its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await retryingConflicts {
            try await self.withConnection { connection in
                try await Self.collect(try await connection.query(query, logger: self.logger))
            }
        }
    }

    /// Runs `query` inside a transaction's connection and collects its rows.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        try await Self.collect(try await connection.query(query, logger: logger))
    }

    /// Runs `body` in one transaction (committed when it returns, rolled back when it throws).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await retryingConflicts {
            try await self.withConnection { connection in
                try await connection.withTransaction(logger: self.logger) { connection in try await body(connection) }
            }
        }
    }

    /// Runs `work` (a statement or a transaction), again when PostgreSQL ends it as a deadlock
    /// victim or a serialization failure, up to ``transactionAttempts`` times in all after a short
    /// random pause; every error that escapes is translated. Document writes lock a document and
    /// then its chunks, while the embedding worker stores vectors on chunks and then updates their
    /// documents' status: the two orders can meet, and PostgreSQL then rolls one back whole, so
    /// running it again is safe.
    private func retryingConflicts<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await work()
            } catch where attempt < Self.transactionAttempts && Self.isTransient(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...40) * attempt))
            } catch {
                throw Self.translate(error)
            }
        }
    }

    static let transactionAttempts = 4

    /// Whether PostgreSQL ended the transaction for a conflict with another one (deadlock,
    /// serialization failure) rather than for anything the statements did.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = unwrapped(error) as? PSQLError, error.code == .server else { return false }
        return ["40P01", "40001"].contains(error.serverInfo?[.sqlState])
    }

    /// The error a failed transaction carries (its body's, else its BEGIN's or COMMIT's), or
    /// `error` itself when it is not a transaction's.
    static func unwrapped(_ error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        return transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? transaction
    }

    /// Leases a pooled connection for `body`, waiting at most the connect timeout for one.
    ///
    /// While PostgreSQL is unreachable (or every connection is busy) the pool queues leases and
    /// retries for up to a minute; a request should instead fail soon, with a 503, so the wait
    /// for the lease is bounded. Once leased, `body` runs to the end (the statement timeout
    /// bounds it).
    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let leased = LeaseFlag()
        let deadline = settings.connectTimeout
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.client.withConnection { connection in
                    leased.set()
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                guard leased.isSet else {
                    throw IndexError.storage(reason: "no database connection within \(deadline)")
                }
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw IndexError.storage(reason: "the database operation ended without a result")
        }
    }

    private static func collect(_ sequence: PostgresRowSequence) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in sequence {
            rows.append(row.makeRandomAccess())
        }
        return rows
    }

    /// Maps PostgreSQL errors to ``IndexError``; `IndexError`s pass through.
    static func translate(_ error: any Error, context: String? = nil) -> any Error {
        let error = unwrapped(error)
        if error is IndexError { return error }
        guard let error = error as? PSQLError else {
            return IndexError.storage(reason: [context, "\(error)"].compactMap { $0 }.joined(separator: ": "))
        }
        guard error.code == .server else {
            // Connection-level failures: refused, timed out, TLS. Their underlying error says
            // which; the PSQLError itself only prints a generic text.
            let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return IndexError.storage(reason: [context, reason].compactMap { $0 }.joined(separator: ": "))
        }
        let state = error.serverInfo?[.sqlState]
        let constraint = error.serverInfo?[.constraintName] ?? ""
        switch state {
        case "23505":
            return IndexError.conflict(field: conflictField(constraint), reason: "already exists")
        case "23503":
            return IndexError.notFound(entity: "project")
        case "22021", "22P05":
            // Text PostgreSQL cannot store (a NUL character): the input's fault, not the server's.
            return IndexError.invalid(field: error.serverInfo?[.columnName] ?? "text", reason: "must not contain NUL characters")
        default:
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            return IndexError.storage(reason: [context, message].compactMap { $0 }.joined(separator: ": "))
        }
    }

    /// The input field a unique constraint protects.
    private static func conflictField(_ constraint: String) -> String {
        switch constraint {
        case "document_project_path": "path"
        case "lore_user_email_key": "email"
        case "project_owner_name", "project_owner_slug": "name"
        default: "id"
        }
    }
}

/// Whether a connection was leased, shared between the lease and its deadline.
private final class LeaseFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

// MARK: Row helpers

extension PostgresRandomAccessRow {
    /// The value of `column` as `T`; a type mismatch is a storage error (a schema bug).
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        do {
            return try self[column].decode(T.self)
        } catch {
            throw IndexError.storage(reason: "column \(column): \(error)")
        }
    }

    func date(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: try value(column, as: Double.self))
    }
}

/// Builds SQL with numbered parameters, so that values are always bound, never spliced.
struct SQLBuilder {
    private(set) var sql = ""
    private(set) var binds = PostgresBindings()

    init(_ sql: String = "") {
        self.sql = sql
    }

    /// Binds `value` and returns its placeholder (`$1`, `$2`, …).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds an optional value (`NULL` when absent).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        if let value { binds.append(value) } else { binds.appendNull() }
        return "$\(binds.count)"
    }

    mutating func append(_ text: String) {
        sql += text
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
