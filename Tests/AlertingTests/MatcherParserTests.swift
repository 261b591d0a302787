import OutpostCore
import Testing
@testable import Alerting

@Suite struct MatcherParserTests {
    @Test func parsesAllOperatorsQuotedAndUnquoted() throws {
        let matchers = try MatcherParser.parseMatchers(#"{alertname="Disk Full", severity=~"warn|crit", env!=prod, team !~ "ops.*",}"#)
        #expect(matchers.map(\.description) == [#"alertname="Disk Full""#, #"severity=~"warn|crit""#, #"env!="prod""#, #"team!~"ops.*""#])
        #expect(matchers.map(\.kind) == [.equal, .regexMatch, .notEqual, .regexNoMatch])
    }

    @Test func handlesEscapesAndBracelessForm() throws {
        let matcher = try MatcherParser.parseMatcher(#"summary="say \"hi\"\n\\ok""#)
        #expect(matcher.value == "say \"hi\"\n\\ok")
        #expect(matcher.description == #"summary="say \"hi\"\n\\ok""#)
        #expect(try MatcherParser.parseMatchers("a=1,b=2").count == 2)
        #expect(try MatcherParser.parseMatchers("{}").isEmpty)
    }

    @Test func regexesAreAnchoredAndMissingLabelsAreEmpty() throws {
        let regex = try MatcherParser.parseMatcher(#"job=~"api""#)
        #expect(regex.matches(["job": "api"]))
        #expect(!regex.matches(["job": "api-server"]))
        #expect(try MatcherParser.parseMatcher(#"team!="ops""#).matches(Labels()))
        #expect(try MatcherParser.parseMatcher(#"team="""#).matches(Labels()))
        #expect(try MatcherParser.parseMatcher(#"team=~".*""#).matches(Labels()))
        #expect(!(try MatcherParser.parseMatcher(#"team=~".+""#).matches(Labels())))
        // As in Alertmanager, which anchors without the `s` flag, `.` stops at a newline.
        #expect(!(try MatcherParser.parseMatcher(#"note=~"a.b""#).matches(["note": "a\nb"])))
        #expect(try MatcherParser.parseMatcher(#"note=~"a.b""#).matches(["note": "a\rb"]))
    }

    @Test func errorsCarryTheOffset() {
        #expect(throws: MatcherParseError(offset: 6, message: "missing closing \"}\"")) { try MatcherParser.parseMatchers(#"{a="b""#).count }
        #expect(throws: MatcherParseError(offset: 9, message: #"expected one of =, !=, =~, !~ after "c", found end of input"#)) {
            try MatcherParser.parseMatchers(#"{a="b", c"#).count
        }
        #expect(throws: MatcherParseError(offset: 1, message: #"expected one of =, !=, =~, !~ after "a", found "<""#)) {
            try MatcherParser.parseMatcher("a<b")
        }
        #expect(throws: MatcherParseError(offset: 2, message: "unterminated quoted string")) { try MatcherParser.parseMatcher(#"a="b"#) }
        #expect(throws: MatcherParseError(offset: 3, message: "invalid regular expression \"(\"")) { try MatcherParser.parseMatcher(#"a=~"(""#) }
        #expect(throws: MatcherParseError(offset: 3, message: #"invalid regular expression "x(?=y)""#)) {
            try MatcherParser.parseMatcher(#"a=~"x(?=y)""#)
        }
        #expect(throws: MatcherParseError(offset: 0, message: "expected one matcher, found 2")) { try MatcherParser.parseMatcher("a=b,c=d") }
    }
}
