import Foundation
import OutpostCore
import Rules
import Testing

@Suite struct RuleFileParserTests {
    private func errors(_ yaml: String, ignoreUnknownFields: Bool = false) -> [String] {
        switch RuleFileLoader.parse(yaml: yaml, file: "r.yml", ignoreUnknownFields: ignoreUnknownFields) {
        case .success: return []
        case .failure(let errors): return errors.errors.map(\.description)
        }
    }

    private func groups(_ yaml: String) throws -> [RuleGroup] {
        try RuleFileLoader.parse(yaml: yaml, file: "r.yml", defaultInterval: 30_000).get()
    }

    @Test func readsGroupsAndRules() throws {
        let parsed = try groups("""
            groups:
              - name: g
                interval: 2m
                query_offset: 10s
                limit: 5
                labels: {team: a}
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                    labels: {team: b}
                  - alert: Down
                    expr: up == 0
                    for: 5m
                    keep_firing_for: 1m
                    labels: {severity: page}
                    annotations: {summary: "{{ $labels.instance }} down"}
              - name: h
                rules: []
            """)
        #expect(parsed.count == 2)
        let g = parsed[0]
        #expect(g.name == "g" && g.file == "r.yml" && g.interval == 120_000 && g.queryOffset == 10_000 && g.limit == 5)
        #expect(g.rules.count == 2)
        #expect(g.rules[0].kind == .recording && g.rules[0].name == "job:up:sum")
        #expect(g.rules[0].labels == ["team": "b"])
        #expect(g.rules[1].kind == .alerting && g.rules[1].holdDuration == 300_000 && g.rules[1].keepFiringFor == 60_000)
        #expect(g.rules[1].labels == ["team": "a", "severity": "page"])
        #expect(g.rules[1].annotations == ["summary": "{{ $labels.instance }} down"])
        #expect(g.rules[1].position == SourcePosition(line: 11, column: 9))
        #expect(parsed[1].interval == 30_000, "groups without interval take the global default")
    }

    @Test func emptyFileHasNoGroups() throws {
        #expect(try groups("").isEmpty)
        #expect(try groups("groups:\n").isEmpty)
    }

    @Test func reportsGroupProblemsWithPositions() {
        let found = errors("""
            groups:
              - name: a
                rules: []
              - name: a
                rules: []
              - name: ""
                rules: []
            """)
        #expect(found == [
            "r.yml:4:5: groupname: \"a\" is repeated in the same file",
            "r.yml:6:5: Groupname must not be empty",
        ])
    }

    @Test func reportsEveryRuleProblem() {
        let found = errors("""
            groups:
              - name: g
                rules:
                  - record: a
                    alert: b
                    expr: up
                  - expr: up
                  - record: bad-name
                    expr: up +
                    for: 1m
                    keep_firing_for: 1m
                    annotations: {x: y}
                  - alert: A
                    expr: up
                    labels: {__name__: x, "1a": y}
                    annotations: {"b-c": z}
                  - record: r
            """)
        #expect(found == [
            "r.yml:4:17: group \"g\", rule 1, \"b\": only one of 'record' and 'alert' must be set",
            "r.yml:7:9: group \"g\", rule 2, \"\": one of 'record' or 'alert' must be set",
            "r.yml:9:15: group \"g\", rule 3, \"bad-name\": could not parse expression: 1:5: parse error: unexpected end of input",
            "r.yml:8:17: group \"g\", rule 3, \"bad-name\": invalid field 'annotations' in recording rule",
            "r.yml:8:17: group \"g\", rule 3, \"bad-name\": invalid field 'for' in recording rule",
            "r.yml:8:17: group \"g\", rule 3, \"bad-name\": invalid field 'keep_firing_for' in recording rule",
            "r.yml:8:17: group \"g\", rule 3, \"bad-name\": invalid recording rule name: bad-name",
            "r.yml:15:18: group \"g\", rule 4, \"A\": invalid label name: __name__",
            "r.yml:15:31: group \"g\", rule 4, \"A\": invalid label name: 1a",
            "r.yml:16:23: group \"g\", rule 4, \"A\": invalid annotation name: b-c",
            "r.yml:17:9: group \"g\", rule 5, \"r\": field 'expr' must be set in rule",
        ])
    }

    @Test func unknownFieldsAreErrorsUnlessIgnored() throws {
        let yaml = """
            groups:
              - name: g
                owner: me
                rules:
                  - record: r
                    expr: up
                    team: x
            """
        #expect(errors(yaml) == [
            "r.yml:3:5: field owner not found in type rulefmt.RuleGroup",
            "r.yml:7:9: field team not found in type rulefmt.Rule",
        ])
        #expect(errors(yaml, ignoreUnknownFields: true).isEmpty)
    }

    @Test func typeAndDurationErrors() {
        #expect(errors("groups:\n  - name: g\n    interval: 5x\n    rules: []\n") == ["r.yml:3:15: not a valid duration string: \"5x\""])
        #expect(errors("groups: 3\n") == ["r.yml:1:9: cannot unmarshal !!str `3` into []rulefmt.RuleGroup"])
        #expect(errors("groups:\n  - name: g\n    limit: many\n") == ["r.yml:3:12: cannot unmarshal !!str `many` into int"])
        #expect(errors("groups: [\n").first?.hasPrefix("r.yml:") == true)
    }

    @Test func lintFindsDuplicateRulesOncePerRule() throws {
        let parsed = try groups("""
            groups:
              - name: a
                rules:
                  - record: x
                    expr: up
                    labels: {k: v}
                  - record: x
                    expr: up
                    labels: {k: v}
                  - record: x
                    expr: up
                    labels: {k: v}
                  - record: x
                    expr: up + 1
                    labels: {k: v}
                  - record: y
                    expr: up
            """)
        #expect(DuplicateRuleLinter.duplicates(in: parsed) == [DuplicateRule(name: "x", labels: ["k": "v"])])
    }
}

@Suite struct RuleFileLoaderTests {
    @Test func collectsErrorsOfEveryFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yml").path
        let bad = directory.appendingPathComponent("bad.yml").path
        let missing = directory.appendingPathComponent("missing.yml").path
        try "groups: [{name: g, rules: [{record: r, expr: up}]}]".write(toFile: good, atomically: true, encoding: .utf8)
        try "groups: [{name: g, rules: [{record: r}]}]".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try RuleFileLoader.load(paths: [good], defaultInterval: 15_000).map(\.interval) == [15_000])
        #expect(throws: RuleFileErrors.self) { try RuleFileLoader.load(paths: [good, bad, missing]) }
        do {
            _ = try RuleFileLoader.load(paths: [good, bad, missing])
        } catch {
            #expect(error.errors.map(\.file) == [bad, missing])
            #expect(error.errors.last?.message == "open \(missing): no such file or directory")
        }
    }
}
