import Foundation
import OutpostCore
import PromQL
import TSDB

/// Checks one `eval` command; `run()` returns nil on success or why it failed.
struct EvalCheck {
    let engine: Engine
    let command: TestScript.EvalCommand

    func run() -> String? {
        let expr: Expr
        do {
            expr = try Parser.parse(command.expr)
        } catch {
            return command.has(.fail) ? checkFailure(QueryError.parse(error)) : "parse error: \(error)"
        }
        if command.isRange && !command.rangeVectorExpected {
            do {
                let result = try engine.rangeQuery(expr, start: command.start, end: command.end, step: command.step)
                if command.has(.fail) { return "expected error but got none" }
                if let problem = checkAnnotations(result.annotations) { return problem }
                return compare(result.value)
            } catch {
                return command.has(.fail) ? checkFailure(error) : "error: \(error)"
            }
        }
        var queries = [(expr, command.start)]
        if expr.functionNames.isDisjoint(with: ConformanceRunner.atModifierUnsafeFunctions) {
            let t = command.start
            let pinned = expr.pinned(at: t)
            let times: [Int64] = t == 0 ? [-1000, 0, 1000] : [-10 * t, 0, t / 5, t, 10 * t]
            queries += times.map { (pinned, $0) }
        }
        for (query, t) in queries {
            if let problem = runInstant(query, at: t) { return problem }
        }
        return nil
    }

    private func runInstant(_ expr: Expr, at t: Int64) -> String? {
        let result: QueryResult
        do {
            result = try engine.instantQuery(expr, at: t)
        } catch {
            return command.has(.fail) ? checkFailure(error) : "error at \(t): \(error)"
        }
        if command.has(.fail) { return "expected error but got none" }
        if let problem = checkAnnotations(result.annotations) { return problem }
        if let problem = compare(result.value) { return "at \(t): \(problem)" }
        switch result.value {
        case .string, .matrix: return nil
        case .scalar, .vector: break
        }
        let range: QueryResult
        do {
            range = try engine.rangeQuery(expr, start: t - 60_000, end: t + 60_000, step: 60_000)
        } catch {
            return "error in range mode at \(t): \(error)"
        }
        if command.has(.ordered) { return nil }
        guard case .matrix(let series) = range.value else { return "range mode returned no matrix" }
        var vector: [VectorSample] = []
        for s in series {
            if let point = s.points.first(where: { $0.t == t }) { vector.append(VectorSample(labels: s.labels, t: t, value: point.value)) }
        }
        let problem: String?
        if case .scalar = result.value {
            guard let first = vector.first else { return "range mode: no scalar point" }
            problem = compare(.scalar(t: t, value: first.value))
        } else {
            problem = compare(.vector(vector))
        }
        return problem.map { "range mode at \(t): \($0)" }
    }

    private func checkFailure(_ error: Error) -> String? {
        let message = (error as? QueryError)?.description ?? "\(error)"
        for expectation in command.of(.fail) {
            if let expected = expectation.message, expected != message {
                return "expected error \(expected) but got \(message)"
            }
            if let pattern = expectation.regex {
                guard let regex = try? Regex(pattern), (try? regex.firstMatch(in: message)) != nil else {
                    return "expected error matching \(pattern) but got \(message)"
                }
            }
        }
        return nil
    }

    private func matches(_ expectation: TestScript.Expectation, _ text: String) -> Bool {
        if let message = expectation.message { return message == text }
        if let pattern = expectation.regex {
            guard let regex = try? Regex(pattern) else { return false }
            return (try? regex.firstMatch(in: text)) != nil
        }
        return true
    }

