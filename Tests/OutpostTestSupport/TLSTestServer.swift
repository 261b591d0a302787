import Foundation

/// `openssl s_server` on 127.0.0.1 with a certificate made by the `openssl` CLI for the test.
public final class TLSTestServer {
    public let port: Int
    public let certificate: TestCertificate
    private let process: Process

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameter expired: whether the certificate ran out yesterday.
    public init(expired: Bool) throws {
        certificate = try TestCertificate(expired: expired)
        port = try freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate.certificatePath,
                             "-key", certificate.keyPath, "-www", "-quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitUntilListening(port: port)
    }

    public var certificatePath: String { certificate.certificatePath }

    /// The certificate's SHA-256 fingerprint as the openssl CLI computes it, lowercase hex.
    public func fingerprint() throws -> String { try certificate.fingerprint() }

    public func stop() {
        // s_server does not always exit on SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        certificate.remove()
    }

    @discardableResult
    public static func openssl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "cannot run openssl: \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Unavailable(description: "openssl \(arguments.first ?? "") failed") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A port nothing listens on right now.
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TLSTestServer.Unavailable(description: "cannot bind") }
    return Int(UInt16(bigEndian: address.sin_port))
}

public func waitUntilListening(port: Int) throws {
    for _ in 0..<100 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        close(fd)
        if connected { return }
        usleep(50_000)
    }
    throw TLSTestServer.Unavailable(description: "server on port \(port) did not start")
}
