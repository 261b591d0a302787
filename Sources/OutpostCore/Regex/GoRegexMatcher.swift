/// Whether a Go regular expression matches, answered in time linear in the text (Thompson's
/// construction, as RE2 does), where Swift's `Regex` and ICU backtrack: `(.*)*x` against 24
/// characters takes them seconds to minutes. Label matchers use it, since their patterns come
/// from queries, silences and API calls.
public struct GoRegexMatcher: Sendable {
    private enum Instruction: Sendable {
        case scalar(Int)
        case split(Int, Int)
        case jump(Int)
        case assert(GoRegexAssertion)
        case match
    }

    private let pattern: String
    /// The pattern as Swift's `Regex` and ICU read it with Go's meaning (`GoRegexSyntax`), from
    /// the same parse, for the uses that also need captures.
    public let translation: String
    private let program: [Instruction]
    private let sets: [CompiledSet]
    /// The program starts with `\A`, so a match can only start at the beginning.
    private let anchored: Bool

    /// Go's own limit on a compiled program is of this order; beyond it a pattern is refused.
    private static let maximumInstructions = 100_000

    public init(_ pattern: String) throws(GoRegexError) {
        var parser = GoRegexParser(pattern)
        let node = try parser.parse()
        var compiler = Compiler(pattern: pattern)
        try compiler.emit(node)
        self.pattern = pattern
        translation = GoRegexSyntax.translation(of: node)
        compiler.program.append(.match)
        program = compiler.program
        sets = compiler.sets.map(CompiledSet.init)
        if case .assert(.beginText) = program[0] { anchored = true } else { anchored = false }
    }

    /// The same pattern compiled for Swift's `Regex`, to extract captures once `matches` says yes.
    public func swiftRegex() throws(GoRegexError) -> Regex<AnyRegexOutput> {
        try GoRegexSyntax.swiftRegex(translation: translation, pattern: pattern)
    }

    /// A set with its ASCII members precomputed, since label values are mostly ASCII.
    private struct CompiledSet: Sendable {
        let set: GoScalarSet
        let low: UInt64
        let high: UInt64

