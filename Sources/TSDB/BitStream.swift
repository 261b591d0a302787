/// An append-only sequence of bits, most significant bit first, as Gorilla chunks store them.
struct BitWriter: Sendable {
    private(set) var bytes: [UInt8] = []
    /// Bits still free in the last byte (0 means a new byte is needed).
    private var freeBits: Int = 0

    init() {}

    /// Continues after whole bytes written earlier.
    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func writeBit(_ bit: Bool) {
        if freeBits == 0 {
            bytes.append(0)
            freeBits = 8
        }
        freeBits -= 1
        if bit { bytes[bytes.count - 1] |= UInt8(1) << UInt8(freeBits) }
    }

    /// Writes the low `count` bits of `value` (count in 0...64).
    mutating func writeBits(_ value: UInt64, count: Int) {
        var remaining = count
        while remaining > 0 {
            if freeBits == 0 {
                bytes.append(0)
                freeBits = 8
            }
            let take = min(freeBits, remaining)
            let shift = remaining - take
            let chunk = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & ((1 << UInt64(take)) &- 1))
            bytes[bytes.count - 1] |= chunk << UInt8(freeBits - take)
            freeBits -= take
            remaining -= take
        }
    }

    /// Zig-zag varint, whole bytes through the bit stream.
    mutating func writeVarint(_ value: Int64) {
        writeUvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func writeUvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            writeBits(rest & 0x7f | 0x80, count: 8)
            rest >>= 7
        }
        writeBits(rest, count: 8)
    }
}

/// Reads what `BitWriter` wrote; every read reports running past the end as nil.
struct BitReader: Sendable {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func readBit() -> Bool? {
        guard position < bytes.count * 8 else { return nil }
        let bit = bytes[position >> 3] & (UInt8(0x80) >> UInt8(position & 7)) != 0
        position += 1
        return bit
    }

    mutating func readBits(_ count: Int) -> UInt64? {
        guard position + count <= bytes.count * 8 else { return nil }
        var value: UInt64 = 0
        var remaining = count
        while remaining > 0 {
            let offset = position & 7
            let available = 8 - offset
            let take = min(available, remaining)
            let byte = UInt64(bytes[position >> 3])
            let bits = (byte >> UInt64(available - take)) & ((1 << UInt64(take)) - 1)
            value = (value << UInt64(take)) | bits
            position += take
            remaining -= take
        }
        return value
    }

    mutating func readUvarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            guard let byte = readBits(8) else { return nil }
            value |= (byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    mutating func readVarint() -> Int64? {
        guard let raw = readUvarint() else { return nil }
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}
