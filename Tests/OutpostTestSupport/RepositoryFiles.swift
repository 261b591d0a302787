import Foundation

/// The shipped assets (rules/, grafana/, examples/) of the repository these tests belong to.
public enum RepositoryFiles {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// Files of `folder` whose names end in `suffix`, sorted, as full URLs.
    public static func files(in folder: String, suffix: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: url(folder).path)
            .filter { $0.hasSuffix(suffix) }
            .sorted()
            .map { url(folder).appendingPathComponent($0) }
    }

    public static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// A fresh empty directory under the temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-assets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
