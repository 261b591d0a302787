import OutpostCore
import PromQL
import Yams

/// Parses and validates one Prometheus rule file (`groups: [...]`) as promtool does:
/// structural problems first (types, unknown fields), then every semantic problem at once.
public struct RuleFileParser: Sendable {
    public var file: String
    /// Skips unknown fields instead of rejecting them (`promtool test rules --ignore-unknown-fields`).
    public var ignoreUnknownFields: Bool
    /// Milliseconds between evaluations for groups without `interval` (global `evaluation_interval`).
    public var defaultInterval: Int64
    /// Query offset for groups without `query_offset` (global `rule_query_offset`).
    public var defaultQueryOffset: Int64

    public init(file: String, ignoreUnknownFields: Bool = false, defaultInterval: Int64 = 60_000, defaultQueryOffset: Int64 = 0) {
        self.file = file
        self.ignoreUnknownFields = ignoreUnknownFields
        self.defaultInterval = defaultInterval
        self.defaultQueryOffset = defaultQueryOffset
    }

    /// The groups of `yaml`, or every error found; groups are only returned when there is none.
    public func parse(yaml: String) -> Result<[RuleGroup], RuleFileErrors> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return .failure(RuleFileErrors([yamlError(error)]))
        }
        var errors: [RuleFileError] = []
        var raw: [RawGroup] = []
        if let root, !YAMLNodes.isNull(root) {
            raw = readFile(root, &errors)
        }
        guard errors.isEmpty else { return .failure(RuleFileErrors(errors)) }
        let groups = validate(raw, &errors)
        return errors.isEmpty ? .success(groups) : .failure(RuleFileErrors(errors))
    }

    // MARK: - Structure

    /// A group as written, before validation.
    struct RawGroup {
        var node: Node
        var name = ""
        var interval: Int64?
        var queryOffset: Int64?
        var limit = 0
        var labels: [(name: String, key: Node, value: String)] = []
        var rules: [RawRule] = []
    }

    struct RawRule {
        var node: Node
        var record: (String, Node)?
        var alert: (String, Node)?
        var expr: (String, Node)?
        var holdDuration: Int64 = 0
        var keepFiringFor: Int64 = 0
        var labels: [(name: String, key: Node, value: String)] = []
        var annotations: [(name: String, key: Node, value: String)] = []
    }

    private func error(_ node: Node?, _ message: String) -> RuleFileError {
        let position = YAMLNodes.position(node)
        return RuleFileError(file: file, line: position.line, column: position.column, message: message)
    }

    private func yamlError(_ error: any Error) -> RuleFileError {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return RuleFileError(file: file, line: mark.line, column: mark.column, message: "yaml: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                return RuleFileError(file: file, line: context.mark.line, column: context.mark.column,
                                     message: "yaml: mapping key \(duplicates.joined(separator: ", ")) already defined")
            default:
                break
            }
        }
        return RuleFileError(file: file, line: 1, column: 1, message: "yaml: \(error)")
    }

    private func unknownField(_ name: String, _ key: Node, _ type: String, _ errors: inout [RuleFileError]) {
        guard !ignoreUnknownFields else { return }
        errors.append(error(key, "field \(name) not found in type \(type)"))
    }

    private func readFile(_ root: Node, _ errors: inout [RuleFileError]) -> [RawGroup] {
        guard let entries = YAMLNodes.entries(root) else {
            errors.append(error(root, "cannot unmarshal \(YAMLNodes.describe(root)) into rulefmt.RuleGroups"))
            return []
        }
        var groups: [RawGroup] = []
        for (name, key, value) in entries {
            guard name == "groups" else {
                unknownField(name, key, "rulefmt.RuleGroups", &errors)
                continue
            }
            if YAMLNodes.isNull(value) { continue }
            guard case .sequence(let sequence) = value else {
                errors.append(error(value, "cannot unmarshal \(YAMLNodes.describe(value)) into []rulefmt.RuleGroup"))
                continue
            }
            for node in sequence { groups.append(readGroup(node, &errors)) }
        }
        return groups
    }

    private func readGroup(_ node: Node, _ errors: inout [RuleFileError]) -> RawGroup {
        var group = RawGroup(node: node)
        guard let entries = YAMLNodes.entries(node) else {
            if !YAMLNodes.isNull(node) {
                errors.append(error(node, "cannot unmarshal \(YAMLNodes.describe(node)) into rulefmt.RuleGroup"))
            }
            return group
        }
        for (name, key, value) in entries {
            switch name {
            case "name": group.name = scalar(value, "string", &errors) ?? ""
            case "interval": group.interval = duration(value, &errors)
            case "query_offset": group.queryOffset = duration(value, &errors)
            case "limit":
                if let text = scalar(value, "int", &errors), !text.isEmpty {
                    if let limit = Int(text) { group.limit = limit } else {
                        errors.append(error(value, "cannot unmarshal \(YAMLNodes.describe(value)) into int"))
                    }
                }
            case "labels": group.labels = stringMap(value, &errors)
            case "rules":
                if YAMLNodes.isNull(value) { continue }
                guard case .sequence(let sequence) = value else {
                    errors.append(error(value, "cannot unmarshal \(YAMLNodes.describe(value)) into []rulefmt.Rule"))
                    continue
                }
                group.rules = sequence.map { readRule($0, &errors) }
            default: unknownField(name, key, "rulefmt.RuleGroup", &errors)
            }
        }
        return group
    }

    private func readRule(_ node: Node, _ errors: inout [RuleFileError]) -> RawRule {
        var rule = RawRule(node: node)
        guard let entries = YAMLNodes.entries(node) else {
            if !YAMLNodes.isNull(node) {
                errors.append(error(node, "cannot unmarshal \(YAMLNodes.describe(node)) into rulefmt.Rule"))
            }
            return rule
        }
        for (name, key, value) in entries {
            switch name {
            case "record": rule.record = scalar(value, "string", &errors).map { ($0, value) }
            case "alert": rule.alert = scalar(value, "string", &errors).map { ($0, value) }
            case "expr": rule.expr = scalar(value, "string", &errors).map { ($0, value) }
            case "for": rule.holdDuration = duration(value, &errors) ?? 0
            case "keep_firing_for": rule.keepFiringFor = duration(value, &errors) ?? 0
            case "labels": rule.labels = stringMap(value, &errors)
            case "annotations": rule.annotations = stringMap(value, &errors)
            default: unknownField(name, key, "rulefmt.Rule", &errors)
            }
        }
        return rule
    }

    private func scalar(_ node: Node, _ type: String, _ errors: inout [RuleFileError]) -> String? {
        guard let text = YAMLNodes.string(node) else {
            errors.append(error(node, "cannot unmarshal \(YAMLNodes.describe(node)) into \(type)"))
            return nil
        }
        return text
    }

    private func duration(_ node: Node, _ errors: inout [RuleFileError]) -> Int64? {
        guard let text = scalar(node, "model.Duration", &errors), !text.isEmpty else { return nil }
        guard let milliseconds = PrometheusDuration.milliseconds(text) else {
            errors.append(error(node, "not a valid duration string: \"\(text)\""))
            return nil
        }
        return milliseconds
    }

    private func stringMap(_ node: Node, _ errors: inout [RuleFileError]) -> [(name: String, key: Node, value: String)] {
        if YAMLNodes.isNull(node) { return [] }
        guard let entries = YAMLNodes.entries(node) else {
            errors.append(error(node, "cannot unmarshal \(YAMLNodes.describe(node)) into map[string]string"))
            return []
        }
        var result: [(name: String, key: Node, value: String)] = []
        for (name, key, value) in entries {
            if let text = scalar(value, "string", &errors) { result.append((name, key, text)) }
        }
        return result
    }

    // MARK: - Validation

    private func validate(_ raw: [RawGroup], _ errors: inout [RuleFileError]) -> [RuleGroup] {
        var seen: Set<String> = []
        var groups: [RuleGroup] = []
        for group in raw {
            if group.name.isEmpty {
                errors.append(error(group.node, "Groupname must not be empty"))
            }
            if seen.contains(group.name) {
                errors.append(error(group.node, "groupname: \"\(group.name)\" is repeated in the same file"))
            }
            seen.insert(group.name)
            var groupLabels = Labels()
            for label in group.labels {
                if !MetricNames.isValidLabelName(label.name) || label.name == Labels.metricName {
                    errors.append(error(label.key, "invalid label name: \(label.name)"))
                }
                groupLabels[label.name] = label.value
            }
            var rules: [RuleDefinition] = []
            for (index, rule) in group.rules.enumerated() {
                var ruleErrors: [(Node?, String)] = []
                if let definition = validate(rule, groupLabels: groupLabels, &ruleErrors) {
                    rules.append(definition)
                }
                let ruleName = rule.alert?.0 ?? rule.record?.0 ?? ""
                for (node, message) in ruleErrors {
                    errors.append(error(node ?? rule.node, "group \"\(group.name)\", rule \(index + 1), \"\(ruleName)\": \(message)"))
                }
            }
            groups.append(RuleGroup(
                file: file, name: group.name, interval: group.interval.flatMap { $0 > 0 ? $0 : nil } ?? defaultInterval,
                queryOffset: group.queryOffset ?? defaultQueryOffset, limit: group.limit, labels: groupLabels, rules: rules
            ))
        }
        return groups
    }

    /// The rule, or nil with its problems appended, in the order promtool lists them.
    private func validate(_ rule: RawRule, groupLabels: Labels, _ errors: inout [(Node?, String)]) -> RuleDefinition? {
        let record = rule.record?.0 ?? ""
        let alert = rule.alert?.0 ?? ""
        let nameNode = rule.record?.1 ?? rule.alert?.1
        if !record.isEmpty && !alert.isEmpty {
            errors.append((rule.record?.1, "only one of 'record' and 'alert' must be set"))
        }
        if record.isEmpty && alert.isEmpty {
            errors.append((nameNode, "one of 'record' or 'alert' must be set"))
        }
        var expr: Expr?
        let query = rule.expr?.0 ?? ""
        if query.isEmpty {
            errors.append((rule.expr?.1, "field 'expr' must be set in rule"))
        } else {
            do { expr = try Parser.parse(query) } catch {
                errors.append((rule.expr?.1, "could not parse expression: \(error)"))
            }
        }
        if !record.isEmpty {
            if !rule.annotations.isEmpty { errors.append((nameNode, "invalid field 'annotations' in recording rule")) }
            if rule.holdDuration != 0 { errors.append((nameNode, "invalid field 'for' in recording rule")) }
            if rule.keepFiringFor != 0 { errors.append((nameNode, "invalid field 'keep_firing_for' in recording rule")) }
            if !MetricNames.isValidMetricName(record) {
                errors.append((nameNode, "invalid recording rule name: \(record)"))
            }
            if record.contains("{") || record.contains("}") {
                errors.append((nameNode, "braces present in the recording rule name; should it be in expr?: \(record)"))
            }
        }
        var labels = groupLabels
        for label in rule.labels {
            if !MetricNames.isValidLabelName(label.name) || label.name == Labels.metricName {
                errors.append((label.key, "invalid label name: \(label.name)"))
            }
            labels[label.name] = label.value
        }
        for annotation in rule.annotations where !MetricNames.isValidLabelName(annotation.name) {
            errors.append((annotation.key, "invalid annotation name: \(annotation.name)"))
        }
        if !alert.isEmpty {
            for label in rule.labels {
                if let problem = AlertTemplates.syntaxError(ruleName: alert, text: label.value) {
                    errors.append((label.key, "label \"\(label.name)\": \(problem)"))
                }
            }
            for annotation in rule.annotations {
                if let problem = AlertTemplates.syntaxError(ruleName: alert, text: annotation.value) {
                    errors.append((annotation.key, "annotation \"\(annotation.name)\": \(problem)"))
                }
            }
        }
        guard errors.isEmpty, let expr else { return nil }
        return RuleDefinition(
            kind: alert.isEmpty ? .recording : .alerting, name: alert.isEmpty ? record : alert, query: query, expr: expr,
            holdDuration: rule.holdDuration, keepFiringFor: rule.keepFiringFor, labels: labels,
            annotations: Dictionary(rule.annotations.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
            position: YAMLNodes.position(rule.node)
        )
    }
}
