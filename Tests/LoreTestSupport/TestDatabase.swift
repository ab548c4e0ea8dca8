import Foundation
import Index
import Logging
import PostgresNIO

/// The database backends the tests run against.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    private static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// A PostgreSQL database the tests may create others from (`LORE_TEST_POSTGRES_URL`; the
    /// cluster `scripts/pg-cluster start` makes). Its user needs `CREATEDB`.
    public static var postgresURL: String? {
        environment["LORE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The backends the store contract tests run on: SQLite, and PostgreSQL when
    /// `LORE_TEST_POSTGRES_URL` is set. `scripts/test` always sets it, and also sets
    /// `LORE_TEST_REQUIRE_POSTGRES=1`, so that a missing server fails the run instead of being
    /// skipped.
    public static var contract: [TestBackend] {
        postgresURL != nil || environment["LORE_TEST_REQUIRE_POSTGRES"] == "1" ? [.sqlite, .postgres] : [.sqlite]
    }

    /// The backend of the integration suite (live servers): `LORE_TEST_BACKEND`, SQLite by default.
    public static var integration: TestBackend {
        environment["LORE_TEST_BACKEND"].flatMap(TestBackend.init(rawValue:)) ?? .sqlite
    }
}

/// A fresh, empty database for one test: a SQLite file in a new temporary folder, or a new
/// PostgreSQL database in the test cluster. The folder is removed, and the PostgreSQL database
/// dropped, when the value is released.
public final class TestDatabase: Sendable {
    public let backend: TestBackend
    /// The URL Lore opens: `sqlite://…` or `postgres://…`.
    public let url: String
    /// A temporary folder for the test's files (the SQLite file lives here).
    public let folder: URL
    private let databaseName: String?

    public static func create(_ backend: TestBackend) async throws -> TestDatabase {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            return TestDatabase(backend: backend, url: "sqlite://" + folder.appendingPathComponent("lore.db").path,
                                folder: folder, databaseName: nil)
        case .postgres:
            guard let base = TestBackend.postgresURL else {
                throw TestDatabaseError("LORE_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/pg-cluster start)\"` first")
            }
            let name = "lore_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresAdmin.execute("CREATE DATABASE \(name)", at: base)
            return TestDatabase(backend: backend, url: PostgresAdmin.url(base, database: name), folder: folder, databaseName: name)
        }
    }

    private init(backend: TestBackend, url: String, folder: URL, databaseName: String?) {
        self.backend = backend
        self.url = url
        self.folder = folder
        self.databaseName = databaseName
    }

    /// Opens (and migrates) the store on this database.
    public func openStore(preparer: DocumentPreparer = DocumentPreparer(), embeddingsEnabled: Bool = false) async throws -> any LoreStore {
        switch backend {
        case .sqlite:
            return try SQLiteStore(path: folder.appendingPathComponent("lore.db").path, preparer: preparer,
                                   embeddingsEnabled: embeddingsEnabled)
        case .postgres:
            return try await PostgresStore(settings: try PostgresSettings(url: url), preparer: preparer,
                                           embeddingsEnabled: embeddingsEnabled, logger: PostgresAdmin.quietLogger)
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
        if let databaseName, let base = TestBackend.postgresURL {
            Task { try? await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)", at: base) }
        }
    }
}

public struct TestDatabaseError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Administrative statements on the test cluster, over one short-lived connection.
enum PostgresAdmin {
    static var quietLogger: Logger {
        var logger = Logger(label: "lore.test.postgres")
        logger.logLevel = .critical
        return logger
    }

    static func execute(_ statement: String, at url: String) async throws {
        var configuration = try PostgresSettings(url: url).connectionConfiguration()
        configuration.options.connectTimeout = .seconds(10)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quietLogger)
        defer { Task { try? await connection.close() } }
        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quietLogger)
    }

    /// `base` with its database replaced by `database`.
    static func url(_ base: String, database: String) -> String {
        guard var components = URLComponents(string: base) else { return base }
        components.path = "/" + database
        return components.string ?? base
    }
}
