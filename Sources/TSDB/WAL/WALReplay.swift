import Foundation

/// Reads WAL segments back into a head at start. A record that is cut short or fails its
/// checksum ends its segment: everything before it is kept, the segment is truncated there (so
/// the damage is reported once), and replay goes on with the next segment, which a later run
/// started fresh.
enum WALReplay {
    static func replay(directory: URL, from firstSegment: Int, into head: Head) -> WALReplayResult {
        let started = ContinuousClock.now
        var result = WALReplayResult()
        var refs: [SeriesRef: SeriesRef] = [:]
        var highestRef = -1
        for segment in WALSegments.list(in: directory) where segment >= firstSegment {
            result.segments += 1
            let url = directory.appendingPathComponent(WALSegments.name(segment))
            guard let data = try? Data(contentsOf: url) else {
                result.corruptions.append("\(url.path): unreadable")
                continue
            }
            let bytes = [UInt8](data)
            var offset = 0
            while offset < bytes.count {
                let problem: String
                switch readRecord(bytes, at: offset) {
                case .record(let record, let next):
                    result.records += 1
                    apply(record, to: head, refs: &refs, highestRef: &highestRef, result: &result)
                    offset = next
                    continue
                case .damaged(let reason):
                    problem = reason
                }
                result.corruptions.append("\(url.path) at byte \(offset): \(problem)")
                truncate(url, at: offset)
                break
            }
        }
        head.reserveRefs(through: highestRef)
        result.duration = ContinuousClock.now - started
        return result
    }

    private enum ReadOutcome {
        case record(WALRecord, next: Int)
        case damaged(String)
    }

    private static func readRecord(_ bytes: [UInt8], at offset: Int) -> ReadOutcome {
        let remaining = bytes.count - offset
        guard remaining >= WALRecord.headerSize else { return .damaged("torn record header (\(remaining) bytes)") }
        let type = bytes[offset]
        let length = (1...4).reduce(0) { ($0 << 8) | Int(bytes[offset + $1]) }
        let crc = (5...8).reduce(UInt32(0)) { ($0 << 8) | UInt32(bytes[offset + $1]) }
        let start = offset + WALRecord.headerSize
        guard type == WALRecord.seriesType || type == WALRecord.samplesType else { return .damaged("unknown record type \(type)") }
        guard length <= bytes.count - start else { return .damaged("torn record (\(length) bytes announced, \(bytes.count - start) present)") }
        let payload = bytes[start..<(start + length)]
        guard payload.withUnsafeBytes({ CRC32C.checksum($0) }) == crc else { return .damaged("checksum mismatch") }
        guard let record = WALRecord.decode(type: type, payload: payload) else { return .damaged("malformed record") }
        return .record(record, next: start + length)
    }

    private static func apply(_ record: WALRecord, to head: Head, refs: inout [SeriesRef: SeriesRef],
                              highestRef: inout Int, result: inout WALReplayResult) {
        switch record {
        case .series(let ref, let labels):
            refs[ref] = head.replaySeries(ref: ref, labels: labels)
            highestRef = max(highestRef, ref)
            result.series += 1
        case .samples(let samples):
            for sample in samples {
                highestRef = max(highestRef, sample.ref)
                do {
                    try head.append(ref: refs[sample.ref] ?? sample.ref, sample.t, sample.v)
                    result.samples += 1
                } catch {
                    // Already in the snapshot, or its series record was lost with a damaged segment.
                    result.skippedSamples += 1
                }
            }
        }
    }

    private static func truncate(_ url: URL, at offset: Int) {
        let descriptor = open(url.path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, off_t(offset))
        _ = fsync(descriptor)
        close(descriptor)
    }
}
