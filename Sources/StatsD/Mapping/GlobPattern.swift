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

    /// Matches `segment` against `pattern` (the text split at each `*`: ["a", "b"] for "a*b"),
    /// appending one capture per `*`. Compares UTF-8 bytes; names are plain ASCII as a rule.
    static func match(_ pattern: [Substring], _ segment: Substring, captures: inout [Substring]) -> Bool {
        guard let first = pattern.first, segment.utf8.starts(with: first.utf8) else { return false }
        var rest = segment.utf8.dropFirst(first.utf8.count)
        let mark = captures.count
        for (position, piece) in pattern.enumerated().dropFirst() {
            let bytes = piece.utf8
            if position == pattern.count - 1 {
                guard rest.count >= bytes.count, rest.reversed().starts(with: bytes.reversed()) else {
                    captures.removeSubrange(mark...)
                    return false
                }
                captures.append(Substring(rest.dropLast(bytes.count)))
                return true
            }
            // Leftmost occurrence keeps earlier stars short, as a lazy match would.
            guard let start = firstOccurrence(of: bytes, in: rest) else {
                captures.removeSubrange(mark...)
                return false
            }
            captures.append(Substring(rest[..<start]))
            rest = rest[rest.index(start, offsetBy: bytes.count)...]
        }
        return rest.isEmpty
    }

    private static func firstOccurrence(of needle: Substring.UTF8View, in haystack: Substring.UTF8View) -> Substring.UTF8View.Index? {
        if needle.isEmpty { return haystack.startIndex }
        var start = haystack.startIndex
        while haystack.distance(from: start, to: haystack.endIndex) >= needle.count {
            if haystack[start...].starts(with: needle) { return start }
            start = haystack.index(after: start)
        }
        return nil
    }
}
