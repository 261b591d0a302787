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
///
/// Bits come out of a 64-bit buffer refilled a byte at a time, so a read is a shift and a mask
/// rather than a loop over bytes (decoding chunks dominates query time).
struct BitReader: Sendable {
    private let bytes: [UInt8]
    /// The next bits to read, most significant first; `buffered` of them are valid.
    private var buffer: UInt64 = 0
    private var buffered = 0
    /// The next byte to move into the buffer.
    private var nextByte = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private var remainingBits: Int { buffered + (bytes.count - nextByte) * 8 }

    /// Fills the buffer to at least 57 valid bits, or with what is left of the input.
    @inline(__always)
    private mutating func refill() {
        while buffered <= 56 && nextByte < bytes.count {
            buffer |= UInt64(bytes[nextByte]) << UInt64(56 - buffered)
            buffered += 8
            nextByte += 1
        }
    }

    /// Takes `count` (1...64, at most `buffered`) bits from the buffer.
    @inline(__always)
    private mutating func take(_ count: Int) -> UInt64 {
        let value = buffer >> UInt64(64 - count)
        buffer = count == 64 ? 0 : buffer << UInt64(count)
        buffered -= count
        return value
    }

    @inline(__always)
    mutating func readBit() -> Bool? {
        if buffered == 0 {
            refill()
            if buffered == 0 { return nil }
        }
        return take(1) == 1
    }

    @inline(__always)
    mutating func readBits(_ count: Int) -> UInt64? {
        guard count > 0 else { return 0 }
        if count > buffered {
            guard count <= remainingBits else { return nil }
            refill()
            if count > buffered {
                // More than 56 bits straddling the buffer: in two parts.
                let highCount = buffered
                let high = take(highCount)
                refill()
                return high << UInt64(count - highCount) | take(count - highCount)
            }
        }
        return take(count)
    }

    /// Reads one bits until a zero (read too) or until `limit` ones: how many ones.
    @inline(__always)
    mutating func readOnes(upTo limit: Int) -> Int? {
        if buffered <= limit { refill() }
        // Bits past `buffered` are zero, so they end the run of ones too.
        let ones = min((~buffer).leadingZeroBitCount, limit)
        let length = ones < limit ? ones + 1 : limit
        guard length <= buffered else { return nil }
        _ = take(length)
        return ones
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
