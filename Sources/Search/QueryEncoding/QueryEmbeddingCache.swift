import Synchronization

/// A bounded least-recently-used map from query text to its embedding.
///
/// Keys are the model and the query's normalized text (``QueryEncoder/normalized(_:)``), so a
/// model change never serves another model's vectors. At ``capacity`` the least recently used
/// entry goes. Nodes live in arrays linked by index, so a lookup or an insertion is O(1) with no
/// allocation per entry once full.
final class QueryEmbeddingCache: Sendable {
    struct Key: Hashable, Sendable {
        var model: String
        var text: String
    }

    private struct Node {
        var key: Key
        var vector: [Float]
        var previous: Int
        var next: Int
    }

    private struct State {
        var slots: [Key: Int] = [:]
        var nodes: [Node] = []
        /// The most and least recently used nodes (−1 when empty).
        var head = -1
        var tail = -1

        mutating func unlink(_ index: Int) {
            let node = nodes[index]
            if node.previous >= 0 { nodes[node.previous].next = node.next } else { head = node.next }
            if node.next >= 0 { nodes[node.next].previous = node.previous } else { tail = node.previous }
        }

        mutating func pushFront(_ index: Int) {
            nodes[index].previous = -1
            nodes[index].next = head
            if head >= 0 { nodes[head].previous = index }
            head = index
            if tail < 0 { tail = index }
        }
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { state.withLock { $0.slots.count } }

    func vector(for key: Key) -> [Float]? {
        state.withLock { state in
            guard let index = state.slots[key] else { return nil }
            state.unlink(index)
            state.pushFront(index)
            return state.nodes[index].vector
        }
    }

    func store(_ vector: [Float], for key: Key) {
        state.withLock { state in
            if let index = state.slots[key] {
                state.nodes[index].vector = vector
                state.unlink(index)
                state.pushFront(index)
                return
            }
            let index: Int
            if state.nodes.count < capacity {
                index = state.nodes.count
                state.nodes.append(Node(key: key, vector: vector, previous: -1, next: -1))
            } else {
                // Reuse the least recently used node.
                index = state.tail
                state.unlink(index)
                state.slots[state.nodes[index].key] = nil
                state.nodes[index].key = key
                state.nodes[index].vector = vector
            }
            state.slots[key] = index
            state.pushFront(index)
        }
    }
}
