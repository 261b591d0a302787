import OutpostCore

/// The alert state machine of one alerting rule (Prometheus `AlertingRule.Eval`): new results
/// become pending, pending alerts fire after `for`, vanished firing alerts stay firing for
/// `keep_firing_for`, then resolve and are kept `resolvedRetention` for notifications.
struct AlertTracker: Sendable {
    /// How long a resolved alert is kept so it can still be sent (Prometheus: 15 minutes).
    static let resolvedRetention: Int64 = 15 * 60_000

    var holdDuration: Int64
    var keepFiringFor: Int64
    var alerts: [Labels: RuleAlert] = [:]

    /// A result of the rule's expression for one alert.
    struct Result {
        var labels: Labels
        var annotations: Labels
        var value: Double
    }

    /// Applies one evaluation at `t`; returns the alerts that are pending or firing after it.
    mutating func apply(_ results: [Result], at t: Int64) -> [RuleAlert] {
        var current: Set<Labels> = []
        for result in results {
            current.insert(result.labels)
            if var existing = alerts[result.labels], existing.state != .inactive {
                existing.value = result.value
                existing.annotations = result.annotations
                alerts[result.labels] = existing
            } else {
                alerts[result.labels] = RuleAlert(labels: result.labels, annotations: result.annotations, state: .pending,
                                                  value: result.value, activeAt: t)
            }
        }
        var active: [RuleAlert] = []
        for key in Array(alerts.keys) {
            guard var alert = alerts[key] else { continue }
            if !current.contains(key) {
                var keepFiring = false
                if alert.state == .firing && keepFiringFor > 0 {
                    let since = alert.keepFiringSince ?? t
                    alert.keepFiringSince = since
                    keepFiring = t - since < keepFiringFor
                }
                if alert.state == .pending || (alert.resolvedAt.map { t - $0 > AlertTracker.resolvedRetention } ?? false) {
                    alerts[key] = nil
                    continue
                }
                if alert.state != .inactive && !keepFiring {
                    alert.state = .inactive
                    alert.resolvedAt = t
                }
                alerts[key] = alert
                if !keepFiring { continue }
            } else {
                alert.keepFiringSince = nil
            }
            if alert.state == .pending && t - alert.activeAt >= holdDuration {
                alert.state = .firing
                alert.firedAt = t
            }
            alerts[key] = alert
            active.append(alert)
        }
        return active.sorted { $0.labels < $1.labels }
    }

    /// Drops every alert, as Prometheus does when a rule exceeds its group's limit.
    mutating func reset() { alerts = [:] }

    /// The highest state of any alert: the rule's state in the API.
    var state: AlertState { alerts.values.map(\.state).max() ?? .inactive }
}
