/// Go's regular-expression syntax (RE2, the one Prometheus, Alertmanager, blackbox_exporter and
/// statsd_exporter read) rewritten into plain forms that Swift's `Regex` and ICU's
/// `NSRegularExpression` both read with Go's meaning.
///
/// What it rejects, Go rejects, with Go's wording: back-references, lookaround, possessive and
/// stacked quantifiers, counts over 1000, unknown escapes such as `\Z` or `\e`. What Go accepts
/// and the engines read differently is spelled out: `\d`, `\s`, `\w` and `[[:alpha:]]` are ASCII
/// only, `$` without `m` is the end of the text (not before a final newline), `.` excludes only
/// `\n`, `\pL` is `\p{L}`, `\12` is octal, `[[a]` is a class holding `[`, `&&` in a class is two
/// ampersands, and `(?U)` swaps greediness.
public enum GoRegexSyntax {
    public static func translate(_ pattern: String) throws(GoRegexError) -> String {
        var translator = Translator(pattern)
        return try translator.run()
    }

    /// `pattern` compiled for Swift's `Regex`, matching Unicode scalars as Go matches runes.
    public static func regex(_ pattern: String) throws(GoRegexError) -> Regex<AnyRegexOutput> {
        let translated = try translate(pattern)
        do {
            // `\b` keeps Swift's default (Unicode) word boundaries: they also find one in an empty
            // text or between two spaces, where Go does not, but `.simple` misses the one before a digit.
            return try Regex(translated).matchingSemantics(.unicodeScalar)
        } catch {
            throw GoRegexError(code: "invalid or unsupported syntax", expression: pattern)
        }
    }
}

/// A pattern Go's regexp package would refuse, worded as Go words it.
public struct GoRegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var expression: String

    public init(code: String, expression: String) {
        self.code = code
        self.expression = expression
    }

    public var description: String { "error parsing regexp: \(code): `\(expression)`" }
}

private struct Flags {
    var caseInsensitive = false
    var multiLine = false
    var dotAll = false
    var ungreedy = false
}

private struct Translator {
    private let scalars: [Unicode.Scalar]
    private let pattern: String
    private var index = 0
    private var out = ""
    private var flags = Flags()
    /// The flags to restore at each open group's `)`.
    private var groups: [Flags] = []
    /// Whether a quantifier has something to apply to, and where the last quantifier began
    /// when it was the last thing read (Go refuses `a**` and `a*+`).
    private var hasOperand = false
    private var lastQuantifierStart: Int?
    /// Where in `out` the last thing read begins when it is an assertion such as `^` or `\b`.
    private var lastAssertionStart: Int?

