import Foundation
import Synchronization

/// What an HTTP probe needs from its URL: scheme, host and port, as `URLComponents` parses
/// them. Parsing (with IDNA host checks) costs more than the rest of setting up a probe, and
/// scheduled and scraped targets repeat, so parsed URLs are kept by their text.
struct URLParts: Sendable {
    var scheme: String
    var host: String
    var port: Int?

    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port
    }
}

/// A bounded memo of `URLParts` by URL text, shared by all probes of one prober.
final class URLPartsCache: Sendable {
    private let entries = Mutex<[String: URLParts?]>([:])
    /// Beyond this many distinct URLs (say, `/probe` called with ever new targets) the memo
    /// starts over rather than grow.
    private let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func parts(of url: String) -> URLParts? {
        if let known = entries.withLock({ $0[url] }) { return known }
        let parsed = URLParts(url)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[url] = parsed
        }
        return parsed
    }
}
