import CCurl
import Foundation
import OutpostCore

/// Turns a finished transfer into blackbox's http metrics and verdict.
struct HTTPResponseCheck {
    let config: HTTPProbeConfig
    let transfer: CurlTransfer
    let code: CURLcode
    let isTLS: Bool
    /// Time spent before this transfer looking the host up in the preferred family, when
    /// that found nothing and this transfer is the fallback; counted to `resolve`.
    var lookupSeconds = 0.0

    func evaluate(into result: inout ProbeResult) {
        result.success = true
        recordTimings(into: &result)
        recordAddress(into: &result)
        if code != CURLE_OK {
            let (reason, message) = failure()
            result.fail(reason, message)
        }
        let status = transfer.long(CURLINFO_RESPONSE_CODE)
        let redirects = transfer.long(CURLINFO_REDIRECT_COUNT)
        let ssl = transfer.effectiveURLIsHTTPS
        let version = httpVersion
        Self.recordResponse(status: Double(status), contentLength: Double(max(-1, transfer.offset(CURLINFO_CONTENT_LENGTH_DOWNLOAD_T))),
                            bodyLength: Double(transfer.bodyBytes), redirects: Double(redirects), ssl: ssl ? 1 : 0,
                            version: version, into: &result)
        if let modified = transfer.headerValues("Last-Modified").first.flatMap(DateParsing.httpDate) {
            result.gauge("probe_http_last_modified_timestamp_seconds", "Returns the Last-Modified HTTP response header in unixtime", modified)
        }
        if ssl || isTLS { Self.recordTLS(transfer, into: &result) }
        guard code == CURLE_OK else { return }

        result.log.append("received HTTP/\(Self.versionText(version)) \(status) after \(redirects) redirect(s)")
        if config.validStatusCodes.isEmpty ? !(200...299).contains(status) : !config.validStatusCodes.contains(status) {
            result.fail(.statusCode, "status code \(status) is not valid")
        }
        if !config.validHTTPVersions.isEmpty,
           !config.validHTTPVersions.contains(where: { Self.parseVersion($0) == version }) {
            result.fail(.httpVersion, "HTTP version \(Self.versionText(version)) is not valid")
        }
        if config.failIfSSL && ssl { result.fail(.ssl, "final request was over SSL") }
        if config.failIfNotSSL && !ssl { result.fail(.ssl, "final request was not over SSL") }
        checkHeaders(into: &result)
        checkBody(into: &result)
    }

    private func failure() -> (FailureReason, String) {
        let message = String(cString: curl_easy_strerror(code))
        if transfer.bodyLimitExceeded { return (.bodySize, "body exceeded \(transfer.bodyLimit) bytes") }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return (.dns, message)
        case CURLE_COULDNT_CONNECT: return (.connect, message)
        case CURLE_OPERATION_TIMEDOUT: return (.timeout, message)
        case CURLE_TOO_MANY_REDIRECTS: return (.redirects, message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE:
            return (.tls, message)
        case CURLE_ABORTED_BY_CALLBACK: return (.timeout, "probe cancelled")
        default: return (.protocolError, message)
        }
    }

    /// The `phase` labels in the order `recordTimings` reports them, built once.
    private static let phaseLabels: [Labels] = ["resolve", "connect", "tls", "processing", "transfer"].map { ["phase": $0] }

    private func recordTimings(into result: inout ProbeResult) {
        let curlResolve = seconds(CURLINFO_NAMELOOKUP_TIME_T)
        let resolve = lookupSeconds + curlResolve
        let connect = lookupSeconds + seconds(CURLINFO_CONNECT_TIME_T)
        // libcurl's times count from the transfer's start, which came after the lookup.
        let tls = positiveOffset(seconds(CURLINFO_APPCONNECT_TIME_T))
        let pretransfer = lookupSeconds + seconds(CURLINFO_PRETRANSFER_TIME_T)
        let firstByte = positiveOffset(seconds(CURLINFO_STARTTRANSFER_TIME_T))
        let total = lookupSeconds + seconds(CURLINFO_TOTAL_TIME_T)
        let connected = max(connect, resolve)
        Self.recordPhases([
            resolve,
            max(0, connect - resolve),
            tls > 0 ? max(0, tls - connected) : 0,
            firstByte > 0 ? max(0, firstByte - max(pretransfer, connected)) : 0,
            firstByte > 0 ? max(0, total - firstByte) : 0,
        ], into: &result)
    }

    /// What a probe that ends before any transfer reports, as blackbox does after a failed
    /// lookup: every http series at 0.
    static func recordNoTransfer(into result: inout ProbeResult) {
        recordPhases([0, 0, 0, 0, 0], into: &result)
        recordResponse(status: 0, contentLength: 0, bodyLength: 0, redirects: 0, ssl: 0, version: 0, into: &result)
    }

