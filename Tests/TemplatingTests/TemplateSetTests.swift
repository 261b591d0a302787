import Testing
import Templating

/// Template sets, records with methods, predeclared variables, and limits that keep hostile
/// templates from exhausting the stack.
@Suite struct TemplateSetTests {
    @Test func executeNamedTemplate() throws {
        let template = try Template(
            name: "notifications", text: "{{ define \"subject\" }}[{{ .Status }}] {{ .Name }}{{ end }}{{ define \"body\" }}{{ template \"subject\" . }}!{{ end }}",
            functions: .builtins)
        let data: TemplateValue = .map(["Status": "firing", "Name": "InstanceDown"])
        #expect(try template.execute(templateNamed: "body", data: data) == "[firing] InstanceDown!")
        #expect(template.templateNames == ["body", "notifications", "subject"])
        #expect(throws: TemplateError.self) { try template.execute(templateNamed: "missing", data: data) }
    }

    @Test func redefinitionOfANonEmptyTemplateIsAnError() {
        #expect(throws: TemplateError(message: "template: t:1: template: multiple definition of template \"a\"")) {
            try Template(name: "t", text: "{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}")
        }
    }

    @Test func predeclaredVariables() throws {
        let template = try Template(name: "t", text: "{{ $greeting }}, {{ .Name }}", functions: .builtins, variables: ["$greeting"])
        #expect(try template.execute(data: .map(["Name": "Ada"]), variables: ["$greeting": "Hello"]) == "Hello, Ada")
    }

    @Test func recordFieldsAndMethods() throws {
        let firing = TemplateFunction(parameters: []) { _ in .list(["a1", "a2"]) }
        let join = TemplateFunction(parameters: [.string]) { call in
            guard case .string(let separator) = call[0] else { return .null }
            return .string(["x", "y"].joined(separator: separator))
        }
        let record = TemplateRecord(typeName: "*template.Data", fields: [("Receiver", "team")],
                                    methods: ["Firing": firing, "Join": join])
        let template = try Template(name: "t", text: "{{ .Receiver }} {{ len .Firing }} {{ .Join \"+\" }} {{ range .Firing }}{{ . }}{{ end }}")
        #expect(try template.execute(data: .record(record)) == "team 2 x+y a1a2")
        let missing = try Template(name: "t", text: "{{ .Nope }}")
        #expect(throws: TemplateError(message: "template: t:1:3: executing \"t\" at <.Nope>: can't evaluate field Nope in type *template.Data")) {
            try missing.execute(data: .record(record))
        }
        #expect(try Template(name: "t", text: "{{ . }}").execute(data: .record(record)) == "&{team}")
    }

    @Test func infiniteRecursionFails() {
        let text = "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}"
        let expander = PrometheusTemplateExpander(
            name: "__alert_R", text: text, labels: [:], value: 0, externalLabels: [:], externalURL: "", timestamp: 0, querier: nil)
        #expect(expander.expand().contains("exceeded maximum template depth (100)"))
    }

    @Test func deepNestingIsRejectedAtParse() throws {
        let deep = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        #expect(PrometheusTemplateExpander.syntaxError(name: "t", text: "{{ " + deep + " }}")?.hasSuffix("max expression depth exceeded") == true)
        let fine = String(repeating: "(", count: 20) + "1" + String(repeating: ")", count: 20)
        #expect(try Template(name: "t", text: "{{ " + fine + " }}").execute(data: .null) == "1")
    }

    @Test func timeLayoutsAndDurations() throws {
        let template = try Template(name: "t", text: "{{ .T.Format \"Mon Jan _2 15:04:05 MST 2006\" }}|{{ .T.Format \"2006-01-02T15:04:05.999Z07:00\" }}|{{ .T.Format \"3:04PM\" }}|{{ .D }}|{{ printf \"%v %d\" .D .D }}")
        let data: TemplateValue = .map([
            "T": .time(unixNanoseconds: 1_435_065_584_128_000_000),
            "D": .duration(nanoseconds: 90_500_000_000),
        ])
        #expect(try template.execute(data: data)
            == "Tue Jun 23 13:19:44 UTC 2015|2015-06-23T13:19:44.128Z|1:19PM|1m30.5s|1m30.5s 90500000000")
    }

    @Test func goDurationStrings() throws {
        let cases: [(Int64, String)] = [
            (0, "0s"), (1, "1ns"), (1_500, "1.5µs"), (2_000_000, "2ms"), (1_000_000_000, "1s"), (3_600_000_000_000, "1h0m0s"),
            (-90_000_000_000, "-1m30s"),
        ]
        let template = try Template(name: "t", text: "{{ . }}")
        for (nanoseconds, expected) in cases {
            #expect(try template.execute(data: .duration(nanoseconds: nanoseconds)) == expected)
        }
    }
}
