import Foundation

/// Go's net.SplitHostPort, net.JoinHostPort and net.ParseIP, for `stripPort` and `stripDomain`.
enum HostPort {
    static func split(_ hostPort: String) -> (host: String, port: String)? {
        guard let colon = hostPort.lastIndex(of: ":") else { return nil }
        var host: Substring
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            guard hostPort.index(after: close) == colon else { return nil }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            if host.contains("[") || hostPort[hostPort.index(after: close)...].contains("]") { return nil }
        } else {
            host = hostPort[..<colon]
            if host.contains(":") || host.contains("[") || host.contains("]") { return nil }
        }
        let port = hostPort[hostPort.index(after: colon)...]
        if port.contains("[") || port.contains("]") { return nil }
        return (String(host), String(port))
    }

    static func join(host: String, port: String) -> String {
        host.contains(":") ? "[" + host + "]:" + port : host + ":" + port
    }

    static func isIP(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
