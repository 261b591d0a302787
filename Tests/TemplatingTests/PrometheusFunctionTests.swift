import Testing
import Templating

/// A querier returning a fixed vector, or failing, whatever the expression.
struct FixedQuerier: TemplateQuerier {
    var samples: [TemplateSample]
    var failure: String?

    init(_ samples: [TemplateSample] = [], failure: String? = nil) {
        self.samples = samples
        self.failure = failure
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func query(_ expr: String) throws -> [TemplateSample] {
        if let failure { throw Failure(description: failure) }
        return samples
    }
}

/// Prometheus rule template functions; expected outputs come from Prometheus's documented
/// behaviour and its template tests (template/template_test.go).
@Suite struct PrometheusFunctionTests {
    let externalURL = "http://testhost:9090/path/prefix"

    func render(_ text: String, _ data: TemplateValue = .null, samples: [TemplateSample] = [], timestamp: Int64 = 0) throws -> String {
        let environment = TemplateEnvironment(querier: FixedQuerier(samples), timestampMilliseconds: timestamp, externalURL: externalURL)
        return try Template(name: "test", text: text).execute(data: data, environment: environment)
    }

    func failure(_ text: String, _ data: TemplateValue = .null, samples: [TemplateSample] = []) -> String? {
        do {
            _ = try render(text, data, samples: samples)
            return nil
        } catch {
            return (error as? TemplateError)?.message
        }
    }

    static func numbers(_ values: [Double]) -> TemplateValue { .list(values.map(TemplateValue.number)) }

    let metricA = TemplateSample(labels: ["__name__": "metric", "instance": "a"], value: 11)
    let metricB = TemplateSample(labels: ["__name__": "metric", "instance": "b"], value: 21)

