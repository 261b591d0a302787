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
    /// OpenMetrics counter samples need `_total`; set when the family name lacks it.
    private var counterSuffix: [UInt8] = []
    /// `le="…"` for each bucket of the last histogram layout seen, reused across series.
    private var bucketBounds: [Double] = []
    private var bucketLabels: [[UInt8]] = []
    private var scratchLabels: [UInt8] = []
    /// `quantile="…"` labels by quantile, reused across summary series.
    private var quantileLabels: [Double: [UInt8]] = [:]

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
        counterSuffix = []
        if format == .openMetrics && type == .counter {
            if name.hasSuffix("_total") {
                shownName = familyName.dropLast(6)
            } else {
                counterSuffix = Array("_total".utf8)
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

    public mutating func visitSeries(labels: Labels, encodedLabels: [UInt8], value: MetricValue) {
        switch value {
        case .scalar(let number):
            appendLine(suffix: familyType == .counter ? counterSuffix : [], labels: encodedLabels, extra: nil)
            appendValue(number)
        case .histogram(let histogram):
            if histogram.upperBounds != bucketBounds { cacheBucketLabels(histogram.upperBounds) }
            for index in histogram.upperBounds.indices {
                appendLine(suffix: Self.bucketSuffix, labels: encodedLabels, extra: bucketLabels[index])
                appendCount(histogram.cumulativeCounts[index])
            }
            appendSumAndCount(labels: encodedLabels, sum: histogram.sum, count: histogram.count)
        case .summary(let summary):
            for quantile in summary.quantiles {
                appendLine(suffix: [], labels: encodedLabels, extra: quantileLabel(quantile.quantile))
                appendValue(quantile.value)
            }
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
    }

    private mutating func quantileLabel(_ quantile: Double) -> [UInt8] {
        if let cached = quantileLabels[quantile] { return cached }
        let label = boundLabel("quantile", quantile)
        quantileLabels[quantile] = label
        return label
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
        appendLine(suffix: Self.sumSuffix, labels: labels, extra: nil)
        appendValue(sum)
        appendLine(suffix: Self.countSuffix, labels: labels, extra: nil)
        appendCount(count)
    }

    /// `name<suffix>{<labels>,<extra>} ` — braces only when there are labels.
    @inline(__always)
    private mutating func appendLine(suffix: [UInt8], labels: [UInt8], extra: [UInt8]?) {
        buffer.append(familyName)
        if !suffix.isEmpty { buffer.append(suffix) }
        if labels.isEmpty && extra == nil {
            buffer.append(UInt8(ascii: " "))
            return
        }
        buffer.append(UInt8(ascii: "{"))
        buffer.append(labels)
        if let extra {
            if !labels.isEmpty { buffer.append(UInt8(ascii: ",")) }
            buffer.append(extra)
        }
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: " "))
    }

    @inline(__always)
    private mutating func appendValue(_ value: Double) {
        if format == .openMetrics {
            FloatFormatting.appendOpenMetrics(value, to: buffer)
        } else {
            FloatFormatting.appendGo(value, to: buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    @inline(__always)
    private mutating func appendCount(_ count: UInt64) {
        buffer.appendDecimal(count)
        buffer.append(UInt8(ascii: "\n"))
    }
}
