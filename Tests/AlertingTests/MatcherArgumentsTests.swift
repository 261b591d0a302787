import Testing
@testable import Alerting

/// amtool's command-line matcher syntax, as `outpost silence add|query` take it.
@Suite struct MatcherArgumentsTests {
    @Test func eachArgumentIsOneMatcherWithAnyOperator() throws {
        let matchers = try MatcherParser.parseArguments(["alertname=Foo", "severity!=info", #"job=~"a|b""#, "instance!~db.*"])
        #expect(matchers.map(\.name) == ["alertname", "severity", "job", "instance"])
        #expect(matchers.map(\.kind) == [.equal, .notEqual, .regexMatch, .regexNoMatch])
        #expect(matchers.map(\.value) == ["Foo", "info", "a|b", "db.*"])
        #expect(matchers[2].matches(["job": "b"]))
        #expect(!matchers[2].matches(["job": "ab"]))
    }

    @Test func aBareFirstArgumentIsTheAlertName() throws {
        let matchers = try MatcherParser.parseArguments(["DiskFull", "env=prod"])
        #expect(matchers.map(\.description) == [#"alertname="DiskFull""#, #"env="prod""#])
    }

    @Test func onlyTheFirstArgumentMayBeBare() {
        #expect(throws: MatcherArgumentError.self) { try MatcherParser.parseArguments(["env=prod", "DiskFull"]) }
    }

    @Test func aBrokenFirstMatcherIsReportedNotTakenAsAnAlertName() {
        #expect {
            try MatcherParser.parseArguments([#"job=~"a|b"#])
        } throws: { error in
            guard let error = error as? MatcherArgumentError else { return false }
            return error.argument == #"job=~"a|b"# && error.description.contains("unterminated quoted string")
        }
        #expect(throws: MatcherArgumentError.self) { try MatcherParser.parseArguments(["job=~("]) }
        #expect(throws: MatcherArgumentError.self) { try MatcherParser.parseArguments([""]) }
    }

    @Test func noArgumentsMeanNoMatchers() throws {
        #expect(try MatcherParser.parseArguments([]).isEmpty)
    }

    @Test func apiMatchersPrintWithTheirOperator() throws {
        let matchers = try MatcherParser.parseArguments(["a=1", "b!=2", #"c=~"x\"y""#, "d!~z"]).map(AlertmanagerAPI.Matcher.init)
        #expect(matchers.map(\.description) == [#"a="1""#, #"b!="2""#, #"c=~"x\"y""#, #"d!~"z""#])
        #expect(AlertmanagerAPI.Matcher(name: "e", value: "v", isRegex: false, isEqual: nil).description == #"e="v""#)
    }
}
