import OutpostCore

/// Places alerts in aggregation groups along the routing tree and says which groups are due.
struct Dispatcher: Sendable {
    private(set) var route: Route
    private(set) var groups: [AggregationGroup.ID: AggregationGroup] = [:]

    init(route: Route) {
        self.route = route
    }

    /// Adds or updates `alert` in the group of every route it matches.
    mutating func insert(_ alert: Alert, now: UnixMillis) {
        for matched in route.match(alert.labels) {
            let labels = matched.groupLabels(for: alert.labels)
            let id = AggregationGroup.ID(routeID: matched.id, labels: labels)
            if groups[id] == nil {
                groups[id] = AggregationGroup(route: matched, labels: labels, now: now)
            }
            groups[id]!.insert(alert, now: now)
        }
    }

    /// The earliest time a group wants to flush.
    var nextDeadline: UnixMillis? { groups.values.lazy.map(\.nextFlush).min() }

    func dueGroups(now: UnixMillis) -> [AggregationGroup.ID] {
        groups.filter { $0.value.nextFlush <= now }.map(\.key)
    }

    mutating func beginFlush(_ id: AggregationGroup.ID, now: UnixMillis) -> (group: AggregationGroup, alerts: [Alert])? {
        guard groups[id] != nil else { return nil }
        let alerts = groups[id]!.beginFlush(now: now)
        return (groups[id]!, alerts)
    }

    /// Ends a flush; a group left without alerts is dropped, as Alertmanager's cleanup does.
    mutating func finishFlush(_ id: AggregationGroup.ID, flushed: [Alert], succeeded: Bool, now: UnixMillis) {
        guard groups[id] != nil else { return }
        if succeeded { groups[id]!.removeResolved(flushed, now: now) }
        if groups[id]!.isEmpty { groups[id] = nil }
    }

    /// A new routing tree: groups are rebuilt from the given alerts, as a restart would.
    mutating func replaceRoute(_ newRoute: Route, alerts: some Sequence<Alert>, now: UnixMillis) {
        route = newRoute
        groups = [:]
        for alert in alerts { insert(alert, now: now) }
    }
}
