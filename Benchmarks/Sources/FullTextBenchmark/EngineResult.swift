/// The figures of one engine on one corpus.
struct EngineResult: Encodable {
    var indexDocsPerS: Double
    var indexS: Double
    var latency: Latency

    enum CodingKeys: String, CodingKey { case indexDocsPerS, indexS }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(indexDocsPerS, forKey: .indexDocsPerS)
        try container.encode(indexS, forKey: .indexS)
        try latency.encode(to: encoder)  // p50/p99/mean/timed_queries at the same level
    }
}
