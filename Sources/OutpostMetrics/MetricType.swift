import OutpostCore

/// The kinds of metric Outpost exposes.
public enum MetricType: String, Sendable, CaseIterable {
    case counter
    case gauge
    case histogram
    case summary
    case untyped

    /// The series names this type adds to its family name, which no other family may take.
    var reservedSuffixes: [String] {
        switch self {
        case .histogram: ["_bucket", "_count", "_sum"]
        case .summary: ["_count", "_sum"]
        case .counter, .gauge, .untyped: []
        }
    }
}

/// The value of one series at the time it was read.
public enum MetricValue: Sendable, Equatable {
    case scalar(Double)
    case histogram(HistogramSample)
    case summary(SummarySample)
}

/// A histogram read at one moment: classic buckets with cumulative counts, the last one `+Inf`.
public struct HistogramSample: Sendable, Equatable {
    public var upperBounds: [Double]
    public var cumulativeCounts: [UInt64]
    public var sum: Double
    public var count: UInt64

    public init(upperBounds: [Double], cumulativeCounts: [UInt64], sum: Double, count: UInt64) {
        self.upperBounds = upperBounds
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
        self.count = count
    }
}

/// A summary read at one moment: quantiles over its window, sum and count since start.
public struct SummarySample: Sendable, Equatable {
    public var quantiles: [Quantile]
    public var sum: Double
    public var count: UInt64

    public struct Quantile: Sendable, Equatable {
        public var quantile: Double
        public var value: Double

        public init(quantile: Double, value: Double) {
            self.quantile = quantile
            self.value = value
        }
    }

    public init(quantiles: [Quantile], sum: Double, count: UInt64) {
        self.quantiles = quantiles
        self.sum = sum
        self.count = count
    }
}

/// One metric family as data: what collectors return and what a snapshot holds.
public struct FamilySnapshot: Sendable, Equatable {
    public var name: String
    public var help: String
    public var type: MetricType
    public var series: [Series]

    public struct Series: Sendable, Equatable {
        public var labels: Labels
        public var value: MetricValue

        public init(labels: Labels, value: MetricValue) {
            self.labels = labels
            self.value = value
        }
    }

    public init(name: String, help: String, type: MetricType, series: [Series] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.series = series
    }
}

/// Receives families and their series in order, without the registry building a copy of them.
public protocol MetricVisitor {
    mutating func visitFamily(name: String, help: String, type: MetricType)
    mutating func visitSeries(labels: Labels, value: MetricValue)
    /// The same, with the labels also in exposition syntax (`a="1",b="2"`) as the registry
    /// keeps them for its own series.
    mutating func visitSeries(labels: Labels, encodedLabels: [UInt8], value: MetricValue)
}

extension MetricVisitor {
    public mutating func visitSeries(labels: Labels, encodedLabels: [UInt8], value: MetricValue) {
        visitSeries(labels: labels, value: value)
    }
}

/// Something that computes families when read, such as process statistics or probe results.
public protocol MetricsCollector: Sendable {
    func collect() -> [FamilySnapshot]
}
