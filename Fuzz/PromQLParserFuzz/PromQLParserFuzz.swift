import PromQL

/// libFuzzer entry for the PromQL parser: the input bytes, as UTF-8 (invalid bytes become
/// U+FFFD), are parsed, and the result must satisfy invariants a crash-free parser could still
/// break. Built and run by `scripts/fuzz-promql`, never by the package build.
@_cdecl("LLVMFuzzerTestOneInput")
public func promQLParserFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let query = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    ParserInvariants.check(query)
    return 0
}

/// What must hold for every input: positions inside the query and nested in their parent's, a
/// query that parses still parses in parentheses with the same type, errors point into the
/// query with a line and column.
enum ParserInvariants {
    static func check(_ query: String) {
        let length = query.utf8.count
        do {
            let expr = try Parser.parse(query)
            checkPositions(expr, within: PositionRange(start: 0, end: length), query: query)
            _ = expr.pinned(at: 0)
            // Short inputs only: a long one may sit at the nesting bound, which one more level exceeds.
            if length < 150 {
                // The newline ends a trailing comment before the closing parenthesis.
                let wrapped = try? Parser.parse("(" + query + "\n)")
                precondition(wrapped?.type == expr.type, "\(query.debugDescription) parses, but not in parentheses with the same type")
            }
        } catch {
            precondition(error.position.start >= 0 && error.position.start <= error.position.end && error.position.end <= length,
                         "error position \(error.position) outside \(query.debugDescription) (\(length) bytes)")
            precondition(error.line >= 1 && error.column >= 1, "error line/column below 1 for \(query.debugDescription)")
            precondition(!error.description.isEmpty)
        }
    }

    private static func checkPositions(_ expr: Expr, within parent: PositionRange, query: String) {
        let position = expr.position
        precondition(position.start <= position.end && position.start >= parent.start && position.end <= parent.end,
                     "node at \(position) outside its parent \(parent) in \(query.debugDescription)")
        _ = expr.type
        for child in expr.children { checkPositions(child, within: position, query: query) }
    }
}
