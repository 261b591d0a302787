import Foundation
import Rules
import Testing

struct RuleStateStoreTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).db").path
    }

    func record(_ labels: [String: String], value: String) -> AlertRecord {
        AlertRecord(groupKey: "f;g", ruleKey: "Down{}", labels: labels, annotations: ["summary": "down"], state: .firing,
                    activeAt: 1000, firedAt: 2000, resolvedAt: nil, lastSentAt: 2000, keepFiringSince: 3000,
                    validUntil: 9000, value: value)
    }

    @Test func savedStateSurvivesReopening() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let records = [record(["alertname": "Down", "instance": "a"], value: "NaN"), record(["alertname": "Down", "instance": "b"], value: "+Inf")]
        try RuleStateStore(path: path).save(groupKey: "f;g", records: records, at: 5000)
        let loaded = try RuleStateStore(path: path).loadAll()
        #expect(loaded.unreadable.isEmpty)
        #expect(loaded.groups["f;g"] == RuleStateStore.SavedGroup(savedAt: 5000, records: records))
    }

    @Test func savingReplacesAndRemovingForgets() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RuleStateStore(path: path)
        try store.save(groupKey: "f;g", records: [record(["alertname": "A"], value: "1")], at: 1)
        try store.save(groupKey: "f;g", records: [], at: 2)
        try store.save(groupKey: "f;h", records: [record(["alertname": "B"], value: "2")], at: 3)
        #expect(try store.loadAll().groups["f;g"] == RuleStateStore.SavedGroup(savedAt: 2, records: []))
        try store.remove(groupKeys: ["f;h"])
        #expect(try store.loadAll().groups.keys.sorted() == ["f;g"])
    }
}