    @Test func queryFirstValueAndLabel() throws {
        #expect(try render("{{ query \"1.5\" | first | value }}", samples: [TemplateSample(labels: [:], value: 1.5)]) == "1.5")
        #expect(try render("{{ query \"metric{instance='a'}\" | first | value }}", samples: [metricA]) == "11")
        #expect(try render("{{ query \"metric{instance='a'}\" | first | label \"instance\" }}", samples: [metricA]) == "a")
        #expect(try render("{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", samples: [metricA]) == "")
        #expect(try render("{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", samples: [metricA]) == "")
        #expect(try render("{{ with query \"metric\" }}{{ . | first | strvalue }}{{ end }}",
                           samples: [TemplateSample(labels: ["__value__": "text"], value: 0)]) == "text")
    }

    @Test func rangeOverQuerySortedByLabel() throws {
        let text = "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}"
        #expect(try render(text, samples: [metricB, metricA]) == "a:11: b:21: ")
    }

    @Test func queryErrors() {
        #expect(failure("{{ query \"missing\" | first }}")
            == "template: test:1:21: executing \"test\" at <first>: error calling first: first() called on vector with no elements")
        let banana = failure("{{ (query \"missing\").banana }}")
        #expect(banana?.hasPrefix("template: test:1:10: executing \"test\" at <\"missing\">: can't evaluate field banana in type ") == true)
    }

    @Test func regexFunctions() throws {
        #expect(try render("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}") == "xa")
        #expect(try render("{{ reReplaceAll \"(?P<host>[^:]+):.*\" \"${host}\" \"node1:9100\" }}") == "node1")
        #expect(try render("{{ reReplaceAll \"a\" \"$1x\" \"a\" }}") == "")
        #expect(try render("{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}") == "true false")
        // Go's syntax: ASCII-only `\d`, one-letter Unicode classes, no lookaround.
        #expect(try render(##"{{ reReplaceAll "\\d" "#" "1٣" }}"##) == "#٣")
        #expect(try render(#"{{ match "^\\pL+$" "été" }}"#) == "true")
        #expect(failure(#"{{ match "a(?=b)" "ab" }}"#)?.contains("error parsing regexp: invalid or unsupported Perl syntax: `(?=`") == true)
        // Checked in linear time: a label value crafted against a nested repetition returns at once.
        let hostile = String(repeating: "a", count: 60) + "!"
        #expect(try render(#"{{ match "^(\\w+\\s?)*$" ""# + hostile + #"" }}"#) == "false")
        #expect(try render(#"{{ reReplaceAll "^(\\w+\\s?)*$" "x" ""# + hostile + #"" }}"#) == hostile)
    }

    @Test func humanize() throws {
        #expect(try render("{{ range . }}{{ humanize . }}:{{ end }}", Self.numbers([0, 1, 1234567, 0.12])) == "0:1:1.235M:120m:")
        #expect(try render("{{ 1234567.0 | humanize }}") == "1.235M")
        #expect(try render("{{ 0.001234 | humanize }}") == "1.234m")
        #expect(try render("{{ \"1234567.0\" | humanize }}") == "1.235M")
        #expect(try render("{{ humanize 1 }}") == "1")
        #expect(try render("{{ -1500 | humanize }}") == "-1.5k")
    }

    @Test func humanize1024() throws {
        #expect(try render("{{ range . }}{{ humanize1024 . }}:{{ end }}", Self.numbers([0, 1, 1048576, 0.12])) == "0:1:1Mi:0.12:")
        #expect(try render("{{ 1048576 | humanize1024 }}") == "1Mi")
        #expect(try render("{{ 2048 | humanize1024 }}") == "2ki")
    }

    @Test func humanizeDuration() throws {
        let whole = Self.numbers([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99])
        #expect(try render("{{ range . }}{{ humanizeDuration . }}:{{ end }}", whole)
            == "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:")
        let fractional = Self.numbers([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345])
        #expect(try render("{{ range . }}{{ humanizeDuration . }}:{{ end }}", fractional)
            == "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:")
        #expect(try render("{{ 90061 | humanizeDuration }}") == "1d 1h 1m 1s")
    }

    @Test func infinitiesAndNaN() throws {
        let text = "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}"
        #expect(try render(text, Self.numbers([.infinity, -.infinity, .nan]))
            == "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:")
    }

    @Test func humanizePercentage() throws {
        let text = "{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}"
        #expect(try render(text) == "-22.22%:0%:12.35%:123.5%")
        #expect(try render("{{ 0.1234 | humanizePercentage }}") == "12.34%")
    }

    @Test func timestampsAndTimes() throws {
        #expect(try render("{{ 1435065584.128 | humanizeTimestamp }}") == "2015-06-23 13:19:44.128 +0000 UTC")
        #expect(try render("{{ \"1435065584.128\" | humanizeTimestamp }}") == "2015-06-23 13:19:44.128 +0000 UTC")
        #expect(try render("{{ 0 | humanizeTimestamp }}") == "1970-01-01 00:00:00 +0000 UTC")
        #expect(try render("{{ (1435065584.128 | toTime).Format \"2006-01-02T15:04:05.000Z07:00\" }}") == "2015-06-23T13:19:44.128Z")
        #expect(try render("{{ (1435065584 | toTime).Unix }}") == "1435065584")
        #expect(try render("{{ 1800 | toDuration }}") == "30m0s")
        #expect(try render("{{ (90 | toDuration).Minutes }}") == "1.5")
        #expect(try render("{{ \"1h2m10ms\" | parseDuration }}") == "3720.01")
        #expect(try render("{{ now }}", timestamp: 1_435_065_584_128) == "1.435065584128e+09")
        #expect(try render("{{ now | humanizeTimestamp }}", timestamp: 1_435_065_584_128) == "2015-06-23 13:19:44.128 +0000 UTC")
    }

    @Test func stringFunctions() throws {
        #expect(try render("{{ \"aa bb CC\" | title }}") == "Aa Bb CC")
        #expect(try render("{{ \"aa bb CC\" | toUpper }}") == "AA BB CC")
        #expect(try render("{{ \"aA bB CC\" | toLower }}") == "aa bb cc")
        #expect(try render("{{ \"a b/c?d=e\" | urlQueryEscape }}") == "a+b%2Fc%3Fd%3De")
        #expect(try render("{{ \"<b>\" | safeHtml }}") == "<b>")
        #expect(try render("{{ graphLink \"up\" }}") == "/graph?g0.expr=up&g0.tab=0")
        #expect(try render("{{ tableLink \"up\" }}") == "/graph?g0.expr=up&g0.tab=1")
    }

    @Test func hostsAndPorts() throws {
        let hosts: TemplateValue = .list(["localhost", "localhost:1234", "[::1]", "[::1]:1234", "127.0.0.1:9090"])
        #expect(try render("{{ range . }}{{ . | stripPort }}|{{ end }}", hosts) == "localhost|localhost|[::1]|::1|127.0.0.1|")
        let domains: TemplateValue = .list([
            "localhost", "foo.example.com", "localhost:1234", "foo.example.com:1234", "127.0.0.1", "127.0.0.1:1234",
            "[::1]", "[::1]:1234",
        ])
        #expect(try render("{{ range . }}{{ . | stripDomain }}|{{ end }}", domains)
            == "localhost|foo|localhost:1234|foo:1234|127.0.0.1|127.0.0.1:1234|[::1]|[::1]:1234|")
        #expect(try render("{{ \"host:9090\" | stripPort }}") == "host")
    }

    @Test func urlFunctions() throws {
        #expect(try render("{{ pathPrefix }}") == "/path/prefix")
        #expect(try render("{{ externalURL }}") == "http://testhost:9090/path/prefix")
    }

    @Test func functionErrors() {
        #expect(failure("{{ humanize \"x\" }}")
            == "template: test:1:3: executing \"test\" at <humanize \"x\">: error calling humanize: strconv.ParseFloat: parsing \"x\": invalid syntax")
        #expect(failure("{{ humanize true }}")
            == "template: test:1:3: executing \"test\" at <humanize true>: error calling humanize: can't convert bool to float")
        #expect(failure("{{ \"1x\" | parseDuration }}")
            == "template: test:1:10: executing \"test\" at <parseDuration>: error calling parseDuration: not a valid duration string: \"1x\"")
        #expect(failure("{{ humanize 1 2 }}")
            == "template: test:1:3: executing \"test\" at <humanize>: wrong number of args for humanize: want 1 got 2")
    }
}
