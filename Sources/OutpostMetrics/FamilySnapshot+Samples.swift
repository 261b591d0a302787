import OutpostCore

extension FamilySnapshot {
    /// The family as the flat samples a Prometheus scrape would store: one series per line of
    /// the exposition, with `__name__`, histogram `_bucket{le}`/`_sum`/`_count` and summary
    /// `{quantile}`/`_sum`/`_count`. `le` and `quantile` values are written as floats (`1.0`),
    /// the form Prometheus 3 normalises them to when it scrapes.
    public func samples(adding extra: Labels = Labels()) -> [(labels: Labels, value: Double)] {
        var out: [(labels: Labels, value: Double)] = []
        func add(_ name: String, _ labels: Labels, _ value: Double, bound: (String, Double)? = nil) {
            var full = labels
            for label in extra where full[label.name] == nil { full[label.name] = label.value }
            full[Labels.metricName] = name
            if let (boundName, boundValue) = bound {
                let writer = ByteWriter(capacity: 32)
                FloatFormatting.appendOpenMetrics(boundValue, to: writer)
                full[boundName] = String(decoding: writer.bytes, as: UTF8.self)
            }
            out.append((full, value))
        }
        for series in self.series {
            switch series.value {
            case .scalar(let value):
                add(name, series.labels, value)
            case .histogram(let histogram):
                for (bound, count) in zip(histogram.upperBounds, histogram.cumulativeCounts) {
                    add(name + "_bucket", series.labels, Double(count), bound: ("le", bound))
                }
                add(name + "_sum", series.labels, histogram.sum)
                add(name + "_count", series.labels, Double(histogram.count))
            case .summary(let summary):
                for quantile in summary.quantiles {
                    add(name, series.labels, quantile.value, bound: ("quantile", quantile.quantile))
                }
                add(name + "_sum", series.labels, summary.sum)
                add(name + "_count", series.labels, Double(summary.count))
            }
        }
        return out
    }
}
