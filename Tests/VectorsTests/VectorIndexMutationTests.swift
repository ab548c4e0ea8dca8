import Foundation
import LoreTestSupport
import Testing
@testable import Vectors

@Suite("VectorIndex updates")
struct VectorIndexMutationTests {
    /// Checks that every row holds the normalised vector of the chunk the row tables name, and
    /// that the chunk → row dictionary is the exact inverse of row → chunk.
    private func expectConsistent(_ index: VectorIndex, vectors: [Int64: [Float]], documents: [Int64: UUID]) {
        let matrix = index.matrix
        #expect(matrix.count == vectors.count)
        #expect(matrix.rowsByChunk.count == matrix.count)
        for row in 0..<matrix.count {
            let chunkID = matrix.chunkIDs[row]
            #expect(matrix.rowsByChunk[chunkID] == row)
            #expect(index.documents.document(at: matrix.documentOrdinals[row]) == documents[chunkID])
            guard let vector = vectors[chunkID] else {
                Issue.record("row \(row) holds unknown chunk \(chunkID)")
                continue
            }
            let unit = VectorFixtures.unit(vector)
            for column in 0..<matrix.dimension {
                #expect(abs(Double(matrix.row(row)[column]) - unit[column]) < 1e-6)
            }
            for padding in matrix.dimension..<matrix.stride {
                #expect(matrix.row(row)[padding] == 0)
            }
        }
    }

    @Test func swapRemoveKeepsEveryRowMappedToItsChunk() throws {
        let records = VectorFixtures.records(count: 300, dimension: 13, documents: 9, seed: 31)
        let index = try VectorIndex(dimension: 13, records: records)
        var vectors = Dictionary(uniqueKeysWithValues: records.map { ($0.chunkID, $0.vector) })
        let documents = Dictionary(uniqueKeysWithValues: records.map { ($0.chunkID, $0.documentID) })

        var generator = SeededGenerator(seed: 32)
        // Remove the last row, the first row and random rows in between.
        let victims = [index.matrix.chunkIDs.last!, index.matrix.chunkIDs.first!]
            + records.shuffled(using: &generator).prefix(120).map(\.chunkID)
        for chunkID in victims where vectors[chunkID] != nil {
            #expect(index.remove(chunkID: chunkID))
            vectors[chunkID] = nil
        }
        #expect(!index.remove(chunkID: victims[0]))
        #expect(index.count == vectors.count)
        expectConsistent(index, vectors: vectors, documents: documents)

        let survivors = records.filter { vectors[$0.chunkID] != nil }
        for record in survivors.prefix(20) {
            let hits = try index.search(record.vector, k: 1)
            #expect(hits.first?.chunkID == record.chunkID)
            #expect(hits.first?.documentID == record.documentID)
        }
    }

    @Test func upsertReplacesInPlaceAndCanMoveAChunkToAnotherDocument() throws {
        let records = VectorFixtures.records(count: 40, dimension: 10, documents: 4, seed: 33)
        let index = try VectorIndex(dimension: 10, records: records)
        var vectors = Dictionary(uniqueKeysWithValues: records.map { ($0.chunkID, $0.vector) })
        var documents = Dictionary(uniqueKeysWithValues: records.map { ($0.chunkID, $0.documentID) })
        let target = records[5]
        let row = index.matrix.row(of: target.chunkID)

        var generator = SeededGenerator(seed: 34)
        let replacement = VectorFixtures.randomVector(dimension: 10, using: &generator)
        let newDocument = UUID()
        try index.upsert(chunkID: target.chunkID, documentID: newDocument, vector: replacement)
        vectors[target.chunkID] = replacement
        documents[target.chunkID] = newDocument

        #expect(index.count == 40)
        #expect(index.matrix.row(of: target.chunkID) == row)
        expectConsistent(index, vectors: vectors, documents: documents)
        let hit = try index.search(replacement, k: 1).first
        #expect(hit?.chunkID == target.chunkID && hit?.documentID == newDocument)

        // The moved chunk no longer belongs to its old document.
        index.remove(documentID: target.documentID)
        #expect(index.contains(chunkID: target.chunkID))
        #expect(index.documentCount == 4)
    }

