import CCurl
import Foundation

/// How one HTTP probe's easy handle is set up from the module and the probe's parameters.
struct HTTPRequest: Sendable {
    var url: String
    var config: HTTPProbeConfig
    var isTLS: Bool
    /// `host:port:connect-host:connect-port`, when the request goes to another name than it connects to.
    var connectTo: String?
    var hostHeader: String?
    var body: String?

    init?(url: String, parts: URLParts, config: HTTPProbeConfig, hostname: String?) {
        guard parts.scheme == "http" || parts.scheme == "https", !parts.host.isEmpty else { return nil }
        let host = parts.host
        self.config = config
        isTLS = parts.scheme == "https"
        let port = parts.port ?? (isTLS ? 443 : 80)
        let connectHost = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        // The `hostname` parameter names the virtual host (Host and SNI) while the connection
        // still goes to the target; tls_config.server_name changes SNI alone.
        let virtualHost = hostname ?? (isTLS ? config.tls.serverName : nil)
        if let virtualHost, virtualHost != host {
            var rewritten = URLComponents(string: url)
            rewritten?.host = virtualHost
            self.url = rewritten?.string ?? url
            connectTo = "\(virtualHost):\(port):\(connectHost):\(port)"
            if hostname == nil { hostHeader = parts.port.map { "\(connectHost):\($0)" } ?? connectHost }
        } else {
            self.url = url
        }
        if let file = config.bodyFile {
            body = try? String(contentsOfFile: file, encoding: .utf8)
        } else {
            body = config.body
        }
    }

    /// Sets `transfer` up for this request; every connection, redirects' included, uses
    /// addresses of `family` only.
    func configure(_ transfer: CurlTransfer, family: IPProtocol, timeout: Duration, verbose: Bool) {
        let milliseconds = max(1, timeout.wholeMilliseconds)
        transfer.set(CURLOPT_URL, url)
        transfer.set(CURLOPT_NOSIGNAL, 1)
        transfer.set(CURLOPT_TIMEOUT_MS, milliseconds)
        transfer.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        transfer.set(CURLOPT_FRESH_CONNECT, 1)
        transfer.set(CURLOPT_FORBID_REUSE, 1)
        // Handles are reused (`CurlTransferPool`); each probe's TLS handshake must be whole.
        transfer.set(CURLOPT_SSL_SESSIONID_CACHE, 0)
        transfer.set(CURLOPT_DNS_CACHE_TIMEOUT, 0)
        transfer.set(CURLOPT_PROTOCOLS_STR, "http,https")
        transfer.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        transfer.set(CURLOPT_PROXY, config.proxyURL ?? "")
        if let connectTo { transfer.set(CURLOPT_CONNECT_TO, list: [connectTo]) }
        transfer.set(CURLOPT_IPRESOLVE, Int(family == .ip4 ? CURL_IPRESOLVE_V4 : CURL_IPRESOLVE_V6))
        if config.followRedirects {
            transfer.set(CURLOPT_FOLLOWLOCATION, 1)
            transfer.set(CURLOPT_MAXREDIRS, 10)
        }
        configureMethod(transfer)
        transfer.set(CURLOPT_HTTPHEADER, list: headerLines)
        if let compression = config.compression, !compression.isEmpty {
            transfer.set(CURLOPT_ACCEPT_ENCODING, compression)
        }
        if let auth = config.basicAuth {
            transfer.set(CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC, a macro Swift cannot import
            transfer.set(CURLOPT_USERNAME, auth.username)
            transfer.set(CURLOPT_PASSWORD, auth.password)
        }
        configureTLS(transfer)
        transfer.keepBody = config.checksBody
        transfer.bodyLimit = config.bodySizeLimit > 0 ? config.bodySizeLimit : (transfer.keepBody ? HTTPProber.keptBodyCap : 0)
        if isTLS || verbose { transfer.enableInfo(verbose: verbose) }
    }

    private var headerLines: [String] {
        var lines = config.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        if let hostHeader, !config.headers.keys.contains(where: { $0.lowercased() == "host" }) {
            lines.append("Host: \(hostHeader)")
        }
        if let auth = config.authorization {
            lines.append("Authorization: \(auth.type) \(auth.credentials)")
        }
        if !config.headers.keys.contains(where: { $0.lowercased() == "user-agent" }) {
            lines.append("User-Agent: Outpost")
        }
        return lines
    }

    private func configureMethod(_ transfer: CurlTransfer) {
        let method = config.method.uppercased()
        if let body {
            transfer.set(CURLOPT_POSTFIELDSIZE, body.utf8.count)
            transfer.set(CURLOPT_COPYPOSTFIELDS, body)
            if method != "POST" { transfer.set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "HEAD" {
            transfer.set(CURLOPT_NOBODY, 1)
        } else if method != "GET" {
            transfer.set(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    private func configureTLS(_ transfer: CurlTransfer) {
        let tls = config.tls
        transfer.set(CURLOPT_CERTINFO, 1)
        if tls.insecureSkipVerify {
            transfer.set(CURLOPT_SSL_VERIFYPEER, 0)
            transfer.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let ca = tls.caFile { transfer.set(CURLOPT_CAINFO, ca) }
        if let cert = tls.certFile { transfer.set(CURLOPT_SSLCERT, cert) }
        if let key = tls.keyFile { transfer.set(CURLOPT_SSLKEY, key) }
        var version = 0
        switch tls.minVersion {
        case .tls10: version = Int(CURL_SSLVERSION_TLSv1_0)
        case .tls11: version = Int(CURL_SSLVERSION_TLSv1_1)
        case .tls12: version = Int(CURL_SSLVERSION_TLSv1_2)
        case .tls13: version = Int(CURL_SSLVERSION_TLSv1_3)
        case nil: break
        }
        switch tls.maxVersion {
        case .tls10: version |= Int(CURL_SSLVERSION_MAX_TLSv1_0)
        case .tls11: version |= Int(CURL_SSLVERSION_MAX_TLSv1_1)
        case .tls12: version |= Int(CURL_SSLVERSION_MAX_TLSv1_2)
        case .tls13: version |= Int(CURL_SSLVERSION_MAX_TLSv1_3)
        case nil: break
        }
        if version != 0 { transfer.set(CURLOPT_SSLVERSION, version) }
    }
}
