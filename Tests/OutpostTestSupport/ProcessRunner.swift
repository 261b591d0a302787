import Foundation

/// Runs a program to completion: the outpost binary, promtool, systemd-analyze.
public enum ProcessRunner {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        /// Empty when standard error was merged into `stdout`.
        public var stderr: String

        /// Everything the program printed.
        public var output: String { stdout + stderr }
    }

    /// - Parameters:
    ///   - directory: the working directory, the caller's when nil.
    ///   - input: written to standard input, which is then closed.
    ///   - mergeStandardError: standard error goes into `stdout`, interleaved as printed.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil, input: [UInt8] = [],
                           mergeStandardError: Bool = false) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = mergeStandardError ? stdout : Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = mergeStandardError ? Data() : stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                       stderr: String(decoding: err, as: UTF8.self))
    }
}
