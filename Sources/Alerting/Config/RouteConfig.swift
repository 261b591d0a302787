import OutpostCore

/// One `route` node as written; unset fields are inherited when the tree is built.
struct RouteConfig: Decodable, Sendable {
    var receiver: String?
    var groupBy: [String]?
    var groupWait: Duration?
    var groupInterval: Duration?
    var repeatInterval: Duration?
    var matchers: [Matcher]
    var `continue`: Bool
    var routes: [RouteConfig]
    var muteTimeIntervals: [String]
    var activeTimeIntervals: [String]
    var location: ConfigLocation

    enum CodingKeys: String, CodingKey {
        case receiver, matchers, match, routes, `continue`
        case groupBy = "group_by"
        case groupWait = "group_wait"
        case groupInterval = "group_interval"
        case repeatInterval = "repeat_interval"
        case matchRE = "match_re"
        case muteTimeIntervals = "mute_time_intervals"
        case activeTimeIntervals = "active_time_intervals"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        location = ConfigLocation(decoder)
        receiver = try container.decodeIfPresent(String.self, forKey: .receiver)
        groupBy = try container.decodeIfPresent([String].self, forKey: .groupBy)
        if let groupBy {
            if groupBy.contains("...") {
                try container.check(groupBy.count == 1, forKey: .groupBy, "cannot have \"...\" and other labels at the same time")
            } else {
                for name in groupBy {
                    try container.check(MetricNames.isValidLabelName(name), forKey: .groupBy, "\"\(name)\" is not a valid label name")
                }
                try container.check(Set(groupBy).count == groupBy.count, forKey: .groupBy, "duplicated label in group_by")
            }
        }
        groupWait = try container.decodeDuration(forKey: .groupWait)
        groupInterval = try container.decodeDuration(forKey: .groupInterval)
        try container.check(groupInterval != .zero, forKey: .groupInterval, "group_interval cannot be zero")
        repeatInterval = try container.decodeDuration(forKey: .repeatInterval)
        try container.check(repeatInterval != .zero, forKey: .repeatInterval, "repeat_interval cannot be zero")
        matchers = try container.decodeMatchers(.matchers, equal: .match, regex: .matchRE)
        self.continue = try container.decodeIfPresent(Bool.self, forKey: .continue) ?? false
        routes = try container.decodeIfPresent([RouteConfig].self, forKey: .routes) ?? []
        muteTimeIntervals = try container.decodeIfPresent([String].self, forKey: .muteTimeIntervals) ?? []
        activeTimeIntervals = try container.decodeIfPresent([String].self, forKey: .activeTimeIntervals) ?? []
    }
}
