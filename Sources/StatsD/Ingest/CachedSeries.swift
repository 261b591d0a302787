import OutpostMetrics

/// A `ResolvedSeries` as the worker cache keeps it: plain data with unowned references, so
/// looking it up and applying a sample costs no reference counting. The cache holds the
/// strong references next to it for as long as the entry lives.
struct CachedSeries {
    enum Target {
        case counter(Unmanaged<Counter>)
        case gauge(Unmanaged<Gauge>)
        case histogram(Unmanaged<Histogram>)
        case summary(Unmanaged<Summary>)
        case set(Unmanaged<StatsDSet>)
        case dropped
        case rejected(SampleError)
        case conflict
        case overLimit
    }

    var target: Target
    var expires: Bool
    var unmapped: Bool
    var scale: Double
    var tagCount: Int32
    var tagErrors: Int32

    /// The plain form and the object that must stay alive while it is used.
    static func make(_ series: ResolvedSeries) -> (CachedSeries, owner: AnyObject?) {
        let target: Target
        let owner: AnyObject?
        switch series.target {
        case .counter(let child): (target, owner) = (.counter(.passUnretained(child)), child)
        case .gauge(let child): (target, owner) = (.gauge(.passUnretained(child)), child)
        case .histogram(let child): (target, owner) = (.histogram(.passUnretained(child)), child)
        case .summary(let child): (target, owner) = (.summary(.passUnretained(child)), child)
        case .set(let child): (target, owner) = (.set(.passUnretained(child)), child)
        case .dropped: (target, owner) = (.dropped, nil)
        case .rejected(let error): (target, owner) = (.rejected(error), nil)
        case .conflict: (target, owner) = (.conflict, nil)
        case .overLimit: (target, owner) = (.overLimit, nil)
        }
        return (CachedSeries(target: target, expires: series.expires, unmapped: series.unmapped, scale: series.scale,
                             tagCount: Int32(clamping: series.tagCount), tagErrors: Int32(clamping: series.tagErrors)), owner)
    }
}