    private static func recordResponse(status: Double, contentLength: Double, bodyLength: Double, redirects: Double,
                                       ssl: Double, version: Double, into result: inout ProbeResult) {
        result.gauge("probe_http_status_code", "Response HTTP status code", status)
        result.gauge("probe_http_content_length", "Length of http content response", contentLength)
        result.gauge("probe_http_uncompressed_body_length", "Length of uncompressed response body", bodyLength)
        result.gauge("probe_http_redirects", "The number of redirects", redirects)
        result.gauge("probe_http_ssl", "Indicates if SSL was used for the final redirect", ssl)
        result.gauge("probe_http_version", "Returns the version of HTTP of the probe response", version)
    }

    /// A libcurl time shifted by the lookup, kept 0 when libcurl never got that far.
    private func positiveOffset(_ value: Double) -> Double { value > 0 ? lookupSeconds + value : 0 }

    private static func recordPhases(_ phases: [Double], into result: inout ProbeResult) {
        for (labels, value) in zip(phaseLabels, phases) {
            result.gauge("probe_http_duration_seconds", "Duration of http request by phase, summed over all redirects", value,
                         labels: labels)
        }
        result.gauge("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", phases[0])
    }

    private func recordAddress(into result: inout ProbeResult) {
        guard let ip = transfer.string(CURLINFO_PRIMARY_IP), !ip.isEmpty else { return }
        result.gauge("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6", ip.utf8.contains(UInt8(ascii: ":")) ? 6 : 4)
        result.gauge("probe_ip_addr_hash", "Specifies the hash of IP address. It's useful to detect if the IP address changes.", IPAddressHash.fnv32a(ip))
        result.log.append("connected to \(ip)")
    }

    private func seconds(_ info: CURLINFO) -> Double { Double(transfer.offset(info)) / 1e6 }

    private func checkHeaders(into result: inout ProbeResult) {
        for check in config.failIfHeaderMatches {
            let values = transfer.headerValues(check.header)
            if values.isEmpty {
                if !check.allowMissing { result.fail(.header, "header \(check.header) is missing") }
            } else if values.contains(where: check.regexp.matches) {
                result.fail(.header, "header \(check.header) matched \(check.regexp)")
            }
        }
        for check in config.failIfHeaderNotMatches {
            let values = transfer.headerValues(check.header)
            if values.isEmpty {
                if !check.allowMissing { result.fail(.header, "header \(check.header) is missing") }
            } else if !values.contains(where: check.regexp.matches) {
                result.fail(.header, "header \(check.header) did not match \(check.regexp)")
            }
        }
    }

    private func checkBody(into result: inout ProbeResult) {
        let bodyRegexes = !config.failIfBodyMatches.isEmpty || !config.failIfBodyNotMatches.isEmpty
        var failedRegex = false
        if bodyRegexes {
            let text = String(decoding: transfer.body, as: UTF8.self)
            if let regex = config.failIfBodyMatches.first(where: { $0.matches(text) }) {
                failedRegex = true
                result.fail(.regex, "body matched \(regex)")
            }
            if let regex = config.failIfBodyNotMatches.first(where: { !$0.matches(text) }) {
                failedRegex = true
                result.fail(.regex, "body did not match \(regex)")
            }
            result.gauge("probe_failed_due_to_regex", "Indicates if probe failed due to regex", failedRegex ? 1 : 0)
        }
        guard !config.jsonAssertions.isEmpty else { return }
        guard let document = try? JSONSerialization.jsonObject(with: Data(transfer.body), options: .fragmentsAllowed) else {
            result.fail(.json, "body is not JSON")
            return
        }
        for assertion in config.jsonAssertions where !assertion.evaluate(document) {
            result.fail(.json, "JSON assertion failed: \(assertion)")
        }
    }

    /// Certificate and TLS session metrics from whatever libcurl saw of the handshake.
    static func recordTLS(_ transfer: CurlTransfer, into result: inout ProbeResult) {
        let chain = transfer.certificates().map(CertificateInfo.init(lines:))
        TLSMetrics.record(chain: chain, summaryLines: transfer.infoLines, into: &result)
    }

    private var httpVersion: Double {
        switch transfer.long(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: 1.0
        case CURL_HTTP_VERSION_1_1: 1.1
        case CURL_HTTP_VERSION_2_0: 2
        case CURL_HTTP_VERSION_3: 3
        default: 0
        }
    }

    static func parseVersion(_ text: String) -> Double? {
        Double(text.replacingOccurrences(of: "HTTP/", with: ""))
    }

    static func versionText(_ version: Double) -> String {
        version == version.rounded() ? String(Int(version)) : String(version)
    }
}
