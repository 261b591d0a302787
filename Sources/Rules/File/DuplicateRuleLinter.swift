import OutpostCore

/// A rule written more than once in one file: same name, labels and expression.
public struct DuplicateRule: Sendable, Equatable {
    public var name: String
    public var labels: Labels

    public init(name: String, labels: Labels) {
        self.name = name
        self.labels = labels
    }
}

/// promtool's `--lint=duplicate-rules` check over the groups of one file.
public enum DuplicateRuleLinter {
    /// Each rule that appears more than once, reported once however many copies, sorted by name.
    public static func duplicates(in groups: [RuleGroup]) -> [DuplicateRule] {
        struct Key: Hashable {
            var name: String
            var labels: Labels
            var query: String
        }
        var counts: [Key: Int] = [:]
        var order: [Key] = []
        for group in groups {
            for rule in group.rules {
                let key = Key(name: rule.name, labels: rule.labels, query: rule.query)
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
        }
        var result: [DuplicateRule] = []
        for key in order.sorted(by: { $0.name < $1.name }) where counts[key, default: 0] > 1 {
            result.append(DuplicateRule(name: key.name, labels: key.labels))
        }
        return result
    }
}
