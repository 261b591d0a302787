#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Resolves a probe's host the blackbox way: the preferred family first, the other only
/// when fallback is allowed. getaddrinfo blocks, so it runs on NIO's thread pool.
struct HostResolver: Sendable {
    let pool: NIOThreadPool

    struct Resolution: Sendable {
        var address: SocketAddress
        var ipProtocol: IPProtocol
        var lookupSeconds: Double
    }

    enum Failure: Error {
        case notFound(String)
        case wrongFamily(String)
    }

    /// Resolves `host`, giving up at `deadline`. Literal addresses need no lookup, so they
    /// skip the thread pool and the deadline race.
    func resolve(_ host: String, port: Int, settings: IPSettings, deadline: MonotonicTime) async throws -> Resolution {
        if let literal = try literal(host, port: port, settings: settings) { return literal }
        return try await withDeadline(deadline) { try await self.lookUp(host, port: port, settings: settings) }
    }

    private func literal(_ host: String, port: Int, settings: IPSettings) throws -> Resolution? {
        let start = MonotonicTime.now()
        let bare = Self.unbracketed(host)
        guard let literal = try? SocketAddress(ipAddress: bare, port: port) else { return nil }
        let family: IPProtocol = literal.protocol == .inet6 ? .ip6 : .ip4
        guard settings.fallback || family == settings.preferred else {
            throw Failure.wrongFamily("\(bare) is not an \(settings.preferred.rawValue) address")
        }
        return Resolution(address: literal, ipProtocol: family, lookupSeconds: MonotonicTime.now().seconds(since: start))
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    private func lookUp(_ host: String, port: Int, settings: IPSettings) async throws -> Resolution {
        let start = MonotonicTime.now()
        let bare = Self.unbracketed(host)
        let name = bare
        let addresses = try await pool.runIfActive { try Self.lookup(name, port: port) }
        let preferred = addresses.first { ($0.protocol == .inet6) == (settings.preferred == .ip6) }
        let chosen = preferred ?? (settings.fallback ? addresses.first : nil)
        guard let chosen else { throw Failure.notFound("no \(settings.preferred.rawValue) address for \(bare)") }
        return Resolution(address: chosen, ipProtocol: chosen.protocol == .inet6 ? .ip6 : .ip4,
                          lookupSeconds: MonotonicTime.now().seconds(since: start))
    }

    private static func lookup(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw Failure.notFound("cannot resolve \(host)")
        }
        defer { freeaddrinfo(first) }
        var result: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr {
                switch Int32(current.pointee.ai_family) {
                case AF_INET:
                    result.append(address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                case AF_INET6:
                    result.append(address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                default:
                    break
                }
            }
            node = current.pointee.ai_next
        }
        return result
    }
}

/// Splits `host:port`, `[v6]:port` or a bare host (then `defaultPort`).
enum HostPort {
    static func split(_ target: String, defaultPort: Int?) -> (host: String, port: Int)? {
        if target.hasPrefix("[") {
            guard let close = target.firstIndex(of: "]") else { return nil }
            let host = String(target[target.index(after: target.startIndex)..<close])
            let rest = target[target.index(after: close)...]
            if rest.isEmpty { return defaultPort.map { (host, $0) } }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        let colons = target.filter { $0 == ":" }.count
        if colons == 1, let colon = target.firstIndex(of: ":") {
            guard let port = Int(target[target.index(after: colon)...]), (1...65535).contains(port) else { return nil }
            let host = String(target[..<colon])
            return host.isEmpty ? nil : (host, port)
        }
        guard !target.isEmpty, let port = defaultPort else { return nil }
        return (target, port)
    }
}