    private func checkAnnotations(_ annotations: Annotations) -> String? {
        for (kind, negative, actual) in [(TestScript.Expectation.Kind.warn, TestScript.Expectation.Kind.noWarn, annotations.warnings),
                                         (.info, .noInfo, annotations.infos)] {
            let expected = command.of(kind)
            if !expected.isEmpty {
                if actual.isEmpty { return "expected \(kind.rawValue) annotations but got none" }
                for e in expected where !actual.contains(where: { matches(e, $0) }) {
                    return "expected \(kind.rawValue) \(e.message ?? e.regex ?? "") but got \(actual)"
                }
                for a in actual where !expected.contains(where: { matches($0, a) }) {
                    return "unexpected \(kind.rawValue) \(a)"
                }
            }
            if command.has(negative) && !actual.isEmpty { return "unexpected \(kind.rawValue) \(actual)" }
        }
        return nil
    }

    private func compare(_ value: QueryValue) -> String? {
        let expectScalar = command.expected.first?.isScalar ?? false
        var expectedByLabels: [Labels: (position: Int, values: [SequenceValue])] = [:]
        for (index, line) in command.expected.enumerated() where !line.isScalar {
            expectedByLabels[line.labels] = (index + 1, line.values)
        }
        switch value {
        case .string(_, let s):
            guard s == command.expectedString else { return "expected string \(command.expectedString ?? "nil") but got \(s)" }
            return nil
        case .scalar(_, let v):
            guard expectScalar, case .float(let e)? = command.expected.first?.values.first else {
                return "expected vector or matrix result, but got scalar \(v)"
            }
            return almostEqual(e, v) ? nil : "expected scalar \(e) but got \(v)"
        case .vector(let samples):
            if expectScalar { return "expected scalar result, but got vector" }
            var seen: Set<Labels> = []
            for (position, sample) in samples.enumerated() {
                guard let expected = expectedByLabels[sample.labels] else {
                    return "unexpected metric \(sample.labels) in result, has value \(sample.value)"
                }
                if command.has(.ordered) && expected.position != position + 1 {
                    return "expected metric \(sample.labels) at position \(expected.position) but was at \(position + 1)"
                }
                guard case .float(let e)? = expected.values.first, almostEqual(e, sample.value) else {
                    return "expected \(expected.values.first.map { "\($0)" } ?? "nothing") for \(sample.labels) but got \(sample.value)"
                }
                seen.insert(sample.labels)
            }
            for labels in expectedByLabels.keys where !seen.contains(labels) {
                return "expected metric \(labels) not found"
            }
            return nil
        case .matrix(let series):
            if command.has(.ordered) { return "expected ordered result, but query returned a matrix" }
            if expectScalar { return "expected scalar result, but got matrix" }
            var seen: Set<Labels> = []
            for s in series {
                guard let expected = expectedByLabels[s.labels] else {
                    return "unexpected metric \(s.labels) in result, has \(s.points.map(\.value))"
                }
                seen.insert(s.labels)
                var wanted: [Point] = []
                for (index, value) in expected.values.enumerated() {
                    let t = command.start + Int64(index) * command.step
                    if t > command.end { return "expected \(expected.values.count) points for \(s.labels), but query time range cannot return this many points" }
                    if case .float(let v) = value { wanted.append(Point(t: t, value: v)) }
                }
                guard wanted.count == s.points.count else {
                    return "expected \(wanted.count) points for \(s.labels), but got \(s.points.map { "\($0.value)@\($0.t)" })"
                }
                for (w, a) in zip(wanted, s.points) where w.t != a.t || !almostEqual(w.value, a.value) {
                    return "expected \(w.value)@\(w.t) for \(s.labels) but got \(a.value)@\(a.t)"
                }
            }
            for labels in expectedByLabels.keys where !seen.contains(labels) {
                return "expected metric \(labels) not found"
            }
            return nil
        }
    }

    /// Prometheus's `almost.Equal` with a relative epsilon of 1e-6.
    private func almostEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let absSum = abs(a) + abs(b)
        let diff = abs(a - b)
        if a == 0 || b == 0 || absSum < Double.leastNormalMagnitude { return diff < 1e-6 * Double.leastNormalMagnitude }
        return diff / min(absSum, Double.greatestFiniteMagnitude) < 1e-6
    }
}
