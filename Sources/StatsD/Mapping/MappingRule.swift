import OutpostCore

/// How StatsD metric types are named in `match_metric_type`.
enum MatchMetricType: String, Sendable, Decodable {
    case counter, gauge, observer
}

/// How timers, histograms and distributions are exposed.
enum ObserverKind: String, Sendable, Decodable {
    case histogram, summary
}

/// What a timer becomes, with the options of that kind.
enum ObserverOptions: Sendable, Equatable {
    case histogram(buckets: [Double])
    case summary(objectives: [Objective], maxAge: Duration, ageBuckets: Int)

    struct Objective: Sendable, Equatable, Decodable {
        var quantile: Double
        var error: Double
    }
}

/// One entry of `mappings:` in a statsd_exporter mapping file, checked as it is decoded so
/// each mistake is reported at its line and column. Unset options fall back to `defaults`
/// when the `Mapper` is built.
struct MappingRule: Sendable {
    enum MatchType: String, Sendable, Decodable {
        case glob, regex
    }

    enum Action: String, Sendable, Decodable {
        case map, drop
    }

    var match: String
    var matchType: MatchType?
    var regex: MappingRegex?
    var matchMetricType: MatchMetricType?
    var action: Action
    var name: NameTemplate
    var labels: [(name: String, value: NameTemplate)]
    var observerKind: ObserverKind?
    var histogramOptions: HistogramOptionsConfig?
    var summaryOptions: SummaryOptionsConfig?
    var ttl: Duration?
    var scale: Double?
    var honorLabels: Bool
    var help: String?
}

extension MappingRule: Decodable {
    enum CodingKeys: String, CodingKey {
        case match, name, labels, action, ttl, scale, help
        case matchType = "match_type"
        case matchMetricType = "match_metric_type"
        case observerType = "observer_type"
        case timerType = "timer_type"
        case histogramOptions = "histogram_options"
        case summaryOptions = "summary_options"
        case buckets, quantiles
        case honorLabels = "honor_labels"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        match = try container.decode(String.self, forKey: .match)
        matchType = try container.decodeIfPresent(MatchType.self, forKey: .matchType)
        matchMetricType = try container.decodeIfPresent(MatchMetricType.self, forKey: .matchMetricType)
        action = try container.decodeIfPresent(Action.self, forKey: .action) ?? .map
        let nameText = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        try container.check(action == .drop || !nameText.isEmpty, forKey: .name, "a mapping needs a metric name")
        name = NameTemplate(nameText)
        if !nameText.isEmpty {
            try container.check(Self.isValidNameTemplate(name), forKey: .name,
                                "\"\(nameText)\" is not a valid metric name template")
        }
        let labelMap = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        for key in labelMap.keys {
            try container.check(MetricNames.isValidLabelName(key), forKey: .labels, "\"\(key)\" is not a valid label name")
        }
        labels = labelMap.keys.sorted().map { ($0, NameTemplate(labelMap[$0]!)) }
        let observer = try container.decodeIfPresent(ObserverKind.self, forKey: .observerType)
        let timer = try container.decodeIfPresent(ObserverKind.self, forKey: .timerType)
        try container.check(observer == nil || timer == nil || observer == timer, forKey: .timerType,
                            "timer_type and observer_type disagree")
        observerKind = observer ?? timer
        histogramOptions = try container.decodeIfPresent(HistogramOptionsConfig.self, forKey: .histogramOptions)
        summaryOptions = try container.decodeIfPresent(SummaryOptionsConfig.self, forKey: .summaryOptions)
        if let legacy = try container.decodeIfPresent([Double].self, forKey: .buckets) {
            try container.check(histogramOptions?.buckets == nil, forKey: .buckets,
                                "buckets are set both here and in histogram_options")
            histogramOptions = HistogramOptionsConfig(buckets: legacy)
        }
        if let legacy = try container.decodeIfPresent([ObserverOptions.Objective].self, forKey: .quantiles) {
            try container.check(summaryOptions?.quantiles == nil, forKey: .quantiles,
                                "quantiles are set both here and in summary_options")
            var options = summaryOptions ?? SummaryOptionsConfig()
            options.quantiles = legacy
            summaryOptions = options
        }
        try container.check(!(observerKind == .histogram && summaryOptions != nil), forKey: .summaryOptions,
                            "summary options cannot be used with a histogram observer")
        try container.check(!(observerKind == .summary && histogramOptions != nil), forKey: .histogramOptions,
                            "histogram options cannot be used with a summary observer")
        ttl = try container.decodeDuration(forKey: .ttl)
        scale = try container.decodeIfPresent(Double.self, forKey: .scale)
        honorLabels = try container.decodeIfPresent(Bool.self, forKey: .honorLabels) ?? false
        help = try container.decodeIfPresent(String.self, forKey: .help)
    }

