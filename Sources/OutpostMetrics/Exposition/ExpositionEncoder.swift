import OutpostCore

/// Writes metric families in the text or OpenMetrics format as a registry visits them.
///
/// Output goes into one buffer that is handed to `sink` whenever it passes `chunkSize`, so a
/// large exposition streams in chunks instead of being built whole in memory. Each line is a
/// few block copies: the family name, the series' labels as the registry keeps them encoded,
/// a cached `le`/`quantile` label, and the value.
public struct ExpositionEncoder: MetricVisitor {
    public let format: ExpositionFormat
    private let chunkSize: Int
    private let sink: (UnsafeRawBufferPointer) -> Void
    private let buffer: ByteWriter
    private var familyName: [UInt8] = []
    private var familyType = MetricType.untyped
    /// What follows the family name on a scalar line: `_total` for OpenMetrics counters whose
    /// name lacks it, nothing otherwise.
    private var scalarSuffix: [UInt8] = []
    /// `le="…"` for each bucket of the last histogram layout seen, reused across series.
    private var bucketBounds: [Double] = []
    private var bucketLabels: [[UInt8]] = []
    /// The same labels laid end to end, with `bucketLabelOffsets[i]..<bucketLabelOffsets[i+1]` for bucket i.
    private var bucketLabelBytes: [UInt8] = []
    private var bucketLabelOffsets: [Int] = [0]
    private var scratchLabels: [UInt8] = []
    /// `quantile="…"` for each quantile of the last summary layout seen, laid out as the bucket labels are.
    private var quantileLayout: [Double] = []
    private var quantileLabelBytes: [UInt8] = []
    private var quantileLabelOffsets: [Int] = [0]

    /// `sink` receives each chunk; the bytes are only valid during the call.
    public init(format: ExpositionFormat, chunkSize: Int = 64 * 1024, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.format = format
        self.chunkSize = chunkSize
        self.sink = sink
        buffer = ByteWriter(capacity: chunkSize + 4096)
    }

    /// Encodes a whole registry into `sink`, chunk by chunk.
    ///
    /// Prefer this to calling `registry.visit` with an encoder from another module: here the
    /// walk is specialised for the encoder instead of dispatching every series generically.
    public static func write(_ registry: MetricsRegistry, format: ExpositionFormat, chunkSize: Int = 64 * 1024,
                             sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        var encoder = ExpositionEncoder(format: format, chunkSize: chunkSize, sink: sink)
        registry.visit(&encoder)
        encoder.finish()
    }

    /// Encodes a whole registry and returns the bytes, for tests and small outputs.
    public static func encode(_ registry: MetricsRegistry, format: ExpositionFormat) -> [UInt8] {
        var output: [UInt8] = []
        write(registry, format: format) { output.append(contentsOf: $0) }
        return output
    }

