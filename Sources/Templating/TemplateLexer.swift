/// Splits template text into tokens following Go's text/template lexer: `{{ }}` actions with
/// `{{- ` / ` -}}` trim markers, comments, and the items allowed inside actions. A lexing error
/// becomes an `.error` token, after which the stream ends.
struct TemplateLexer {
    private let input: [UInt8]
    private var position = 0
    private var start = 0
    private var line = 1
    private var startLine = 1
    private var parenDepth = 0
    private(set) var tokens: [TemplateToken] = []

    static func tokenize(_ text: String) -> [TemplateToken] {
        var lexer = TemplateLexer(input: Array(text.utf8))
        lexer.run()
        return lexer.tokens
    }

    private init(input: [UInt8]) {
        self.input = input
    }

    private static let left: [UInt8] = Array("{{".utf8)
    private static let right: [UInt8] = Array("}}".utf8)
    private static let commentOpen: [UInt8] = Array("/*".utf8)
    private static let commentClose: [UInt8] = Array("*/".utf8)

    private mutating func run() {
        var insideAction = false
        while true {
            let proceed = insideAction ? lexInsideAction() : lexText()
            guard let next = proceed else { return }
            insideAction = next
        }
    }

    // MARK: helpers

    private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= input.count else { return false }
        for offset in 0..<prefix.count where input[index + offset] != prefix[offset] { return false }
        return true
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 || byte == 10 }

    private func byte(at index: Int) -> UInt8? { index < input.count ? input[index] : nil }

    private func hasLeftTrimMarker(at index: Int) -> Bool {
        guard let marker = byte(at: index), let after = byte(at: index + 1) else { return false }
        return marker == UInt8(ascii: "-") && Self.isSpace(after)
    }

    private func hasRightTrimMarker(at index: Int) -> Bool {
        guard let space = byte(at: index), let marker = byte(at: index + 1) else { return false }
        return Self.isSpace(space) && marker == UInt8(ascii: "-")
    }

    private func text(_ from: Int, _ to: Int) -> String {
        String(decoding: input[from..<to], as: UTF8.self)
    }

    private mutating func emit(_ kind: TemplateToken.Kind) {
        tokens.append(TemplateToken(kind: kind, text: text(start, position), position: start, line: startLine))
        start = position
        startLine = line
    }

    private mutating func emit(_ kind: TemplateToken.Kind, text: String) {
        tokens.append(TemplateToken(kind: kind, text: text, position: start, line: startLine))
        start = position
        startLine = line
    }

    private mutating func advance(_ count: Int) {
        for index in position..<min(position + count, input.count) where input[index] == 10 { line += 1 }
        position = min(position + count, input.count)
    }

    private mutating func ignore() {
        start = position
        startLine = line
    }

    /// Ends the stream with an error item; returns nil so `run` stops.
    private mutating func fail(_ message: String) -> Bool? {
        tokens.append(TemplateToken(kind: .error, text: message, position: start, line: startLine))
        return nil
    }

    // MARK: states

    /// Text up to the next action; returns true when an action follows, nil at the end.
    private mutating func lexText() -> Bool? {
        var index = position
        while index < input.count, !hasPrefix(Self.left, at: index) { index += 1 }
        guard index < input.count else {
            advance(input.count - position)
            if position > start { emit(.text) }
            emit(.eof)
            return nil
        }
        let trim = hasLeftTrimMarker(at: index + 2)
        var textEnd = index
        if trim {
            while textEnd > start, Self.isSpace(input[textEnd - 1]) { textEnd -= 1 }
        }
        advance(textEnd - position)
        if textEnd > start { emit(.text) }
        advance(index - position)
        ignore()
        return lexLeftDelim(trim: trim)
    }

    private mutating func lexLeftDelim(trim: Bool) -> Bool? {
        advance(2)
        let afterMarker = trim ? 2 : 0
        if hasPrefix(Self.commentOpen, at: position + afterMarker) {
            advance(afterMarker)
            ignore()
            return lexComment()
        }
        emit(.leftDelim)
        advance(afterMarker)
        ignore()
        parenDepth = 0
        return true
    }

    private mutating func lexComment() -> Bool? {
        advance(2)
        var index = position
        while index < input.count, !hasPrefix(Self.commentClose, at: index) { index += 1 }
        guard index < input.count else { return fail("unclosed comment") }
        advance(index + 2 - position)
        let (atDelim, trim) = atRightDelim()
        guard atDelim else { return fail("comment ends before closing delimiter") }
        advance(trim ? 4 : 2)
        if trim { skipSpaces() }
        ignore()
        return false
    }

    private func atRightDelim() -> (Bool, trim: Bool) {
        if hasRightTrimMarker(at: position), hasPrefix(Self.right, at: position + 2) { return (true, true) }
        if hasPrefix(Self.right, at: position) { return (true, false) }
        return (false, false)
    }

    private mutating func skipSpaces() {
        var index = position
        while index < input.count, Self.isSpace(input[index]) { index += 1 }
        advance(index - position)
    }

    /// Items inside an action; returns false when the action closes.
    private mutating func lexInsideAction() -> Bool? {
        let (atDelim, trim) = atRightDelim()
        if atDelim {
            if parenDepth != 0 { return fail("unclosed left paren") }
            if trim {
                advance(2)
                ignore()
                advance(2)
                emit(.rightDelim)
                skipSpaces()
                ignore()
            } else {
                advance(2)
                emit(.rightDelim)
            }
            return false
        }
        guard let current = byte(at: position) else { return fail("unclosed action") }
        switch current {
        case 32, 9, 13, 10:
            var index = position
            while index < input.count, Self.isSpace(input[index]) {
                if hasRightTrimMarker(at: index), hasPrefix(Self.right, at: index + 2) { break }
                index += 1
            }
            advance(max(index - position, 1))
            emit(.space)
        case UInt8(ascii: "="):
            advance(1)
            emit(.assign)
        case UInt8(ascii: ":"):
            guard byte(at: position + 1) == UInt8(ascii: "=") else {
                advance(1)
                return fail("expected :=")
            }
            advance(2)
            emit(.declare)
        case UInt8(ascii: "|"):
            advance(1)
            emit(.pipe)
        case UInt8(ascii: "\""):
            return lexQuote()
        case UInt8(ascii: "`"):
            return lexRawQuote()
        case UInt8(ascii: "$"):
            advance(1)
            return lexIdentifierLike(kind: .variable)
        case UInt8(ascii: "'"):
            return lexChar()
        case UInt8(ascii: "."):
            if let next = byte(at: position + 1), next >= 48, next <= 57 { return lexNumber() }
            advance(1)
            return lexIdentifierLike(kind: .field)
        case UInt8(ascii: "+"), UInt8(ascii: "-"), 48...57:
            return lexNumber()
        case UInt8(ascii: "("):
            advance(1)
            emit(.leftParen)
            parenDepth += 1
        case UInt8(ascii: ")"):
            advance(1)
            emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return fail("unexpected right paren") }
        default:
            if Self.isAlphanumeric(current) || current >= 0x80 {
                let scalar = decodeScalar()
                if current < 0x80 || scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    return lexIdentifierLike(kind: .identifier)
                }
                advance(String(scalar).utf8.count)
                return fail("unrecognized character in action: " + GoQuote.unicodeDescription(scalar))
            }
            if current < 0x7f, current >= 0x20 {
                advance(1)
                emit(.char)
            } else {
                advance(1)
                return fail("unrecognized character in action: " + GoQuote.unicodeDescription(Unicode.Scalar(current)))
            }
        }
        return true
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    private func decodeScalar() -> Unicode.Scalar {
        var iterator = input[position...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
    }

    private func isWordScalar(at index: Int) -> (Bool, length: Int) {
        let byte = input[index]
        if byte < 0x80 { return (Self.isAlphanumeric(byte), 1) }
        return nonASCIIWordScalar(at: index)
    }

    private func nonASCIIWordScalar(at index: Int) -> (Bool, length: Int) {
        var iterator = input[index...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return (false, 1) }
        return (scalar.properties.isAlphabetic || scalar.properties.numericType != nil, String(scalar).utf8.count)
    }

    /// Identifiers, keywords, `$variables` and `.fields`; the item must end at a terminator.
    private mutating func lexIdentifierLike(kind: TemplateToken.Kind) -> Bool? {
        var index = position
        while index < input.count, input[index] < 0x80, Self.isAlphanumeric(input[index]) { index += 1 }
        while index < input.count {
            let (isWord, length) = isWordScalar(at: index)
            guard isWord else { break }
            index += length
        }
        advance(index - position)
        guard atTerminator() else {
            let scalar = position < input.count ? decodeScalar() : " "
            return fail("bad character " + GoQuote.unicodeDescription(scalar))
        }
        let word = text(start, position)
        switch kind {
        case .identifier:
            if let keyword = TemplateToken.Keyword(rawValue: word) {
                emit(.keyword(keyword))
            } else if word == "true" || word == "false" {
                emit(.bool)
            } else if word == "nil" {
                emit(.nil)
            } else {
                emit(.identifier)
            }
        case .field:
            emit(word == "." ? .dot : .field)
        default:
            emit(kind)
        }
        return true
    }

    private func atTerminator() -> Bool {
        guard let current = byte(at: position) else { return true }
        if Self.isSpace(current) { return true }
        switch current {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"),
            UInt8(ascii: "("):
            return true
        default:
            return hasPrefix(Self.right, at: position)
        }
    }

    private mutating func lexQuote() -> Bool? {
        var index = position + 1
        while true {
            guard index < input.count, input[index] != 10 else {
                advance(index - position)
                return fail("unterminated quoted string")
            }
            if input[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if input[index] == UInt8(ascii: "\"") { break }
            index += 1
        }
        advance(index + 1 - position)
        emit(.string)
        return true
    }

    private mutating func lexRawQuote() -> Bool? {
        var index = position + 1
        while index < input.count, input[index] != UInt8(ascii: "`") { index += 1 }
        guard index < input.count else {
            advance(index - position)
            return fail("unterminated raw quoted string")
        }
        advance(index + 1 - position)
        emit(.rawString)
        return true
    }

    private mutating func lexChar() -> Bool? {
        var index = position + 1
        while true {
            guard index < input.count, input[index] != 10 else {
                advance(index - position)
                return fail("unterminated character constant")
            }
            if input[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if input[index] == UInt8(ascii: "'") { break }
            index += 1
        }
        advance(index + 1 - position)
        emit(.charConstant)
        return true
    }

    /// Go number syntax: optional sign, 0x/0o/0b prefixes, underscores, fraction and exponent.
    private mutating func lexNumber() -> Bool? {
        var index = position
        if input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
        var base = 10
        if index + 1 < input.count, input[index] == UInt8(ascii: "0") {
            switch input[index + 1] | 0x20 {
            case UInt8(ascii: "x"): base = 16
            case UInt8(ascii: "o"): base = 8
            case UInt8(ascii: "b"): base = 2
            default: break
            }
            if base != 10 { index += 2 }
        }
        let exponent: [UInt8] = base == 10 ? [UInt8(ascii: "e"), UInt8(ascii: "E")] : base == 16 ? [UInt8(ascii: "p"), UInt8(ascii: "P")] : []
        func isDigit(_ byte: UInt8) -> Bool {
            if byte == UInt8(ascii: "_") { return true }
            switch base {
            case 16: return (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 102)
            case 8: return byte >= 48 && byte <= 55
            case 2: return byte == 48 || byte == 49
            default: return byte >= 48 && byte <= 57
            }
        }
        while index < input.count, isDigit(input[index]) { index += 1 }
        if index < input.count, input[index] == UInt8(ascii: ".") {
            index += 1
            while index < input.count, isDigit(input[index]) { index += 1 }
        }
        if index < input.count, exponent.contains(input[index]) {
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            while index < input.count, (input[index] >= 48 && input[index] <= 57) || input[index] == UInt8(ascii: "_") { index += 1 }
        }
        if index < input.count, input[index] == UInt8(ascii: "i") { index += 1 }
        if index < input.count, Self.isAlphanumeric(input[index]) {
            index += 1
            advance(index - position)
            return fail("bad number syntax: " + GoQuote.quote(text(start, position)))
        }
        advance(index - position)
        emit(.number)
        return true
    }
}
