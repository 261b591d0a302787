import Foundation
import Synchronization

/// An `outpost` process (the executable `swift build` puts beside the test bundle), or another
/// daemon a test runs beside it (Prometheus, Alertmanager), whose log is collected as it runs.
public final class OutpostDaemon: Sendable {
    public let process: Process
    private let log = Mutex("")

    /// The `outpost` executable of this build.
    public static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("outpost")
    }

    public convenience init(arguments: [String]) throws {
        try self.init(executable: Self.binary, arguments: arguments)
    }

    public init(executable: URL, arguments: [String]) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let reader = pipe.fileHandleForReading
        try process.run()
        Thread { [self] in
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                log.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    public var output: String { log.withLock { $0 } }

    /// The HTTP port from the "ready" log line, waiting up to ten seconds for it.
    public func waitForPort() async throws -> Int { try await waitForLogValue("address=127.0.0.1:") }

    /// The number that follows `prefix` in the log, waiting up to ten seconds for it.
    public func waitForLogValue(_ prefix: String) async throws -> Int {
        for _ in 0..<100 {
            let text = output
            if let range = text.range(of: prefix) {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let value = Int(digits) { return value }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CancellationError()
    }
}
