import OutpostCore

/// An instant-vector element during evaluation. `dropName` delays removing `__name__` until
/// the end of the query, as Prometheus 3 does, so `label_replace` can still read it.
struct EvalSample {
    var labels: Labels
    var value: Double
    var dropName = false
    /// The stored sample's own timestamp, for `timestamp()` of a plain selector.
    var sampleTime: Int64?
    /// The fetched series this sample still has the labels of, or -1; lets aggregations cache group keys.
    var seriesID: Int32 = -1
}

struct RangeSeries {
    var labels: Labels
    /// A slice so windows of fetched series need no copy.
    var points: ArraySlice<Point>
    var dropName = false
    var seriesID: Int32 = -1
}

/// A range vector at one step: the series' points in (rangeStart, rangeEnd].
struct RangeValue {
    var series: [RangeSeries]
    var rangeStart: Int64
    var rangeEnd: Int64

    var rangeSeconds: Double { Double(rangeEnd - rangeStart) / 1000 }
}

enum EvalValue {
    case scalar(Double)
    case string(String)
    case vector([EvalSample])
    case matrix(RangeValue)
}

extension EvalSample {
    /// Labels as they leave the engine: `__name__` removed when marked.
    var finalLabels: Labels { dropName ? labels.removing(EvalSample.nameLabels) : labels }

    /// Dropped together: the metric name and the type and unit labels that describe it.
    static let nameLabels: Set<String> = [Labels.metricName, "__type__", "__unit__"]
}
