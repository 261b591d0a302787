import OutpostCore
import OutpostMetrics

/// What the mapping decided for one StatsD metric name and type.
struct MappingOutcome: Sendable {
    /// The Prometheus name, before escaping.
    var name: String
    var labels: [(name: String, value: String)]
    var settings: MappingSettings
    /// False for names no rule matched.
    var matched: Bool
}

/// The effective options of one rule, or of unmapped metrics, with defaults filled in.
struct MappingSettings: Sendable {
    var drop = false
    var observer: ObserverOptions
    var ttl: Duration
    var scale: Double?
    var honorLabels = false
    var help: String?
}

/// Maps StatsD names to Prometheus names and labels with a statsd_exporter mapping file.
///
/// Globs are matched first, through one compiled trie; regex rules are tried in file order
/// only when no glob matched, as statsd_exporter does. Immutable: a reload builds a new one.
struct Mapper: Sendable {
    private let rules: [MappingRule]
    private let settings: [MappingSettings]
    private let globs: GlobMatcher
    private let regexRules: [Int]
    let unmappedSettings: MappingSettings

    var ruleCount: Int { rules.count }

    init(_ file: MappingFile = MappingFile()) {
        let defaults = file.defaults
        rules = file.mappings
        var globs = GlobMatcher(ordered: !defaults.globDisableOrdering)
        var regexRules: [Int] = []
        for (index, rule) in file.mappings.enumerated() {
            if rule.matchType == .regex { regexRules.append(index) } else { globs.add(rule.match, rule: index) }
        }
        self.globs = globs
        self.regexRules = regexRules
        settings = file.mappings.map { Self.settings(for: $0, defaults: defaults) }
        unmappedSettings = MappingSettings(observer: Self.observer(defaults.observerKind, nil, nil, defaults: defaults),
                                           ttl: defaults.ttl)
    }

    func map(_ name: String, type: MatchMetricType?) -> MappingOutcome {
        if let (rule, captures) = globs.match(name, accept: { accepts(rule: $0, type: type) }) {
            return outcome(rule: rule, captures: captures)
        }
        for rule in regexRules where accepts(rule: rule, type: type) {
            if let captures = rules[rule].regex?.captures(in: name) {
                return outcome(rule: rule, captures: captures)
            }
        }
        return MappingOutcome(name: name, labels: [], settings: unmappedSettings, matched: false)
    }

    private func accepts(rule: Int, type: MatchMetricType?) -> Bool {
        guard let wanted = rules[rule].matchMetricType else { return true }
        return wanted == type
    }

    private func outcome(rule index: Int, captures: [Substring]) -> MappingOutcome {
        let rule = rules[index]
        let labels = rule.labels.map { ($0.name, $0.value.expand(captures)) }
        return MappingOutcome(name: rule.name.expand(captures), labels: labels, settings: settings[index], matched: true)
    }

    private static func settings(for rule: MappingRule, defaults: MappingDefaults) -> MappingSettings {
        let kind = rule.observerKind ?? defaults.observerKind
        let ttl = (rule.ttl ?? .zero) > .zero ? rule.ttl! : defaults.ttl
        return MappingSettings(drop: rule.action == .drop,
                               observer: observer(kind, rule.histogramOptions, rule.summaryOptions, defaults: defaults),
                               ttl: ttl, scale: rule.scale, honorLabels: rule.honorLabels, help: rule.help)
    }

    private static func observer(_ kind: ObserverKind, _ histogram: HistogramOptionsConfig?, _ summary: SummaryOptionsConfig?,
                                 defaults: MappingDefaults) -> ObserverOptions {
        switch kind {
        case .histogram:
            let buckets = histogram?.buckets ?? defaults.histogramOptions.buckets ?? Histogram.defaultBuckets
            return .histogram(buckets: buckets)
        case .summary:
            let fallback = Summary.defaultObjectives.map { ObserverOptions.Objective(quantile: $0.quantile, error: $0.error) }
            let objectives = summary?.quantiles ?? defaults.summaryOptions.quantiles ?? fallback
            let maxAge = summary?.maxAge ?? defaults.summaryOptions.maxAge ?? .seconds(600)
            let ageBuckets = summary?.ageBuckets ?? defaults.summaryOptions.ageBuckets ?? 5
            return .summary(objectives: objectives, maxAge: maxAge, ageBuckets: ageBuckets)
        }
    }
}
