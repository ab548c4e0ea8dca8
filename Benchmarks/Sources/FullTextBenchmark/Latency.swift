import Foundation

/// Per-query latency, measured as reference_engines.py does: one warm-up pass over all queries,
/// then max(3, ceil(600 / queries)) timed passes, every query timed alone.
struct Latency: Encodable {
    var p50Ms: Double
    var p99Ms: Double
    var meanMs: Double
    var timedQueries: Int

    static func measure(_ queries: [String], _ search: (String) async throws -> Void) async throws -> Latency {
        for query in queries { try await search(query) }
        let passes = max(3, Int((600.0 / Double(queries.count)).rounded(.up)))
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<passes {
            for query in queries {
                let started = clock.now
                try await search(query)
                times.append(started.duration(to: clock.now).milliseconds)
            }
        }
        times.sort()
        let middle = times.count / 2
        let p50 = times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
        let p99 = times[Int((0.99 * Double(times.count)).rounded(.up)) - 1]  // nearest rank
        return Latency(p50Ms: p50, p99Ms: p99, meanMs: times.reduce(0, +) / Double(times.count), timedQueries: times.count)
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
    var seconds: Double { milliseconds / 1_000 }
}
