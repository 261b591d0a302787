import OutpostCore

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent; how the
/// Prometheus HTTP API prints sample values.
public func formatGoFloat(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    let (negative, digits, pointPosition) = shortestDigits(value)
    var out = negative ? "-" : ""
    if pointPosition <= 0 {
        out += "0." + String(repeating: "0", count: -pointPosition) + digits
    } else if pointPosition >= digits.count {
        out += digits + String(repeating: "0", count: pointPosition - digits.count)
    } else {
        let index = digits.index(digits.startIndex, offsetBy: pointPosition)
        out += digits[..<index] + "." + digits[index...]
    }
    return out
}

/// Go's `%g` with default precision: shortest digits, exponent form below 1e-4 or from 1e21.
func formatGoG(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    let (negative, digits, pointPosition) = shortestDigits(value)
    let exponent = pointPosition - 1
    if exponent < -4 || exponent >= 21 {
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let sign = exponent < 0 ? "-" : "+"
        let magnitude = abs(exponent)
        return (negative ? "-" : "") + mantissa + "e" + sign + (magnitude < 10 ? "0" : "") + String(magnitude)
    }
    return formatGoFloat(value)
}

/// The shortest round-tripping decimal digits of `value` and where the decimal point goes.
private func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, pointPosition: Int) {
    if value == 0 { return (value.sign == .minus, "0", 1) }
    let text = abs(value).description  // Swift prints the shortest round-tripping form
    var mantissa = text
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = String(text[..<e])
        exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var integerPart = mantissa
    var fraction = ""
    if let dot = mantissa.firstIndex(of: ".") {
        integerPart = String(mantissa[..<dot])
        fraction = String(mantissa[mantissa.index(after: dot)...])
    }
    var digits = integerPart + fraction
    var pointPosition = integerPart.count + exponent
    while digits.hasPrefix("0") && digits.count > 1 {
        digits.removeFirst()
        pointPosition -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    return (value < 0, digits, pointPosition)
}

/// A Go-style double-quoted string, as Prometheus prints names in messages; bytes that were
/// not valid UTF-8 print as `\xNN`.
func goQuote(_ text: String) -> String {
    var out = ""
    for scalar in escapeLabelValue(text).unicodeScalars {
        if let byte = invalidByte(scalar) {
            out += "\\x" + String(byte, radix: 16)
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return "\"" + out + "\""
}

/// Label names may be any valid UTF-8 in Prometheus 3.
func isValidLabelName(_ name: String) -> Bool {
    !name.isEmpty && !name.unicodeScalars.contains { invalidByte($0) != nil }
}

/// The original byte of a scalar the lexer used to stand for invalid UTF-8.
private func invalidByte(_ scalar: Unicode.Scalar) -> UInt8? {
    scalar.value >= Lexer.invalidByteBase && scalar.value <= Lexer.invalidByteBase + 0xff
        ? UInt8(scalar.value - Lexer.invalidByteBase) : nil
}
