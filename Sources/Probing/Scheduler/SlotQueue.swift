import OutpostCore

/// The scheduler's upcoming probe slots, earliest first (a binary min-heap).
struct SlotQueue {
    struct Slot {
        var due: UnixMillis
        var name: String
        /// The target entry's generation when queued; a replaced or removed target's slots
        /// are dropped when they come up.
        var generation: Int
    }

    private var heap: [Slot] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// When the earliest slot is due, if any.
    var nextDue: UnixMillis? { heap.first?.due }

    mutating func insert(_ slot: Slot) {
        heap.append(slot)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest slot if it is due at `now`.
    mutating func popDue(now: UnixMillis) -> Slot? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let smaller = right < heap.count && heap[right].due < heap[left].due ? right : left
            guard heap[smaller].due < heap[parent].due else { break }
            heap.swapAt(parent, smaller)
            parent = smaller
        }
        return first
    }

    mutating func removeAll() {
        heap.removeAll()
    }
}
