/// Keeps the `k` best-scoring rows seen so far in a bounded min-heap, never sorting all scores.
///
/// "Better" means a higher score, and for equal scores a smaller chunk id, so the result is the
/// same whatever order rows are offered in. The root is the worst entry kept; once `k` entries
/// are held, ``threshold`` is its score and a scan can skip any row scoring below it with one
/// comparison. Offering costs O(1) for a rejected row and O(log k) for an accepted one.
struct TopKHeap {
    /// One kept row.
    struct Entry {
        var score: Float
        var chunkID: Int64
        var row: Int
    }

    /// How many entries the heap keeps.
    let k: Int
    private var heap: [Entry] = []

    /// The lowest score that can still enter: `-infinity` until `k` entries are held.
    private(set) var threshold: Float = -.infinity

    /// Creates an empty heap keeping at most `k` entries; `expected` bounds the initial allocation.
    init(k: Int, expected: Int) {
        self.k = max(k, 0)
        heap.reserveCapacity(min(self.k, max(expected, 0)))
        if self.k == 0 { threshold = .infinity }
    }

    /// Whether `a` ranks before `b`.
    @inline(__always)
    static func ranksBefore(_ a: Entry, _ b: Entry) -> Bool {
        a.score > b.score || (a.score == b.score && a.chunkID < b.chunkID)
    }

    /// Offers a row whose score the caller has already checked is at least ``threshold``.
    @inline(__always)
    mutating func offer(score: Float, chunkID: Int64, row: Int) {
        let entry = Entry(score: score, chunkID: chunkID, row: row)
        if heap.count < k {
            heap.append(entry)
            siftUp(from: heap.count - 1)
            if heap.count == k { threshold = heap[0].score }
        } else if Self.ranksBefore(entry, heap[0]) {
            heap[0] = entry
            siftDown(from: 0)
            threshold = heap[0].score
        }
    }

    /// The kept entries, best first.
    func sortedEntries() -> [Entry] {
        heap.sorted(by: Self.ranksBefore)
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.ranksBefore(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var worst = left
            let right = left + 1
            if right < count && Self.ranksBefore(heap[left], heap[right]) { worst = right }
            guard Self.ranksBefore(heap[parent], heap[worst]) else { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
