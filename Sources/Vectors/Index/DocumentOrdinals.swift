import Foundation

/// Maps document ids to small integer ordinals so each row stores 4 bytes instead of a UUID.
///
/// Each ordinal counts the rows that use it; when the count falls to zero the ordinal is freed
/// and reused by the next new document, so the table stays as small as the set of live documents.
struct DocumentOrdinals {
    private var ordinalsByDocument: [UUID: Int32] = [:]
    private(set) var documents: [UUID] = []
    private var rowCounts: [Int] = []
    private var freeOrdinals: [Int32] = []

    /// One past the largest ordinal handed out: the size a per-ordinal mask needs.
    var ordinalLimit: Int { documents.count }

    /// The number of documents with at least one row.
    var liveCount: Int { ordinalsByDocument.count }

    /// The ordinal of `documentID`, if it has rows.
    func ordinal(of documentID: UUID) -> Int32? {
        ordinalsByDocument[documentID]
    }

    /// The document id behind `ordinal`.
    func document(at ordinal: Int32) -> UUID {
        documents[Int(ordinal)]
    }

    /// Records one more row for `documentID` and returns its ordinal.
    mutating func retain(_ documentID: UUID) -> Int32 {
        if let ordinal = ordinalsByDocument[documentID] {
            rowCounts[Int(ordinal)] += 1
            return ordinal
        }
        let ordinal: Int32
        if let free = freeOrdinals.popLast() {
            ordinal = free
            documents[Int(free)] = documentID
            rowCounts[Int(free)] = 1
        } else {
            ordinal = Int32(documents.count)
            documents.append(documentID)
            rowCounts.append(1)
        }
        ordinalsByDocument[documentID] = ordinal
        return ordinal
    }

    /// Records one row fewer for `ordinal`, freeing it when none remain.
    mutating func release(_ ordinal: Int32) {
        let slot = Int(ordinal)
        rowCounts[slot] -= 1
        if rowCounts[slot] == 0 {
            ordinalsByDocument[documents[slot]] = nil
            freeOrdinals.append(ordinal)
        }
    }

    /// A mask indexed by ordinal, true for the ordinals of `allowed` documents.
    func mask(allowing allowed: Set<UUID>) -> [Bool] {
        var mask = [Bool](repeating: false, count: ordinalLimit)
        for documentID in allowed {
            if let ordinal = ordinalsByDocument[documentID] { mask[Int(ordinal)] = true }
        }
        return mask
    }

    /// An estimate of the bytes the table holds.
    var memoryBytes: Int {
        let uuid = MemoryLayout<UUID>.stride
        return documents.capacity * uuid + rowCounts.capacity * MemoryLayout<Int>.stride
            + freeOrdinals.capacity * MemoryLayout<Int32>.stride
            + ordinalsByDocument.capacity * (uuid + MemoryLayout<Int32>.stride) * 9 / 8
    }
}
