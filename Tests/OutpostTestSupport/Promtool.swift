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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
