import Foundation
import OutpostCore

/// Writes the head to one file and reads it back, so samples survive restarts.
///
/// Layout: the magic `OUTPOST-HEAD-1\n`, then per series its labels and chunks (closed chunks as
/// their compressed bytes, the open chunk too), then an FNV-1a checksum of everything before it.
/// The file is written beside the target and renamed over it, so a crash leaves the old snapshot.
public enum HeadSnapshot {
    static let magic = Array("OUTPOST-HEAD-1\n".utf8)
    public static let fileName = "head.snapshot"

    public struct CorruptSnapshot: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `head` to `directory/head.snapshot`, creating the directory when needed.
    public static func write(_ head: Head, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var out = ByteWriter()
        out.bytes.append(contentsOf: magic)
        let series = head.snapshotSeries()
        out.uvarint(UInt64(series.count))
        for entry in series {
            out.uvarint(UInt64(entry.labels.count))
            for label in entry.labels {
                out.string(label.name)
                out.string(label.value)
            }
            out.uvarint(UInt64(entry.chunks.count))
            for chunk in entry.chunks {
                out.uvarint(UInt64(chunk.count))
                out.varint(chunk.minTime)
                out.varint(chunk.maxTime)
                out.uvarint(UInt64(chunk.bytes.count))
                out.bytes.append(contentsOf: chunk.bytes)
            }
        }
        out.fixed64(fnv1a(out.bytes))
        let target = directory.appendingPathComponent(fileName)
        let temporary = directory.appendingPathComponent(fileName + ".tmp")
        try Data(out.bytes).write(to: temporary)
        if FileManager.default.fileExists(atPath: target.path) {
            _ = try FileManager.default.replaceItemAt(target, withItemAt: temporary)
        } else {
            try FileManager.default.moveItem(at: temporary, to: target)
        }
    }

    /// Reads `directory/head.snapshot` into a new head; a missing file gives an empty head.
    public static func read(from directory: URL) throws -> Head {
        let head = Head()
        let file = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return head }
        let bytes = [UInt8](try Data(contentsOf: file))
        guard bytes.count >= magic.count + 8, Array(bytes.prefix(magic.count)) == magic else {
            throw CorruptSnapshot(description: "\(file.path): not an Outpost head snapshot")
        }
        var tail = ByteReader(bytes[(bytes.count - 8)...])
        guard let checksum = tail.fixed64(), checksum == fnv1a(bytes[..<(bytes.count - 8)]) else {
            throw CorruptSnapshot(description: "\(file.path): checksum mismatch")
        }
        var reader = ByteReader(bytes[magic.count..<(bytes.count - 8)])
        func corrupt() -> CorruptSnapshot { CorruptSnapshot(description: "\(file.path): truncated or malformed") }
        guard let seriesCount = reader.uvarint() else { throw corrupt() }
        for _ in 0..<seriesCount {
            guard let labelCount = reader.uvarint(), labelCount < 10_000 else { throw corrupt() }
            var pairs: [(String, String)] = []
            for _ in 0..<labelCount {
                guard let name = reader.string(), let value = reader.string() else { throw corrupt() }
                pairs.append((name, value))
            }
            guard let chunkCount = reader.uvarint(), chunkCount < 1_000_000 else { throw corrupt() }
            var chunks: [XORChunk] = []
            for _ in 0..<chunkCount {
                guard let count = reader.uvarint(), count <= UInt64(MemSeries.samplesPerChunk),
                      let minTime = reader.varint(), let maxTime = reader.varint(),
                      let length = reader.uvarint(), let body = reader.take(Int(clamping: length)) else { throw corrupt() }
                chunks.append(XORChunk(closedBytes: body, count: Int(count), minTime: minTime, maxTime: maxTime))
            }
            head.restore(Labels(pairs), chunks: chunks)
        }
        return head
    }

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func uvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func varint(_ value: Int64) { uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func string(_ value: String) {
        uvarint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// Bounds-checked reads; every method returns nil instead of reading past the end.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    mutating func uvarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    mutating func varint() -> Int64? {
        guard let raw = uvarint() else { return nil }
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.endIndex - index >= count else { return nil }
        defer { index += count }
        return Array(bytes[index..<(index + count)])
    }

    mutating func string() -> String? {
        guard let length = uvarint(), let body = take(Int(clamping: length)) else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    mutating func fixed64() -> UInt64? {
        guard let body = take(8) else { return nil }
        return body.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
