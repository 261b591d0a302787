/// Writes floats as Go's `strconv.FormatFloat(v, 'g', -1, 64)` does, the way Prometheus's
/// client libraries print sample values: shortest round-trip digits, exponent form outside
/// 1e-4 ..< 1e21 (`1e+06`, `1.5e-05`), and `+Inf`, `-Inf`, `NaN`.
enum FloatFormatting {
    @inline(__always)
    static func appendGo(_ value: Double, to out: ByteWriter) {
        if value.isNaN { out.append("NaN"); return }
        if value.isInfinite {
            out.append(value < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out.append("Inf")
            return
        }
        // Fast path: integers below 1e6 print as plain digits in Go's %g too.
        if value == value.rounded(), abs(value) < 1e6 {
            appendInteger(Int64(value), to: out)
            return
        }
        // Fast path: values with at most three decimals (0.25, 12.5). Distinct such decimals
        // are far more than an ulp apart below 1e6, so the one that converts back to `value`
        // is its shortest form, as Go prints it.
        let thousandths = value * 1000
        if abs(value) < 1e6, abs(value) >= 1e-3, thousandths == thousandths.rounded(),
           Double(Int64(thousandths)) / 1000 == value {
            appendThousandths(Int64(thousandths), to: out)
            return
        }
        // Swift's description is already the shortest round-trip form; only its layout differs.
        // Digits are gathered in a fixed buffer so formatting allocates nothing of its own.
        var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { digits in
            var count = 0
            var pointPosition: Int?
            var exponentPart = 0
            var exponentSign = 1
            var inExponent = false
            var leadingZeros = 0
            var seenNonZero = false
            for byte in abs(value).description.utf8 {
                if inExponent {
                    if byte == UInt8(ascii: "-") { exponentSign = -1 } else if byte >= 48 && byte <= 57 {
                        exponentPart = exponentPart * 10 + Int(byte - 48)
                    }
                } else if byte == UInt8(ascii: ".") {
                    pointPosition = count + leadingZeros
                } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    inExponent = true
                } else if !seenNonZero && byte == UInt8(ascii: "0") {
                    leadingZeros += 1
                } else if count < digits.count {
                    seenNonZero = true
                    digits[count] = byte
                    count += 1
                }
            }
            while count > 1, digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
            let integerDigits = pointPosition ?? (count + leadingZeros)
            let exponent = integerDigits - leadingZeros - 1 + exponentSign * exponentPart
            if value < 0 { out.append(UInt8(ascii: "-")) }
            // Go's 'g' with shortest precision uses %e when exp < -4 || exp >= 6.
            if exponent < -4 || exponent >= 6 {
                out.append(digits[0])
                if count > 1 {
                    out.append(UInt8(ascii: "."))
                    out.append(UnsafeRawBufferPointer(rebasing: digits[1..<count]))
                }
                out.append(UInt8(ascii: "e"))
                out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                let magnitude = abs(exponent)
                if magnitude < 10 { out.append(UInt8(ascii: "0")) }
                appendInteger(Int64(magnitude), to: out)
            } else if exponent < 0 {
                out.append("0.")
                for _ in 0..<(-exponent - 1) { out.append(UInt8(48)) }
                out.append(UnsafeRawBufferPointer(rebasing: digits[0..<count]))
            } else {
                let whole = exponent + 1
                if count <= whole {
                    out.append(UnsafeRawBufferPointer(rebasing: digits[0..<count]))
                    for _ in 0..<(whole - count) { out.append(UInt8(48)) }
                } else {
                    out.append(UnsafeRawBufferPointer(rebasing: digits[0..<whole]))
                    out.append(UInt8(ascii: "."))
                    out.append(UnsafeRawBufferPointer(rebasing: digits[whole..<count]))
                }
            }
        }
    }

    /// OpenMetrics wants integral values with a `.0` so they read as floats (`1.0`, `+Inf`).
    static func appendOpenMetrics(_ value: Double, to out: ByteWriter) {
        let start = out.count
        appendGo(value, to: out)
        if value.isFinite && !UnsafeBufferPointer(start: out.base + start, count: out.count - start).contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) {
            out.append(UInt8(ascii: "."))
            out.append(UInt8(ascii: "0"))
        }
    }

    static func go(_ value: Double) -> String {
        let out = ByteWriter(capacity: 32)
        appendGo(value, to: out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    private static func appendThousandths(_ thousandths: Int64, to out: ByteWriter) {
        if thousandths < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = thousandths.magnitude
        out.appendDecimal(magnitude / 1000)
        var fraction = magnitude % 1000
        var digits = 3
        while fraction % 10 == 0 && digits > 0 {
            fraction /= 10
            digits -= 1
        }
        guard digits > 0 else { return }
        out.append(UInt8(ascii: "."))
        var divisor: UInt64 = digits == 3 ? 100 : (digits == 2 ? 10 : 1)
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: 48 + (fraction / divisor) % 10))
            divisor /= 10
        }
    }

    @inline(__always)
    static func appendInteger(_ value: Int64, to out: ByteWriter) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            out.appendDecimal(value.magnitude)
        } else {
            out.appendDecimal(UInt64(value))
        }
    }
}
