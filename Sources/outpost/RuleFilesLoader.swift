#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OutpostCore
import Rules

/// The config's `rule_files`: glob patterns, relative to the config file's directory as in
/// Prometheus, expanded and loaded. A pattern matching nothing is not an error; any problem in a
/// matched file fails the whole configuration, so a reload with a broken rule file changes nothing.
enum RuleFilesLoader {
    static func load(section: ConfigSection?, configPath: String, global: GlobalConfig) throws(ConfigError) -> (files: [String], groups: [RuleGroup]) {
        guard let section else { return ([], []) }
        let patterns = try section.decode([String].self, file: configPath)
        // Joined as Go's filepath.Join would, so group files read as in Prometheus (their slot offsets depend on it).
        let directory = configPath.lastIndex(of: "/").map { String(configPath[..<$0]) } ?? ""
        var files: [String] = []
        for pattern in patterns {
            guard !pattern.isEmpty else { throw section.error("rule_files: empty pattern", file: configPath) }
            let joined = pattern.hasPrefix("/") || directory.isEmpty ? pattern : directory + "/" + pattern
            for file in expand(joined) where !files.contains(file) { files.append(file) }
        }
        do throws(RuleFileErrors) {
            let groups = try RuleFileLoader.load(paths: files, defaultInterval: global.evaluationInterval.milliseconds)
            return (files, groups)
        } catch {
            let first = error.errors[0]
            let rest = error.errors.dropFirst().map(\.description)
            let message = ([first.message] + rest).joined(separator: "\n")
            throw ConfigError(file: first.file, line: first.line, column: first.column, keyPath: "", message: message)
        }
    }

    /// Paths matching a shell glob, sorted, as Go's `filepath.Glob`.
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted()
    }
}
