/// Wall-clock timing helpers.
enum Timing {
    /// Runs `body` `repetitions` times after `warmUp` untimed runs; returns seconds per run.
    static func measure(repetitions: Int, warmUp: Int = 2, _ body: () throws -> Void) rethrows -> [Double] {
        try withoutActuallyEscaping(body) { body in
            try interleave(repetitions: repetitions, warmUp: warmUp, [body])[0]
        }
    }

    /// Runs each of `bodies` once per round, `repetitions` rounds, rotating which goes first, so
    /// that other load on the machine falls on all of them alike; returns seconds per run, one
    /// array per body.
    static func interleave(
        repetitions: Int, warmUp: Int = 2, _ bodies: [() throws -> Void]
    ) throws -> [[Double]] {
        for _ in 0..<warmUp {
            for body in bodies { try body() }
        }
        let clock = ContinuousClock()
        var samples = [[Double]](repeating: [], count: bodies.count)
        for round in 0..<repetitions {
            for step in bodies.indices {
                let which = (round + step) % bodies.count
                let elapsed = try clock.measure { try bodies[which]() }
                samples[which].append(seconds(elapsed))
            }
        }
        return samples
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The median of `samples`.
    static func median(_ samples: [Double]) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}
