import OutpostMetrics

/// Where samples of one StatsD series go, worked out once and then cached by each worker.
struct ResolvedSeries {
    enum Target {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
        case summary(Summary)
        case set(StatsDSet)
        /// `action: drop`.
        case dropped
        /// The line is bad as a whole (mixed tag styles, no name).
        case rejected(SampleError)
        /// The name is taken by another type, or by a series name another family adds.
        case conflict
        /// `statsd.max_series` reached.
        case overLimit
    }

    var target: Target
    /// The series has a TTL, so each write must touch it.
    var expires = false
    /// `scale` of the mapping, 1 when none.
    var scale = 1.0
    var tagCount = 0
    var tagErrors = 0
    var unmapped = false

    init(_ target: Target) {
        self.target = target
    }
}
