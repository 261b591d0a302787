/// The metric types of the StatsD line protocol.
enum StatsDType: UInt8, Sendable, CaseIterable {
    case counter
    case gauge
    case timer
    case histogram
    case distribution
    case set

    /// How mappings name the type in `match_metric_type`; sets match only untyped rules.
    var matchType: MatchMetricType? {
        switch self {
        case .counter: .counter
        case .gauge: .gauge
        case .timer, .histogram, .distribution: .observer
        case .set: nil
        }
    }

    /// The `type` label of the event counters, as statsd_exporter names them.
    var eventType: EventType {
        switch self {
        case .counter: .counter
        case .gauge: .gauge
        case .timer, .histogram, .distribution: .observer
        case .set: .set
        }
    }

    var isObserver: Bool { eventType == .observer }
}

/// The kinds of event counted in `outpost_statsd_events_total{type}`.
enum EventType: Int, Sendable, CaseIterable {
    case counter, gauge, observer, set

    var label: String {
        switch self {
        case .counter: "counter"
        case .gauge: "gauge"
        case .observer: "observer"
        case .set: "set"
        }
    }
}

/// Why a sample was rejected (or, for a bad sample rate, corrected), as the `reason` label of
/// `outpost_statsd_sample_errors_total`.
enum SampleError: Int, Sendable, CaseIterable, Error {
    case malformedLine
    case malformedComponent
    case malformedValue
    case invalidSampleFactor
    case mixedTaggingStyles
    case illegalNegativeCounter
    case illegalEvent
    case invalidUTF8

    var reason: String {
        switch self {
        case .malformedLine: "malformed_line"
        case .malformedComponent: "malformed_component"
        case .malformedValue: "malformed_value"
        case .invalidSampleFactor: "invalid_sample_factor"
        case .mixedTaggingStyles: "mixed_tagging_styles"
        case .illegalNegativeCounter: "illegal_negative_counter"
        case .illegalEvent: "illegal_event"
        case .invalidUTF8: "invalid_utf8"
        }
    }
}
