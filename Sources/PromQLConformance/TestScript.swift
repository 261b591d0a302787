import OutpostCore
import PromQL

/// A parsed `.test` file of Prometheus's PromQL test suite.
struct TestScript {
    enum Command {
        case load(step: Int64, series: [SeriesLine], withNHCB: Bool)
        case clear
        case eval(EvalCommand)
    }

    struct Expectation {
        enum Kind: String { case fail, warn, info, noWarn = "no_warn", noInfo = "no_info", ordered }
        var kind: Kind
        var message: String?
        var regex: String?
    }

    struct EvalCommand {
        var line: Int
        var expr: String
        var isRange: Bool
        var start: Int64
        var end: Int64
        var step: Int64
        var expectations: [Expectation] = []
        var expected: [SeriesLine] = []
        var expectedString: String?
        var rangeVectorExpected = false

        func has(_ kind: Expectation.Kind) -> Bool { expectations.contains { $0.kind == kind } }
        func of(_ kind: Expectation.Kind) -> [Expectation] { expectations.filter { $0.kind == kind } }
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    var commands: [Command] = []

    init(_ text: String) throws {
        // As Prometheus does: trimmed lines, comments become blank lines (which end a block).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { raw -> String in
            let line = raw.trimmingCharacters(in: .whitespaces)
            return line.hasPrefix("#") ? "" : line
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.isEmpty {
                i += 1
                continue
            }
            if line == "clear" {
                commands.append(.clear)
                i += 1
            } else if line.hasPrefix("load") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                guard parts.count == 2, let step = PrometheusDuration.milliseconds(String(parts[1])) else {
                    throw Invalid(description: "line \(i + 1): bad load")
                }
                var series: [SeriesLine] = []
                i += 1
                while i < lines.count, !lines[i].isEmpty {
                    series.append(try SeriesLine.parse(lines[i]))
                    i += 1
                }
                commands.append(.load(step: step, series: series, withNHCB: parts[0] == "load_with_nhcb"))
            } else if line.hasPrefix("eval") {
                var command = try TestScript.parseEvalLine(line, number: i + 1)
                i += 1
                while i < lines.count, !lines[i].isEmpty {
                    try TestScript.addDetail(lines[i], to: &command)
                    i += 1
                }
                commands.append(.eval(command))
            } else {
                throw Invalid(description: "line \(i + 1): unknown command \(line)")
            }
        }
    }

    private static func duration(_ text: String) throws -> Int64 {
        guard let ms = PrometheusDuration.milliseconds(text.trimmingCharacters(in: .whitespaces)) else {
            throw Invalid(description: "bad duration \(text)")
        }
        return ms
    }

    private static func parseEvalLine(_ line: String, number: Int) throws -> EvalCommand {
        var words = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).map(String.init)
        let head = words.removeFirst()
        var rest = words.first ?? ""
        var expectations: [Expectation] = []
        switch head {
        case "eval": break
        case "eval_fail": expectations.append(Expectation(kind: .fail))
        case "eval_warn": expectations.append(Expectation(kind: .warn))
        case "eval_info": expectations.append(Expectation(kind: .info))
        case "eval_ordered": expectations.append(Expectation(kind: .ordered))
        default: throw Invalid(description: "line \(number): bad eval \(head)")
        }
        func take() -> String {
            let trimmed = rest.drop { $0 == " " || $0 == "\t" }
            let word = trimmed.prefix { $0 != " " && $0 != "\t" }
            rest = String(trimmed.dropFirst(word.count))
            return String(word)
        }
        let mode = take()
        var command: EvalCommand
        if mode == "instant" {
            guard take() == "at" else { throw Invalid(description: "line \(number): expected at") }
            let t = try duration(take())
            command = EvalCommand(line: number, expr: rest.trimmingCharacters(in: .whitespaces), isRange: false, start: t, end: t, step: 0)
        } else if mode == "range" {
            guard take() == "from" else { throw Invalid(description: "line \(number): expected from") }
            let from = try duration(take())
            guard take() == "to" else { throw Invalid(description: "line \(number): expected to") }
            let to = try duration(take())
            guard take() == "step" else { throw Invalid(description: "line \(number): expected step") }
            let step = try duration(take())
            command = EvalCommand(line: number, expr: rest.trimmingCharacters(in: .whitespaces), isRange: true, start: from, end: to, step: step)
        } else {
            throw Invalid(description: "line \(number): bad eval mode \(mode)")
        }
        command.expectations = expectations
        return command
    }

    private static func addDetail(_ line: String, to command: inout EvalCommand) throws {
        if line.hasPrefix("expected_fail_message") {
            command.expectations.removeAll { $0.kind == .fail }
            command.expectations.append(Expectation(kind: .fail, message: line.dropFirst("expected_fail_message".count).trimmingCharacters(in: .whitespaces)))
        } else if line.hasPrefix("expected_fail_regexp") {
            command.expectations.removeAll { $0.kind == .fail }
            command.expectations.append(Expectation(kind: .fail, regex: line.dropFirst("expected_fail_regexp".count).trimmingCharacters(in: .whitespaces)))
        } else if line.hasPrefix("expect range vector") {
            let words = line.split(separator: " ").map(String.init)
            guard words.count == 9 else { throw Invalid(description: "bad range vector line \(line)") }
            command.start = try duration(words[4])
            command.end = try duration(words[6])
            command.step = try duration(words[8])
            command.rangeVectorExpected = true
        } else if line.hasPrefix("expect string") {
            var text = line.dropFirst("expect string".count).trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            command.expectedString = text
        } else if line.hasPrefix("expect ") {
            var body = line.dropFirst("expect ".count).trimmingCharacters(in: .whitespaces)
            let kindWord = body.prefix { $0 != " " && $0 != ":" }
            guard let kind = Expectation.Kind(rawValue: String(kindWord)) else { throw Invalid(description: "bad expect \(line)") }
            body = body.dropFirst(kindWord.count).trimmingCharacters(in: .whitespaces)
            var expectation = Expectation(kind: kind)
            if body.hasPrefix("msg:") {
                expectation.message = body.dropFirst(4).trimmingCharacters(in: .whitespaces)
            } else if body.hasPrefix("regex:") {
                expectation.regex = body.dropFirst(6).trimmingCharacters(in: .whitespaces)
            }
            if kind == .fail { command.expectations.removeAll { $0.kind == .fail } }
            command.expectations.append(expectation)
        } else {
            command.expected.append(try SeriesLine.parse(line))
        }
    }
}
