import Foundation

/// Starts a Python script that serves on loopback ports in its own process, so the server's
/// CPU is not counted to the benchmark, and returns the first line it prints (its ports).
/// The child reads its stdin until the benchmark exits and the pipe closes, then exits too.
enum PythonServerProcess {
    static func start(script: String, arguments: [String] = []) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = Pipe()
        try! process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) { line.append(pipe.fileHandleForReading.availableData) }
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
