import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

/// Expectations follow Go's regexp package (RE2 syntax), which every tool Outpost stands in for uses.
@Suite struct GoRegexSyntaxTests {
    private func searches(_ pattern: String, _ text: String) throws -> Bool {
        try GoRegexSyntax.regex(pattern).firstMatch(in: text) != nil
    }

    /// The same question put to ICU, which the probers and templates match with.
    private func searchesWithICU(_ pattern: String, _ text: String) throws -> Bool {
        let expression = try NSRegularExpression(pattern: GoRegexSyntax.translate(pattern))
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test(arguments: [
        (#"(a)\1"#, "invalid escape sequence", #"\1"#),
        (#"\8"#, "invalid escape sequence", #"\8"#),
        (#"\Z"#, "invalid escape sequence", #"\Z"#),
        (#"\e"#, "invalid escape sequence", #"\e"#),
        (#"\C"#, "invalid escape sequence", #"\C"#),
        (#"a(?=b)"#, "invalid or unsupported Perl syntax", "(?="),
        (#"a(?!b)"#, "invalid or unsupported Perl syntax", "(?!"),
        (#"(?>a)"#, "invalid or unsupported Perl syntax", "(?>"),
        (#"(?x)a"#, "invalid or unsupported Perl syntax", "(?x"),
        (#"(?i-)a"#, "invalid or unsupported Perl syntax", "(?i-)"),
        ("a**", "invalid nested repetition operator", "**"),
        ("a*+", "invalid nested repetition operator", "*+"),
        ("a{2}{3}", "invalid nested repetition operator", "{2}{3}"),
        ("a{1001}", "invalid repeat count", "{1001}"),
        ("a{2,1}", "invalid repeat count", "{2,1}"),
        ("*a", "missing argument to repetition operator", "*"),
        ("a|+", "missing argument to repetition operator", "+"),
        ("(a", "missing closing )", "(a"),
        ("a)", "unexpected )", "a)"),
        ("[a", "missing closing ]", "[a"),
        ("x[z-a]", "invalid character class range", "z-a"),
        ("a\\", "trailing backslash at end of expression", ""),
        (#"\p{Foo}"#, "invalid character class range", #"\p{Foo}"#),
        ("[[:foo:]]", "invalid character class range", "[:foo:]"),
        ("(?P<>a)", "invalid named capture", "(?P<>"),
    ])
    func refusesWhatGoRefuses(pattern: String, code: String, expression: String) {
        #expect(throws: GoRegexError(code: code, expression: expression)) { try GoRegexSyntax.translate(pattern) }
    }

    /// Nesting is bounded as in Go, so a hostile query cannot exhaust the stack of whatever walks it.
    @Test func deepNestingIsRefused() throws {
        let deep = String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        #expect(throws: GoRegexError(code: "expression nests too deeply", expression: deep)) { try GoRegexMatcher(deep) }
        let fine = String(repeating: "(?:", count: 500) + "a" + String(repeating: ")", count: 500)
        #expect(try GoRegexMatcher(fine).matches("a"))
    }

    @Test func errorsReadAsGoPrintsThem() {
        #expect(GoRegexError(code: "invalid escape sequence", expression: #"\1"#).description
            == #"error parsing regexp: invalid escape sequence: `\1`"#)
    }

    @Test(arguments: [
        // Perl classes and POSIX classes are ASCII-only in Go.
        (#"\d"#, "\u{0663}", false), (#"\d"#, "7", true), (#"\w"#, "é", false), (#"\w"#, "_", true),
        (#"\s"#, "\u{2003}", false), (#"\s"#, "\u{0B}", false), (#"\s"#, "\u{0C}", true), (#"\D"#, "\u{0663}", true),
        ("[[:alpha:]]", "é", false), ("[[:alpha:]]", "q", true), ("[[:^digit:]]", "5", false), (#"[\d_]"#, "_", true),
        // Without `m`, `$` is the very end of the text and `^` its very start.
        ("foo$", "foo\n", false), ("(?m)foo$", "foo\nbar", true), ("^bar", "foo\nbar", false), ("(?m)^bar", "foo\nbar", true),
        // `.` excludes only `\n`, and with `s` nothing.
        ("a.b", "a\nb", false), ("a.b", "a\rb", true), ("(?s)a.b", "a\nb", true), ("a(?s:.)b", "a\nb", true),
        // One-letter Unicode classes, octal and hex escapes.
        (#"\pL"#, "é", true), (#"\PL"#, "é", false), (#"\p{^L}"#, "é", false), (#"\p{Greek}"#, "λ", true),
        (#"\12"#, "\n", true), (#"\x41"#, "A", true), (#"\x{263A}"#, "☺", true), (#"\101"#, "A", true),
        // In a class, `[` and `&&` are plain members.
        ("[[a]", "[", true), ("[a&&b]", "&", true), ("[a~~b]", "~", true), ("[]a]", "]", true), ("[^]a]", "]", false),
        ("[a-]", "-", true),
        // Case folding, scoped flags, quoting, and braces that are not a count.
        ("(?i)abc", "ABC", true), ("(?i:a)b", "AB", false), (#"\Qa.b\E"#, "a.b", true), (#"\Qa.b\E"#, "axb", false),
        ("a{,2}", "a{,2}", true), ("a{,2}", "aa", false), ("x{2}", "xx", true), (#"\.\-\_"#, ".-_", true),
        ("a b", "a b", true), (#"\bfoo\b"#, "a foo b", true), (#"\Bfoo"#, "a foo", false),
        // Go lets a quantifier follow an assertion; flags switch on and off in place.
        ("^*a", "a", true), (#"x\b+y"#, "xy", false), ("(?s)a.b(?-s)c.d", "a\nbc\nd", false),
        ("(?s)a.b(?-s)c.d", "a\nbcxd", true), ("(?is)A.B", "a\nb", true), ("(?i)a(?-i)b", "Ab", true),
        ("(?i)a(?-i)b", "AB", false), ("", "x", true), ("(?i)", "", true),
    ])
    func matchesWithGosMeaning(pattern: String, text: String, expected: Bool) throws {
        #expect(try searches(pattern, text) == expected)
        #expect(try searchesWithICU(pattern, text) == expected)
        #expect(try GoRegexMatcher(pattern).matches(text) == expected)
    }

    /// Patterns that make a backtracking engine take exponential time are answered at once.
    @Test func nestedRepetitionTakesLinearTime() throws {
        let long = String(repeating: "a", count: 5000)
        #expect(try !GoRegexMatcher("^(?s:(.*)*b)$").matches(long))
        #expect(try !GoRegexMatcher("^(?:(a|aa)+b)$").matches(long))
        #expect(try GoRegexMatcher("^(?s:(a*)*)$").matches(long))
        #expect(try GoRegexMatcher("(a{2}){3,}").matches("xaaaaaaay"))
        #expect(try !GoRegexMatcher("^(a{2}){3,}$").matches("aaaaaaa"))
    }

    @Test func caseFoldingAndUnicodeClassesInTheLinearMatcher() throws {
        #expect(try GoRegexMatcher("^(?i)[a-c]+$").matches("AbC"))
        #expect(try !GoRegexMatcher("^(?i)[^a]$").matches("A"))
        #expect(try GoRegexMatcher(#"^\p{Greek}+\P{Greek}$"#).matches("λμx"))
        #expect(try GoRegexMatcher(#"^[\p{Lu}\d]+$"#).matches("AB12"))
        #expect(try GoRegexMatcher(#"(?i)\p{Lu}"#).matches("a"))
        #expect(try GoRegexMatcher(#"(?i)[\p{Lu}]"#).matches("a"))
        #expect(try !GoRegexMatcher(#"^[\p{Lu}\d]+$"#).matches("Ab"))
        #expect(throws: GoRegexError(code: "expression too large", expression: "(((a{1000}){1000}){1000})")) {
            try GoRegexMatcher("(((a{1000}){1000}){1000})")
        }
    }

    @Test func ungreedyFlagSwapsGreediness() throws {
        let lazy = try #require(try GoRegexSyntax.regex("(?U)a+").firstMatch(in: "aaa"))
        #expect(lazy.output[0].substring == "a")
        let greedy = try #require(try GoRegexSyntax.regex("(?U)a+?").firstMatch(in: "aaa"))
        #expect(greedy.output[0].substring == "aaa")
    }

    @Test func namedGroupsKeepTheirNamesAndNumbers() throws {
        let match = try #require(try GoRegexSyntax.regex(#"(?P<host>[^:]+):(\d+)"#).wholeMatch(in: "db:5432"))
        #expect(match.output["host"]?.substring == "db")
        #expect(match.output[2].substring == "5432")
    }

    /// Random patterns over the characters that matter to the syntax: each is refused in Go's
    /// words or becomes a pattern both engines (and `GoRegexMatcher`) compile and answer alike (but for `\b`, whose
    /// Unicode boundaries in Swift differ from ICU's at the edges of an empty or blank text).
    @Test func randomPatternsCompileAndMatchAlikeInBothEngines() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        let syntax = Array(#"ab()[]{}*+?|^$.\-,:0129PpLdDsSwWQEzAxUims<>=!&~ é"#.unicodeScalars)
        let textCharacters = Array("ab\n\r é[&-9_A".unicodeScalars)
        func draw(_ characters: [Unicode.Scalar], count: Int) -> String {
            String(String.UnicodeScalarView((0..<count).map { _ in characters.randomElement(using: &generator)! }))
        }
        var compiled = 0
        for _ in 0..<3000 {
            let pattern = draw(syntax, count: Int.random(in: 1...12, using: &generator))
            let translated: String
            do { translated = try GoRegexSyntax.translate(pattern) } catch { continue }
            compiled += 1
            let swift = try GoRegexSyntax.regex(pattern)
            let icu = try NSRegularExpression(pattern: translated)
            let linear = try GoRegexMatcher(pattern)
            if translated.contains(#"\b"#) { continue }
            for _ in 0..<4 {
                let text = draw(textCharacters, count: Int.random(in: 0...5, using: &generator))
                let inSwift = try swift.firstMatch(in: text) != nil
                let inICU = icu.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                #expect(inSwift == inICU, "\(pattern) as \(translated) on \(text.debugDescription)")
                #expect(linear.matches(text) == inICU, "linear: \(pattern) on \(text.debugDescription)")
            }
        }
        #expect(compiled > 1000)
    }

    @Test(arguments: [".*", "2..", "(foo|bar)+", "[^/]+", "^https?://", "node_(cpu|memory)_.+", #"[a-z0-9_]+\.example\.com"#,
                      "(?i)error|fatal", "a{2,}b{0,3}?"])
    func everydayPatternsTranslate(pattern: String) throws {
        #expect(throws: Never.self) { try GoRegexSyntax.regex(pattern) }
    }
}
