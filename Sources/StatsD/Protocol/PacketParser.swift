#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One sample of a line, pointing into the packet it came from.
struct ParsedSample {
    /// The name with any InfluxDB, Librato or SignalFX tags in it.
    var name: UnsafeRawBufferPointer
    /// The DogStatsD tags after `|#`; empty when there are none.
    var tags: UnsafeRawBufferPointer
    /// Whether the line had a `|#` component, even an empty one.
    var hasDogStatsDTags: Bool
    var type: StatsDType
    var value: Double
    /// A gauge value written with a sign: add it rather than set it.
    var relative: Bool
    /// How many observations a sampled timer or histogram value stands for.
    var weight: UInt64
    /// The value as sent, which is what a set counts.
    var rawValue: UnsafeRawBufferPointer
}

/// Receives what the parser finds. The parser is generic over it, so calls are direct, and
/// takes it `inout`, so a worker's state stays a local value with no shared access checks.
protocol SampleSink {
    mutating func record(_ sample: ParsedSample)
    /// A sample or line was rejected for `error`, or (for a bad sample rate) corrected.
    mutating func count(_ error: SampleError)
}

/// Splits packets into lines and lines into samples, straight from the bytes.
///
/// Line format: `name:value[:value...]|type[|@rate][|#tags][|c:container][|T<timestamp>]`,
/// several `value|type...` samples separated by `:` per line. Packed values (`1:2:3|ms`)
/// share one type and components. After a `|#` or `|c:` component, whose contents may hold
/// `:`, no further sample follows. A bad sample is rejected alone; the rest of the line and
/// packet go on. Bytes are not checked for UTF-8 here: names and tags are checked when a
/// series is first seen, and values must be numbers anyway.
struct PacketParser: Sendable {
    var parseDogStatsDTags = true

    init(parseDogStatsDTags: Bool = true) {
        self.parseDogStatsDTags = parseDogStatsDTags
    }

    /// The most observations one sampled value stands for. Summaries insert each one, so a
    /// rate like `@1e-9` would otherwise stall a thread; rates below 1/10,000 are rare.
    static let maxWeight: UInt64 = 10_000

    /// Parses every line of `packet`; returns how many non-empty lines it had.
    @discardableResult
    func parse<Sink: SampleSink>(packet: UnsafeRawBufferPointer, into sink: inout Sink) -> (lines: Int, samples: Int) {
        guard let base = packet.baseAddress, packet.count > 0 else { return (0, 0) }
        var lines = 0
        var samples = 0
        var start = 0
        let end = packet.count
        while start < end {
            let remaining = end - start
            let lineEnd: Int
            if let newline = memchr(base + start, 0x0A, remaining) {
                lineEnd = base.distance(to: UnsafeRawPointer(newline))
            } else {
                lineEnd = end
            }
            var stop = lineEnd
            if stop > start, packet[stop - 1] == 0x0D { stop -= 1 }
            if stop > start {
                lines += 1
                samples += parseLine(UnsafeRawBufferPointer(rebasing: packet[start..<stop]), into: &sink)
            }
            start = lineEnd + 1
        }
        return (lines, samples)
    }

