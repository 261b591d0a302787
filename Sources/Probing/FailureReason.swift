/// Why a probe failed: the `reason` label of `probe_failure_info`.
public enum FailureReason: String, Sendable, CaseIterable {
    case dns
    case connect
    case tls
    case timeout
    case statusCode = "status_code"
    case httpVersion = "http_version"
    case ssl
    case redirects
    case bodySize = "body_size"
    case regex
    case header
    case json
    case expect
    case protocolError = "protocol"
    case rcode
    case validation
    case send
    case config
}
