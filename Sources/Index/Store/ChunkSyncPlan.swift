/// How a document's stored chunks become its new drafts, for both stores: a draft whose content
/// hash matches a stored chunk keeps that row (and its embedding) at the draft's position; the
/// other drafts are new chunks; stored chunks no draft claims are removed. Among stored chunks
/// with the same hash, the earliest by position is claimed first.
struct ChunkSyncPlan {
    /// Stored chunks that stay, with their new positions, in draft order.
    var kept: [(id: Int64, position: Int)] = []
    /// Drafts that become new chunks, in draft order.
    var added: [ChunkDraft] = []
    /// Stored chunks to delete.
    var removed: [Int64] = []

    /// - Parameter stored: the document's chunks as stored, ordered by position.
    init(stored: [(id: Int64, contentHash: String)], drafts: [ChunkDraft]) {
        var reusable: [String: [Int64]] = [:]
        for chunk in stored {
            reusable[chunk.contentHash, default: []].append(chunk.id)
        }
        for draft in drafts {
            if var ids = reusable[draft.contentHash], !ids.isEmpty {
                kept.append((ids.removeFirst(), draft.position))
                reusable[draft.contentHash] = ids
            } else {
                added.append(draft)
            }
        }
        removed = Array(reusable.values.joined())
    }
}
