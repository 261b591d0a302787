import OutpostCore

/// An alert to hand to the alerting side (Alertmanager `PostableAlert` shape). Times are ms.
public struct OutgoingAlert: Sendable, Equatable {
    public var labels: Labels
    public var annotations: Labels
    /// When the alert started firing.
    public var startsAt: Int64
    /// The resolve time for resolved alerts; otherwise how long this notification keeps it active.
    public var endsAt: Int64
    public var generatorURL: String

    public init(labels: Labels, annotations: Labels, startsAt: Int64, endsAt: Int64, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}

extension RuleGroupEvaluator {
    /// The firing and resolved alerts due for a notification at `t`, marking them sent
    /// (Prometheus `sendAlerts`): an active alert stays valid for 4 × max(resendDelay, interval),
    /// a resolved one ends at its resolve time. Like Prometheus's notifier, each carries the
    /// external labels it does not set itself.
    public func alertsToSend(at t: Int64, resendDelay: Int64 = 60_000) -> [OutgoingAlert] {
        let validity = 4 * max(resendDelay, group.interval)
        return withState { state in
            var outgoing: [OutgoingAlert] = []
            for (index, rule) in group.rules.enumerated() where rule.kind == .alerting {
                let generatorURL = RuleGroupEvaluator.generatorURL(externalURL: externalURL, query: rule.query)
                for key in state.rules[index].tracker.alerts.keys.sorted() {
                    guard var alert = state.rules[index].tracker.alerts[key], alert.needsSending(at: t, resendDelay: resendDelay) else {
                        continue
                    }
                    alert.lastSentAt = t
                    alert.validUntil = t + validity
                    state.rules[index].tracker.alerts[key] = alert
                    outgoing.append(OutgoingAlert(
                        labels: Labels(externalLabels).merging(alert.labels), annotations: alert.annotations,
                        startsAt: alert.firedAt ?? alert.activeAt,
                        endsAt: alert.resolvedAt ?? t + validity, generatorURL: generatorURL
                    ))
                }
            }
            return outgoing
        }
    }

    /// `<externalURL>/graph?g0.expr=<query>&g0.tab=1`, the link Prometheus puts in alerts.
    static func generatorURL(externalURL: String, query: String) -> String {
        externalURL + "/graph?g0.expr=" + urlQueryEscape(query) + "&g0.tab=1"
    }
}
