import NIOCore
import NIOPosix

/// A small HTTP/1.1 server for tests: each request's path picks a canned response.
public struct TestHTTPResponse: Sendable {
    public var status = 200
    public var headers: [(String, String)] = []
    public var body: [UInt8] = []
    /// Waits this long before answering, to test timeouts.
    public var delay: Duration = .zero
    /// Sends these raw bytes instead of a proper response.
    public var raw: [UInt8]?

    public init(status: Int = 200, headers: [(String, String)] = [], body: String = "", delay: Duration = .zero, raw: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = Array(body.utf8)
        self.delay = delay
        self.raw = raw.map { Array($0.utf8) }
    }
}

public struct TestHTTPRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: String
}

public final class TestHTTPServer: Sendable {
    public let server: TestTCPServer
    public var port: Int { server.port }
    public var url: String { "http://127.0.0.1:\(port)" }

    public init(route: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse) async throws {
        server = try await TestTCPServer { inbound, outbound in
            var pending: [UInt8] = []
            for try await chunk in inbound {
                pending.append(contentsOf: chunk.readableBytesView)
                guard let request = Self.parse(pending) else { continue }
                let response = route(request)
                if response.delay > .zero { try await Task.sleep(for: response.delay) }
                try await outbound.write(ByteBuffer(bytes: Self.encode(response)))
                return
            }
        }
    }

    public func stop() { server.stop() }

    private static func parse(_ bytes: [UInt8]) -> TestHTTPRequest? {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.count >= end.upperBound + length else { return nil }
        let body = String(decoding: bytes[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
        return TestHTTPRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    private static func encode(_ response: TestHTTPResponse) -> [UInt8] {
        if let raw = response.raw { return raw }
        var head = "HTTP/1.1 \(response.status) Status\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n").utf8) + response.body
    }
}

import Foundation
