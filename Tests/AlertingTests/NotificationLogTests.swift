import OutpostCore
import Testing
@testable import Alerting

/// The dedup decisions of Alertmanager's DedupStage, case by case.
@Suite struct NotificationLogTests {
    let key = NotificationLog.Key(receiver: "r", integration: "webhook", index: 0, groupKey: "{}:{}")
    let a = Fingerprint(rawValue: 1)
    let b = Fingerprint(rawValue: 2)
    let hour = Duration.seconds(3600)

    func log(firing: Set<Fingerprint>, resolved: Set<Fingerprint> = [], at timestamp: UnixMillis = 0) -> NotificationLog {
        NotificationLog([key: .init(firing: firing, resolved: resolved, timestamp: timestamp, expiresAt: 10_000_000)])
    }

    @Test func firstNotificationOnlyForFiringAlerts() {
        let empty = NotificationLog()
        #expect(empty.needsUpdate(key, firing: [a], resolved: [], sendResolved: true, repeatInterval: hour, now: 1))
        #expect(!empty.needsUpdate(key, firing: [], resolved: [a], sendResolved: true, repeatInterval: hour, now: 1))
    }

    @Test func newFiringAlertsNotify() {
        #expect(log(firing: [a]).needsUpdate(key, firing: [a, b], resolved: [], sendResolved: false, repeatInterval: hour, now: 1))
        #expect(!log(firing: [a, b]).needsUpdate(key, firing: [a], resolved: [], sendResolved: false, repeatInterval: hour, now: 1))
    }

    @Test func resolvedAlertsNotifyOnlyWithSendResolved() {
        let previous = log(firing: [a, b])
        #expect(previous.needsUpdate(key, firing: [a], resolved: [b], sendResolved: true, repeatInterval: hour, now: 1))
        #expect(!previous.needsUpdate(key, firing: [a], resolved: [b], sendResolved: false, repeatInterval: hour, now: 1))
        #expect(!log(firing: [a], resolved: [b]).needsUpdate(key, firing: [a], resolved: [b], sendResolved: true, repeatInterval: hour, now: 1))
    }

    @Test func allResolvedNotifiesWhenFiringWasKnown() {
        #expect(log(firing: [a]).needsUpdate(key, firing: [], resolved: [a], sendResolved: false, repeatInterval: hour, now: 1))
        #expect(!log(firing: [], resolved: [a]).needsUpdate(key, firing: [], resolved: [a, b], sendResolved: true, repeatInterval: hour, now: 1))
    }

    @Test func repeatsAfterRepeatInterval() {
        let previous = log(firing: [a], at: 1000)
        #expect(!previous.needsUpdate(key, firing: [a], resolved: [], sendResolved: true, repeatInterval: hour, now: 3_600_999))
        #expect(previous.needsUpdate(key, firing: [a], resolved: [], sendResolved: true, repeatInterval: hour, now: 3_601_000))
    }

    @Test func expiredEntriesCountAsNeverNotified() {
        var expiring = NotificationLog([key: .init(firing: [a], resolved: [], timestamp: 0, expiresAt: 100)])
        #expect(expiring.needsUpdate(key, firing: [a], resolved: [], sendResolved: true, repeatInterval: hour, now: 100))
        #expect(expiring.collectGarbage(now: 100) == [key])
        #expect(expiring.entries.isEmpty)
    }
}
