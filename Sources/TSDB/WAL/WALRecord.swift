import OutpostCore

/// One write-ahead-log record: a new series (its ref and labels) or the samples of one append
/// commit. Sample records must follow the series records of the refs they use.
///
/// Framing on disk: type (1 byte), payload length (4 bytes, big-endian), CRC-32C of the payload
/// (4 bytes, big-endian), payload. Series payload: uvarint ref, uvarint label count, then
/// name and value as length-prefixed strings. Samples payload: uvarint base ref, varint base
/// time, then per sample varint ref delta, varint time delta (both from the base) and the
/// value's 8 raw bytes (little-endian), so staleness markers keep their bit pattern.
enum WALRecord: Equatable {
    case series(ref: SeriesRef, labels: Labels)
    case samples([WALSample])

    static let headerSize = 9
    static let seriesType: UInt8 = 1
    static let samplesType: UInt8 = 2

    /// Appends the framed record for `payload` to `out`.
    static func frame(type: UInt8, payload: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let length = UInt32(payload.count)
        let crc = CRC32C.checksum(payload)
        out.append(type)
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        out.append(contentsOf: payload.assumingMemoryBound(to: UInt8.self))
    }

    static func frame(type: UInt8, payload: [UInt8], into out: inout [UInt8]) {
        payload.withUnsafeBytes { frame(type: type, payload: $0, into: &out) }
    }

    static func seriesPayload(ref: SeriesRef, labels: Labels) -> [UInt8] {
        var writer = ByteWriter()
        writer.uvarint(UInt64(ref))
        writer.uvarint(UInt64(labels.count))
        for label in labels {
            writer.string(label.name)
            writer.string(label.value)
        }
        return writer.bytes
    }

    /// Decodes a payload whose frame and checksum were already checked; nil when malformed.
    static func decode(type: UInt8, payload: ArraySlice<UInt8>) -> WALRecord? {
        var reader = ByteReader(payload)
        switch type {
        case seriesType:
            guard let ref = reader.uvarint(), ref <= UInt64(Int.max), let count = reader.uvarint(), count < 10_000 else { return nil }
            var pairs: [(String, String)] = []
            for _ in 0..<count {
                guard let name = reader.string(), let value = reader.string() else { return nil }
                pairs.append((name, value))
            }
            guard reader.isAtEnd else { return nil }
            return .series(ref: SeriesRef(ref), labels: Labels(pairs))
        case samplesType:
            guard let baseRef = reader.uvarint(), baseRef <= UInt64(Int.max), let baseTime = reader.varint() else { return nil }
            var samples: [WALSample] = []
            while !reader.isAtEnd {
                guard let refDelta = reader.varint(), let timeDelta = reader.varint(), let bits = reader.fixed64LittleEndian() else { return nil }
                let ref = Int64(baseRef).addingReportingOverflow(refDelta)
                guard !ref.overflow, ref.partialValue >= 0 else { return nil }
                samples.append(WALSample(ref: SeriesRef(ref.partialValue), t: baseTime &+ timeDelta, v: Double(bitPattern: bits)))
            }
            return .samples(samples)
        default:
            return nil
        }
    }
}

/// One sample as the WAL stores it: the series ref, milliseconds and the value.
struct WALSample: Equatable {
    var ref: SeriesRef
    var t: Int64
    var v: Double

    static func == (lhs: WALSample, rhs: WALSample) -> Bool {
        lhs.ref == rhs.ref && lhs.t == rhs.t && lhs.v.bitPattern == rhs.v.bitPattern
    }
}
