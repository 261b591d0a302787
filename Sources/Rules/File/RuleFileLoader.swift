import Foundation

/// Loads rule files from disk (the config's `rule_files`, `outpost check rules`).
public enum RuleFileLoader {
    /// All groups of all `paths` in order, or every error of every file. Relative paths are read
    /// relative to the working directory and reported as given.
    public static func load(
        paths: [String], defaultInterval: Int64 = 60_000, defaultQueryOffset: Int64 = 0, ignoreUnknownFields: Bool = false
    ) throws(RuleFileErrors) -> [RuleGroup] {
        var groups: [RuleGroup] = []
        var errors: [RuleFileError] = []
        for path in paths {
            switch loadFile(path, defaultInterval: defaultInterval, defaultQueryOffset: defaultQueryOffset,
                            ignoreUnknownFields: ignoreUnknownFields) {
            case .success(let fileGroups): groups += fileGroups
            case .failure(let fileErrors): errors += fileErrors.errors
            }
        }
        guard errors.isEmpty else { throw RuleFileErrors(errors) }
        return groups
    }

    /// One file's groups or errors; an unreadable file is one error at 1:1.
    public static func loadFile(
        _ path: String, defaultInterval: Int64 = 60_000, defaultQueryOffset: Int64 = 0, ignoreUnknownFields: Bool = false
    ) -> Result<[RuleGroup], RuleFileErrors> {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read \(path) as UTF-8 text" : "open \(path): no such file or directory"
            return .failure(RuleFileErrors([RuleFileError(file: path, line: 1, column: 1, message: reason)]))
        }
        return parse(yaml: text, file: path, defaultInterval: defaultInterval, defaultQueryOffset: defaultQueryOffset,
                     ignoreUnknownFields: ignoreUnknownFields)
    }

    /// Parses rule-file text; `file` only names it in errors and in each group.
    public static func parse(
        yaml: String, file: String, defaultInterval: Int64 = 60_000, defaultQueryOffset: Int64 = 0, ignoreUnknownFields: Bool = false
    ) -> Result<[RuleGroup], RuleFileErrors> {
        RuleFileParser(file: file, ignoreUnknownFields: ignoreUnknownFields, defaultInterval: defaultInterval,
                       defaultQueryOffset: defaultQueryOffset).parse(yaml: yaml)
    }
}
