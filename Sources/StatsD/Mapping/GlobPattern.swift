/// One dot-separated segment of a glob: literal text, or text with `*` wildcards, each
/// matching any run of characters other than a dot.
enum GlobPattern {
    /// Whether `glob` is dot-separated segments of letters, digits, `_`, `-`, `:` and `*`.
    static func isValid(_ glob: String) -> Bool {
        guard !glob.isEmpty else { return false }
        for segment in glob.split(separator: ".", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else { return false }
            for byte in segment.utf8 {
                let allowed = (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
                    || byte == 95 || byte == 45 || byte == 58 || byte == 42
                if !allowed { return false }
            }
        }
        return true
    }

    /// Matches `segment` against `pattern` (which contains `*`), appending one capture per `*`.
    static func match(_ pattern: [Substring], _ segment: Substring, captures: inout [Substring]) -> Bool {
        // pattern is the text split at each `*`: ["a", "b"] for "a*b".
        guard let first = pattern.first, segment.hasPrefix(first) else { return false }
        var rest = segment.dropFirst(first.count)
        let mark = captures.count
        for (position, piece) in pattern.enumerated().dropFirst() {
            let isLast = position == pattern.count - 1
            if isLast {
                guard rest.hasSuffix(piece), rest.count >= piece.count else {
                    captures.removeSubrange(mark...)
                    return false
                }
                captures.append(rest.dropLast(piece.count))
                return true
            }
            // Leftmost occurrence keeps earlier stars short, as a lazy match would.
            guard let range = piece.isEmpty ? rest.startIndex..<rest.startIndex : rest.firstRange(of: piece) else {
                captures.removeSubrange(mark...)
                return false
            }
            captures.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        return rest.isEmpty
    }
}
