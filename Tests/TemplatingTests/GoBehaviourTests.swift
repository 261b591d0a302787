import Testing
import Templating

/// More of Go's text/template behaviour: whitespace control, scoping, printing and error wording.
@Suite struct GoBehaviourTests {
    func render(_ text: String, _ data: TemplateValue = .null) throws -> String {
        try Template(name: "t", text: text, functions: .builtins).execute(data: data)
    }

    func parseError(_ text: String) -> String? {
        do {
            _ = try Template(name: "t", text: text, functions: .builtins)
            return nil
        } catch {
            return error.message
        }
    }

    func executionError(_ text: String, _ data: TemplateValue = .null) -> String? {
        do {
            _ = try render(text, data)
            return nil
        } catch {
            return (error as? TemplateError)?.message
        }
    }

    @Test func trimMarkersAcrossLines() throws {
        let text = "<ul>\n{{- range . }}\n  <li>{{ . }}</li>\n{{- end }}\n</ul>"
        #expect(try render(text, .list(["a", "b"])) == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>")
        #expect(try render("x {{- \"y\" }} z") == "xy z")
        #expect(try render("x {{ \"y\" -}} z") == "x yz")
        #expect(try render("a {{- /* note */}} b") == "a b")
    }

    @Test func assignmentReachesOuterVariable() throws {
        #expect(try render("{{ $x := 0 }}{{ range . }}{{ $x = . }}{{ end }}{{ $x }}", .list([1, 2, 3])) == "3")
        #expect(try render("{{ $v := \"outer\" }}{{ range $k, $v := . }}{{ $v }}{{ end }} {{ $v }}", .stringMap(["a": "inner"]))
            == "inner outer")
    }

    @Test func rangeDeclarations() {
        #expect(parseError("{{ range $a, $b, $c := . }}{{ end }}") == "template: t:1: too many declarations in range")
        #expect(parseError("{{ range $a, 1 }}{{ end }}") == "template: t:1: range can only initialize variables")
    }

    @Test func rangeOverGenericMapSortsKeys() throws {
        let data: TemplateValue = .map(["zeta": 1, "alpha": 2, "Mid": 3])
        #expect(try render("{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}", data) == "Mid=3;alpha=2;zeta=1;")
    }

    @Test func printingCompositeValues() throws {
        let data: TemplateValue = .map(["list": .list(["a", 1, 2.5, true, .null]), "map": .map(["k": .list([])])])
        #expect(try render("{{ .list }}", data) == "[a 1 2.5 true <nil>]")
        #expect(try render("{{ .map }}", data) == "map[k:[]]")
        #expect(try render("{{ printf \"%v|%s|%d\" .list \"s\" 3 }}", data) == "[a 1 2.5 true <nil>]|s|3")
        #expect(try render("{{ print nil }}") == "<nil>")
        #expect(try render("{{ . }}") == "<no value>")
    }

    @Test func escapersTakeSeveralArguments() throws {
        #expect(try render("{{ html \"<\" 1 }}") == "&lt;1")
        #expect(try render("{{ urlquery \"a\" \"b c\" }}") == "ab+c")
        #expect(try render("{{ js \"\\n=\" }}") == "\\u000A\\u003D")
    }

    @Test func printfVerbs() throws {
        #expect(try render("{{ printf \"%5s|%-5s|%.2s\" \"ab\" \"ab\" \"abc\" }}") == "   ab|ab   |ab")
        #expect(try render("{{ printf \"%+d|%x|%X|%o|%b|%c|%U\" 5 255 255 8 5 65 65 }}") == "+5|ff|FF|10|101|A|U+0041")
        #expect(try render("{{ printf \"%t|%q\" true 'x' }}") == "true|'x'")
        #expect(try render("{{ printf \"%8.3f|%-8.2e|%G\" 3.14159 1234.5 1e-7 }}") == "   3.142|1.23e+03|1E-07")
        #expect(try render("{{ printf \"%x\" \"hi\" }}") == "6869")
        #expect(try render("{{ printf \"%f\" . }}", .number(.infinity)) == "+Inf")
        #expect(try render("{{ printf \"%d %%\" }}") == "%!d(MISSING) %")
    }

    @Test func executionErrors() {
        #expect(executionError("{{ len 3 }}") == "template: t:1:3: executing \"t\" at <len 3>: error calling len: len of type int")
        #expect(executionError("{{ nil }}") == "template: t:1:3: executing \"t\" at <nil>: nil is not a command")
        #expect(executionError("{{ \"a\" \"b\" }}") == "template: t:1:3: executing \"t\" at <\"a\">: can't give argument to non-function \"a\"")
        #expect(executionError("{{ range 1.5 }}{{ end }}") == "template: t:1:9: executing \"t\" at <1.5>: range can't iterate over 1.5")
        #expect(executionError("{{ lt true false }}")
            == "template: t:1:3: executing \"t\" at <lt true false>: error calling lt: invalid type for comparison")
        #expect(executionError("{{ index .m 1 }}", .map(["m": .map([:])]))
            == "template: t:1:3: executing \"t\" at <index .m 1>: error calling index: value has type int; should be string")
    }

    @Test func longContextsAreTruncated() {
        #expect(executionError("{{ index \"abcdefghijklmnopqrstuvwxyz\" 99 }}")
            == "template: t:1:3: executing \"t\" at <index \"abcdefghijklm...>: error calling index: index out of range: 99")
    }

    @Test func parseErrors() {
        #expect(parseError("{{ if true }}a{{ else }}b{{ else }}c{{ end }}") == "template: t:1: expected end; found {{else}}")
        #expect(parseError("{{ $x = 1 }}") == nil)
        #expect(parseError("{{ .a | 1 }}") == "template: t:1: non executable command in pipeline stage 2")
        #expect(parseError("{{ ( 1 }}") == "template: t:1: unexpected unclosed left paren in operand")
        #expect(parseError("{{ 1) }}") == "template: t:1: unexpected \")\" in command")
        #expect(parseError("{{ define \"a\" }}") == "template: t:1: unexpected EOF")
        #expect(parseError("{{ if true }}{{ define \"a\" }}{{ end }}{{ end }}") == "template: t:1: unexpected <define> in command")
        #expect(parseError("{{ $x=1 }}") == "template: t:1: unexpected bad character U+003D '=' in command")
        #expect(parseError("{{ 3x }}") == "template: t:1: unexpected bad number syntax: \"3x\" in command")
        #expect(parseError("{{/* open") == "template: t:1: unexpected unclosed comment in input")
        #expect(parseError("line1\nline2 {{ .a.b \n\n}} {{ end }}") == "template: t:4: unexpected {{end}}")
    }

    @Test func hostileInputStaysBounded() throws {
        #expect(try render("{{ printf \"%*d\" 2000000 1 }}") == "%!(BADWIDTH)1")
        #expect(try render("{{ range 0 }}x{{ else }}none{{ end }}") == "none")
        #expect(try render("{{ range 100000000000 }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}") == "01")
        let huge = try Template(name: "t", text: "{{ humanizeDuration . }}").execute(data: .number(1e300))
        #expect(huge.hasSuffix("s"))
    }
}
