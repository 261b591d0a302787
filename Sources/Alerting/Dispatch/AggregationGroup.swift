import OutpostCore
import Templating

/// The alerts of one route that share the route's group labels, flushed together.
///
/// Timing follows Alertmanager: the first flush comes `group_wait` after the group is created
/// (at once if an alert started more than `group_wait` ago, which is what happens after a
/// restart), then one every `group_interval`.
struct AggregationGroup: Sendable {
    struct ID: Hashable, Sendable {
        var routeID: String
        var labels: Labels
    }

    let route: Route
    let labels: Labels
    /// Alertmanager's group key, `{}/{team="db"}:{alertname="Down"}`.
    let groupKey: String
    private(set) var alerts: [Fingerprint: Alert] = [:]
    private(set) var nextFlush: UnixMillis
    private(set) var hasFlushed = false

    init(route: Route, labels: Labels, now: UnixMillis) {
        self.route = route
        self.labels = labels
        groupKey = route.key + ":" + labels.goDescription
        nextFlush = now + route.groupWait.milliseconds
    }

    var id: ID { ID(routeID: route.id, labels: labels) }
    var isEmpty: Bool { alerts.isEmpty }

    mutating func insert(_ alert: Alert, now: UnixMillis) {
        alerts[alert.fingerprint] = alert
        if !hasFlushed && alert.startsAt + route.groupWait.milliseconds < now {
            nextFlush = min(nextFlush, now)
        }
    }

    /// Starts a flush: the alerts as of `now`, firing ones stripped of their end so they do not
    /// resolve while the notification travels, sorted as Alertmanager sorts them. The next flush
    /// is scheduled one `group_interval` later.
    mutating func beginFlush(now: UnixMillis) -> [Alert] {
        hasFlushed = true
        nextFlush = now + route.groupInterval.milliseconds
        var snapshot: [Alert] = []
        snapshot.reserveCapacity(alerts.count)
        for var alert in alerts.values {
            if !alert.isResolved(at: now) { alert.endsAt = nil }
            snapshot.append(alert)
        }
        snapshot.sort(by: Self.notificationOrder)
        return snapshot
    }

    /// After a successful flush, forgets resolved alerts that did not change meanwhile.
    mutating func removeResolved(_ flushed: [Alert], now: UnixMillis) {
        for alert in flushed where alert.isResolved(at: now) {
            if let current = alerts[alert.fingerprint], current.updatedAt == alert.updatedAt {
                alerts[alert.fingerprint] = nil
            }
        }
    }

    /// `job`, then `instance`, then the whole label set; alerts missing a key come last.
    static func notificationOrder(_ lhs: Alert, _ rhs: Alert) -> Bool {
        for key in ["job", "instance"] {
            let left = lhs.labels[key]
            let right = rhs.labels[key]
            switch (left, right) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case let (l?, r?) where l != r: return l < r
            default: continue
            }
        }
        return lhs.labels < rhs.labels
    }
}

extension Labels {
    /// Go's `LabelSet.String()`: `{a="1", b="2"}` with `%q` quoting.
    var goDescription: String {
        "{" + map { $0.name + "=" + GoQuote.quote($0.value) }.joined(separator: ", ") + "}"
    }
}
