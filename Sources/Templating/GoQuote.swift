import Foundation

/// Go's string quoting and unquoting (strconv.Quote / strconv.Unquote) and `%#U` rune descriptions.
public enum GoQuote {
    /// strconv.Quote, which is also what `%q` prints for a string.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            out += escape(scalar, quote: "\"")
        }
        return out + "\""
    }

    static func escape(_ scalar: Unicode.Scalar, quote: Character) -> String {
        switch scalar {
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{0B}": return "\\v"
        case "\\": return "\\\\"
        default:
            if Character(scalar) == quote { return "\\" + String(quote) }
            if isPrintable(scalar) { return String(scalar) }
            if scalar.value < 0x80 { return "\\x" + hex(scalar.value, width: 2) }
            if scalar.value < 0x10000 { return "\\u" + hex(scalar.value, width: 4) }
            return "\\U" + hex(scalar.value, width: 8)
        }
    }

    static func hex(_ value: UInt32, width: Int, uppercase: Bool = false) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || scalar.value == 0x7F { return false }
        if scalar.value < 0x7F { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// `%#U`: `U+0023 '#'`, or just `U+00A0` for a rune that does not print.
    static func unicodeDescription(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + hex(scalar.value, width: 4, uppercase: true)
        return isPrintable(scalar) ? code + " '" + String(scalar) + "'" : code
    }

    /// strconv.Unquote for "double-quoted", `raw` and 'c' literals; nil when the literal is malformed.
    static func unquote(_ literal: String) -> String? {
        guard let first = literal.first, literal.count >= 2, literal.last == first else { return nil }
        let body = literal.dropFirst().dropLast()
        if first == "`" {
            guard !body.contains("`") else { return nil }
            return body.replacingOccurrences(of: "\r", with: "")
        }
        guard first == "\"" || first == "'" else { return nil }
        var out = String.UnicodeScalarView()
        var scalars = Array(body.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\n" { return nil }
            if Character(scalar) == first { return nil }
            guard scalar == "\\" else {
                out.append(scalar)
                continue
            }
            guard let escaped = scalars.popFirst() else { return nil }
            switch escaped {
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "\\": out.append("\\")
            case "'", "\"":
                guard Character(escaped) == first else { return nil }
                out.append(escaped)
            case "x", "u", "U":
                let count = escaped == "x" ? 2 : escaped == "u" ? 4 : 8
                guard scalars.count >= count else { return nil }
                let digits = String(String.UnicodeScalarView(scalars.prefix(count)))
                scalars = scalars.dropFirst(count)
                guard let value = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(value) else { return nil }
                out.append(decoded)
            case "0"..."7":
                let digits = String(escaped) + String(String.UnicodeScalarView(scalars.prefix(2)))
                scalars = scalars.dropFirst(2)
                guard digits.count == 3, let value = UInt32(digits, radix: 8), value < 256,
                    let decoded = Unicode.Scalar(value)
                else { return nil }
                out.append(decoded)
            default:
                return nil
            }
        }
        let result = String(out)
        if first == "'" && result.unicodeScalars.count != 1 { return nil }
        return result
    }
}
