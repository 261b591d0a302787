import Foundation

/// Replaces a file so that after a crash either the old or the new content is there, and the
/// new content is on disk before the call returns: write a temporary file, fsync it, rename it
/// over the target, fsync the directory.
enum DurableFile {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    static func replace(_ target: URL, with bytes: [UInt8]) throws {
        let temporary = target.path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open \(temporary)") }
        let written = bytes.withUnsafeBytes { WALWriter.writeAll(descriptor, $0) }
        let synced = written && fsync(descriptor) == 0
        let error = failure("write \(temporary)")
        close(descriptor)
        guard synced else { throw error }
        guard rename(temporary, target.path) == 0 else { throw failure("rename \(temporary)") }
        let directory = open(target.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    private static func failure(_ action: String) -> WriteError {
        WriteError(description: "\(action): \(String(cString: strerror(errno)))")
    }
}
