/// One parsed piece of a Go regular expression: how Swift's `Regex` and ICU spell it, and what
/// it matches for `GoRegexMatcher`.
indirect enum GoRegexNode: Sendable {
    /// One scalar out of `set`.
    case scalar(GoScalarSet, spelled: String)
    case assertion(GoRegexAssertion, spelled: String)
    /// A change of the engines' `i` or `s` flag; it matches nothing itself.
    case flags(spelled: String)
    /// `(`, `(?:`, `(?<name>` or `(?i:` and so on, then the child and `)`.
    case group(opening: String, GoRegexNode)
    case sequence([GoRegexNode])
    case alternation([GoRegexNode])
    case repetition(GoRegexNode, minimum: Int, maximum: Int?, spelledOperator: String)

    var spelled: String {
        switch self {
        case .scalar(_, let spelled), .assertion(_, let spelled), .flags(let spelled): spelled
        case .group(let opening, let child): opening + child.spelled + ")"
        case .sequence(let items): items.map(\.spelled).joined()
        case .alternation(let alternatives): alternatives.map(\.spelled).joined(separator: "|")
        case .repetition(let child, _, _, let spelledOperator):
            // Go lets a quantifier follow an assertion; the engines need it in a group.
            if case .assertion = child { "(?:" + child.spelled + ")" + spelledOperator } else { child.spelled + spelledOperator }
        }
    }
}

enum GoRegexAssertion: Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary

    /// Whether the assertion holds between `previous` and `next` (nil at the ends of the text).
    func holds(after previous: Unicode.Scalar?, before next: Unicode.Scalar?) -> Bool {
        switch self {
        case .beginText: previous == nil
        case .endText: next == nil
        case .beginLine: previous == nil || previous == "\n"
        case .endLine: next == nil || next == "\n"
        case .wordBoundary: Self.isWord(previous) != Self.isWord(next)
        case .notWordBoundary: Self.isWord(previous) == Self.isWord(next)
        }
    }

    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool { scalar?.isGoWordCharacter ?? false }
}

extension Unicode.Scalar {
    /// `[0-9A-Za-z]`: what Go never lets a `\` escape stand for itself.
    var isASCIIAlphanumeric: Bool { isASCII && (properties.isAlphabetic || ("0"..."9").contains(self)) }

    /// `[0-9A-Za-z_]`, Go's word characters (`\w`, `\b`, capture names).
    var isGoWordCharacter: Bool { isASCIIAlphanumeric || self == "_" }
}

/// The scalars a class, a literal or `.` stands for, with Go's simple case folding under `(?i)`.
struct GoScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var categories: Set<Unicode.GeneralCategory> = []
    /// Negated members such as `\D` or `\P{L}` inside a class.
    var members: [GoScalarSet] = []
    /// Scripts (`\p{Greek}`), which Swift exposes only through `Regex`.
    var scripts: [GoScriptTest] = []
    var negated = false
    var caseInsensitive = false

    /// Only ranges, without case folding: membership is the ranges alone (negated or not).
    var isPlainRanges: Bool { categories.isEmpty && members.isEmpty && scripts.isEmpty && !caseInsensitive }

    static func single(_ scalar: Unicode.Scalar, caseInsensitive: Bool) -> GoScalarSet {
        GoScalarSet(ranges: [scalar.value...scalar.value], caseInsensitive: caseInsensitive)
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var found = containsExactly(scalar)
        if !found, caseInsensitive {
            found = Self.caseVariants(of: scalar).contains { containsExactly($0) }
        }
        return found != negated
    }

    private func containsExactly(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        for range in ranges where range.contains(value) { return true }
        if !categories.isEmpty, categories.contains(scalar.properties.generalCategory) { return true }
        for member in members where member.contains(scalar) { return true }
        for script in scripts where script.contains(scalar) { return true }
        return false
    }

    private static func caseVariants(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var variants: [Unicode.Scalar] = []
        for mapping in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping, scalar.properties.titlecaseMapping] {
            let scalars = mapping.unicodeScalars
            if scalars.count == 1, let variant = scalars.first, variant != scalar { variants.append(variant) }
        }
        return variants
    }
}

/// Membership in a Unicode script, asked of Swift's `Regex` (the standard library has no
/// script property); only classes that name a script pay for it.
struct GoScriptTest: @unchecked Sendable {
    // A Regex is immutable once built; matching does not mutate shared state.
    let regex: Regex<AnyRegexOutput>

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        (try? regex.wholeMatch(in: String(scalar))) != nil
    }
}
