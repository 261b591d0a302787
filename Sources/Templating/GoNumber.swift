import Foundation

/// Go number literals (strconv.ParseInt with base 0, strconv.ParseFloat) and float printing.
enum GoNumber {
    static func parse(_ text: String) -> NumberLiteral? {
        let cleaned = text.utf8.contains(UInt8(ascii: "_")) ? text.replacingOccurrences(of: "_", with: "") : text
        var body = Substring(cleaned)
        var negative = false
        if body.hasPrefix("+") || body.hasPrefix("-") {
            negative = body.hasPrefix("-")
            body = body.dropFirst()
        }
        let lower = body.lowercased()
        var int: Int?
        if lower.hasPrefix("0x") {
            int = Int(lower.dropFirst(2), radix: 16)
        } else if lower.hasPrefix("0o") {
            int = Int(lower.dropFirst(2), radix: 8)
        } else if lower.hasPrefix("0b") {
            int = Int(lower.dropFirst(2), radix: 2)
        } else if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy(\.isNumber) {
            int = Int(lower.dropFirst(), radix: 8)
        } else if lower.allSatisfy(\.isNumber), !lower.isEmpty {
            int = Int(lower)
        }
        if let value = int {
            let signed = negative ? -value : value
            return NumberLiteral(text: text, int: signed, float: Double(signed), natural: .int(signed))
        }
        let isHex = lower.hasPrefix("0x")
        guard !lower.hasSuffix("i"), var float = Double(isHex ? "0x" + lower.dropFirst(2) : lower) else { return nil }
        if negative { float = -float }
        let looksFloat = isHex ? lower.contains { $0 == "p" || $0 == "." } : lower.contains { $0 == "." || $0 == "e" }
        var literal = NumberLiteral(text: text, int: nil, float: float, natural: .number(float))
        if float.rounded() == float, abs(float) < 9.2e18 { literal.int = Int(float) }
        if !looksFloat, let integral = literal.int { literal.natural = .int(integral) }
        return literal
    }

    /// Go's `%v` for float64 (`%g` at shortest precision): exponent form below 1e-4 and from 1e6.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, decimalPoint) = shortestDigits(abs(value))
        let exponent = decimalPoint - 1
        let sign = value < 0 ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let exponentDigits = String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
        }
        if decimalPoint <= 0 {
            return sign + "0." + String(repeating: "0", count: -decimalPoint) + digits
        }
        if decimalPoint >= digits.count {
            return sign + digits + String(repeating: "0", count: decimalPoint - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: decimalPoint)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The shortest decimal digits that round-trip, and where the decimal point goes.
    static func shortestDigits(_ value: Double) -> (digits: String, decimalPoint: Int) {
        let description = value.description
        var mantissa = Substring(description)
        var exponent = 0
        if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = description[..<e]
            exponent = Int(description[description.index(after: e)...]) ?? 0
        }
        var integerPart = mantissa
        var fraction: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fraction
        var decimalPoint = integerPart.count + exponent
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        return (digits, decimalPoint)
    }
}
