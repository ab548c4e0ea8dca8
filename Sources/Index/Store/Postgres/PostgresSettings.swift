import Foundation
import NIOSSL
import PostgresNIO

/// How to reach a PostgreSQL server: the `postgres://` URL with libpq's parameters, read once.
///
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=/ca.pem`
/// accepts `sslmode` (`disable`, `prefer`, `require`, `verify-full`; default `prefer`, as libpq),
/// `sslrootcert` (the CA file `verify-full` trusts; the system's roots otherwise),
/// `connect_timeout` (seconds, at least 1, default 10), `statement_timeout` (milliseconds, default 30000,
/// 0 for none), `pool_size` (connections per instance, default 10) and `application_name`.
/// The same settings may come from `LORE_POSTGRES_SSLMODE`, `LORE_POSTGRES_SSLROOTCERT`,
/// `LORE_POSTGRES_CONNECT_TIMEOUT`, `LORE_POSTGRES_STATEMENT_TIMEOUT` and
/// `LORE_POSTGRES_POOL_SIZE`; the URL wins where both are given.
public struct PostgresSettings: Sendable, Equatable {
    /// libpq's `sslmode` values that Lore supports.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP only.
        case disable
        /// TLS when the server offers it, without verifying the certificate; plain otherwise.
        case prefer
        /// TLS or nothing, without verifying the certificate.
        case require
        /// TLS with the certificate checked against the CA and the host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var sslRootCertificatePath: String?
    public var connectTimeout: Duration
    /// `nil` for no limit.
    public var statementTimeout: Duration?
    public var poolSize: Int
    public var applicationName: String

    /// Reads `url`, then fills what it leaves out from `environment`.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(IndexError) {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty
        else {
            throw .invalid(field: "database", reason: "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            parameters[item.name] = item.value ?? ""
        }
        func setting(_ name: String, _ variable: String) -> String? {
            parameters[name] ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        func seconds(_ name: String, _ variable: String, default value: Int) throws(IndexError) -> Int {
            guard let text = setting(name, variable) else { return value }
            guard let number = Int(text), number >= 0 else {
                throw .invalid(field: name, reason: "must be a whole number of 0 or more")
            }
            return number
        }

        self.host = host
        port = components.port ?? 5432
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw .invalid(field: "database", reason: "the URL must name a user: postgres://USER@HOST/DATABASE")
        }
        username = user
        password = components.password.flatMap { $0.removingPercentEncoding }
        let name = String(components.path.drop { $0 == "/" })
        database = name.isEmpty ? user : (name.removingPercentEncoding ?? name)
        let mode = setting("sslmode", "LORE_POSTGRES_SSLMODE") ?? SSLMode.prefer.rawValue
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw .invalid(field: "sslmode", reason: "must be one of disable, prefer, require, verify-full")
        }
        self.sslMode = sslMode
        sslRootCertificatePath = setting("sslrootcert", "LORE_POSTGRES_SSLROOTCERT")
        let connectSeconds = try seconds("connect_timeout", "LORE_POSTGRES_CONNECT_TIMEOUT", default: 10)
        // libpq reads 0 as "wait for ever"; a request must not, so Lore asks for a real bound.
        guard connectSeconds >= 1 else { throw .invalid(field: "connect_timeout", reason: "must be at least 1 second") }
        connectTimeout = .seconds(connectSeconds)
        let statementMilliseconds = try seconds("statement_timeout", "LORE_POSTGRES_STATEMENT_TIMEOUT", default: 30_000)
        statementTimeout = statementMilliseconds == 0 ? nil : .milliseconds(statementMilliseconds)
        poolSize = try seconds("pool_size", "LORE_POSTGRES_POOL_SIZE", default: 10)
        guard poolSize >= 1 else { throw .invalid(field: "pool_size", reason: "must be at least 1") }
        applicationName = parameters["application_name"] ?? "lore"
    }

    /// Whether the server is on this machine (so plain connections never cross a network).
    public var isLoopback: Bool {
        ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
    }

    /// The PostgresNIO pool configuration these settings describe.
    func clientConfiguration() throws(IndexError) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch (sslMode, try tlsConfiguration()) {
        case (.disable, _), (_, nil): .disable
        case (.prefer, let configuration?): .prefer(configuration)
        case (_, let configuration?): .require(configuration)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = poolSize
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// The same settings for one connection (the store checks them with one at start-up).
    public func connectionConfiguration() throws(IndexError) -> PostgresConnection.Configuration {
        var tls = PostgresConnection.Configuration.TLS.disable
        if sslMode != .disable, let configuration = try tlsConfiguration() {
            do {
                let context = try NIOSSLContext(configuration: configuration)
                tls = sslMode == .prefer ? .prefer(context) : .require(context)
            } catch {
                throw .invalid(field: "sslmode", reason: "cannot set up TLS: \(error)")
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private var startupParameters: [(String, String)] {
        var parameters = [("application_name", applicationName)]
        if let statementTimeout {
            parameters.append(("statement_timeout", String(Int(statementTimeout / .milliseconds(1)))))
        }
        return parameters
    }

    /// The TLS client settings of the mode: no verification for `prefer` and `require` (as
    /// libpq), the CA and the host name for `verify-full`; `nil` for `disable`.
    private func tlsConfiguration() throws(IndexError) -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable:
            return nil
        case .prefer, .require:
            configuration.certificateVerification = .none
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
            if let path = sslRootCertificatePath {
                do {
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                } catch {
                    throw .invalid(field: "sslrootcert", reason: "cannot read a PEM certificate from \(path)")
                }
            }
        }
        return configuration
    }

    /// The URL without its password, for logs and messages.
    public var redactedDescription: String {
        "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }
}
