/// All glob mappings compiled into one trie over dot-separated segments.
///
/// Matching walks the name's segments once, following the literal child and any wildcard
/// children of each node, so its cost depends on the name and how many wildcards overlap,
/// not on how many rules exist. With ordering (statsd_exporter's default) the matching rule
/// listed first wins; subtrees whose earliest rule cannot beat the best found are skipped.
/// Without ordering the first match found wins, literal segments tried before wildcards.
struct GlobMatcher: Sendable {
    private struct Node: Sendable {
        var literals: [String: Int] = [:]
        var wildcards: [(pieces: [Substring], child: Int)] = []
        var wildcardIndex: [String: Int] = [:]
        /// Rules ending here, in file order.
        var rules: [Int] = []
        /// The earliest rule anywhere below, for pruning.
        var earliestRule = Int.max
    }

    private var nodes = [Node()]
    let ordered: Bool

    init(ordered: Bool) {
        self.ordered = ordered
    }

    /// Adds `glob` for rule number `rule`; rules must be added in file order.
    mutating func add(_ glob: String, rule: Int) {
        var current = 0
        nodes[current].earliestRule = min(nodes[current].earliestRule, rule)
        for segment in glob.split(separator: ".", omittingEmptySubsequences: false) {
            let key = String(segment)
            let next: Int
            if segment.contains("*") {
                if let existing = nodes[current].wildcardIndex[key] {
                    next = existing
                } else {
                    next = nodes.count
                    nodes.append(Node())
                    let pieces = key.split(separator: "*", omittingEmptySubsequences: false)
                    nodes[current].wildcards.append((pieces, next))
                    nodes[current].wildcardIndex[key] = next
                }
            } else if let existing = nodes[current].literals[key] {
                next = existing
            } else {
                next = nodes.count
                nodes.append(Node())
                nodes[current].literals[key] = next
            }
            current = next
            nodes[current].earliestRule = min(nodes[current].earliestRule, rule)
        }
        nodes[current].rules.append(rule)
    }

    /// The winning rule for `name` among those `accept` allows, with one capture per `*`.
    func match(_ name: String, accept: (Int) -> Bool) -> (rule: Int, captures: [Substring])? {
        let segments = name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { Substring($0) }
        var captures: [Substring] = []
        var best: (rule: Int, captures: [Substring])?
        search(node: 0, depth: 0, segments: segments, captures: &captures, best: &best, accept: accept)
        return best
    }

    private func search(node: Int, depth: Int, segments: [Substring], captures: inout [Substring],
                        best: inout (rule: Int, captures: [Substring])?, accept: (Int) -> Bool) {
        if let found = best, !ordered || nodes[node].earliestRule >= found.rule { return }
        if depth == segments.count {
            if let rule = nodes[node].rules.first(where: accept), best.map({ rule < $0.rule }) ?? true {
                best = (rule, captures)
            }
            return
        }
        let segment = segments[depth]
        if let child = nodes[node].literals[String(segment)] {
            search(node: child, depth: depth + 1, segments: segments, captures: &captures, best: &best, accept: accept)
        }
        for wildcard in nodes[node].wildcards {
            if best != nil && !ordered { return }
            let mark = captures.count
            if GlobPattern.match(wildcard.pieces, segment, captures: &captures) {
                search(node: wildcard.child, depth: depth + 1, segments: segments, captures: &captures, best: &best, accept: accept)
            }
            captures.removeSubrange(mark...)
        }
    }
}
