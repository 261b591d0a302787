import CCurl
import Foundation
import OutpostCore

/// Probes a URL over HTTP(S) with libcurl, as blackbox_exporter's http prober does.
///
/// Every probe opens a fresh connection (no reuse, no DNS cache), so timings measure the
/// whole path each time. All transfers share one `CurlMultiLoop`.
public final class HTTPProber: Prober {
    private let loop = CurlMultiLoop()
    private let urls = URLPartsCache()
    private let transfers = CurlTransferPool()
    /// Bodies kept in memory for checks are capped here when the module sets no limit.
    static let keptBodyCap: Int64 = 32 << 20

    public init() {}

    deinit {
        loop.shutdown()
    }

    /// The curl loop, unless the module checks the body: regexps and JSON over a large body
    /// would stall every other transfer's events.
    public func preferredExecutor(for module: ModuleConfig) -> (any TaskExecutor)? {
        module.http.checksBody ? nil : loop
    }

    public func probe(target: String, module: ModuleConfig, context: ProbeContext) async -> ProbeResult {
        let config = module.http
        var result = ProbeResult()
        let url = URLParts.hasScheme(target) ? target : "http://" + target
        guard let parts = urls.parts(of: url),
              let request = HTTPRequest(url: url, parts: parts, config: config, hostname: context.hostname) else {
            result.fail(.config, "\"\(HTTPRedaction.redact(url: url))\" is not a valid URL")
            return result
        }
        result.log.append("probing \(parts.redacted) with \(config.method)")
        guard let transfer = transfers.take() else {
            result.fail(.connect, "cannot create a libcurl handle")
            return result
        }
        defer { transfers.give(transfer) }
        // As blackbox: addresses of the preferred family only, and of the other family only
        // when the name has none of the preferred one and the module allows the fallback.
        var family = config.ip.preferred
        if let literal = IPAddressBytes.parse(parts.host) {
            let literalFamily: IPProtocol = literal.count == 4 ? .ip4 : .ip6
            guard literalFamily == family || config.ip.fallback else {
                HTTPResponseCheck.recordNoTransfer(into: &result)
                result.fail(.dns, "\(parts.host) is not an \(family.rawValue) address")
                return result
            }
            family = literalFamily
        }
        request.configure(transfer, family: family, timeout: context.remaining, verbose: context.verbose)
        var code = await loop.perform(transfer)
        var lookupSeconds = 0.0
        if code == CURLE_COULDNT_RESOLVE_HOST, family == config.ip.preferred, config.ip.fallback, context.remaining > .zero {
            lookupSeconds = Double(transfer.offset(CURLINFO_TOTAL_TIME_T)) / 1e6
            result.log.append(contentsOf: transfer.infoLines)
            family = family == .ip4 ? .ip6 : .ip4
            result.log.append("no \(config.ip.preferred.rawValue) address; trying \(family.rawValue)")
            transfer.reset()
            request.configure(transfer, family: family, timeout: context.remaining, verbose: context.verbose)
            code = await loop.perform(transfer)
        }
        HTTPResponseCheck(config: config, transfer: transfer, code: code, isTLS: request.isTLS, lookupSeconds: lookupSeconds)
            .evaluate(into: &result)
        if code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE {
            await collectUnverifiedCertificates(request, family: family, context: context, into: &result)
        }
        result.log.append(contentsOf: transfer.infoLines)
        return result
    }

    /// When verification failed, connects once more without verifying, only to read the
    /// chain, so certificate metrics are there even for a bad certificate.
    private func collectUnverifiedCertificates(_ request: HTTPRequest, family: IPProtocol, context: ProbeContext,
                                               into result: inout ProbeResult) async {
        guard context.remaining > .milliseconds(10), let transfer = transfers.take() else { return }
        defer { transfers.give(transfer) }
        request.configure(transfer, family: family, timeout: context.remaining, verbose: false)
        transfer.set(CURLOPT_SSL_VERIFYPEER, 0)
        transfer.set(CURLOPT_SSL_VERIFYHOST, 0)
        transfer.set(CURLOPT_CONNECT_ONLY, 1)
        let code = await loop.perform(transfer)
        guard code == CURLE_OK else { return }
        HTTPResponseCheck.recordTLS(transfer, into: &result)
        result.log.append("read the certificate chain again without verification")
    }
}
