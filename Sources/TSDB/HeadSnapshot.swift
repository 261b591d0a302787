import Foundation
import OutpostCore

/// Writes the head to one file and reads it back, so samples survive restarts.
///
/// Layout: the magic `OUTPOST-HEAD-2\n`, the first WAL segment the snapshot does not cover, then
/// per series its ref, labels and chunks (closed chunks as their compressed bytes, the open chunk
/// too), then an FNV-1a checksum of everything before it. Version 1 files (no WAL segment, no
/// refs) are still read. The file is written beside the target, fsynced and renamed over it, so a
/// crash leaves the old snapshot and WAL segments are deleted only once the new one is durable.
public enum HeadSnapshot {
    static let magic = Array("OUTPOST-HEAD-2\n".utf8)
    static let magicVersion1 = Array("OUTPOST-HEAD-1\n".utf8)
    public static let fileName = "head.snapshot"

    public struct CorruptSnapshot: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `head` to `directory/head.snapshot`, creating the directory when needed. Cuts the
    /// head's WAL and returns the first segment the snapshot does not cover (0 without a WAL).
    @discardableResult
    public static func write(_ head: Head, to directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var out = ByteWriter()
        out.bytes.append(contentsOf: magic)
        let (series, walSegment) = head.snapshotSeries()
        out.uvarint(UInt64(walSegment))
        out.uvarint(UInt64(series.count))
        for entry in series {
            out.uvarint(UInt64(entry.ref))
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
        try DurableFile.replace(directory.appendingPathComponent(fileName), with: out.bytes)
        return walSegment
    }

    /// Reads `directory/head.snapshot` into a new head; a missing file gives an empty head.
    public static func read(from directory: URL) throws -> Head {
        try restore(from: directory).head
    }

    /// The head and the first WAL segment to replay on top of it.
    static func restore(from directory: URL) throws -> (head: Head, walSegment: Int) {
        let head = Head()
        let file = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return (head, 0) }
        let bytes = [UInt8](try Data(contentsOf: file))
        let prefix = Array(bytes.prefix(magic.count))
        guard bytes.count >= magic.count + 8, prefix == magic || prefix == magicVersion1 else {
            throw CorruptSnapshot(description: "\(file.path): not an Outpost head snapshot")
        }
        let hasRefs = prefix == magic
        var tail = ByteReader(bytes[(bytes.count - 8)...])
        guard let checksum = tail.fixed64(), checksum == fnv1a(bytes[..<(bytes.count - 8)]) else {
            throw CorruptSnapshot(description: "\(file.path): checksum mismatch")
        }
        var reader = ByteReader(bytes[magic.count..<(bytes.count - 8)])
        func corrupt() -> CorruptSnapshot { CorruptSnapshot(description: "\(file.path): truncated or malformed") }
        var walSegment = 0
        if hasRefs {
            guard let segment = reader.uvarint(), segment < UInt64(Int32.max) else { throw corrupt() }
            walSegment = Int(segment)
        }
        guard let seriesCount = reader.uvarint() else { throw corrupt() }
        for index in 0..<seriesCount {
            var ref = Int(index)
            if hasRefs {
                guard let stored = reader.uvarint(), stored < UInt64(Int32.max) else { throw corrupt() }
                ref = Int(stored)
            }
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
            head.restore(ref: ref, Labels(pairs), chunks: chunks)
        }
        return (head, walSegment)
    }

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
