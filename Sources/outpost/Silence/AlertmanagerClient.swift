import Alerting
import Foundation
import Probing

/// The silence calls of Alertmanager's v2 API, against a running Outpost or Alertmanager.
struct AlertmanagerClient {
    /// Without a trailing slash, e.g. `http://127.0.0.1:9393`.
    let baseURL: String
    var timeout: Duration = .seconds(30)

    init(baseURL: String) {
        var trimmed = Substring(baseURL)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = String(trimmed)
    }

    /// Creates the silence and returns its ID.
    func createSilence(_ silence: AlertmanagerAPI.PostableSilence) throws(AlertmanagerClientError) -> String {
        struct Created: Decodable { var silenceID: String }
        let body: String
        do {
            body = String(decoding: try JSONEncoder().encode(silence), as: UTF8.self)
        } catch {
            throw .badResponse("cannot encode the silence: \(error)")
        }
        return try decode(Created.self, from: request("POST", "/api/v2/silences", jsonBody: body)).silenceID
    }

    /// Silences that carry every one of `filter` (the server filters), in the server's order.
    func silences(filter: [Matcher]) throws(AlertmanagerClientError) -> [AlertmanagerAPI.GettableSilence] {
        let query = filter.map { "filter=" + Self.percentEncoded($0.description) }.joined(separator: "&")
        let path = "/api/v2/silences" + (query.isEmpty ? "" : "?" + query)
        return try decode([AlertmanagerAPI.GettableSilence].self, from: request("GET", path))
    }

    func expireSilence(id: String) throws(AlertmanagerClientError) {
        _ = try request("DELETE", "/api/v2/silence/" + Self.percentEncoded(id))
    }

    private func request(_ method: String, _ path: String, jsonBody: String? = nil) throws(AlertmanagerClientError) -> BlockingHTTPClient.Response {
        let url = baseURL + path
        let response: BlockingHTTPClient.Response
        do {
            response = try BlockingHTTPClient.send(method, url: url, jsonBody: jsonBody, userAgent: "outpost/\(BuildInfo.version)",
                                                   timeout: timeout)
        } catch {
            throw .unreachable(url: url, reason: error.description)
        }
        guard (200..<300).contains(response.status) else {
            // Alertmanager sends errors as a JSON string; anything else is shown as it came.
            let message = (try? JSONDecoder().decode(String.self, from: Data(response.body))) ?? response.text
            throw .rejected(status: response.status, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return response
    }

    private func decode<Value: Decodable>(_ type: Value.Type, from response: BlockingHTTPClient.Response) throws(AlertmanagerClientError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw .badResponse("unexpected response body: \(error)")
        }
    }

    /// Everything but unreserved characters escaped, for query values and path segments.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

enum AlertmanagerClientError: Error, CustomStringConvertible {
    case unreachable(url: String, reason: String)
    case rejected(status: Int, message: String)
    case badResponse(String)

    var description: String {
        switch self {
        case .unreachable(let url, let reason): "cannot reach \(url): \(reason)"
        case .rejected(let status, let message): "server answered \(status): \(message)"
        case .badResponse(let reason): reason
        }
    }
}