        init(_ set: GoScalarSet) {
            self.set = set
            var low: UInt64 = 0, high: UInt64 = 0
            func add(_ value: UInt32) {
                if value < 64 { low |= 1 << UInt64(value) } else { high |= 1 << UInt64(value - 64) }
            }
            if set.isPlainRanges {
                for range in set.ranges where range.lowerBound < 128 {
                    for value in range.lowerBound...min(range.upperBound, 127) { add(value) }
                }
                if set.negated {
                    low = ~low
                    high = ~high
                }
            } else {
                for value in UInt32(0)..<128 where set.contains(Unicode.Scalar(value)!) { add(value) }
            }
            self.low = low
            self.high = high
        }

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            if value < 64 { return low & (1 << UInt64(value)) != 0 }
            if value < 128 { return high & (1 << UInt64(value - 64)) != 0 }
            return set.contains(scalar)
        }
    }

    private struct Compiler {
        let pattern: String
        var program: [Instruction] = []
        var sets: [GoScalarSet] = []
        /// A set's spelling (and case folding) names it, so `[a-z]{1000}` compiles one set, not 1,000.
        var setIndices: [String: Int] = [:]

        mutating func emit(_ node: GoRegexNode) throws(GoRegexError) {
            switch node {
            case .scalar(let set, let spelled):
                let key = set.caseInsensitive ? "(?i)" + spelled : spelled
                if let known = setIndices[key] {
                    program.append(.scalar(known))
                } else {
                    sets.append(set)
                    setIndices[key] = sets.count - 1
                    program.append(.scalar(sets.count - 1))
                }
            case .assertion(let assertion, _): program.append(.assert(assertion))
            case .flags: break
            case .group(_, let child): try emit(child)
            case .sequence(let items):
                for item in items { try emit(item) }
            case .alternation(let alternatives):
                var jumps: [Int] = []
                for alternative in alternatives.dropLast() {
                    let split = program.count
                    program.append(.split(split + 1, -1))
                    try emit(alternative)
                    jumps.append(program.count)
                    program.append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                }
                if let last = alternatives.last { try emit(last) }
                for jump in jumps { program[jump] = .jump(program.count) }
            case .repetition(let child, let minimum, let maximum, _):
                for _ in 0..<minimum { try emit(child) }
                if let maximum {
                    var splits: [Int] = []
                    for _ in minimum..<maximum {
                        splits.append(program.count)
                        program.append(.split(program.count + 1, -1))
                        try emit(child)
                    }
                    for split in splits { program[split] = .split(split + 1, program.count) }
                } else {
                    let loop = program.count
                    program.append(.split(loop + 1, -1))
                    try emit(child)
                    program.append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
            guard program.count <= GoRegexMatcher.maximumInstructions else {
                throw GoRegexError(code: "expression too large", expression: pattern)
            }
        }
    }

    /// Whether the pattern matches somewhere in `text`, as Go's `MatchString`; a pattern
    /// anchored at both ends (`^…$`) matches only the whole text.
    public func matches(_ text: String) -> Bool {
        let capacity = program.count
        // Two sparse sets of states (dense and sparse halves each) and the stack `follow` works from.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity * 6 + 2) { memory in
            let base = memory.baseAddress!
            base.initialize(repeating: 0, count: capacity * 6 + 2)
            var current = StateSet(dense: base, sparse: base + capacity)
            var next = StateSet(dense: base + 2 * capacity, sparse: base + 3 * capacity)
            let stack = base + 4 * capacity
            var scalars = text.unicodeScalars.makeIterator()
            var previous: Unicode.Scalar?
            var scalar = scalars.next()
            while true {
                // `previous` is nil only at the start of the text, the one place an anchored match begins.
                if previous == nil || !anchored,
                   follow(from: 0, into: &current, after: previous, before: scalar, stack: stack) {
                    return true
                }
                guard let read = scalar, current.count > 0 || !anchored else { return false }
                let following = scalars.next()
                next.count = 0
                for slot in 0..<current.count {
                    let state = current.dense[slot]
                    guard case .scalar(let set) = program[state], sets[set].contains(read) else { continue }
                    if follow(from: state + 1, into: &next, after: read, before: following, stack: stack) { return true }
                }
                swap(&current, &next)
                previous = read
                scalar = following
            }
        }
    }

    /// The states live at one position of the text, each once (a sparse set over scratch memory).
    private struct StateSet {
        let dense: UnsafeMutablePointer<Int>
        let sparse: UnsafeMutablePointer<Int>
        var count = 0

        func contains(_ state: Int) -> Bool {
            let slot = sparse[state]
            return slot < count && dense[slot] == state
        }

        mutating func insert(_ state: Int) {
            sparse[state] = count
            dense[count] = state
            count += 1
        }
    }

    /// Adds `start` and every state reachable from it without reading a scalar; true on reaching a
    /// match. Each state is pushed at most once per call after the first visit check, so `stack`
    /// needs room for two entries per state.
    private func follow(from start: Int, into states: inout StateSet, after previous: Unicode.Scalar?,
                        before next: Unicode.Scalar?, stack: UnsafeMutablePointer<Int>) -> Bool {
        var depth = 1
        stack[0] = start
        while depth > 0 {
            depth -= 1
            let state = stack[depth]
            if states.contains(state) { continue }
            states.insert(state)
            switch program[state] {
            case .jump(let target):
                stack[depth] = target
                depth += 1
            case .split(let preferred, let other):
                stack[depth] = other
                stack[depth + 1] = preferred
                depth += 2
            case .assert(let assertion):
                if assertion.holds(after: previous, before: next) {
                    stack[depth] = state + 1
                    depth += 1
                }
            case .match: return true
            case .scalar: break
            }
        }
        return false
    }
}
