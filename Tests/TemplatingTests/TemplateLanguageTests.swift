import Testing
import Templating

/// Go text/template language semantics; expectations follow Go's documentation and behaviour.
@Suite struct TemplateLanguageTests {
    func render(_ text: String, _ data: TemplateValue = .null, functions: TemplateFunctions = .prometheus) throws -> String {
        try Template(name: "test", text: text, functions: functions).execute(data: data)
    }

    func executionError(_ text: String, _ data: TemplateValue = .null) -> String? {
        do {
            _ = try render(text, data)
            return nil
        } catch {
            return (error as? TemplateError)?.message
        }
    }

    func parseError(_ text: String) -> String? {
        do {
            _ = try Template(name: "test", text: text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func plainTextAndLiterals() throws {
        #expect(try render("plain text") == "plain text")
        #expect(try render("{{ 1 }}") == "1")
        #expect(try render("{{ 1.0 }}") == "1")
        #expect(try render("{{ 1.5 }}") == "1.5")
        #expect(try render("{{ 1e6 }}") == "1e+06")
        #expect(try render("{{ 1000000 }}") == "1000000")
        #expect(try render("{{ 0x1F }}") == "31")
        #expect(try render("{{ 'a' }}") == "97")
        #expect(try render("{{ \"a\\tb\" }}") == "a\tb")
        #expect(try render("{{ `raw\\n` }}") == "raw\\n")
        #expect(try render("{{ true }} {{ false }}") == "true false")
    }

    @Test func floatsPrintAsGoPrintsFloat64() throws {
        let values: [(Double, String)] = [
            (0.5, "0.5"), (1234567, "1.234567e+06"), (123456, "123456"), (0.0001, "0.0001"), (0.00001, "1e-05"),
            (-2.5, "-2.5"), (1e21, "1e+21"), (100, "100"),
        ]
        for (value, expected) in values {
            #expect(try render("{{ . }}", .number(value)) == expected)
        }
        #expect(try render("{{ . }}", .number(.infinity)) == "+Inf")
        #expect(try render("{{ . }}", .number(.nan)) == "NaN")
    }

    @Test func trimMarkersAndComments() throws {
        #expect(try render("a  {{- 1 -}}  \n b") == "a1b")
        #expect(try render("a {{- /* comment */ -}} b") == "ab")
        #expect(try render("a{{/* comment */}}b") == "ab")
        #expect(try render("{{ -3 }}") == "-3")
    }

    @Test func fieldsMapsAndMissingKeys() throws {
        let data: TemplateValue = .map([
            "Labels": .stringMap(["instance": "host:9090"]),
            "Nested": .map(["a": .map(["b": "deep"])]),
        ])
        #expect(try render("{{ .Labels.instance }}", data) == "host:9090")
        #expect(try render("[{{ .Labels.missing }}]", data) == "[]")
        #expect(try render("{{ .Nested.a.b }}", data) == "deep")
        #expect(try render("{{ .Nested.missing }}", data) == "<no value>")
        #expect(try render("{{ .Nested.missing.more }}", data) == "<no value>")
        #expect(try render("{{ index .Labels \"instance\" }}", data) == "host:9090")
        #expect(try render("{{ .Labels }}", data) == "map[instance:host:9090]")
    }

    @Test func variables() throws {
        #expect(try render("{{ $x := 1 }}{{ $x }}") == "1")
        #expect(try render("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}") == "2")
        #expect(try render("{{ $ }}", "root") == "root")
        #expect(try render("{{ with $x := \"v\" }}{{ $x }}{{ end }}") == "v")
        #expect(parseError("{{ $y }}") == "template: test:1: undefined variable \"$y\"")
        #expect(parseError("{{ if true }}{{ $z := 1 }}{{ end }}{{ $z }}") == "template: test:1: undefined variable \"$z\"")
    }

    @Test func pipelinesAndParentheses() throws {
        #expect(try render("{{ \"abc\" | printf \"%s-%s\" \"x\" }}") == "x-abc")
        #expect(try render("{{ (print 1 2) | len }}") == "3")
        #expect(try render("{{ print (len \"abcd\") }}") == "4")
    }

    @Test func conditionals() throws {
        #expect(try render("{{ if 1 }}yes{{ else }}no{{ end }}") == "yes")
        #expect(try render("{{ if 0 }}yes{{ else }}no{{ end }}") == "no")
        #expect(try render("{{ if \"\" }}yes{{ else if 1 }}second{{ else }}no{{ end }}") == "second")
        #expect(try render("{{ if and 1 0 }}yes{{ else }}no{{ end }}") == "no")
        #expect(try render("{{ or 0 \"\" \"x\" }}") == "x")
        #expect(try render("{{ and 1 \"\" \"x\" }}") == "")
        #expect(try render("{{ not 0 }}") == "true")
        #expect(try render("{{ with .a }}{{ . }}{{ else }}none{{ end }}", .map(["a": "A"])) == "A")
        #expect(try render("{{ with .b }}{{ . }}{{ else }}none{{ end }}", .map(["a": "A"])) == "none")
        #expect(try render("{{ with .b }}b{{ else with .a }}{{ . }}{{ end }}", .map(["a": "A"])) == "A")
    }

    @Test func ranges() throws {
        let list: TemplateValue = .list(["a", "b", "c"])
        #expect(try render("{{ range . }}{{ . }},{{ end }}", list) == "a,b,c,")
        #expect(try render("{{ range $i, $e := . }}{{ $i }}={{ $e }} {{ end }}", list) == "0=a 1=b 2=c ")
        #expect(try render("{{ range . }}x{{ else }}empty{{ end }}", .list([])) == "empty")
        #expect(try render("{{ range .missing }}x{{ else }}empty{{ end }}", .map([:])) == "empty")
        let map: TemplateValue = .stringMap(["b": "2", "a": "1", "c": "3"])
        #expect(try render("{{ range $k, $v := . }}{{ $k }}{{ $v }}{{ end }}", map) == "a1b2c3")
        #expect(try render("{{ range . }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", list) == "ac")
        #expect(try render("{{ range . }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", list) == "a")
        #expect(try render("{{ range 3 }}{{ . }}{{ end }}") == "012")
        #expect(parseError("{{ break }}") == "template: test:1: {{break}} outside {{range}}")
    }

    @Test func defineTemplateAndBlock() throws {
        #expect(try render("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" \"arg\" }}") == "[arg]")
        #expect(try render("{{ block \"b\" . }}default {{ . }}{{ end }}", "dot") == "default dot")
        #expect(try render("{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}") == "1 2")
        #expect(try render("{{ define \"a\" }}x{{ end }}{{ $name := \"a\" }}{{ tmpl $name . }}") == "x")
        #expect(executionError("{{ template \"nope\" }}")
            == "template: test:1:12: executing \"test\" at <{{template \"nope\"}}>: template \"nope\" not defined")
    }

    @Test func comparisons() throws {
        #expect(try render("{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ ne \"a\" \"b\" }}") == "true true true")
        #expect(try render("{{ lt 1 2 }} {{ le 2 2 }} {{ gt 1.5 2.5 }} {{ ge \"b\" \"a\" }}") == "true true false true")
        #expect(executionError("{{ eq 1 1.0 }}")
            == "template: test:1:3: executing \"test\" at <eq 1 1.0>: error calling eq: incompatible types for comparison")
    }

    @Test func printingFunctions() throws {
        #expect(try render("{{ print \"a\" 1 2 \"b\" }}") == "a1 2b")
        #expect(try render("{{ println 1 \"a\" }}") == "1 a\n")
        #expect(try render("{{ printf \"%d|%5.2f|%s|%q|%v|%x|%e|%g\" 42 3.14159 \"s\" \"q\" 1.5 255 1234.5 0.000001 }}")
            == "42| 3.14|s|\"q\"|1.5|ff|1.234500e+03|1e-06")
        #expect(try render("{{ printf \"%d\" \"x\" }}") == "%!d(string=x)")
        #expect(try render("{{ printf \"%s %s\" \"x\" }}") == "x %!s(MISSING)")
        #expect(try render("{{ printf \"%s\" \"x\" 1 }}") == "x%!(EXTRA int=1)")
        #expect(try render("{{ printf \"%.2f%%\" 12.345 }}") == "12.35%")
        #expect(try render("{{ printf \"%-4s|%04d\" \"a\" 7 }}") == "a   |0007")
    }

