import OutpostCore

/// A statsd_exporter mapping file on its own: checks a file and shows what a StatsD name
/// becomes, without ingesting anything (for tooling such as a config check).
public struct StatsDMapper: Sendable {
    private let mapper: Mapper

    public init(yaml: String, file: String) throws(ConfigError) {
        mapper = Mapper(try MappingFile.parse(yaml, file: file))
    }

    public init(path: String) throws(ConfigError) {
        mapper = Mapper(try MappingFile.load(path: path))
    }

    public var ruleCount: Int { mapper.ruleCount }

    /// The Prometheus name and mapping labels for a StatsD name of type `c`, `g`, `ms`, `h`,
    /// `d` or `s`; nil when a rule drops it. Unmapped names come back escaped, with no labels.
    public func map(_ name: String, type: String) -> (name: String, labels: Labels, matched: Bool)? {
        let statsDType: StatsDType? = switch type {
        case "c": .counter
        case "g": .gauge
        case "ms": .timer
        case "h": .histogram
        case "d": .distribution
        case "s": .set
        default: nil
        }
        let outcome = mapper.map(name, type: statsDType?.matchType)
        guard !outcome.settings.drop else { return nil }
        return (MetricNameEscaping.escape(outcome.name), Labels(outcome.labels), outcome.matched)
    }
}
