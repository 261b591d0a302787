#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses sample values straight from packet bytes, without building a String.
enum NumberParser {
    /// Exact powers of ten: a decimal with at most 15 significant digits scaled by one of
    /// these rounds once, so the fast path gives the correctly rounded result.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The number in `bytes` (Go `ParseFloat` syntax), or nil if it is not one.
    static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var index = 0
        var negative = false
        let first = bytes[0]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < count, bytes[index] &- 48 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48); if mantissa > 0 { digits += 1 } } else { exponent += 1 }
            sawDigit = true
            index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, bytes[index] &- 48 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48); if mantissa > 0 { digits += 1 }; exponent -= 1 }
                sawDigit = true
                index += 1
            }
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e"), sawDigit {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var sawExponentDigit = false
            while index < count, bytes[index] &- 48 < 10 {
                if value < 10_000 { value = value * 10 + Int(bytes[index] &- 48) }
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -value : value
        }
        if index == count, sawDigit {
            if digits <= 15, exponent >= -22, exponent <= 22 {
                var value = Double(mantissa)
                value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
                return negative ? -value : value
            }
        }
        return slowDouble(bytes)
    }

    /// Everything the fast path leaves: long mantissas, large exponents, hex, inf and NaN.
    private static func slowDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard bytes.count < 128, let first = bytes.first, first > 32 else { return nil }
        if bytes.contains(UInt8(ascii: "_")) { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer -> Double? in
            for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + bytes.count else { return nil }
            return value
        }
    }
}
