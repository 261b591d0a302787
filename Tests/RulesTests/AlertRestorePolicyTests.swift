import Rules
import Testing

struct AlertRestorePolicyTests {
    func record(_ state: AlertState, activeAt: Int64, firedAt: Int64? = nil) -> AlertRecord {
        AlertRecord(groupKey: "f;g", ruleKey: "Down{}", labels: ["alertname": "Down"], annotations: [:], state: state,
                    activeAt: activeAt, firedAt: firedAt, resolvedAt: nil, lastSentAt: firedAt, keepFiringSince: nil,
                    validUntil: nil, value: "1")
    }

    @Test func pendingProgressBeforeTheOutageCountsAndTheOutageDoesNot() {
        // for: 10m; pending 4m when saved; down 2m. 6m remain after the start.
        let policy = AlertRestorePolicy(outageTolerance: 3_600_000, gracePeriod: 0)
        let restored = policy.adjust([record(.pending, activeAt: 0)], savedAt: 240_000, now: 360_000) { _ in 600_000 }
        #expect(restored.count == 1)
        #expect(restored[0].activeAt == 360_000 - 240_000)
    }

    @Test func gracePeriodDelaysAnAlertAboutToFire() {
        // for: 10m; pending 9m30s when saved; grace 2m: fires no sooner than 2m after the start.
        let policy = AlertRestorePolicy(outageTolerance: 3_600_000, gracePeriod: 120_000)
        let restored = policy.adjust([record(.pending, activeAt: 0)], savedAt: 570_000, now: 600_000) { _ in 600_000 }
        #expect(restored[0].activeAt + 600_000 == 600_000 + 120_000)
    }

    @Test func longOutagesResetPendingButKeepFiring() {
        let policy = AlertRestorePolicy(outageTolerance: 3_600_000, gracePeriod: 0)
        let records = [record(.pending, activeAt: 0), record(.firing, activeAt: 0, firedAt: 60_000)]
        let restored = policy.adjust(records, savedAt: 100_000, now: 100_000 + 3_600_001) { _ in 600_000 }
        #expect(restored.map(\.state) == [.firing])
        #expect(restored[0].firedAt == 60_000)
    }

    @Test func pendingAlertsOfRemovedRulesAreDropped() {
        let restored = AlertRestorePolicy().adjust([record(.pending, activeAt: 0)], savedAt: 1000, now: 2000) { _ in nil }
        #expect(restored.isEmpty)
    }
}
