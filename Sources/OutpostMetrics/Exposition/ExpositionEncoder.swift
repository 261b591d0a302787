import OutpostCore

/// Writes metric families in the text or OpenMetrics format as a registry visits them.
///
/// Output goes into one buffer that is handed to `sink` whenever it passes `chunkSize`, so a
/// large exposition streams in chunks instead of being built whole in memory.
public struct ExpositionEncoder: MetricVisitor {
    public let format: ExpositionFormat
    private let chunkSize: Int
    private let sink: (ArraySlice<UInt8>) -> Void
    private var buffer: [UInt8]
    private var familyName: [UInt8] = []
    private var familyType = MetricType.untyped
    /// OpenMetrics counter samples need `_total`; set when the family name lacks it.
    private var counterSuffix: [UInt8] = []

    public init(format: ExpositionFormat, chunkSize: Int = 64 * 1024, sink: @escaping (ArraySlice<UInt8>) -> Void) {
        self.format = format
        self.chunkSize = chunkSize
        self.sink = sink
        buffer = []
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// Encodes a whole registry and returns the bytes, for tests and small outputs.
    public static func encode(_ registry: MetricsRegistry, format: ExpositionFormat) -> [UInt8] {
        var output: [UInt8] = []
        var encoder = ExpositionEncoder(format: format) { output.append(contentsOf: $0) }
        registry.visit(&encoder)
        encoder.finish()
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
            append("# HELP ")
            buffer.append(contentsOf: shownName)
            buffer.append(UInt8(ascii: " "))
            appendEscaped(help, quotes: format == .openMetrics)
            buffer.append(UInt8(ascii: "\n"))
        }
        append("# TYPE ")
        buffer.append(contentsOf: shownName)
        buffer.append(UInt8(ascii: " "))
        append(format == .openMetrics && type == .untyped ? "unknown" : type.rawValue)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func visitSeries(labels: Labels, value: MetricValue) {
        switch value {
        case .scalar(let number):
            appendSeriesName(suffix: familyType == .counter ? counterSuffix : [])
            appendLabels(labels, extraName: nil, extraValue: nil)
            appendValue(number)
        case .histogram(let histogram):
            for index in histogram.upperBounds.indices {
                appendSeriesName(suffix: Self.bucketSuffix)
                appendLabels(labels, extraName: "le", extraValue: histogram.upperBounds[index])
                appendCount(histogram.cumulativeCounts[index])
            }
            appendSumAndCount(labels: labels, sum: histogram.sum, count: histogram.count)
        case .summary(let summary):
            for quantile in summary.quantiles {
                appendSeriesName(suffix: [])
                appendLabels(labels, extraName: "quantile", extraValue: quantile.quantile)
                appendValue(quantile.value)
            }
            appendSumAndCount(labels: labels, sum: summary.sum, count: summary.count)
        }
        if buffer.count >= chunkSize { flush() }
    }

    /// Writes what is left, with the `# EOF` OpenMetrics requires.
    public mutating func finish() {
        if format == .openMetrics { append("# EOF\n") }
        flush()
    }

    private static let bucketSuffix = Array("_bucket".utf8)
    private static let sumSuffix = Array("_sum".utf8)
    private static let countSuffix = Array("_count".utf8)

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        sink(buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func appendSumAndCount(labels: Labels, sum: Double, count: UInt64) {
        appendSeriesName(suffix: Self.sumSuffix)
        appendLabels(labels, extraName: nil, extraValue: nil)
        appendValue(sum)
        appendSeriesName(suffix: Self.countSuffix)
        appendLabels(labels, extraName: nil, extraValue: nil)
        appendCount(count)
    }

    @inline(__always)
    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    @inline(__always)
    private mutating func appendSeriesName(suffix: [UInt8]) {
        buffer.append(contentsOf: familyName)
        buffer.append(contentsOf: suffix)
    }

    private mutating func appendLabels(_ labels: Labels, extraName: StaticString?, extraValue: Double?) {
        guard !labels.isEmpty || extraName != nil else {
            buffer.append(UInt8(ascii: " "))
            return
        }
        buffer.append(UInt8(ascii: "{"))
        var first = true
        for label in labels where label.name != Labels.metricName {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            append(label.name)
            buffer.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
            appendEscaped(label.value, quotes: true)
            buffer.append(UInt8(ascii: "\""))
        }
        if let extraName, let extraValue {
            if !first { buffer.append(UInt8(ascii: ",")) }
            append(extraName)
            buffer.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
            if format == .openMetrics {
                FloatFormatting.appendOpenMetrics(extraValue, to: &buffer)
            } else {
                FloatFormatting.appendGo(extraValue, to: &buffer)
            }
            buffer.append(UInt8(ascii: "\""))
        }
        buffer.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: " ")])
    }

    @inline(__always)
    private mutating func appendValue(_ value: Double) {
        if format == .openMetrics {
            FloatFormatting.appendOpenMetrics(value, to: &buffer)
        } else {
            FloatFormatting.appendGo(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    @inline(__always)
    private mutating func appendCount(_ count: UInt64) {
        FloatFormatting.appendUnsigned(count, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Escapes `\`, newline, and (in label values and OpenMetrics help) `"`.
    private mutating func appendEscaped(_ text: String, quotes: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [92, 92])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [92, 110])
            case UInt8(ascii: "\"") where quotes: buffer.append(contentsOf: [92, 34])
            default: buffer.append(byte)
            }
        }
    }
}
