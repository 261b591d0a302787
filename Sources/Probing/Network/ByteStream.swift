/// A connection a probe converses over: plain TCP, or TLS on top of another stream.
protocol ByteStream {
    /// The next bytes received; nil once the peer has closed its side.
    mutating func receive() async throws -> [UInt8]?
    mutating func send(_ bytes: [UInt8]) async throws
}
