/// A syntax or type error in a query, reported as Prometheus does: `1:5: parse error: ...`.
public struct ParseError: Error, Sendable, CustomStringConvertible, Equatable {
    public let position: PositionRange
    public let message: String
    /// The query text, to turn the byte offset into line and column.
    let query: String

    public var line: Int { lineAndColumn.line }
    public var column: Int { lineAndColumn.column }

    private var lineAndColumn: (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for (offset, byte) in query.utf8.enumerated() where offset < position.start && byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = offset + 1
        }
        return (line, position.start - lineStart + 1)
    }

    public var description: String { "\(line):\(column): parse error: \(message)" }
}
