import Foundation
import OutpostCore

/// A statsd_exporter mapping file: `defaults` and `mappings`, decoded strictly so every
/// mistake carries file, line and column.
struct MappingFile: Sendable, Decodable {
    var defaults: MappingDefaults
    var mappings: [MappingRule]

    enum CodingKeys: String, CodingKey {
        case defaults, mappings
    }

    init(defaults: MappingDefaults = MappingDefaults(), mappings: [MappingRule] = []) {
        self.defaults = defaults
        self.mappings = mappings
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaults = try container.decodeIfPresent(MappingDefaults.self, forKey: .defaults) ?? MappingDefaults()
        mappings = []
        guard container.contains(.mappings), !(try container.decodeNil(forKey: .mappings)) else { return }
        var list = try container.nestedUnkeyedContainer(forKey: .mappings)
        while !list.isAtEnd {
            let index = list.currentIndex
            var rule = try list.decode(MappingRule.self)
            do {
                try rule.compile(defaultMatchType: defaults.matchType)
            } catch {
                let path = container.codingPath + [CodingKeys.mappings, ConfigKey(index: index), MappingRule.CodingKeys.match]
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: error.description))
            }
            mappings.append(rule)
        }
    }

    static func parse(_ text: String, file: String) throws(ConfigError) -> MappingFile {
        try ConfigDecoder(file: file).decode(MappingFile.self, from: text)
    }

    static func load(path: String) throws(ConfigError) -> MappingFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: 0, column: 0, keyPath: "", message: "cannot read file: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }
}

/// The `defaults:` block: what a mapping, and an unmapped metric, uses when it sets nothing.
struct MappingDefaults: Sendable, Decodable {
    /// Timers become histograms with default buckets unless the mapping says otherwise, as
    /// Outpost's rules and dashboards expect (statsd_exporter defaults to summaries; set
    /// `observer_type: summary` in `defaults` to keep that).
    var observerKind = ObserverKind.histogram
    var matchType = MappingRule.MatchType.glob
    var globDisableOrdering = false
    var ttl: Duration = .zero
    var histogramOptions = HistogramOptionsConfig()
    var summaryOptions = SummaryOptionsConfig()

    enum CodingKeys: String, CodingKey {
        case ttl, buckets, quantiles
        case observerType = "observer_type"
        case timerType = "timer_type"
        case matchType = "match_type"
        case globDisableOrdering = "glob_disable_ordering"
        case histogramOptions = "histogram_options"
        case summaryOptions = "summary_options"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let observer = try container.decodeIfPresent(ObserverKind.self, forKey: .observerType)
        let timer = try container.decodeIfPresent(ObserverKind.self, forKey: .timerType)
        try container.check(observer == nil || timer == nil || observer == timer, forKey: .timerType,
                            "timer_type and observer_type disagree")
        observerKind = observer ?? timer ?? observerKind
        matchType = try container.decodeIfPresent(MappingRule.MatchType.self, forKey: .matchType) ?? matchType
        globDisableOrdering = try container.decodeIfPresent(Bool.self, forKey: .globDisableOrdering) ?? false
        ttl = try container.decodeDuration(forKey: .ttl) ?? .zero
        histogramOptions = try container.decodeIfPresent(HistogramOptionsConfig.self, forKey: .histogramOptions) ?? histogramOptions
        summaryOptions = try container.decodeIfPresent(SummaryOptionsConfig.self, forKey: .summaryOptions) ?? summaryOptions
        if let legacy = try container.decodeIfPresent([Double].self, forKey: .buckets) {
            histogramOptions.buckets = histogramOptions.buckets ?? legacy
        }
        if let legacy = try container.decodeIfPresent([ObserverOptions.Objective].self, forKey: .quantiles) {
            summaryOptions.quantiles = summaryOptions.quantiles ?? legacy
        }
    }
}
