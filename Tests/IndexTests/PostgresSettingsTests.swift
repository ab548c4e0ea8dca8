import Foundation
import Testing
@testable import Index

@Suite("PostgreSQL settings")
struct PostgresSettingsTests {
    @Test func readsTheURLWithLibpqDefaults() throws {
        let settings = try PostgresSettings(url: "postgres://lore:p%40ss@db.example.com/docs", environment: [:])
        #expect(settings.host == "db.example.com" && settings.port == 5432)
        #expect(settings.username == "lore" && settings.password == "p@ss" && settings.database == "docs")
        #expect(settings.sslMode == .prefer)
        #expect(settings.connectTimeout == .seconds(10) && settings.statementTimeout == .milliseconds(30_000))
        #expect(settings.poolSize == 10)
        #expect(!settings.isLoopback)
        #expect(!settings.redactedDescription.contains("p@ss") && !settings.redactedDescription.contains("p%40ss"))
    }

    @Test func parametersWinOverTheEnvironment() throws {
        let environment = ["LORE_POSTGRES_SSLMODE": "require", "LORE_POSTGRES_POOL_SIZE": "3",
                           "LORE_POSTGRES_STATEMENT_TIMEOUT": "0", "LORE_POSTGRES_CONNECT_TIMEOUT": "2"]
        let fromEnvironment = try PostgresSettings(url: "postgresql://u@127.0.0.1:6543/x", environment: environment)
        #expect(fromEnvironment.sslMode == .require && fromEnvironment.poolSize == 3)
        #expect(fromEnvironment.statementTimeout == nil && fromEnvironment.connectTimeout == .seconds(2))
        #expect(fromEnvironment.port == 6543 && fromEnvironment.isLoopback)
        let fromURL = try PostgresSettings(
            url: "postgres://u@127.0.0.1/x?sslmode=verify-full&sslrootcert=/ca.pem&pool_size=7&statement_timeout=250",
            environment: environment)
        #expect(fromURL.sslMode == .verifyFull && fromURL.sslRootCertificatePath == "/ca.pem")
        #expect(fromURL.poolSize == 7 && fromURL.statementTimeout == .milliseconds(250))
        // No database in the URL: libpq uses the user name.
        #expect(try PostgresSettings(url: "postgres://u@h", environment: [:]).database == "u")
    }

    @Test(arguments: [
        ("postgres://", "database"),
        ("mysql://u@h/db", "database"),
        ("postgres://h/db", "database"),
        ("postgres://u@h/db?sslmode=verify-ca", "sslmode"),
        ("postgres://u@h/db?sslmode=allow", "sslmode"),
        ("postgres://u@h/db?pool_size=0", "pool_size"),
        ("postgres://u@h/db?pool_size=many", "pool_size"),
        ("postgres://u@h/db?connect_timeout=-1", "connect_timeout"),
        ("postgres://u@h/db?connect_timeout=0", "connect_timeout"),
        ("postgres://u@h/db?statement_timeout=1.5", "statement_timeout"),
    ])
    func badSettingsNameTheirField(url: String, field: String) {
        #expect {
            try PostgresSettings(url: url, environment: [:])
        } throws: { error in
            guard case .invalid(let named, _) = error as? IndexError else { return false }
            return named == field
        }
    }
}
