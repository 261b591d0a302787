/// One lexical item of a template, positioned by UTF-8 byte offset and line as Go reports them.
struct TemplateToken {
    enum Kind: Equatable {
        case text, leftDelim, rightDelim, space, pipe, leftParen, rightParen, declare, assign, char
        case string, rawString, charConstant, number, bool, `nil`, dot, field, variable, identifier
        case keyword(Keyword), eof, error
    }

    enum Keyword: String {
        case block, `break`, `continue`, define, `else`, end, `if`, range, template, with
    }

    var kind: Kind
    var text: String
    var position: Int
    var line: Int

    /// Go's rendering of an item in "unexpected X in Y" messages.
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return text
        case .keyword: return "<\(text)>"
        default:
            if text.unicodeScalars.count > 10 {
                return GoQuote.quote(String(String.UnicodeScalarView(text.unicodeScalars.prefix(10)))) + "..."
            }
            return GoQuote.quote(text)
        }
    }
}
