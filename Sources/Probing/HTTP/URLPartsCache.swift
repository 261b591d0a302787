import Foundation
import Synchronization

/// What an HTTP probe needs from its URL: scheme, host and port, as `URLComponents` parses
/// them. Parsing (with IDNA host checks) costs more than the rest of setting up a probe, and
/// scheduled and scraped targets repeat, so parsed URLs are kept by their text.
struct URLParts: Sendable {
    var scheme: String
    var host: String
    var port: Int?
    /// The URL as logs show it, without a password.
    var redacted: String

    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port
        self.redacted = HTTPRedaction.redact(url: url)
    }

    /// Whether `target` names a scheme (`scheme://…`) rather than being a bare `host[:port]`.
    static func hasScheme(_ target: String) -> Bool {
        schemeSeparatorEnd(target.utf8) != nil
    }

    /// The offset just past the first `://`, searched as bytes: Foundation's `contains` on
    /// String goes through NSString, and every probe asks.
    static func schemeSeparatorEnd(_ bytes: some Collection<UInt8>) -> Int? {
        var matched = 0
        for (offset, byte) in bytes.enumerated() {
            switch (matched, byte) {
            case (0, UInt8(ascii: ":")): matched = 1
            case (1, UInt8(ascii: "/")): matched = 2
            case (2, UInt8(ascii: "/")): return offset + 1
            case (_, UInt8(ascii: ":")): matched = 1
            default: matched = 0
            }
        }
        return nil
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
