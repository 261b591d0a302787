import Foundation

/// Prometheus's `promtool`, when installed (Debian package `prometheus`; CI installs it).
public enum Promtool {
    public static var path: String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether tests that need promtool must run: it is installed, or this is CI where it must be.
    public static var isRequired: Bool { path != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `promtool arguments…` with `input` on standard input; returns exit status and output.
    public static func run(_ arguments: [String], input: [UInt8] = []) throws -> (status: Int32, output: String) {
        guard let path else { throw Failure(description: "promtool is not installed (apt-get install prometheus)") }
        let result = try ProcessRunner.run(URL(fileURLWithPath: path), arguments, input: input, mergeStandardError: true)
        return (result.status, result.output)
    }
}
