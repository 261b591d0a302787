import Foundation

/// `openssl s_server` on 127.0.0.1 with a certificate made by the `openssl` CLI for the test.
public final class TLSTestServer {
    public let port: Int
    public let directory: URL
    private let process: Process

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameter expired: whether the certificate ran out yesterday.
    public init(expired: Bool) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem").path
        let cert = directory.appendingPathComponent("cert.pem").path
        if expired {
            let request = directory.appendingPathComponent("req.csr").path
            try Self.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-subj", "/CN=localhost", "-out", request])
            try Self.openssl(["x509", "-req", "-in", request, "-signkey", key, "-days", "-1", "-out", cert])
        } else {
            try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                              "-subj", "/O=Outpost Test/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        }
        port = try freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www", "-quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitUntilListening(port: port)
    }

    public var certificatePath: String { directory.appendingPathComponent("cert.pem").path }

    /// The certificate's SHA-256 fingerprint as the openssl CLI computes it, lowercase hex.
    public func fingerprint() throws -> String {
        let output = try Self.openssl(["x509", "-in", certificatePath, "-noout", "-fingerprint", "-sha256"])
        let hex = output.split(separator: "=").last.map(String.init) ?? ""
        return hex.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public func stop() {
        // s_server does not always exit on SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
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
