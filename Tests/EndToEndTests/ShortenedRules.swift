import Foundation
import OutpostTestSupport

/// The shipped rule packs (rules/*.yml) with every `for:` (and `keep_firing_for:`) duration
/// cut to two seconds, so an induced outage fires within a test's time.
enum ShortenedRules {
    static let forDuration = "2s"

    /// Writes the rewritten packs into `directory`/rules and returns their glob.
    static func write(into directory: URL) throws -> String {
        let folder = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pattern = try NSRegularExpression(pattern: #"for: \d+[smhdw]"#)
        for file in try RepositoryFiles.files(in: "rules", suffix: ".yml") {
            let text = try String(contentsOf: file, encoding: .utf8)
            let rewritten = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                             withTemplate: "for: \(forDuration)")
            try rewritten.write(to: folder.appendingPathComponent(file.lastPathComponent), atomically: true, encoding: .utf8)
        }
        return folder.path + "/*.yml"
    }
}