    /// Checks the match against its final match type and compiles regexes; run once the
    /// default match type is known.
    mutating func compile(defaultMatchType: MatchType) throws(MappingRuleError) {
        let type = matchType ?? defaultMatchType
        matchType = type
        switch type {
        case .glob:
            guard GlobPattern.isValid(match) else { throw .invalidGlob(match) }
        case .regex:
            do { regex = try MappingRegex(match) } catch { throw .invalidRegex(match, "\(error)") }
        }
    }

    /// A name must start with a letter, `_` or a capture, and go on with letters, digits,
    /// `_` and captures (statsd_exporter's rule).
    private static func isValidNameTemplate(_ template: NameTemplate) -> Bool {
        guard !template.parts.isEmpty else { return false }
        for (index, part) in template.parts.enumerated() {
            guard case .literal(let text) = part else { continue }
            for (offset, byte) in text.utf8.enumerated() {
                let letter = (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || byte == 95
                let digit = byte >= 48 && byte <= 57
                if letter || (digit && !(index == 0 && offset == 0)) { continue }
                return false
            }
        }
        return true
    }
}

enum MappingRuleError: Error, Sendable, CustomStringConvertible {
    case invalidGlob(String)
    case invalidRegex(String, String)

    var description: String {
        switch self {
        case .invalidGlob(let match): "\"\(match)\" is not a valid glob (dot-separated segments of letters, digits, _, - and *)"
        case .invalidRegex(let match, let reason): "\"\(match)\" is not a valid regex: \(reason)"
        }
    }
}

struct HistogramOptionsConfig: Sendable, Decodable, Equatable {
    var buckets: [Double]?

    enum CodingKeys: String, CodingKey {
        case buckets
        case nativeHistogramBucketFactor = "native_histogram_bucket_factor"
        case nativeHistogramMaxBuckets = "native_histogram_max_buckets"
    }

    init(buckets: [Double]? = nil) { self.buckets = buckets }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        buckets = try container.decodeIfPresent([Double].self, forKey: .buckets)
        if let buckets { try container.check(!buckets.isEmpty, forKey: .buckets, "must not be empty") }
        // Native histogram options are accepted so statsd_exporter files load unchanged;
        // Outpost exposes classic buckets only.
        _ = try container.decodeIfPresent(Double.self, forKey: .nativeHistogramBucketFactor)
        _ = try container.decodeIfPresent(Int.self, forKey: .nativeHistogramMaxBuckets)
    }
}

struct SummaryOptionsConfig: Sendable, Decodable, Equatable {
    var quantiles: [ObserverOptions.Objective]?
    var maxAge: Duration?
    var ageBuckets: Int?

    enum CodingKeys: String, CodingKey {
        case quantiles
        case maxAge = "max_age"
        case ageBuckets = "age_buckets"
        case bufCap = "buf_cap"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        quantiles = try container.decodeIfPresent([ObserverOptions.Objective].self, forKey: .quantiles)
        for objective in quantiles ?? [] {
            try container.check(objective.quantile >= 0 && objective.quantile <= 1, forKey: .quantiles,
                                "quantile \(objective.quantile) is not between 0 and 1")
            try container.check(objective.error >= 0 && objective.error < 1, forKey: .quantiles,
                                "error \(objective.error) is not between 0 and 1")
        }
        maxAge = try container.decodeDuration(forKey: .maxAge)
        ageBuckets = try container.decodeIfPresent(Int.self, forKey: .ageBuckets)
        if let ageBuckets { try container.check(ageBuckets > 0, forKey: .ageBuckets, "must be greater than 0") }
        // Accepted for compatibility: the quantile stream sizes its own buffer.
        _ = try container.decodeIfPresent(Int.self, forKey: .bufCap)
    }
}
