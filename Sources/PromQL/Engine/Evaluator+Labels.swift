import OutpostCore

extension Evaluator {
    mutating func labelReplace(_ c: Call, at t: Int64) throws(QueryError) -> [EvalSample] {
        let samples = try evalVector(c.args[0], at: t)
        let destination = try evalString(c.args[1], at: t)
        let replacement = try evalString(c.args[2], at: t)
        let source = try evalString(c.args[3], at: t)
        let pattern = try evalString(c.args[4], at: t)
        let regex: CapturingRegex
        do { regex = try CapturingRegex(pattern) } catch {
            throw .execution("invalid regular expression in label_replace(): \(pattern)")
        }
        guard isValidLabelName(destination) else {
            throw .execution("invalid destination label name in label_replace(): \(destination)")
        }
        return samples.map { sample in
            guard let groups = regex.match(sample.labels[source] ?? "") else { return sample }
            var out = sample
            out.seriesID = -1
            out.labels[destination] = regex.expand(replacement, groups)
            if destination == Labels.metricName { out.dropName = false }
            return out
        }
    }

    mutating func labelJoin(_ c: Call, at t: Int64) throws(QueryError) -> [EvalSample] {
        let samples = try evalVector(c.args[0], at: t)
        let destination = try evalString(c.args[1], at: t)
        let separator = try evalString(c.args[2], at: t)
        var sources: [String] = []
        for arg in c.args.dropFirst(3) {
            let name = try evalString(arg, at: t)
            guard isValidLabelName(name) else { throw .execution("invalid source label name in label_join(): \(name)") }
            sources.append(name)
        }
        guard isValidLabelName(destination) else {
            throw .execution("invalid destination label name in label_join(): \(destination)")
        }
        return samples.map { sample in
            var out = sample
            out.seriesID = -1
            out.labels[destination] = sources.map { sample.labels[$0] ?? "" }.joined(separator: separator)
            if destination == Labels.metricName { out.dropName = false }
            return out
        }
    }
}

/// An anchored regex with capture groups and Go's `$1`/`${name}` template expansion.
struct CapturingRegex {
    private let regex: Regex<AnyRegexOutput>
    /// Decides first, in linear time, whether there is a match at all: a backtracking engine is
    /// slowest, exponentially so for patterns like `(.*)*x`, on the texts it does not match.
    private let matcher: GoRegexMatcher

    init(_ pattern: String) throws {
        matcher = try GoRegexMatcher("^(?s:" + pattern + ")$")
        regex = try matcher.swiftRegex()
    }

    /// Captured groups (index 0 is the whole match) and named groups, or nil when no whole match.
    func match(_ text: String) -> (numbered: [String?], named: [String: String])? {
        guard matcher.matches(text), let match = try? regex.wholeMatch(in: text) else { return nil }
        var numbered: [String?] = []
        var named: [String: String] = [:]
        for element in match.output {
            let value = element.substring.map(String.init)
            numbered.append(value)
            if let name = element.name, let value { named[name] = value }
        }
        return (numbered, named)
    }

    /// Expands a Go regexp template: `$$`, `$1`, `${1}`, `$name`, `${name}`.
    func expand(_ template: String, _ groups: (numbered: [String?], named: [String: String])) -> String {
        let scalars = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isNameScalar(_ s: Unicode.Scalar) -> Bool {
            (s.value >= 48 && s.value <= 57) || (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122) || s == "_"
        }
        while i < scalars.count {
            let scalar = scalars[i]
            i += 1
            guard scalar == "$", i < scalars.count else {
                out.append(scalar)
                continue
            }
            if scalars[i] == "$" {
                out.append("$")
                i += 1
                continue
            }
            var j = i
            let braced = scalars[j] == "{"
            if braced { j += 1 }
            let nameStart = j
            while j < scalars.count && isNameScalar(scalars[j]) { j += 1 }
            let name = String(String.UnicodeScalarView(scalars[nameStart..<j]))
            if name.isEmpty || (braced && (j >= scalars.count || scalars[j] != "}")) {
                out.append("$")
                continue
            }
            if braced { j += 1 }
            i = j
            let replacement: String?
            if let number = Int(name), name.allSatisfy(\.isASCII), name.first?.isNumber == true {
                replacement = number < groups.numbered.count ? groups.numbered[number] : nil
            } else {
                replacement = groups.named[name]
            }
            out.append(contentsOf: (replacement ?? "").unicodeScalars)
        }
        return String(out)
    }
}
