import CSQLiteSettings
import Foundation
import GRDB
import Logging

/// The SQLite implementation of every store protocol, on a GRDB `DatabasePool` in WAL mode.
///
/// One file holds users, projects, documents, chunks and the FTS5 index
/// (<https://sqlite.org/fts5.html>). Readers never block the writer; writes are serialised by
/// SQLite. Every database error is translated to ``IndexError`` where it happens.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    let preparer: DocumentPreparer
    /// Whether new chunks wait for an embedder (`pending`) or will never get one (`disabled`).
    let embeddingsEnabled: Bool
    let logger: Logger
    /// Names this store's rows in the change log, so that its own changes are not read back.
    let instanceID = UUID()
    let changeFeed: ChangeFeed

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    ///
    /// - Parameters:
    ///   - embeddingsEnabled: false when no embedder is configured: documents are `disabled`.
    /// Settings of the SQLite library itself, applied once per process before its first
    /// connection: no global memory statistics (their mutex serialises every allocation of every
    /// reader; see ``lore_sqlite_disable_memory_statistics``).
    private static let processSettings: Void = {
        _ = lore_sqlite_disable_memory_statistics()
    }()

    public init(
        path: String, preparer: DocumentPreparer = DocumentPreparer(), embeddingsEnabled: Bool = false,
        logger: Logger = Logger(label: "lore.index")
    ) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        _ = Self.processSettings
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 64 MiB of page cache per connection: the default 2 MiB makes every join a read.
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteMigrations.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw IndexError.storage(reason: "cannot open \(path): \(error.message ?? error.description)")
        } catch {
            throw IndexError.storage(reason: "cannot open \(path): \(error)")
        }
        self.preparer = preparer
        changeFeed = ChangeFeed(instanceID: instanceID)
        self.embeddingsEnabled = embeddingsEnabled
        self.logger = logger
    }

    /// Whether every migration has run: `lore migrate` reports it, tests check it.
    public func isMigrated() async throws -> Bool {
        try await read { db in try SQLiteMigrations.migrator.hasCompletedMigrations(db) }
    }

    /// Runs SQLite's `PRAGMA integrity_check` and compares the chunk owners with the chunks;
    /// true when the file is sound and they agree.
    public func checkIntegrity() async throws -> Bool {
        try await read { db in
            guard try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" else { return false }
            // The derived owner tables (SQLiteMigrations.v3) must agree with the chunks exactly.
            let disagreements = try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM document WHERE id NOT IN (SELECT document_id FROM document_number))
                     + (SELECT count(*) FROM chunk c
                        LEFT JOIN document_number n ON n.document_id = c.document_id
                        LEFT JOIN chunk_owner o ON o.chunk_id = c.id
                        WHERE o.document_number IS NOT n.number)
                     + (SELECT count(*) FROM chunk_owner WHERE chunk_id NOT IN (SELECT id FROM chunk))
                """)
            return disagreements == 0
        }
    }

    // MARK: Access with error translation

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.translate(error)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Maps database errors to ``IndexError``; `IndexError`s pass through.
    static func translate(_ error: any Error) -> any Error {
        if error is IndexError { return error }
        guard let error = error as? DatabaseError else { return error }
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return IndexError.conflict(field: conflictField(error.message ?? ""), reason: "already exists")
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return IndexError.notFound(entity: "project")
        default:
            return IndexError.storage(reason: error.message ?? error.description)
        }
    }

    /// The input field a unique-constraint message is about.
    private static func conflictField(_ message: String) -> String {
        if message.contains("document.path") { return "path" }
        if message.contains("user.email") { return "email" }
        if message.contains("project.name_key") || message.contains("project.slug") { return "name" }
        return "id"
    }
}

// MARK: Row helpers

extension Row {
    func uuid(_ column: String) -> UUID {
        UUID(uuidString: self[column] as String) ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    }

    func date(_ column: String) -> Date {
        Date(timeIntervalSince1970: self[column] as Double)
    }
}

extension UUID {
    /// The stored form of ids: lower-case text.
    var key: String { uuidString.lowercased() }
}

extension Date {
    var storedValue: Double { timeIntervalSince1970 }
}

extension SQLiteStore {
    /// Copies the whole database to a new file at `path` with SQLite's online backup
    /// (<https://sqlite.org/backup.html>): consistent even while others write.
    public func backup(to path: String) async throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let destination = try DatabaseQueue(path: path)
        do {
            try pool.backup(to: destination)
        } catch {
            throw Self.translate(error)
        }
    }
}
