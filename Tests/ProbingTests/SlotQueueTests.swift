import Testing
@testable import Probing

@Suite struct SlotQueueTests {
    @Test func popsDueSlotsEarliestFirstAndKeepsLaterOnes() {
        var queue = SlotQueue()
        var generator = SystemRandomNumberGenerator()
        let dues = (0..<200).map { _ in Int64.random(in: 0..<1000, using: &generator) }
        for (index, due) in dues.enumerated() { queue.insert(.init(due: due, name: "t\(index)", generation: index)) }
        #expect(queue.nextDue == dues.min())

        var popped: [Int64] = []
        while let slot = queue.popDue(now: 499) { popped.append(slot.due) }
        #expect(popped == dues.filter { $0 <= 499 }.sorted())
        #expect(queue.count == dues.filter { $0 > 499 }.count)
        #expect(queue.nextDue == dues.filter { $0 > 499 }.min())
        #expect(queue.popDue(now: 499) == nil)
    }
}
