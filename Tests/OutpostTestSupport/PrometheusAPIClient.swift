import Foundation

/// Prometheus's HTTP API (/api/v1) on 127.0.0.1, as Prometheus and Outpost both serve it.
public struct PrometheusAPIClient: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// An instant query's answer: its result type and, for vectors, each series' labels.
    public struct QueryResult: Sendable {
        public var resultType: String
        public var series: [[String: String]]

        /// Scalars and strings always have a value; vectors and matrices need a series.
        public var hasData: Bool { resultType == "scalar" || resultType == "string" || !series.isEmpty }
    }

    public let http: LoopbackHTTPClient

    public init(port: Int) { http = LoopbackHTTPClient(port: port) }

    public func query(_ expr: String) async throws -> QueryResult {
        let data = try await call("POST", "/api/v1/query", form: "query=" + FormEncoding.escape(expr)) as? [String: Any]
        let result = data?["result"] as? [[String: Any]] ?? []
        return QueryResult(resultType: data?["resultType"] as? String ?? "",
                           series: result.map { $0["metric"] as? [String: String] ?? [:] })
    }

    /// The values of `label`, of series matching `selector` when one is given.
    public func labelValues(_ label: String, selector: String? = nil) async throws -> [String] {
        let match = selector.map { "?match[]=" + FormEncoding.escape($0) } ?? ""
        return try await call("GET", "/api/v1/label/\(label)/values\(match)") as? [String] ?? []
    }

    /// The `data` of a successful answer to `method path`, decoded with JSONSerialization.
    public func call(_ method: String, _ path: String, form: String? = nil) async throws -> Any? {
        let headers = form == nil ? [:] : ["Content-Type": "application/x-www-form-urlencoded"]
        let response = try await http.request(method, path, headers: headers, body: Array((form ?? "").utf8))
        guard response.status == 200,
              let document = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              document["status"] as? String == "success"
        else { throw Failure(description: "\(method) \(path) \(form ?? ""): \(response.status) \(response.text)") }
        return document["data"]
    }
}