    init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
    }

    mutating func run() throws(GoRegexError) -> String {
        while index < scalars.count {
            let scalar = scalars[index]
            let quantifierStart = index
            switch scalar {
            case "(": try openGroup()
            case ")":
                guard let restored = groups.popLast() else { throw GoRegexError(code: "unexpected )", expression: pattern) }
                flags = restored
                out += ")"
                index += 1
                operand()
            case "|":
                out += "|"
                index += 1
                hasOperand = false
                lastQuantifierStart = nil
            case "*", "+", "?":
                index += 1
                try quantifier(String(scalar), from: quantifierStart)
            case "{":
                if let (text, minimum, maximum) = countedRepetition() {
                    guard minimum <= 1000, maximum.map({ $0 <= 1000 && $0 >= minimum }) ?? true else {
                        throw GoRegexError(code: "invalid repeat count", expression: text)
                    }
                    try quantifier(text, from: quantifierStart)
                } else {
                    literal(scalar)
                    index += 1
                }
            case "[":
                try characterClass()
                operand()
            case ".":
                // With `s` the engines' own `.` (their `s` flag follows Go's, see `flagChanges`);
                // without it theirs also stops at `\r` and other line ends, Go's only at `\n`.
                out += flags.dotAll ? "." : #"[^\x{A}]"#
                index += 1
                operand()
            case "^":
                assertion(flags.multiLine ? "(?m:^)" : #"\A"#)
                index += 1
            case "$":
                assertion(flags.multiLine ? "(?m:$)" : #"\z"#)
                index += 1
            case "\\": try escape()
            default:
                literal(scalar)
                index += 1
            }
        }
        guard groups.isEmpty else { throw GoRegexError(code: "missing closing )", expression: pattern) }
        // ICU refuses an empty pattern, which Go reads as matching everywhere.
        return out.isEmpty ? "(?:)" : out
    }

    private mutating func operand() {
        hasOperand = true
        lastQuantifierStart = nil
        lastAssertionStart = nil
    }

    /// An empty-width assertion; Go lets a quantifier follow one, the engines need it in a group.
    private mutating func assertion(_ translated: String) {
        let start = out.utf8.count
        out += translated
        operand()
        lastAssertionStart = start
    }

    private mutating func literal(_ scalar: Unicode.Scalar) {
        out += Self.encoded(scalar)
        operand()
    }

    /// ASCII letters and digits as they are, everything else as `\x{…}`, which neither engine
    /// can read as an operator (`&&`, `--`, `~~` and `[` mean set operations to them in a class)
    /// nor join to what precedes it (a combining mark after `)` would be one character to them).
    private static func encoded(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { return String(scalar) }
        return #"\x{"# + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    private func text(_ range: Range<Int>) -> String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[range.clamped(to: 0..<scalars.count)])
        return String(text)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    // MARK: Quantifiers

    private mutating func quantifier(_ text: String, from start: Int) throws(GoRegexError) {
        var lazy = false
        if peek() == "?" {
            lazy = true
            index += 1
        }
        if let previous = lastQuantifierStart {
            throw GoRegexError(code: "invalid nested repetition operator", expression: self.text(previous..<index))
        }
        guard hasOperand else {
            throw GoRegexError(code: "missing argument to repetition operator", expression: self.text(start..<index))
        }
        if let assertionStart = lastAssertionStart {
            let split = out.utf8.index(out.utf8.startIndex, offsetBy: assertionStart)
            out = String(out[..<split]) + "(?:" + String(out[split...]) + ")"
        }
        out += text + (lazy != flags.ungreedy ? "?" : "")
        lastQuantifierStart = start
        lastAssertionStart = nil
    }

    /// `{n}`, `{n,}` or `{n,m}` at `index`, consumed; nil (nothing consumed) when the brace is a literal.
    private mutating func countedRepetition() -> (text: String, minimum: Int, maximum: Int?)? {
        var cursor = index + 1
        func number() -> Int? {
            let start = cursor
            while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) { cursor += 1 }
            let digits = cursor - start
            guard digits > 0, !(digits >= 2 && scalars[start] == "0") else { return nil }
            // Go reads counts past 1e8 as invalid, which then fails the 1000 limit.
            return digits > 8 ? Int.max : Int(text(start..<cursor))
        }
        guard let minimum = number() else { return nil }
        var maximum: Int? = minimum
        if cursor < scalars.count, scalars[cursor] == "," {
            cursor += 1
            if cursor < scalars.count, scalars[cursor] == "}" {
                maximum = nil
            } else {
                guard let upper = number() else { return nil }
                maximum = upper
            }
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        cursor += 1
        let repetition = text(index..<cursor)
        index = cursor
        return (repetition, minimum, maximum)
    }

    // MARK: Groups and flags

    private mutating func openGroup() throws(GoRegexError) {
        guard peek(1) == "?" else {
            groups.append(flags)
            out += "("
            index += 1
            hasOperand = false
            lastQuantifierStart = nil
            return
        }
        if peek(2) == "P" && peek(3) == "<" {
            try namedGroup(nameStart: index + 4)
            return
        }
        if peek(2) == "<" {
            try namedGroup(nameStart: index + 3)
            return
        }
        let start = index
        var cursor = index + 2
        var updated = flags
        var negated = false
        var sawFlag = false
        while cursor < scalars.count {
            let scalar = scalars[cursor]
            cursor += 1
            switch scalar {
            case "i": updated.caseInsensitive = !negated; sawFlag = true
            case "m": updated.multiLine = !negated; sawFlag = true
            case "s": updated.dotAll = !negated; sawFlag = true
            case "U": updated.ungreedy = !negated; sawFlag = true
            case "-":
                guard !negated else { break }
                negated = true
                sawFlag = false
                continue
            case ":", ")":
                if negated && !sawFlag { break }
                index = cursor
                let changes = Self.flagChanges(from: flags, to: updated)
                if scalar == ":" {
                    groups.append(flags)
                    out += "(?" + changes + ":"
                    hasOperand = false
                    lastQuantifierStart = nil
                } else if !changes.isEmpty {
                    out += "(?" + changes + ")"
                }
                flags = updated
                return
            default: break
            }
            if scalar != "i", scalar != "m", scalar != "s", scalar != "U" {
                throw GoRegexError(code: "invalid or unsupported Perl syntax", expression: text(start..<cursor))
            }
        }
        throw GoRegexError(code: "missing closing )", expression: pattern)
    }

    /// The engines' `i` and `s` flags follow Go's, scoped by the same groups; `m` and `U` are
    /// spelled out where they apply (at `^`, `$` and each quantifier) instead.
    private static func flagChanges(from old: Flags, to new: Flags) -> String {
        var on = "", off = ""
        if old.caseInsensitive != new.caseInsensitive {
            if new.caseInsensitive { on += "i" } else { off += "i" }
        }
        if old.dotAll != new.dotAll {
            if new.dotAll { on += "s" } else { off += "s" }
        }
        return off.isEmpty ? on : on + "-" + off
    }

    private mutating func namedGroup(nameStart: Int) throws(GoRegexError) {
        var cursor = nameStart
        while cursor < scalars.count, scalars[cursor] != ">" { cursor += 1 }
        guard cursor < scalars.count else {
            throw GoRegexError(code: "invalid named capture", expression: text(index..<scalars.count))
        }
        let name = scalars[nameStart..<cursor]
        let isWord = { (scalar: Unicode.Scalar) in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
        }
        // Go allows a leading digit; the engines need a name that starts like an identifier.
        guard !name.isEmpty, name.allSatisfy(isWord), !("0"..."9").contains(name.first!) else {
            throw GoRegexError(code: "invalid named capture", expression: text(index..<(cursor + 1)))
        }
        groups.append(flags)
        out += "(?<" + text(nameStart..<cursor) + ">"
        index = cursor + 1
        hasOperand = false
        lastQuantifierStart = nil
    }

    // MARK: Escapes

    private mutating func escape() throws(GoRegexError) {
        guard let next = peek(1) else {
            throw GoRegexError(code: "trailing backslash at end of expression", expression: "")
        }
        switch next {
        case "A", "z", "b", "B":
            assertion("\\" + String(next))
            index += 2
        case "C": throw GoRegexError(code: "invalid escape sequence", expression: #"\C"#)
        case "Q":
            index += 2
            while index < scalars.count {
                if scalars[index] == "\\", peek(1) == "E" {
                    index += 2
                    return
                }
                literal(scalars[index])
                index += 1
            }
        case "p", "P":
            out += try unicodeClass()
            operand()
        case "d", "D", "s", "S", "w", "W":
            out += Self.perlClass(next, inClass: false)
            index += 2
            operand()
        default:
            literal(try escapedScalar())
        }
    }

    /// The character a `\` escape stands for (octal, hex, control letters, punctuation), consumed.
    private mutating func escapedScalar() throws(GoRegexError) -> Unicode.Scalar {
        let start = index
        index += 1
        guard let first = peek() else {
            throw GoRegexError(code: "trailing backslash at end of expression", expression: "")
        }
        index += 1
        func invalid() -> GoRegexError { GoRegexError(code: "invalid escape sequence", expression: text(start..<index)) }
        func octalDigit(_ scalar: Unicode.Scalar?) -> UInt32? {
            guard let scalar, ("0"..."7").contains(scalar) else { return nil }
            return scalar.value - 48
        }
        switch first {
        case "1"..."7", "0":
            // A lone \1 to \7 would be a back-reference, which Go does not support.
            if first != "0", octalDigit(peek()) == nil { throw invalid() }
            var value = first.value - 48
            for _ in 0..<2 {
                guard let digit = octalDigit(peek()) else { break }
                value = value * 8 + digit
                index += 1
            }
            return Unicode.Scalar(value)!
        case "x":
            guard let next = peek() else { throw invalid() }
            index += 1
            if next == "{" {
                var value: UInt32 = 0
                var digits = 0
                while let scalar = peek(), scalar != "}" {
                    index += 1
                    guard let digit = Self.hexDigit(scalar) ?? Self.hexLetter(scalar) else { throw invalid() }
                    value = value * 16 + digit
                    digits += 1
                    guard value <= 0x10FFFF else { throw invalid() }
                }
                guard peek() == "}", digits > 0, let scalar = Unicode.Scalar(value) else { throw invalid() }
                index += 1
                return scalar
            }
            guard let high = Self.hexDigit(next) ?? Self.hexLetter(next), let lowScalar = peek() else { throw invalid() }
            index += 1
            guard let low = Self.hexDigit(lowScalar) ?? Self.hexLetter(lowScalar) else { throw invalid() }
            return Unicode.Scalar(high * 16 + low)!
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        default:
            if first.isASCII, !first.properties.isAlphabetic, !("0"..."9").contains(first) { return first }
            throw invalid()
        }
    }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
        ("0"..."9").contains(scalar) ? scalar.value - 48 : nil
    }

    private static func hexLetter(_ scalar: Unicode.Scalar) -> UInt32? {
        if ("a"..."f").contains(scalar) { return scalar.value - 87 }
        if ("A"..."F").contains(scalar) { return scalar.value - 55 }
        return nil
    }

    /// `\pL`, `\p{Greek}`, `\P{^Lu}` at `index`, consumed, as `\p{…}` or `\P{…}`.
    private mutating func unicodeClass() throws(GoRegexError) -> String {
        let start = index
        var negated = scalars[index + 1] == "P"
        index += 2
        var name: String
        guard let first = peek() else {
            throw GoRegexError(code: "invalid character class range", expression: text(start..<index))
        }
        if first == "{" {
            var cursor = index + 1
            while cursor < scalars.count, scalars[cursor] != "}" { cursor += 1 }
            guard cursor < scalars.count else {
                throw GoRegexError(code: "invalid character class range", expression: text(start..<scalars.count))
            }
            name = text((index + 1)..<cursor)
            index = cursor + 1
        } else {
            name = String(first)
            index += 1
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        let invalid = GoRegexError(code: "invalid character class range", expression: text(start..<index))
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0 == "_") }) else {
            throw invalid
        }
        if name == "Any" { return negated ? #"[^\x{0}-\x{10FFFF}]"# : #"[\x{0}-\x{10FFFF}]"# }
        let translated = (negated ? #"\P{"# : #"\p{"#) + name + "}"
        // The engines know the same categories and scripts as Go, and a few more names besides.
        guard (try? Regex(translated)) != nil else { throw invalid }
        return translated
    }

    /// Go's ASCII-only Perl classes, as a class (or, inside a class, as its members).
    private static func perlClass(_ letter: Unicode.Scalar, inClass: Bool) -> String {
        let members: String
        switch letter {
        case "d", "D": members = "0-9"
        case "s", "S": members = #"\x{9}\x{A}\x{C}\x{D}\x{20}"#
        default: members = "0-9A-Za-z_"
        }
        let negated = letter.properties.isUppercase
        if inClass && !negated { return members }
        return (negated ? "[^" : "[") + members + "]"
    }

    private static let posixClasses: [String: String] = [
        "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": #"\x{0}-\x{7F}"#, "blank": #"\x{9}\x{20}"#,
        "cntrl": #"\x{0}-\x{1F}\x{7F}"#, "digit": "0-9", "graph": #"\x{21}-\x{7E}"#, "lower": "a-z",
        "print": #"\x{20}-\x{7E}"#, "punct": #"\x{21}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{7E}"#,
        "space": #"\x{9}-\x{D}\x{20}"#, "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
    ]

    // MARK: Character classes

    private mutating func characterClass() throws(GoRegexError) {
        let start = index
        index += 1
        var translated = "["
        if peek() == "^" {
            translated += "^"
            index += 1
        }
        var first = true
        while first || peek() != "]" {
            guard let scalar = peek() else {
                throw GoRegexError(code: "missing closing ]", expression: text(start..<scalars.count))
            }
            first = false
            if scalar == "[", peek(1) == ":", let posix = try posixClass() {
                translated += posix
                continue
            }
            if scalar == "\\", let next = peek(1) {
                if next == "p" || next == "P" {
                    translated += try unicodeClass()
                    continue
                }
                if "dDsSwW".unicodeScalars.contains(next) {
                    translated += Self.perlClass(next, inClass: true)
                    index += 2
                    continue
                }
            }
            let rangeStart = index
            let low = try classCharacter()
            if peek() == "-", let after = peek(1), after != "]" {
                index += 1
                let high = try classCharacter()
                guard high.value >= low.value else {
                    throw GoRegexError(code: "invalid character class range", expression: text(rangeStart..<index))
                }
                translated += Self.encoded(low) + "-" + Self.encoded(high)
            } else {
                translated += Self.encoded(low)
            }
        }
        index += 1
        out += translated + "]"
    }

    private mutating func classCharacter() throws(GoRegexError) -> Unicode.Scalar {
        guard let scalar = peek() else { throw GoRegexError(code: "missing closing ]", expression: pattern) }
        if scalar == "\\" { return try escapedScalar() }
        index += 1
        return scalar
    }

    /// `[:alpha:]` or `[:^alpha:]` at `index`, consumed; nil when the `[` is a plain member.
    private mutating func posixClass() throws(GoRegexError) -> String? {
        var cursor = index + 2
        while cursor + 1 < scalars.count, !(scalars[cursor] == ":" && scalars[cursor + 1] == "]") { cursor += 1 }
        guard cursor + 1 < scalars.count else { return nil }
        var name = text((index + 2)..<cursor)
        let whole = text(index..<(cursor + 2))
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let members = Self.posixClasses[name] else {
            throw GoRegexError(code: "invalid character class range", expression: whole)
        }
        index = cursor + 2
        return negated ? "[^" + members + "]" : members
    }
}
