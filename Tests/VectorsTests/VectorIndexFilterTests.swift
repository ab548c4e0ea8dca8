import Foundation
import LoreTestSupport
import Testing
@testable import Vectors

@Suite("VectorIndex filters and ties")
struct VectorIndexFilterTests {
    @Test func allowedDocumentsRestrictEveryPathToTheirChunks() throws {
        let records = VectorFixtures.records(count: 3000, dimension: 24, documents: 30, seed: 21)
        let index = try VectorIndex(dimension: 24, records: records)
        let documentIDs = Array(Set(records.map(\.documentID))).sorted { $0.uuidString < $1.uuidString }
        let allowed = Set(documentIDs.prefix(4) + [UUID()])
        var generator = SeededGenerator(seed: 22)
        let query = VectorFixtures.randomVector(dimension: 24, using: &generator)

        let expected = VectorFixtures.bruteForce(query, records: records, k: 15, allowed: allowed)
        #expect(expected.count == 15)
        for strategy in SingleQueryStrategy.allCases {
            let hits = try index.search(query, k: 15, allowedDocuments: allowed, strategy: strategy)
            #expect(VectorFixtures.same(hits, expected), "\(strategy)")
            #expect(hits.allSatisfy { allowed.contains($0.documentID) })
        }
        let batch = try index.search(batch: [query, query], k: 15, allowedDocuments: allowed)
        #expect(batch.allSatisfy { VectorFixtures.same($0, expected) })
    }

    @Test func filterSmallerThanKReturnsOnlyTheAllowedChunks() throws {
        let document = UUID()
        var records = VectorFixtures.records(count: 200, dimension: 16, documents: 5, seed: 23)
        records[17].documentID = document
        records[99].documentID = document
        let index = try VectorIndex(dimension: 16, records: records)
        for strategy in SingleQueryStrategy.allCases {
            let hits = try index.search(records[0].vector, k: 10, allowedDocuments: [document], strategy: strategy)
            #expect(Set(hits.map(\.chunkID)) == [records[17].chunkID, records[99].chunkID])
        }
    }

    @Test func emptyOrUnknownFiltersMatchNothing() throws {
        let records = VectorFixtures.records(count: 50, dimension: 16, seed: 24)
        let index = try VectorIndex(dimension: 16, records: records)
        for strategy in SingleQueryStrategy.allCases {
            #expect(try index.search(records[0].vector, k: 5, allowedDocuments: [], strategy: strategy).isEmpty)
            #expect(try index.search(records[0].vector, k: 5, allowedDocuments: [UUID()], strategy: strategy).isEmpty)
        }
        let batch = try index.search(batch: [records[0].vector], k: 5, allowedDocuments: [])
        #expect(batch.count == 1 && batch[0].isEmpty)
    }

    @Test func equalScoresRankByAscendingChunkIDOnEveryPath() throws {
        // 0.5 × 0.5 sums exactly in any order, so every path computes identical scores.
        let tied: [Float] = [0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0, 0]
        let other: [Float] = [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0]
        var chunkIDs: [Int64] = Array(500..<530) + Array(1..<12)
        var generator = SeededGenerator(seed: 25)
        chunkIDs.shuffle(using: &generator)
        let index = VectorIndex(dimension: 9)
        for chunkID in chunkIDs {
            try index.upsert(chunkID: chunkID, documentID: UUID(), vector: chunkID >= 500 ? tied : other)
        }
        let expected: [Int64] = Array(500..<512)
        for strategy in SingleQueryStrategy.allCases {
            let hits = try index.search(tied, k: 12, strategy: strategy)
            #expect(hits.map(\.chunkID) == expected, "\(strategy)")
            #expect(hits.allSatisfy { $0.score == 1 })
        }
        #expect(try index.search(batch: [tied], k: 12)[0].map(\.chunkID) == expected)
        // The other group scores 0 and is ordered the same way after all 30 tied rows.
        let all = try index.search(tied, k: 100)
        #expect(all.map(\.chunkID) == Array(500..<530) + Array(1..<12))
    }
}