    @Test func removingADocumentRemovesAllItsChunksAndOnlyThose() throws {
        let records = VectorFixtures.records(count: 120, dimension: 8, documents: 6, seed: 35)
        let index = try VectorIndex(dimension: 8, records: records)
        let victim = records[0].documentID
        let expectedRemoved = records.filter { $0.documentID == victim }.count

        #expect(index.remove(documentID: victim) == expectedRemoved)
        #expect(index.remove(documentID: victim) == 0)
        #expect(index.documentCount == 5)
        let kept = records.filter { $0.documentID != victim }
        expectConsistent(
            index,
            vectors: Dictionary(uniqueKeysWithValues: kept.map { ($0.chunkID, $0.vector) }),
            documents: Dictionary(uniqueKeysWithValues: kept.map { ($0.chunkID, $0.documentID) }))
        let hits = try index.search(records[0].vector, k: 200)
        #expect(hits.count == kept.count && !hits.contains { $0.documentID == victim })

        // The freed ordinal is reused by the next new document without confusing the filter.
        let newcomer = UUID()
        try index.upsert(chunkID: 1, documentID: newcomer, vector: records[0].vector)
        let filtered = try index.search(records[0].vector, k: 5, allowedDocuments: [newcomer])
        #expect(filtered.map(\.chunkID) == [1] && filtered[0].documentID == newcomer)
        #expect(try index.search(records[0].vector, k: 5, allowedDocuments: [victim]).isEmpty)
    }

    @Test func invalidVectorsAreRejectedAndLeaveTheIndexUnchanged() throws {
        let index = VectorIndex(dimension: 4)
        let document = UUID()
        try index.upsert(chunkID: 1, documentID: document, vector: [1, 2, 3, 4])
        #expect(throws: VectorError.dimensionMismatch(expected: 4, actual: 3)) {
            try index.upsert(chunkID: 2, documentID: document, vector: [1, 2, 3])
        }
        #expect(throws: VectorError.nonFiniteComponent(index: 2)) {
            try index.upsert(chunkID: 2, documentID: document, vector: [1, 2, .nan, 4])
        }
        #expect(throws: VectorError.nonFiniteComponent(index: 0)) {
            try index.upsert(chunkID: 1, documentID: document, vector: [.infinity, 0, 0, 0])
        }
        #expect(throws: VectorError.zeroVector) {
            try index.upsert(chunkID: 2, documentID: document, vector: [0, 0, 0, 0])
        }
        #expect(throws: VectorError.nonFiniteComponent(index: 1)) {
            try index.upsert(contentsOf: [
                (chunkID: 3, documentID: document, vector: [1, 1, 1, 1]),
                (chunkID: 4, documentID: document, vector: [1, -.infinity, 1, 1]),
            ])
        }
        #expect(index.count == 1 && !index.contains(chunkID: 3))
        #expect(try index.search([1, 2, 3, 4], k: 1).first?.score ?? 0 > 0.999)

        for strategy in SingleQueryStrategy.allCases {
            #expect(throws: VectorError.dimensionMismatch(expected: 4, actual: 5)) {
                try index.search([1, 2, 3, 4, 5], k: 1, strategy: strategy)
            }
            #expect(throws: VectorError.nonFiniteComponent(index: 3)) {
                try index.search([1, 2, 3, .nan], k: 1, strategy: strategy)
            }
            #expect(throws: VectorError.zeroVector) {
                try index.search([0, 0, 0, 0], k: 1, strategy: strategy)
            }
        }
        #expect(throws: VectorError.dimensionMismatch(expected: 4, actual: 2)) {
            try index.search(batch: [[1, 2, 3, 4], [1, 2]], k: 1)
        }
    }

    @Test func memoryGrowsWithRowsAndShrinksAfterRemovals() throws {
        let records = VectorFixtures.records(count: 2000, dimension: 384, seed: 36)
        let index = VectorIndex(dimension: 384)
        let empty = index.memoryBytes
        try index.upsert(contentsOf: records)
        let full = index.memoryBytes
        #expect(full >= 2000 * 384 * MemoryLayout<Float>.stride)
        #expect(full > empty)
        for record in records.prefix(1900) { index.remove(chunkID: record.chunkID) }
        #expect(index.count == 100)
        #expect(index.memoryBytes < full / 4)
    }
}