    @Test func escapingFunctions() throws {
        #expect(try render("{{ html \"<a href='x'>&\" }}") == "&lt;a href=&#39;x&#39;&gt;&amp;")
        #expect(try render("{{ js \"it's <b>\" }}") == "it\\'s \\u003Cb\\u003E")
        #expect(try render("{{ urlquery \"a b&c\" }}") == "a+b%26c")
    }

    @Test func lenIndexSlice() throws {
        let list: TemplateValue = .list(["a", "b", "c"])
        #expect(try render("{{ len . }}", list) == "3")
        #expect(try render("{{ index . 1 }}", list) == "b")
        #expect(try render("{{ slice . 1 }}", list) == "[b c]")
        #expect(try render("{{ slice \"hello\" 1 3 }}") == "el")
        #expect(executionError("{{ index . 5 }}", list)
            == "template: test:1:3: executing \"test\" at <index . 5>: error calling index: index out of range: 5")
    }

    @Test func parseErrorsCarryGoWordingAndLines() {
        #expect(parseError("{{") == "template: test:1: unexpected unclosed action in command")
        #expect(parseError("{{ end }}") == "template: test:1: unexpected {{end}}")
        #expect(parseError("a\nb\n{{ if true }}") == "template: test:3: unexpected EOF")
        #expect(parseError("line1\n{{ nosuchfunc 1 }}") == "template: test:2: function \"nosuchfunc\" not defined")
        #expect(parseError("{{ if }}{{ end }}") == "template: test:1: missing value for if")
        #expect(parseError("{{ \u{00A0} }}") == "template: test:1: unexpected unrecognized character in action: U+00A0 in command")
        #expect(parseError("{{ \"abc }}") == "template: test:1: unexpected unterminated quoted string in command")
        #expect(parseError("{{ 1 | 2 }}") == "template: test:1: non executable command in pipeline stage 2")
    }

    @Test func executionErrorsNameTheNodeAndColumn() {
        #expect(executionError("{{ .a.b }}", .map(["a": "x"]))
            == "template: test:1:5: executing \"test\" at <.a.b>: can't evaluate field b in type string")
        #expect(executionError("\n  {{ humanize \"x\" }}")
            == "template: test:2:5: executing \"test\" at <humanize \"x\">: error calling humanize: strconv.ParseFloat: parsing \"x\": invalid syntax")
        #expect(executionError("{{ title 1 }}")
            == "template: test:1:9: executing \"test\" at <1>: expected string; found 1")
        #expect(executionError("{{ 1.5 | title }}")
            == "template: test:1:9: executing \"test\" at <title>: wrong type for value; expected string; got float64")
    }
}
