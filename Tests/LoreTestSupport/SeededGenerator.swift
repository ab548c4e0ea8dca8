import Index

/// A small deterministic generator (SplitMix64) so random tests fail the same way every run.
public typealias SeededGenerator = SplitMix64
