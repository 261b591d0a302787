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

    var isAtEnd: Bool { index == bytes.endIndex }

    mutating func fixed64LittleEndian() -> UInt64? {
        guard bytes.endIndex - index >= 8 else { return nil }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << UInt64(offset * 8) }
        index += 8
        return value
    }

    mutating func fixed64() -> UInt64? {
        guard let body = take(8) else { return nil }
        return body.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
