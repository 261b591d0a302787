/// Reads lines and byte runs from a stream, keeping what is left over for the next step.
struct LineReader {
    /// The stream read from and written to; replaced by a TLS stream on `starttls`.
    var stream: any ByteStream
    private var pending: [UInt8] = []

    init(_ stream: any ByteStream) {
        self.stream = stream
    }

    /// The first line matching `regex`, skipping others; nil when the peer closes first.
    mutating func line(matching regex: ProbeRegex) async throws -> String? {
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = String(decoding: pending[..<newline], as: UTF8.self)
                if line.hasSuffix("\r") { line.removeLast() }
                pending.removeSubrange(...newline)
                if regex.matches(line) { return line }
            }
            guard let chunk = try await stream.receive() else {
                // A last line without a newline still counts.
                let rest = String(decoding: pending, as: UTF8.self)
                pending.removeAll()
                return !rest.isEmpty && regex.matches(rest) ? rest : nil
            }
            pending.append(contentsOf: chunk)
        }
    }

    /// Reads until `expected` appears in the data; false when the peer closes first.
    mutating func bytes(containing expected: [UInt8]) async throws -> Bool {
        while true {
            if let range = pending.firstRange(of: expected) {
                pending.removeSubrange(..<range.upperBound)
                return true
            }
            guard let chunk = try await stream.receive() else { return false }
            pending.append(contentsOf: chunk)
        }
    }

    /// Received bytes no step has consumed yet, which now belong to whoever reads next.
    mutating func takeUnread() -> [UInt8] {
        defer { pending.removeAll() }
        return pending
    }
}
