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
        request.configure(transfer, timeout: context.remaining, verbose: context.verbose)
        let code = await loop.perform(transfer)
        HTTPResponseCheck(config: config, transfer: transfer, code: code, isTLS: request.isTLS).evaluate(into: &result)
        if code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE {
            await collectUnverifiedCertificates(request, context: context, into: &result)
        }
        result.log.append(contentsOf: transfer.infoLines)
        return result
    }

    /// When verification failed, connects once more without verifying, only to read the
    /// chain, so certificate metrics are there even for a bad certificate.
    private func collectUnverifiedCertificates(_ request: HTTPRequest, context: ProbeContext, into result: inout ProbeResult) async {
        guard context.remaining > .milliseconds(10), let transfer = transfers.take() else { return }
        defer { transfers.give(transfer) }
        request.configure(transfer, timeout: context.remaining, verbose: false)
        transfer.set(CURLOPT_SSL_VERIFYPEER, 0)
        transfer.set(CURLOPT_SSL_VERIFYHOST, 0)
        transfer.set(CURLOPT_CONNECT_ONLY, 1)
        let code = await loop.perform(transfer)
        guard code == CURLE_OK else { return }
        HTTPResponseCheck.recordTLS(transfer, into: &result)
        result.log.append("read the certificate chain again without verification")
    }
}
