import Foundation
import LoreTestSupport
import Testing
@testable import Vectors

@Suite("VectorIndex search")
struct VectorIndexSearchTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rows: Int
        let dimension: Int
        let k: Int
        var testDescription: String { "\(rows) rows × \(dimension), k = \(k)" }
    }

    // Sizes cross the 4-row kernel block, the sgemv tile (4096) and the sgemm tile (2048);
    // dimensions cross the 8-float SIMD width.
    static let cases: [Case] = [
        Case(rows: 0, dimension: 384, k: 10),
        Case(rows: 1, dimension: 384, k: 10),
        Case(rows: 3, dimension: 5, k: 2),
        Case(rows: 7, dimension: 13, k: 100),
        Case(rows: 9, dimension: 1, k: 4),
        Case(rows: 33, dimension: 8, k: 33),
        Case(rows: 250, dimension: 17, k: 1),
        Case(rows: 1001, dimension: 384, k: 10),
        Case(rows: 2049, dimension: 31, k: 25),
        Case(rows: 4101, dimension: 64, k: 7),
    ]

    @Test("top-k equals the brute-force ranking on every path", arguments: cases)
    func topKMatchesBruteForce(_ testCase: Case) throws {
        let records = VectorFixtures.records(count: testCase.rows, dimension: testCase.dimension, seed: UInt64(testCase.rows * 31 + testCase.dimension))
        let index = try VectorIndex(dimension: testCase.dimension, records: records)
        var generator = SeededGenerator(seed: 99)
        let queries = (0..<3).map { _ in VectorFixtures.randomVector(dimension: testCase.dimension, using: &generator) }

        let batch = try index.search(batch: queries, k: testCase.k)
        for (query, batchHits) in zip(queries, batch) {
            let expected = VectorFixtures.bruteForce(query, records: records, k: testCase.k)
            #expect(expected.count == min(testCase.k, testCase.rows))
            for strategy in SingleQueryStrategy.allCases {
                let hits = try index.search(query, k: testCase.k, strategy: strategy)
                #expect(VectorFixtures.same(hits, expected), "\(strategy)")
            }
            #expect(VectorFixtures.same(batchHits, expected), "batch")
        }
    }

    @Test func fusedScanSgemvAndBatchAgree() throws {
        let records = VectorFixtures.records(count: 6000, dimension: 384, documents: 40, seed: 7)
        let index = try VectorIndex(dimension: 384, records: records)
        var generator = SeededGenerator(seed: 8)
        let queries = (0..<5).map { _ in VectorFixtures.randomVector(dimension: 384, using: &generator) }
        let batch = try index.search(batch: queries, k: 50)
        for (query, batchHits) in zip(queries, batch) {
            let fused = try index.search(query, k: 50, strategy: .fusedScan)
            let gemv = try index.search(query, k: 50, strategy: .sgemv)
            #expect(fused.count == 50)
            #expect(VectorFixtures.same(fused, gemv))
            #expect(VectorFixtures.same(fused, batchHits))
        }
    }

    @Test func vectorsAreStoredAtUnitLengthSoAChunkFindsItselfWithScoreOne() throws {
        let index = VectorIndex(dimension: 4)
        try index.upsert(chunkID: 1, documentID: UUID(), vector: [3, 0, 4, 0])
        try index.upsert(chunkID: 2, documentID: UUID(), vector: [0, 10, 0, 0])
        let hits = try index.search([0.3, 0, 0.4, 0], k: 2)
        #expect(hits.map(\.chunkID) == [1, 2])
        #expect(abs(hits[0].score - 1) < 1e-6)
        #expect(abs(hits[1].score) < 1e-6)
    }

    @Test func nonPositiveKAndEmptyBatchesReturnNothing() throws {
        let records = VectorFixtures.records(count: 20, dimension: 8, seed: 3)
        let index = try VectorIndex(dimension: 8, records: records)
        #expect(try index.search(records[0].vector, k: 0).isEmpty)
        #expect(try index.search(records[0].vector, k: -3, strategy: .sgemv).isEmpty)
        #expect(try index.search(batch: [], k: 5).isEmpty)
        let batch = try index.search(batch: [records[0].vector, records[1].vector], k: 0)
        #expect(batch.count == 2 && batch.allSatisfy(\.isEmpty))
    }

    @Test func concurrentSearchesRunWhileAWriterUpdates() async throws {
        let records = VectorFixtures.records(count: 500, dimension: 32, seed: 11)
        let index = try VectorIndex(dimension: 32, records: records)
        let extra = VectorFixtures.records(count: 300, dimension: 32, seed: 12).map {
            (chunkID: $0.chunkID + 10_000, documentID: $0.documentID, vector: $0.vector)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for record in extra {
                    try index.upsert(chunkID: record.chunkID, documentID: record.documentID, vector: record.vector)
                }
                for record in records.prefix(100) { index.remove(chunkID: record.chunkID) }
            }
            for reader in 0..<8 {
                group.addTask {
                    for round in 0..<40 {
                        let query = records[(reader * 40 + round) % records.count].vector
                        let hits = try index.search(query, k: 5, strategy: round.isMultiple(of: 2) ? .fusedScan : .sgemv)
                        #expect(hits.count == 5)
                        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(index.count == 500 + 300 - 100)
    }
}