    public mutating func visitFamily(name: String, help: String, type: MetricType) {
        familyName.removeAll(keepingCapacity: true)
        familyName.append(contentsOf: name.utf8)
        familyType = type
        var shownName = familyName[...]
        scalarSuffix = []
        if format == .openMetrics && type == .counter {
            if name.hasSuffix("_total") {
                shownName = familyName.dropLast(6)
            } else {
                scalarSuffix = Array("_total".utf8)
            }
        }
        if !help.isEmpty {
            buffer.append("# HELP ")
            buffer.append(shownName)
            buffer.append(UInt8(ascii: " "))
            LabelEncoding.appendEscaped(help, quotes: format == .openMetrics, to: buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        buffer.append("# TYPE ")
        buffer.append(shownName)
        buffer.append(UInt8(ascii: " "))
        buffer.append(format == .openMetrics && type == .untyped ? "unknown" : type.rawValue)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func visitSeries(labels: Labels, value: MetricValue) {
        scratchLabels = LabelEncoding.encode(labels)
        let encoded = scratchLabels
        visitSeries(labels: labels, encodedLabels: encoded, value: value)
    }

    // Inlined into the registry's walk so the label set it passes, unused here, is never
    // retained: touching each series' label storage costs a cache miss per series.
    @inline(__always)
    public mutating func visitSeries(labels: Labels, encodedLabels: [UInt8], value: MetricValue) {
        switch value {
        case .scalar(let number):
            let buffer = self.buffer
            let format = self.format
            familyName.withUnsafeBytes { name in
                scalarSuffix.withUnsafeBytes { suffix in
                    encodedLabels.withUnsafeBytes { labels in
                        Self.appendLine(to: buffer, name: name, suffix: suffix, labels: labels, extra: nil)
                        Self.appendValue(number, format: format, to: buffer)
                    }
                }
            }
        case .histogram(let histogram):
            if histogram.upperBounds != bucketBounds { cacheBucketLabels(histogram.upperBounds) }
            appendBuckets(labels: encodedLabels, counts: histogram.cumulativeCounts)
            appendSumAndCount(labels: encodedLabels, sum: histogram.sum, count: histogram.count)
        case .summary(let summary):
            appendQuantiles(labels: encodedLabels, summary.quantiles)
            appendSumAndCount(labels: encodedLabels, sum: summary.sum, count: summary.count)
        }
        if buffer.count >= chunkSize { flush() }
    }

    /// Writes what is left, with the `# EOF` OpenMetrics requires.
    public mutating func finish() {
        if format == .openMetrics { buffer.append("# EOF\n") }
        flush()
    }

    private static let bucketSuffix = Array("_bucket".utf8)
    private static let sumSuffix = Array("_sum".utf8)
    private static let countSuffix = Array("_count".utf8)

    private mutating func flush() {
        guard buffer.count > 0 else { return }
        sink(buffer.bytes)
        buffer.removeAll()
    }

    private mutating func cacheBucketLabels(_ bounds: [Double]) {
        bucketBounds = bounds
        bucketLabels = bounds.map { boundLabel("le", $0) }
        bucketLabelBytes = bucketLabels.flatMap { $0 }
        var offset = 0
        bucketLabelOffsets = [0] + bucketLabels.map { label in
            offset += label.count
            return offset
        }
    }

    /// Every `_bucket` line of one series, written from raw buffers: this is the most repeated
    /// line shape of an exposition, so it avoids reference counting per line.
    private mutating func appendBuckets(labels: [UInt8], counts: [UInt64]) {
        let buffer = self.buffer
        familyName.withUnsafeBytes { name in
            Self.bucketSuffix.withUnsafeBytes { suffix in
                labels.withUnsafeBytes { labels in
                    bucketLabelBytes.withUnsafeBytes { bounds in
                        bucketLabelOffsets.withUnsafeBufferPointer { offsets in
                            counts.withUnsafeBufferPointer { counts in
                                for index in 0..<counts.count {
                                    let bound = UnsafeRawBufferPointer(rebasing: bounds[offsets[index]..<offsets[index + 1]])
                                    buffer.reserve(name.count + suffix.count + labels.count + bound.count + 4 + 21)
                                    buffer.appendReserved(name)
                                    buffer.appendReserved(suffix)
                                    buffer.appendReserved(UInt8(ascii: "{"))
                                    if labels.count > 0 {
                                        buffer.appendReserved(labels)
                                        buffer.appendReserved(UInt8(ascii: ","))
                                    }
                                    buffer.appendReserved(bound)
                                    buffer.appendReserved(UInt8(ascii: "}"))
                                    buffer.appendReserved(UInt8(ascii: " "))
                                    buffer.appendDecimal(counts[index])
                                    buffer.appendReserved(UInt8(ascii: "\n"))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One line per quantile, the `quantile` labels taken from the cached layout.
    private mutating func appendQuantiles(labels: [UInt8], _ quantiles: [SummarySample.Quantile]) {
        if quantiles.count != quantileLayout.count || !zip(quantiles, quantileLayout).allSatisfy({ $0.quantile == $1 }) {
            quantileLayout = quantiles.map(\.quantile)
            let encoded = quantileLayout.map { boundLabel("quantile", $0) }
            quantileLabelBytes = encoded.flatMap { $0 }
            quantileLabelOffsets = [0]
            for label in encoded { quantileLabelOffsets.append(quantileLabelOffsets[quantileLabelOffsets.count - 1] + label.count) }
        }
        let buffer = self.buffer
        let format = self.format
        familyName.withUnsafeBytes { name in
            labels.withUnsafeBytes { labels in
                quantileLabelBytes.withUnsafeBytes { bounds in
                    quantileLabelOffsets.withUnsafeBufferPointer { offsets in
                        for index in quantiles.indices {
                            let bound = UnsafeRawBufferPointer(rebasing: bounds[offsets[index]..<offsets[index + 1]])
                            Self.appendLine(to: buffer, name: name, suffix: UnsafeRawBufferPointer(start: nil, count: 0), labels: labels, extra: bound)
                            Self.appendValue(quantiles[index].value, format: format, to: buffer)
                        }
                    }
                }
            }
        }
    }

    private func boundLabel(_ name: StaticString, _ bound: Double) -> [UInt8] {
        let out = ByteWriter(capacity: 32)
        out.append(name)
        out.append("=\"")
        if format == .openMetrics {
            FloatFormatting.appendOpenMetrics(bound, to: out)
        } else {
            FloatFormatting.appendGo(bound, to: out)
        }
        out.append(UInt8(ascii: "\""))
        return Array(out.bytes)
    }

    private mutating func appendSumAndCount(labels: [UInt8], sum: Double, count: UInt64) {
        let buffer = self.buffer
        let format = self.format
        familyName.withUnsafeBytes { name in
            labels.withUnsafeBytes { labels in
                Self.sumSuffix.withUnsafeBytes { suffix in
                    Self.appendLine(to: buffer, name: name, suffix: suffix, labels: labels, extra: nil)
                }
                Self.appendValue(sum, format: format, to: buffer)
                Self.countSuffix.withUnsafeBytes { suffix in
                    Self.appendLine(to: buffer, name: name, suffix: suffix, labels: labels, extra: nil)
                }
                buffer.appendDecimal(count)
                buffer.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// `name<suffix>{<labels>,<extra>} ` — braces only when there are labels. One capacity
    /// check for the whole prefix, then plain copies: this runs once per exposition line.
    @inline(__always)
    private static func appendLine(to buffer: ByteWriter, name: UnsafeRawBufferPointer, suffix: UnsafeRawBufferPointer,
                                   labels: UnsafeRawBufferPointer, extra: UnsafeRawBufferPointer?) {
        let extraCount = extra?.count ?? 0
        buffer.reserve(name.count + suffix.count + labels.count + extraCount + 4)
        buffer.appendReserved(name)
        buffer.appendReserved(suffix)
        if labels.isEmpty && extra == nil {
            buffer.appendReserved(UInt8(ascii: " "))
            return
        }
        buffer.appendReserved(UInt8(ascii: "{"))
        buffer.appendReserved(labels)
        if let extra {
            if !labels.isEmpty { buffer.appendReserved(UInt8(ascii: ",")) }
            buffer.appendReserved(extra)
        }
        buffer.appendReserved(UInt8(ascii: "}"))
        buffer.appendReserved(UInt8(ascii: " "))
    }

    /// The sample value and the line's newline.
    @inline(__always)
    private static func appendValue(_ value: Double, format: ExpositionFormat, to buffer: ByteWriter) {
        if format == .openMetrics {
            FloatFormatting.appendOpenMetrics(value, to: buffer)
        } else {
            FloatFormatting.appendGo(value, to: buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
