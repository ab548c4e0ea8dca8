import MCP

/// The checks every `/mcp` request passes before the transport reads it: Host and Origin
/// (DNS-rebinding protection), `Accept`, `Content-Type` and `MCP-Protocol-Version`.
enum MCPRequestValidation {
    /// Addresses that mean "every interface": the Host a client uses cannot be known in advance.
    static let wildcardAddresses: Set<String> = ["0.0.0.0", "::", "[::]", "*", ""]

    /// The pipeline for a server listening on `hostname` (`LORE_HOST`).
    static func pipeline(hostname: String) -> any HTTPRequestValidationPipeline {
        StandardValidationPipeline(validators: [
            originValidator(hostname: hostname),
            AcceptHeaderValidator(mode: .jsonOnly),
            ContentTypeValidator(),
            ProtocolVersionValidator(),
        ])
    }

    /// Allows the loopback names and `hostname`, on any port, with or without one, over http
    /// and https. A wildcard address turns the Host/Origin check off: any name may reach such
    /// a server, and the API key still guards every request.
    static func originValidator(hostname: String) -> OriginValidator {
        let configured = hostname.lowercased()
        if wildcardAddresses.contains(configured) { return .disabled }
        var hosts = ["127.0.0.1", "localhost", "[::1]"]
        let bracketed = configured.contains(":") && !configured.hasPrefix("[") ? "[\(configured)]" : configured
        if !hosts.contains(bracketed) { hosts.append(bracketed) }
        return OriginValidator(
            allowedHosts: hosts.flatMap { [$0, "\($0):*"] },
            allowedOrigins: hosts.flatMap { host in
                ["http", "https"].flatMap { scheme in ["\(scheme)://\(host)", "\(scheme)://\(host):*"] }
            })
    }
}
