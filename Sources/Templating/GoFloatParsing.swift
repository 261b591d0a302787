/// strconv.ParseFloat's accepted syntax: decimal and hex floats, `Inf`/`Infinity`/`NaN` in any
/// case with optional sign, and underscores only between digits of prefixed numbers.
enum GoFloatParsing {
    static func parse(_ text: String) -> Double? {
        guard !text.isEmpty else { return nil }
        var body = Substring(text)
        var sign = 1.0
        if let first = body.first, first == "+" || first == "-" {
            if first == "-" { sign = -1 }
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return sign == 1 && text.first != "+" ? .nan : nil
        default: break
        }
        guard let scalarFirst = body.unicodeScalars.first, scalarFirst == "." || ("0"..."9").contains(scalarFirst) else {
            return nil
        }
        let allowed = body.lowercased().hasPrefix("0x") ? "0123456789abcdefABCDEFxXpP.+-_" : "0123456789eE.+-_"
        guard body.allSatisfy({ allowed.contains($0) }) else { return nil }
        var cleaned = String(body)
        if cleaned.contains("_") {
            guard cleaned.lowercased().hasPrefix("0x") || cleaned.lowercased().hasPrefix("0b") || cleaned.lowercased().hasPrefix("0o") else {
                return nil
            }
            cleaned = cleaned.replacingOccurrences(of: "_", with: "")
        }
        guard let value = Double(cleaned) else { return nil }
        return sign * value
    }
}
