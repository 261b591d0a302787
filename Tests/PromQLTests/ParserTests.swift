import Testing
@testable import PromQL

@Suite struct ParserTests {
    @Test func multiplicationBindsTighterThanAddition() throws {
        guard case .binary(let add) = try Parser.parse("1 + 2 * 3") else { Issue.record("not binary"); return }
        #expect(add.op == .add)
        guard case .binary(let mul) = add.rhs else { Issue.record("rhs not binary"); return }
        #expect(mul.op == .mul)
    }

    @Test func powerIsRightAssociativeAndBindsTighterThanUnaryMinus() throws {
        guard case .binary(let pow) = try Parser.parse("2 ^ 3 ^ 2") else { Issue.record("not binary"); return }
        guard case .binary(let inner) = pow.rhs, case .number(3, _) = inner.lhs else { Issue.record("not right-assoc"); return }
        guard case .unary(.minus, let operand, _) = try Parser.parse("-a ^ 2"), case .binary(let p) = operand else {
            Issue.record("unary minus should wrap the power")
            return
        }
        #expect(p.op == .pow)
    }

    @Test func parsesSelectorsWithModifiers() throws {
        guard case .matrixSelector(let m) = try Parser.parse(#"foo{a="b", c!~"d.*"}[5m] offset -1m @ end()"#) else {
            Issue.record("not a matrix selector")
            return
        }
        #expect(m.range == 300_000)
        #expect(m.selector.offset == -60_000)
        #expect(m.selector.at == .end)
        #expect(m.selector.matchers.map(\.description) == [#"__name__="foo""#, #"a="b""#, #"c!~"d.*""#])
    }

    @Test func parsesSubqueriesAggregationsAndMatching() throws {
        let expr = try Parser.parse("sum without (x) (max_over_time(rate(foo[1m])[10m:30s])) / on (a) group_left (b) bar")
        guard case .binary(let div) = expr, let matching = div.matching else { Issue.record("not binary"); return }
        #expect(matching.on)
        #expect(matching.labels == ["a"])
        #expect(matching.include == ["b"])
        #expect(matching.cardinality == .manyToOne)
        guard case .aggregate(let sum) = div.lhs, case .call(let call) = sum.expr, case .subquery(let sq) = call.args[0] else {
            Issue.record("lhs")
            return
        }
        #expect(sum.without && sum.grouping == ["x"])
        #expect(sq.range == 600_000 && sq.step == 30_000)
    }

    @Test func reportsErrorsWithLineAndColumn() {
        #expect(parseError("sum(foo") == "1:8: parse error: unclosed left parenthesis")
        #expect(parseError("foo{a=\"b\"") == "1:10: parse error: unexpected end of input inside braces")
        #expect(parseError("foo)") == "1:4: parse error: unexpected right parenthesis ')'")
        #expect(parseError("sum(foo) by (a") == "1:15: parse error: unclosed left parenthesis")
        #expect(parseError("foo +") == "1:6: parse error: unexpected end of input")
        #expect(parseError("rate(foo)") == "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector")
        #expect(parseError("foo\n  + }") == "2:5: parse error: unexpected right brace '}'")
        #expect(parseError("foo\n  + ,") == "2:5: parse error: unexpected \",\"")
        #expect(parseError(#"{a=""}"#) == "1:1: parse error: vector selector must contain at least one non-empty matcher")
        #expect(parseError("1 > 2") == "1:1: parse error: comparisons between scalars must use BOOL modifier")
        #expect(parseError("nosuchfn(1)") == "1:1: parse error: unknown function with name \"nosuchfn\"")
        #expect(parseError("") == "1:1: parse error: no expression found in input")
    }

    @Test func rejectsHostileInputWithoutCrashing() {
        let inputs = ["((((((((", "foo[99999999999999999999y]", "foo @ 1e400", "'\\x", "\"\\u{zz}\"", "a{b=~\"(\"}",
                      "0x", "1e", "foo offset", "sum by (", "-", "topk(,)", "\u{0}"]
        for input in inputs {
            #expect(throws: ParseError.self) { try Parser.parse(input) }
        }
    }

    /// Matchers read Go's regexp syntax: what RE2 refuses is a parse error in Go's words, and
    /// what it accepts but Swift's engine does not (`\pL`, octal) parses.
    @Test func regexMatchersReadGoSyntax() {
        let cases = [(#"foo{a=~"x(?=y)"}"#, "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
                     (#"foo{a=~"(x)\\1"}"#, #"error parsing regexp: invalid escape sequence: `\1`"#),
                     (#"foo{a!~"x{1001}"}"#, "error parsing regexp: invalid repeat count: `{1001}`")]
        for (query, message) in cases {
            let error = parseError(query)
            #expect(error?.hasPrefix("1:8: parse error: ") == true && error?.hasSuffix(message) == true, "\(error ?? "parsed")")
        }
        #expect(parseError(#"foo{a=~"\\pL+", b=~"\\101"}"#) == nil)
    }

    private func parseError(_ query: String) -> String? {
        do {
            _ = try Parser.parse(query)
            return nil
        } catch {
            return error.description
        }
    }
}

@Suite struct ParserLimitTests {
    @Test func deepNestingIsAnErrorNotACrash() {
        let query = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        #expect(throws: ParseError.self) { try Parser.parse(query) }
        let unary = String(repeating: "-", count: 100_000) + "1"
        #expect(throws: ParseError.self) { try Parser.parse(unary) }
    }
}
