import OutpostCore

/// A label matcher's regex against 10,000 label values, as a selector or a silence checks them:
/// the linear-time matcher the matchers use, and Swift's backtracking `Regex` on the same
/// translated pattern for comparison.
enum RegexBenchmarks {
    static let values = (0..<10_000).map { "service_\($0 % 97)_handler-\($0)_foo_api_request" }
    static let patterns = [".*foo.*", "service_1.*", "(get|post|service_5)_.*", "[a-z]+_[0-9]+_.*", "(?i)SERVICE_1.*"]
    /// All 10,000, the 1,134 values whose number mod 97 starts with 1 (twice), the 104 with 5, all again.
    static let expectedHits = 10_000 + 1_134 + 104 + 10_000 + 1_134

    static var cases: [BenchmarkCase] {
        let matchesPerRun = values.count * patterns.count
        return [
            BenchmarkCase(name: "regex.matcher.linear", operationsPerRun: matchesPerRun, operationName: "match") {
                let matchers = patterns.map { try! GoRegexMatcher("^(?s:" + $0 + ")$") }
                return {
                    var hits = 0
                    for matcher in matchers { for value in values where matcher.matches(value) { hits += 1 } }
                    if hits != expectedHits { fatalError("\(hits) matches") }
                }
            },
            BenchmarkCase(name: "regex.matcher.swift_regex", operationsPerRun: matchesPerRun, operationName: "match") {
                let regexes = patterns.map { try! GoRegexSyntax.regex("^(?s:" + $0 + ")$") }
                return {
                    var hits = 0
                    for regex in regexes { for value in values where (try? regex.wholeMatch(in: value)) != nil { hits += 1 } }
                    if hits != expectedHits { fatalError("\(hits) matches") }
                }
            },
        ]
    }
}
