/// A lexical token of PromQL with its byte range in the query.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier, metricIdentifier, number, duration, string
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case comma, colon, at, assign
        case add, sub, mul, div, mod, pow, atan2
        case eql, neq, lss, lte, gtr, gte, regexMatch, regexNoMatch
        case land, lor, lunless
        case keyword  // by, without, on, ignoring, group_left, group_right, bool, offset, start, end
        case eof
    }

    var kind: Kind
    var text: String
    var start: Int
    var end: Int
}