    /// Parses one line without its newline; returns how many samples it held.
    func parseLine<Sink: SampleSink>(_ line: UnsafeRawBufferPointer, into sink: inout Sink) -> Int {
        let count = line.count
        let colon = Self.index(of: UInt8(ascii: ":"), in: line, from: 0)
        guard colon > 0, colon < count - 1 else {
            sink.count(.malformedLine)
            return 0
        }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        var samples = 0
        var position = colon + 1
        // Once a `|#` or `|c:` component appears, `:` no longer starts another sample.
        var colonsAreData = false
        while true {
            // Values run to the first `|`; each `:` before it separates packed values.
            let valuesStart = position
            var valueCount = 1
            while position < count, line[position] != UInt8(ascii: "|") {
                if line[position] == UInt8(ascii: ":") { valueCount += 1 }
                position += 1
            }
            samples += valueCount
            guard position < count else {
                for _ in 0..<valueCount { sink.count(.malformedComponent) }
                return samples
            }
            let valuesEnd = position
            position += 1
            let typeStart = position
            while position < count, line[position] != UInt8(ascii: "|"), line[position] != UInt8(ascii: ":") {
                position += 1
            }
            let type = Self.type(UnsafeRawBufferPointer(rebasing: line[typeStart..<position]))
            var rate = 1.0
            var tags = UnsafeRawBufferPointer(start: nil, count: 0)
            var hasTags = false
            var malformed = false
            var badRate = false
            while position < count, line[position] == UInt8(ascii: "|") {
                position += 1
                let componentStart = position
                if position < count, line[position] == UInt8(ascii: "#")
                    || (line[position] == UInt8(ascii: "c") && position + 1 < count && line[position + 1] == UInt8(ascii: ":")) {
                    colonsAreData = true
                }
                if colonsAreData {
                    position = Self.index(of: UInt8(ascii: "|"), in: line, from: position)
                } else {
                    while position < count, line[position] != UInt8(ascii: "|"), line[position] != UInt8(ascii: ":") {
                        position += 1
                    }
                }
                let component = UnsafeRawBufferPointer(rebasing: line[componentStart..<position])
                guard let first = component.first else {
                    malformed = true
                    continue
                }
                switch first {
                case UInt8(ascii: "@"):
                    let parsed = NumberParser.double(UnsafeRawBufferPointer(rebasing: component.dropFirst()))
                    if let parsed, parsed > 0, parsed <= 1 { rate = parsed } else { badRate = true }
                case UInt8(ascii: "#"):
                    hasTags = true
                    if parseDogStatsDTags { tags = UnsafeRawBufferPointer(rebasing: component.dropFirst()) }
                case UInt8(ascii: "c") where component.count > 1 && component[1] == UInt8(ascii: ":"):
                    break  // container id: carries no label
                case UInt8(ascii: "T"):
                    break  // client timestamp: Prometheus stamps samples at scrape time
                default:
                    malformed = true
                }
            }
            if malformed {
                for _ in 0..<valueCount { sink.count(.malformedComponent) }
            } else if let type {
                if badRate { sink.count(.invalidSampleFactor) }
                emit(line, valuesStart, valuesEnd, name: name, tags: tags, hasTags: hasTags, type: type, rate: rate, into: &sink)
            } else {
                for _ in 0..<valueCount { sink.count(.illegalEvent) }
            }
            guard position < count else { return samples }
            position += 1  // the `:` before the next sample
        }
    }

    private func emit<Sink: SampleSink>(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                                        name: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer, hasTags: Bool,
                                        type: StatsDType, rate: Double, into sink: inout Sink) {
        var sample = ParsedSample(name: name, tags: tags, hasDogStatsDTags: hasTags, type: type, value: 0,
                                  relative: false, weight: 1, rawValue: UnsafeRawBufferPointer(start: nil, count: 0))
        if type.isObserver, rate < 1 { sample.weight = min(Self.maxWeight, max(1, UInt64((1 / rate).rounded()))) }
        var valueStart = start
        while valueStart <= end {
            var valueEnd = valueStart
            while valueEnd < end, line[valueEnd] != UInt8(ascii: ":") { valueEnd += 1 }
            let raw = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
            valueStart = valueEnd + 1
            sample.rawValue = raw
            if type == .set {
                guard !raw.isEmpty else { sink.count(.malformedValue); continue }
                sink.record(sample)
                continue
            }
            guard var value = NumberParser.double(raw) else {
                sink.count(.malformedValue)
                continue
            }
            switch type {
            case .counter:
                guard value >= 0 else { sink.count(.illegalNegativeCounter); continue }
                value /= rate
            case .gauge:
                sample.relative = raw.first == UInt8(ascii: "+") || raw.first == UInt8(ascii: "-")
            case .timer:
                value /= 1000
            case .histogram, .distribution, .set:
                break
            }
            sample.value = value
            sink.record(sample)
        }
    }

    /// The first `byte` at or after `start`, or the end; memchr scans long tag lists fast.
    @inline(__always)
    private static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(byte), bytes.count - start) else { return bytes.count }
        return base.distance(to: UnsafeRawPointer(found))
    }

    private static func type(_ bytes: UnsafeRawBufferPointer) -> StatsDType? {
        switch bytes.count {
        case 1:
            switch bytes[0] {
            case UInt8(ascii: "c"): .counter
            case UInt8(ascii: "g"): .gauge
            case UInt8(ascii: "h"): .histogram
            case UInt8(ascii: "d"): .distribution
            case UInt8(ascii: "s"): .set
            default: nil
            }
        case 2 where bytes[0] == UInt8(ascii: "m") && bytes[1] == UInt8(ascii: "s"): .timer
        default: nil
        }
    }

    /// ASCII is checked eight bytes at a time; only text with other bytes is decoded.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= count {
            high |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            high |= UInt64(bytes[index])
            index += 1
        }
        if high & 0x8080_8080_8080_8080 == 0 { return true }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
