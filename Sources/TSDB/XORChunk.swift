/// A compressed run of samples: delta-of-delta timestamps and XOR-encoded values (Gorilla).
///
/// The layout follows Prometheus's XOR chunk: the first timestamp as a varint, the first value
/// raw, the second timestamp as a uvarint delta, then per sample a bucketed delta-of-delta and a
/// value XORed with its predecessor reusing the previous leading/trailing zero window.
public struct XORChunk: Sendable {
    private var writer = BitWriter()
    public private(set) var count = 0
    public private(set) var minTime: Int64 = 0
    public private(set) var maxTime: Int64 = 0
    private var lastDelta: Int64 = 0
    private var lastValueBits: UInt64 = 0
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0

    public init() {}

    /// A closed chunk read back from a snapshot; it is only read, never appended to.
    init(closedBytes: [UInt8], count: Int, minTime: Int64, maxTime: Int64) {
        writer = BitWriter(bytes: closedBytes)
        self.count = count
        self.minTime = minTime
        self.maxTime = maxTime
    }

    /// A read-only copy whose byte buffer is no larger than needed, for closing a full chunk.
    func closed() -> XORChunk {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(writer.bytes.count)
        bytes.append(contentsOf: writer.bytes)
        return XORChunk(closedBytes: bytes, count: count, minTime: minTime, maxTime: maxTime)
    }

    /// The encoded bytes, for snapshots.
    var bytes: [UInt8] { writer.bytes }

    /// Compressed size in bytes.
    public var byteCount: Int { writer.bytes.count }

    /// Appends a sample; timestamps must increase (the caller checks order).
    public mutating func append(_ t: Int64, _ v: Double) {
        let bits = v.bitPattern
        switch count {
        case 0:
            writer.writeVarint(t)
            writer.writeBits(bits, count: 64)
            minTime = t
        case 1:
            lastDelta = t &- maxTime
            writer.writeUvarint(UInt64(bitPattern: lastDelta))
            writeValue(bits)
        default:
            let delta = t &- maxTime
            writeDeltaOfDelta(delta &- lastDelta)
            lastDelta = delta
            writeValue(bits)
        }
        maxTime = t
        lastValueBits = bits
        count += 1
    }

    private mutating func writeDeltaOfDelta(_ dod: Int64) {
        func fits(_ bits: Int) -> Bool { dod >= -(1 << (bits - 1)) + 1 && dod <= 1 << (bits - 1) }
        if dod == 0 {
            writer.writeBit(false)
        } else if fits(14) {
            writer.writeBits(0b10, count: 2)
            writer.writeBits(UInt64(bitPattern: dod), count: 14)
        } else if fits(17) {
            writer.writeBits(0b110, count: 3)
            writer.writeBits(UInt64(bitPattern: dod), count: 17)
        } else if fits(20) {
            writer.writeBits(0b1110, count: 4)
            writer.writeBits(UInt64(bitPattern: dod), count: 20)
        } else {
            writer.writeBits(0b1111, count: 4)
            writer.writeBits(UInt64(bitPattern: dod), count: 64)
        }
    }

    private mutating func writeValue(_ bits: UInt64) {
        let xor = bits ^ lastValueBits
        if xor == 0 {
            writer.writeBit(false)
            return
        }
        writer.writeBit(true)
        var newLeading = UInt8(xor.leadingZeroBitCount)
        let newTrailing = UInt8(xor.trailingZeroBitCount)
        if newLeading >= 32 { newLeading = 31 }  // five bits hold the leading count
        if leading != 0xff && newLeading >= leading && newTrailing >= trailing {
            writer.writeBit(false)
            writer.writeBits(xor >> UInt64(trailing), count: 64 - Int(leading) - Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        writer.writeBit(true)
        writer.writeBits(UInt64(newLeading), count: 5)
        let significant = 64 - Int(newLeading) - Int(newTrailing)
        // 64 significant bits are stored as 0 in six bits; the reader maps 0 back to 64.
        writer.writeBits(UInt64(significant & 63), count: 6)
        writer.writeBits(xor >> UInt64(newTrailing), count: significant)
    }

    /// Decodes the samples in order.
    public func makeIterator() -> XORChunkIterator { XORChunkIterator(bytes: writer.bytes, count: count) }
}

/// Walks a chunk's samples; stops early (and safely) on corrupt input.
public struct XORChunkIterator: IteratorProtocol, Sendable {
    private var reader: BitReader
    private let total: Int
    private var read = 0
    private var t: Int64 = 0
    private var delta: Int64 = 0
    private var valueBits: UInt64 = 0
    private var leading = 0
    private var trailing = 0

    init(bytes: [UInt8], count: Int) {
        reader = BitReader(bytes)
        total = count
    }

    public mutating func next() -> (t: Int64, v: Double)? {
        guard read < total else { return nil }
        switch read {
        case 0:
            guard let first = reader.readVarint(), let bits = reader.readBits(64) else { return fail() }
            t = first
            valueBits = bits
        case 1:
            guard let raw = reader.readUvarint() else { return fail() }
            delta = Int64(bitPattern: raw)
            t = t &+ delta
            guard readValue() else { return fail() }
        default:
            guard let dod = readDeltaOfDelta() else { return fail() }
            delta = delta &+ dod
            t = t &+ delta
            guard readValue() else { return fail() }
        }
        read += 1
        return (t, Double(bitPattern: valueBits))
    }

    private mutating func fail() -> (t: Int64, v: Double)? {
        read = total
        return nil
    }

    private mutating func readDeltaOfDelta() -> Int64? {
        guard let prefix = reader.readOnes(upTo: 4) else { return nil }
        let width: Int
        switch prefix {
        case 0: return 0
        case 1: width = 14
        case 2: width = 17
        case 3: width = 20
        default: width = 64
        }
        guard let raw = reader.readBits(width) else { return nil }
        if width == 64 { return Int64(bitPattern: raw) }
        // Sign-extend the stored two's complement value.
        let shift = UInt64(64 - width)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }

    private mutating func readValue() -> Bool {
        guard let changed = reader.readBit() else { return false }
        if !changed { return true }
        guard let newWindow = reader.readBit() else { return false }
        if newWindow {
            guard let lead = reader.readBits(5), let sig = reader.readBits(6) else { return false }
            leading = Int(lead)
            let significant = sig == 0 ? 64 : Int(sig)
            trailing = 64 - leading - significant
            guard trailing >= 0 else { return false }
        }
        let significant = 64 - leading - trailing
        guard significant > 0, let bits = reader.readBits(significant) else { return false }
        valueBits ^= bits << UInt64(trailing)
        return true
    }
}
