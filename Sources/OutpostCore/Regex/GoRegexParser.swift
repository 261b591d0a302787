/// Reads a pattern as Go's regexp/syntax does (Perl flags, as `regexp.Compile`) into nodes,
/// refusing what Go refuses with Go's wording.
struct GoRegexParser {
    private struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotAll = false
        var ungreedy = false
    }

    /// An open group: its spelled opening, the flags to restore at its `)`, the alternatives
    /// finished so far and the items of the one being read.
    private struct Frame {
        var opening: String
        var restore: Flags
        var alternatives: [GoRegexNode] = []
        var items: [GoRegexNode] = []

        var current: GoRegexNode { items.count == 1 ? items[0] : .sequence(items) }

        var body: GoRegexNode { alternatives.isEmpty ? current : .alternation(alternatives + [current]) }
    }

    private let scalars: [Unicode.Scalar]
    private let pattern: String
    private var index = 0
    private var flags = Flags()
    private var frames: [Frame]
    /// Where the last quantifier began when it was the last thing read (Go refuses `a**`, `a*+`).
    private var lastQuantifierStart: Int?

    init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
        frames = [Frame(opening: "", restore: Flags())]
    }

    mutating func parse() throws(GoRegexError) -> GoRegexNode {
        while index < scalars.count {
            let scalar = scalars[index]
            let quantifierStart = index
            switch scalar {
            case "(": try openGroup()
            case ")":
                guard frames.count > 1 else { throw GoRegexError(code: "unexpected )", expression: pattern) }
                let frame = frames.removeLast()
                flags = frame.restore
                index += 1
                append(.group(opening: frame.opening, frame.body))
            case "|":
                frames[frames.count - 1].alternatives.append(frames[frames.count - 1].current)
                frames[frames.count - 1].items = []
                index += 1
                lastQuantifierStart = nil
            case "*", "+", "?":
                index += 1
                let (minimum, maximum): (Int, Int?) = scalar == "*" ? (0, nil) : scalar == "+" ? (1, nil) : (0, 1)
                try quantifier(String(scalar), minimum: minimum, maximum: maximum, from: quantifierStart)
            case "{":
                if let (text, minimum, maximum) = countedRepetition() {
                    guard minimum <= 1000, maximum.map({ $0 <= 1000 && $0 >= minimum }) ?? true else {
                        throw GoRegexError(code: "invalid repeat count", expression: text)
                    }
                    try quantifier(text, minimum: minimum, maximum: maximum, from: quantifierStart)
                } else {
                    literal(scalar)
                    index += 1
                }
            case "[": try characterClass()
            case ".":
                // With `s` the engines' own `.` (their `s` flag follows Go's, see `flagChanges`);
                // without it theirs also stops at `\r` and other line ends, Go's only at `\n`.
                if flags.dotAll {
                    append(.scalar(GoScalarSet(ranges: [0...0x10FFFF]), spelled: "."))
                } else {
                    append(.scalar(GoScalarSet(ranges: [10...10], negated: true), spelled: #"[^\x{A}]"#))
                }
                index += 1
            case "^":
                append(flags.multiLine ? .assertion(.beginLine, spelled: "(?m:^)") : .assertion(.beginText, spelled: #"\A"#))
                index += 1
            case "$":
                append(flags.multiLine ? .assertion(.endLine, spelled: "(?m:$)") : .assertion(.endText, spelled: #"\z"#))
                index += 1
            case "\\": try escape()
            default:
                literal(scalar)
                index += 1
            }
        }
        guard frames.count == 1 else { throw GoRegexError(code: "missing closing )", expression: pattern) }
        return frames[0].body
    }

    private mutating func append(_ node: GoRegexNode) {
        frames[frames.count - 1].items.append(node)
        lastQuantifierStart = nil
    }

    private mutating func literal(_ scalar: Unicode.Scalar) {
        append(.scalar(.single(scalar, caseInsensitive: flags.caseInsensitive), spelled: Self.encoded(scalar)))
    }

    /// ASCII letters and digits as they are, everything else as `\x{…}`, which neither engine
    /// can read as an operator (`&&`, `--`, `~~` and `[` mean set operations to them in a class)
    /// nor join to what precedes it (a combining mark after `)` would be one character to them).
    private static func encoded(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCIIAlphanumeric { return String(scalar) }
        return #"\x{"# + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// Plain ranges as class members, `0-9\x{5F}`.
    private static func members(_ ranges: [ClosedRange<UInt32>]) -> String {
        ranges.map { range in
            let low = encoded(Unicode.Scalar(range.lowerBound)!)
            return range.lowerBound == range.upperBound ? low : low + "-" + encoded(Unicode.Scalar(range.upperBound)!)
        }.joined()
    }

    /// A set of plain ranges as a class of its own, `[0-9]` or `[^0-9]`.
    private static func bracketed(_ set: GoScalarSet) -> String {
        (set.negated ? "[^" : "[") + members(set.ranges) + "]"
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

    private mutating func quantifier(_ text: String, minimum: Int, maximum: Int?, from start: Int) throws(GoRegexError) {
        var lazy = false
        if peek() == "?" {
            lazy = true
            index += 1
        }
        if let previous = lastQuantifierStart {
            throw GoRegexError(code: "invalid nested repetition operator", expression: self.text(previous..<index))
        }
        guard let operand = frames[frames.count - 1].items.last, !operand.isFlags else {
            throw GoRegexError(code: "missing argument to repetition operator", expression: self.text(start..<index))
        }
        frames[frames.count - 1].items.removeLast()
        // `(?U)` swaps greediness; the engines' own U flag is not read by ICU.
        append(.repetition(operand, minimum: minimum, maximum: maximum, spelledOperator: text + (lazy != flags.ungreedy ? "?" : "")))
        lastQuantifierStart = start
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

    /// Go's limit; it also bounds the recursion of everything that walks the nodes.
    private static let maximumDepth = 1000

    private mutating func open(_ opening: String) throws(GoRegexError) {
        guard frames.count <= Self.maximumDepth else {
            throw GoRegexError(code: "expression nests too deeply", expression: pattern)
        }
        frames.append(Frame(opening: opening, restore: flags))
        lastQuantifierStart = nil
    }

    private mutating func openGroup() throws(GoRegexError) {
        guard peek(1) == "?" else {
            try open("(")
            index += 1
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
        func unsupported(through end: Int) -> GoRegexError {
            GoRegexError(code: "invalid or unsupported Perl syntax", expression: text(start..<end))
        }
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
            case "-" where !negated:
                negated = true
                sawFlag = false
            case ":", ")":
                // A `-` needs a flag after it: Go refuses `(?-)` and `(?i-:`.
                guard !negated || sawFlag else { throw unsupported(through: cursor) }
                index = cursor
                let changes = Self.flagChanges(from: flags, to: updated)
                if scalar == ":" {
                    try open("(?" + changes + ":")
                } else if !changes.isEmpty {
                    append(.flags(spelled: "(?" + changes + ")"))
                }
                flags = updated
                return
            default: throw unsupported(through: cursor)
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
        // Go allows a leading digit; the engines need a name that starts like an identifier.
        guard !name.isEmpty, name.allSatisfy(\.isGoWordCharacter), !("0"..."9").contains(name.first!) else {
            throw GoRegexError(code: "invalid named capture", expression: text(index..<(cursor + 1)))
        }
        try open("(?<" + text(nameStart..<cursor) + ">")
        index = cursor + 1
    }

    // MARK: Escapes

    private mutating func escape() throws(GoRegexError) {
        guard let next = peek(1) else {
            throw GoRegexError(code: "trailing backslash at end of expression", expression: "")
        }
        switch next {
        case "A": append(.assertion(.beginText, spelled: #"\A"#))
        case "z": append(.assertion(.endText, spelled: #"\z"#))
        case "b": append(.assertion(.wordBoundary, spelled: #"\b"#))
        case "B": append(.assertion(.notWordBoundary, spelled: #"\B"#))
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
            return
        case "p", "P":
            // Go folds case into a Unicode class under `i` (`(?i)\p{Lu}` matches `a`), as ICU does.
            var (set, spelled) = try unicodeClass()
            set.caseInsensitive = flags.caseInsensitive
            append(.scalar(set, spelled: spelled))
            return
        case "d", "D", "s", "S", "w", "W":
            let set = Self.perlClass(next)
            append(.scalar(set, spelled: Self.bracketed(set)))
        default:
            literal(try escapedScalar())
            return
        }
        index += 2
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
                    guard let digit = Self.hexValue(scalar) else { throw invalid() }
                    value = value * 16 + digit
                    digits += 1
                    guard value <= 0x10FFFF else { throw invalid() }
                }
                guard peek() == "}", digits > 0, let scalar = Unicode.Scalar(value) else { throw invalid() }
                index += 1
                return scalar
            }
            guard let high = Self.hexValue(next), let lowScalar = peek() else { throw invalid() }
            index += 1
            guard let low = Self.hexValue(lowScalar) else { throw invalid() }
            return Unicode.Scalar(high * 16 + low)!
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        default:
            if first.isASCII, !first.isASCIIAlphanumeric { return first }
            throw invalid()
        }
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        if ("0"..."9").contains(scalar) { return scalar.value - 48 }
        if ("a"..."f").contains(scalar) { return scalar.value - 87 }
        if ("A"..."F").contains(scalar) { return scalar.value - 55 }
        return nil
    }

    private static let generalCategories: [String: Set<Unicode.GeneralCategory>] = {
        let letters: Set<Unicode.GeneralCategory> = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
        let marks: Set<Unicode.GeneralCategory> = [.nonspacingMark, .spacingMark, .enclosingMark]
        let numbers: Set<Unicode.GeneralCategory> = [.decimalNumber, .letterNumber, .otherNumber]
        let punctuation: Set<Unicode.GeneralCategory> = [.connectorPunctuation, .dashPunctuation, .openPunctuation,
                                                         .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation]
        let symbols: Set<Unicode.GeneralCategory> = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        let separators: Set<Unicode.GeneralCategory> = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        let others: Set<Unicode.GeneralCategory> = [.control, .format, .surrogate, .privateUse]
        return [
            "L": letters, "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter],
            "Lm": [.modifierLetter], "Lo": [.otherLetter],
            "M": marks, "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
            "N": numbers, "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber],
            "P": punctuation, "Pc": [.connectorPunctuation], "Pd": [.dashPunctuation], "Ps": [.openPunctuation],
            "Pe": [.closePunctuation], "Pi": [.initialPunctuation], "Pf": [.finalPunctuation], "Po": [.otherPunctuation],
            "S": symbols, "Sm": [.mathSymbol], "Sc": [.currencySymbol], "Sk": [.modifierSymbol], "So": [.otherSymbol],
            "Z": separators, "Zs": [.spaceSeparator], "Zl": [.lineSeparator], "Zp": [.paragraphSeparator],
            "C": others, "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse],
        ]
    }()

    /// `\pL`, `\p{Greek}`, `\P{^Lu}` at `index`, consumed: its set and its spelling `\p{…}` or `\P{…}`.
    private mutating func unicodeClass() throws(GoRegexError) -> (GoScalarSet, String) {
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
        if name == "Any" {
            let any = GoScalarSet(ranges: [0...0x10FFFF], negated: negated)
            return (any, Self.bracketed(any))
        }
        let spelled = (negated ? #"\P{"# : #"\p{"#) + name + "}"
        if let categories = Self.generalCategories[name] {
            return (GoScalarSet(categories: categories, negated: negated), spelled)
        }
        // The engines know the same scripts as Go, and a few more names besides.
        guard let script = try? Regex(#"\p{"# + name + "}").matchingSemantics(.unicodeScalar) else { throw invalid }
        return (GoScalarSet(scripts: [GoScriptTest(regex: script)], negated: negated), spelled)
    }

    /// Go's ASCII-only Perl classes: `\d` and `\w` as `[[:digit:]]` and `[[:word:]]`, and `\s`
    /// without the vertical tab that `[[:space:]]` has.
    private static func perlClass(_ letter: Unicode.Scalar) -> GoScalarSet {
        let ranges: [ClosedRange<UInt32>]
        switch letter {
        case "d", "D": ranges = posixClasses["digit"]!
        case "s", "S": ranges = [9...10, 12...13, 32...32]
        default: ranges = posixClasses["word"]!
        }
        return GoScalarSet(ranges: ranges, negated: letter.properties.isUppercase)
    }

    private static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [48...57, 65...90, 97...122], "alpha": [65...90, 97...122], "ascii": [0...0x7F], "blank": [9...9, 32...32],
        "cntrl": [0...0x1F, 0x7F...0x7F], "digit": [48...57], "graph": [0x21...0x7E], "lower": [97...122],
        "print": [0x20...0x7E], "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "space": [9...13, 32...32],
        "upper": [65...90], "word": [48...57, 65...90, 95...95, 97...122], "xdigit": [48...57, 65...70, 97...102],
    ]

    // MARK: Character classes

    private mutating func characterClass() throws(GoRegexError) {
        let start = index
        index += 1
        var set = GoScalarSet(caseInsensitive: flags.caseInsensitive)
        var spelled = "["
        if peek() == "^" {
            set.negated = true
            spelled += "^"
            index += 1
        }
        /// A negated member set (`\D`, `\P{L}`, `[:^alpha:]`) joins as a nested class; a plain
        /// one lends its members. `unicodeSpelling` is how a Unicode class is written.
        func add(_ member: GoScalarSet, unicodeSpelling: String? = nil) {
            if member.negated {
                set.members.append(member)
                spelled += unicodeSpelling ?? Self.bracketed(member)
            } else {
                set.ranges += member.ranges
                set.categories.formUnion(member.categories)
                set.scripts += member.scripts
                spelled += unicodeSpelling ?? Self.members(member.ranges)
            }
        }
        var first = true
        while first || peek() != "]" {
            guard let scalar = peek() else {
                throw GoRegexError(code: "missing closing ]", expression: text(start..<scalars.count))
            }
            first = false
            if scalar == "[", peek(1) == ":", let posix = try posixClass() {
                add(posix)
                continue
            }
            if scalar == "\\", let next = peek(1) {
                if next == "p" || next == "P" {
                    let (unicode, unicodeSpelling) = try unicodeClass()
                    add(unicode, unicodeSpelling: unicode.isPlainRanges ? nil : unicodeSpelling)
                    continue
                }
                if "dDsSwW".unicodeScalars.contains(next) {
                    add(Self.perlClass(next))
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
                set.ranges.append(low.value...high.value)
                spelled += Self.members([low.value...high.value])
            } else {
                set.ranges.append(low.value...low.value)
                spelled += Self.members([low.value...low.value])
            }
        }
        index += 1
        append(.scalar(set, spelled: spelled + "]"))
    }

    private mutating func classCharacter() throws(GoRegexError) -> Unicode.Scalar {
        guard let scalar = peek() else { throw GoRegexError(code: "missing closing ]", expression: pattern) }
        if scalar == "\\" { return try escapedScalar() }
        index += 1
        return scalar
    }

    /// `[:alpha:]` or `[:^alpha:]` at `index`, consumed; nil when the `[` is a plain member.
    private mutating func posixClass() throws(GoRegexError) -> GoScalarSet? {
        var cursor = index + 2
        while cursor + 1 < scalars.count, !(scalars[cursor] == ":" && scalars[cursor + 1] == "]") { cursor += 1 }
        guard cursor + 1 < scalars.count else { return nil }
        var name = text((index + 2)..<cursor)
        let whole = text(index..<(cursor + 2))
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = Self.posixClasses[name] else {
            throw GoRegexError(code: "invalid character class range", expression: whole)
        }
        index = cursor + 2
        return GoScalarSet(ranges: ranges, negated: negated)
    }
}

extension GoRegexNode {
    var isFlags: Bool {
        if case .flags = self { true } else { false }
    }
}
