import CCurl
import OutpostCore
#if canImport(Glibc)
import Glibc
#endif

/// One easy handle and everything its callbacks collect.
///
/// Ownership moves in one direction: the probing task configures it, `CurlMultiLoop`'s thread
/// alone touches it while the transfer runs, and the task reads it again after `finish`
/// resumed it. That hand-off is what makes the unchecked `Sendable` sound.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    var continuation: CheckedContinuation<CURLcode, Never>?
    /// Counts the times the handle was reset for another probe (see `CurlTransferPool`), so
    /// a late cancellation of an earlier use cannot end a later one.
    private(set) var use = 0

    /// Body bytes kept for regexps and JSON checks; only collected when `keepBody`.
    var body: [UInt8] = []
    var keepBody = false
    var bodyBytes: Int64 = 0
    /// The configured `body_size_limit`, or a safety cap when the body is kept; 0 means none.
    var bodyLimit: Int64 = 0
    var bodyLimitExceeded = false
    /// Header lines of the last response as received (a redirect starts a new block); read
    /// by name only when a check asks, so an unchecked header costs no strings.
    private var headerBlock: [UInt8] = []
    /// libcurl's informational lines, such as the negotiated TLS version and cipher.
    var infoLines: [String] = []
    var verbose = false
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init?() {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        installCallbacks()
    }

    private func installCallbacks() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        outpost_curl_set_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteBody)
        outpost_curl_set_pointer(easy, CURLOPT_WRITEDATA, context)
        outpost_curl_set_data_callback(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        outpost_curl_set_pointer(easy, CURLOPT_HEADERDATA, context)
    }

    /// Makes the handle as new for another probe: libcurl's options back to their defaults
    /// (`curl_easy_reset` keeps the handle's buffers, which is the point) and nothing kept of
    /// the last response. Only call it once the transfer has finished.
    func reset() {
        curl_easy_reset(easy)
        installCallbacks()
        continuation = nil
        use += 1
        body.removeAll(keepingCapacity: true)
        keepBody = false
        bodyBytes = 0
        bodyLimit = 0
        bodyLimitExceeded = false
        headerBlock.removeAll(keepingCapacity: true)
        infoLines.removeAll()
        verbose = false
        for list in lists { curl_slist_free_all(list) }
        lists.removeAll()
    }

    deinit {
        curl_easy_cleanup(easy)
        for list in lists { curl_slist_free_all(list) }
    }

    func set(_ option: CURLoption, _ value: Int) {
        outpost_curl_set_long(easy, option, value)
    }

    func set(_ option: CURLoption, _ value: String) {
        // CURLOPT string options are copied by libcurl (7.17+), so a temporary is fine.
        outpost_curl_set_string(easy, option, value)
    }

    /// Sets a list option; the list lives as long as the transfer.
    func set(_ option: CURLoption, list values: [String]) {
        guard !values.isEmpty else { return }
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values { list = curl_slist_append(list, value) }
        if let list {
            lists.append(list)
            outpost_curl_set_slist(easy, option, list)
        }
    }

    /// Collects libcurl's informational text: the TLS summary always, everything when verbose.
    func enableInfo(verbose: Bool) {
        self.verbose = verbose
        outpost_curl_set_debug_callback(easy, curlDebug)
        outpost_curl_set_pointer(easy, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(self).toOpaque())
        set(CURLOPT_VERBOSE, 1)
    }

    func finish(_ code: CURLcode) {
        let continuation = self.continuation
        self.continuation = nil
        continuation?.resume(returning: code)
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        outpost_curl_get_long(easy, info, &value)
        return value
    }

    func offset(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        outpost_curl_get_off(easy, info, &value)
        return Int64(value)
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        outpost_curl_get_string(easy, info, &value)
        return value.map { String(cString: $0) }
    }

    /// Whether the final URL (after redirects) is https, read without copying it.
    var effectiveURLIsHTTPS: Bool {
        var value: UnsafeMutablePointer<CChar>?
        outpost_curl_get_string(easy, CURLINFO_EFFECTIVE_URL, &value)
        guard let value else { return false }
        return strncasecmp(value, "https://", 8) == 0
    }

    /// The certificates libcurl saw, each as its list of `Key:value` lines.
    func certificates() -> [[String]] {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard outpost_curl_get_certinfo(easy, &info) == CURLE_OK, let info, let lists = info.pointee.certinfo else { return [] }
        var result: [[String]] = []
        for index in 0..<Int(info.pointee.num_of_certs) {
            var lines: [String] = []
            var node = lists[index]
            while let current = node {
                if let data = current.pointee.data { lines.append(String(cString: data)) }
                node = current.pointee.next
            }
            result.append(lines)
        }
        return result
    }

    fileprivate func receiveBody(_ data: UnsafeRawBufferPointer) -> Bool {
        bodyBytes += Int64(data.count)
        if bodyLimit > 0, bodyBytes > bodyLimit {
            bodyLimitExceeded = true
            return false
        }
        if keepBody { body.append(contentsOf: data) }
        return true
    }

    /// The values of the last response's headers called `name` (any case), in order.
    func headerValues(_ name: String) -> [String] {
        let wanted = Array(name.utf8)
        var values: [String] = []
        var lineStart = headerBlock.startIndex
        while lineStart < headerBlock.endIndex {
            let lineEnd = headerBlock[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? headerBlock.endIndex
            let line = headerBlock[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon - line.startIndex == wanted.count,
                  zip(line[..<colon], wanted).allSatisfy({ Self.asciiLowercase($0) == Self.asciiLowercase($1) }) else { continue }
            var value = line[(colon + 1)...]
            while let first = value.first, Self.isSpace(first) { value.removeFirst() }
            while let last = value.last, Self.isSpace(last) || last == UInt8(ascii: "\r") { value.removeLast() }
            values.append(String(decoding: value, as: UTF8.self))
        }
        return values
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    fileprivate func receiveHeader(_ data: UnsafeRawBufferPointer) {
        if data.starts(with: "HTTP/".utf8) {
            headerBlock.removeAll(keepingCapacity: true)
        } else {
            headerBlock.append(contentsOf: data)
        }
        if verbose {
            let line = String(decoding: data, as: UTF8.self).trimmingNewline()
            if !line.isEmpty { infoLines.append("< " + line) }
        }
    }

    fileprivate func receiveInfo(_ type: curl_infotype, _ data: UnsafeRawBufferPointer) {
        switch type {
        case CURLINFO_TEXT:
            let line = String(decoding: data, as: UTF8.self).trimmingNewline()
            if verbose || line.hasPrefix("SSL connection using") { infoLines.append(line) }
        case CURLINFO_HEADER_OUT where verbose:
            for line in String(decoding: data, as: UTF8.self).split(separator: "\r\n") {
                infoLines.append("> " + HTTPRedaction.redact(headerLine: String(line)))
            }
        default:
            break
        }
    }
}

extension String {
    func trimmingNewline() -> String {
        var view = Substring(self)
        while let last = view.last, last.isNewline { view.removeLast() }
        return String(view)
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let length = size * count
    Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

private func curlDebug(_ handle: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 0 }
    Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveInfo(type, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
