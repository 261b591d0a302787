import CCurl

/// One plain HTTP request run to completion on the calling thread, for command-line tools
/// such as `outpost silence`. It shares `CurlTransfer` with the prober, without the probe's
/// multi-handle loop.
public enum BlockingHTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Why no response arrived: libcurl's explanation, e.g. "Couldn't connect to server".
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Responses larger than this are cut off with an error rather than held in memory.
    static let maxBodySize: Int64 = 64 << 20

    /// Sends `method` to `url` with `body` (sent as `Content-Type: application/json` when given)
    /// and waits for the whole response, at most `timeout`.
    public static func send(_ method: String, url: String, jsonBody body: String? = nil, userAgent: String,
                            timeout: Duration = .seconds(30)) throws(Failure) -> Response {
        CurlGlobal.initialize()
        guard let transfer = CurlTransfer() else { throw Failure(description: "cannot create a libcurl handle") }
        let milliseconds = max(1, timeout.wholeMilliseconds)
        transfer.set(CURLOPT_URL, url)
        transfer.set(CURLOPT_NOSIGNAL, 1)
        transfer.set(CURLOPT_TIMEOUT_MS, milliseconds)
        transfer.set(CURLOPT_PROTOCOLS_STR, "http,https")
        transfer.set(CURLOPT_USERAGENT, userAgent)
        var headers = ["Accept: application/json"]
        if let body {
            headers.append("Content-Type: application/json")
            transfer.set(CURLOPT_POSTFIELDSIZE, body.utf8.count)
            transfer.set(CURLOPT_COPYPOSTFIELDS, body)
        }
        if method != (body == nil ? "GET" : "POST") { transfer.set(CURLOPT_CUSTOMREQUEST, method) }
        transfer.set(CURLOPT_HTTPHEADER, list: headers)
        transfer.keepBody = true
        transfer.bodyLimit = maxBodySize
        let code = curl_easy_perform(transfer.easy)
        guard code == CURLE_OK else {
            if transfer.bodyLimitExceeded { throw Failure(description: "response larger than \(maxBodySize) bytes") }
            throw Failure(description: String(cString: curl_easy_strerror(code)))
        }
        return Response(status: transfer.long(CURLINFO_RESPONSE_CODE), body: transfer.body)
    }
}
