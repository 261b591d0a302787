/// A metric name or label value with capture references: `$1` or `${1}`.
///
/// Captures are the `*` segments of a glob or the groups of a regex, numbered from 1;
/// a reference to a capture that does not exist expands to nothing. Digits after `$` are
/// read greedily, so `$1_total` is capture 1 followed by `_total`.
struct NameTemplate: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case capture(Int)
    }

    let parts: [Part]

    init(_ text: String) {
        var parts: [Part] = []
        var literal = ""
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "$"), let (number, next) = Self.reference(in: bytes, at: index + 1) {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.capture(number))
                index = next
            } else {
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "$") { index += 1 }
                literal += String(decoding: bytes[start..<index], as: UTF8.self)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The capture number written at `start` (just after `$`) and where it ends.
    private static func reference(in bytes: [UInt8], at start: Int) -> (Int, Int)? {
        var index = start
        let braced = index < bytes.count && bytes[index] == UInt8(ascii: "{")
        if braced { index += 1 }
        var number = 0
        let digitsStart = index
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57, index - digitsStart < 6 {
            number = number * 10 + Int(bytes[index] - 48)
            index += 1
        }
        guard index > digitsStart else { return nil }
        if braced {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { return nil }
            index += 1
        }
        return (number, index)
    }

    var hasCaptures: Bool { parts.contains { if case .capture = $0 { true } else { false } } }

    /// The text with every capture filled in; `captures[0]` is capture 1.
    func expand(_ captures: [Substring]) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .capture(let number):
                if number >= 1, number <= captures.count { out += captures[number - 1] }
            }
        }
        return out
    }

    /// The template with captures removed, for checking what the literal parts allow.
    var literalText: String {
        parts.map { if case .literal(let text) = $0 { text } else { "x" } }.joined()
    }
}
