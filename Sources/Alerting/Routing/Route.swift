import OutpostCore

/// A node of the routing tree with every inherited option resolved.
public struct Route: Sendable {
    public enum Grouping: Sendable, Equatable {
        /// `group_by: ['...']`: every label, so each alert is its own group.
        case allLabels
        case labels(Set<String>)
    }

    public var receiver: String
    public var grouping: Grouping
    public var groupWait: Duration
    public var groupInterval: Duration
    public var repeatInterval: Duration
    public var matchers: [Matcher]
    public var `continue`: Bool
    public var muteTimeIntervals: [String]
    public var activeTimeIntervals: [String]
    public var routes: [Route]
    /// Alertmanager's route key (`{}/{severity="page"}`), the first part of a group key.
    public let key: String
    /// The key plus each node's position among its siblings, unique in the tree.
    public let id: String

    /// Builds the tree from the root `route` node, checking names it refers to.
    init(root: RouteConfig, receivers: Set<String>, timeIntervals: Set<String>) throws(ConfigError) {
        try self.init(config: root, parent: nil, index: 0, receivers: receivers, timeIntervals: timeIntervals)
    }

    private init(config: RouteConfig, parent: Route?, index: Int, receivers: Set<String>, timeIntervals: Set<String>) throws(ConfigError) {
        guard let receiver = config.receiver ?? parent?.receiver else { throw config.location.error("route has no receiver") }
        guard receivers.contains(receiver) else { throw config.location.error("undefined receiver \"\(receiver)\" used in route") }
        for name in config.muteTimeIntervals + config.activeTimeIntervals where !timeIntervals.contains(name) {
            throw config.location.error("undefined time interval \"\(name)\" used in route")
        }
        self.receiver = receiver
        if let groupBy = config.groupBy {
            grouping = groupBy == ["..."] ? .allLabels : .labels(Set(groupBy))
        } else {
            grouping = parent?.grouping ?? .labels([])
        }
        groupWait = config.groupWait ?? parent?.groupWait ?? .seconds(30)
        groupInterval = config.groupInterval ?? parent?.groupInterval ?? .seconds(300)
        repeatInterval = config.repeatInterval ?? parent?.repeatInterval ?? .seconds(4 * 3600)
        matchers = config.matchers
        self.continue = config.continue
        muteTimeIntervals = config.muteTimeIntervals
        activeTimeIntervals = config.activeTimeIntervals
        let ownKey = matchers.matchersDescription
        key = parent.map { $0.key + "/" + ownKey } ?? ownKey
        id = parent.map { $0.id + "/" + ownKey + String(index) } ?? ownKey
        routes = []
        var children: [Route] = []
        for (childIndex, child) in config.routes.enumerated() {
            children.append(try Route(config: child, parent: self, index: childIndex, receivers: receivers, timeIntervals: timeIntervals))
        }
        routes = children
    }

    /// The routes an alert goes to: the deepest matching nodes, the first matching child at each
    /// level unless it sets `continue`. The node itself matches when no child does.
    public func match(_ labels: Labels) -> [Route] {
        guard matchers.matches(labels) else { return [] }
        var all: [Route] = []
        for child in routes {
            let matched = child.match(labels)
            all += matched
            if !matched.isEmpty && !child.continue { break }
        }
        return all.isEmpty ? [self] : all
    }

    /// The labels that name an alert's group on this route.
    public func groupLabels(for labels: Labels) -> Labels {
        switch grouping {
        case .allLabels: labels
        case .labels(let names): labels.keeping(names)
        }
    }

    /// Every node, depth first, for status pages and tests.
    public var allRoutes: [Route] { [self] + routes.flatMap(\.allRoutes) }
}
