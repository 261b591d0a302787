import OutpostCore

/// Alertmanager's alert states for the API and `outpost_alerts`.
public enum AlertState: String, Sendable, Hashable {
    case active, suppressed, unprocessed
}

/// An alert as the v2 API shows it: its data, state, what mutes it and where it is routed.
public struct AlertSnapshot: Sendable {
    public var alert: Alert
    public var state: AlertState
    public var silencedBy: [String]
    /// Fingerprints of the alerts inhibiting this one.
    public var inhibitedBy: [String]
    public var receivers: [String]
}

/// One aggregation group as `GET /api/v2/alerts/groups` shows it.
public struct AlertGroupSnapshot: Sendable {
    public var labels: Labels
    public var receiver: String
    public var groupKey: String
    public var alerts: [AlertSnapshot]
}

extension AlertingService {
    /// Current alerts (resolved ones included until they are dropped) whose labels match all
    /// `matchers` (the API's `filter`, parsed with `MatcherParser.parseMatchers`), by fingerprint.
    public func currentAlerts(matching matchers: [Matcher] = []) -> [AlertSnapshot] {
        let now = clock.now()
        return alerts.values.filter { matchers.matches($0.labels) }.sorted { $0.fingerprint < $1.fingerprint }.map { snapshot(of: $0, now: now) }
    }

    /// Aggregation groups holding an alert that matches all `matchers`.
    public func currentGroups(matching matchers: [Matcher] = []) -> [AlertGroupSnapshot] {
        let now = clock.now()
        return dispatcher.groups.values
            .filter { group in matchers.isEmpty || group.alerts.values.contains { matchers.matches($0.labels) } }
            .sorted { ($0.groupKey, $0.route.receiver) < ($1.groupKey, $1.route.receiver) }
            .map { group in
                AlertGroupSnapshot(labels: group.labels, receiver: group.route.receiver, groupKey: group.groupKey,
                                   alerts: group.alerts.values.sorted(by: AggregationGroup.notificationOrder).map { snapshot(of: $0, now: now) })
            }
    }

    /// The service clock's time, for rendering silence states consistently with the service.
    public func now() -> UnixMillis { clock.now() }

    /// The names of the configured receivers, sorted.
    public func receiverNames() -> [String] { config.receivers.keys.sorted() }

    /// The configuration as loaded (or last reloaded), secrets redacted.
    public func originalConfig() -> String { config.original }

    func snapshot(of alert: Alert, now: UnixMillis) -> AlertSnapshot {
        let (state, silencedBy, inhibitedBy) = state(of: alert, now: now)
        return AlertSnapshot(alert: alert, state: state, silencedBy: silencedBy, inhibitedBy: inhibitedBy,
                             receivers: Array(Set(dispatcher.route.match(alert.labels).map(\.receiver))).sorted())
    }

    func state(of alert: Alert, now: UnixMillis) -> (state: AlertState, silencedBy: [String], inhibitedBy: [String]) {
        let silencedBy = silenceStore.silencing(alert.labels, now: now)
        let inhibitedBy = inhibitor.inhibitors(of: alert.labels, now: now).map(\.description)
        if !silencedBy.isEmpty || !inhibitedBy.isEmpty { return (.suppressed, silencedBy, inhibitedBy) }
        return (processed.contains(alert.fingerprint) ? .active : .unprocessed, [], [])
    }
}
