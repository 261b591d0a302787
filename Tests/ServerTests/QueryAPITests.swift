import Foundation
import OutpostCore
import OutpostMetrics
import OutpostTestSupport
import PromQL
@testable import Server
import Synchronization
import Testing
import TSDB

/// The `/api/v1` endpoints over a head holding, every 15 s from t0 = 1700000000 s to t0+60 s:
/// `up{instance="a:1",job="api"}` = 1, `up{instance="b:1",job="api"}` = 0 and
/// `http_requests_total{code="200",job="api"}` rising by 15 per sample (0, 15, …, 60).
@Suite struct QueryAPITests {
    static let t0: Int64 = 1_700_000_000_000

    private static func head() throws -> Head {
        let head = Head()
        for step in 0...4 {
            let t = t0 + Int64(step) * 15_000
            try head.append(["__name__": "up", "job": "api", "instance": "a:1"], t, 1)
            try head.append(["__name__": "up", "job": "api", "instance": "b:1"], t, 0)
            try head.append(["__name__": "http_requests_total", "job": "api", "code": "200"], t, Double(step * 15))
        }
        return head
    }

    private static func dependencies(_ options: EngineOptions = EngineOptions(), maxConcurrency: Int = 20) throws -> ServerDependencies {
        let service = QueryService(
            head: try head(), engineOptions: options, maxConcurrency: maxConcurrency,
            buildInfo: PrometheusBuildInfo(version: "0.1.0", revision: "abc123", goVersion: "swift6.3"),
            clock: ManualClock(now: t0 + 60_000)
        )
        return ServerDependencies(registry: MetricsRegistry(), reload: { nil }, isReady: { true }, query: service)
    }

    private func withServer(_ options: EngineOptions = EngineOptions(), maxConcurrency: Int = 20,
                            _ body: (LoopbackHTTPClient) async throws -> Void) async throws {
        try await withRunningServer(try Self.dependencies(options, maxConcurrency: maxConcurrency), body)
    }

    /// The decoded JSON body after checking status code and content type.
    private func json(_ response: LoopbackHTTPClient.Response, status: Int = 200) throws -> [String: Any] {
        #expect(response.status == status, "\(response.text)")
        #expect(response.headers["content-type"] == "application/json")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], "\(response.text)")
    }

    private func data(_ response: LoopbackHTTPClient.Response) throws -> [String: Any] {
        let body = try json(response)
        #expect(body["status"] as? String == "success")
        return try #require(body["data"] as? [String: Any])
    }

    private func expectError(_ response: LoopbackHTTPClient.Response, status: Int, type: String, message: String) throws {
        let body = try json(response, status: status)
        #expect(body["status"] as? String == "error")
        #expect(body["errorType"] as? String == type)
        #expect(body["error"] as? String == message)
    }

    /// `[t, "v"]` as (seconds, value string).
    private func point(_ any: Any?) throws -> (Double, String) {
        let pair = try #require(any as? [Any])
        return (try #require(pair.first as? Double), try #require(pair.last as? String))
    }

    private func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    // MARK: - /api/v1/query

    @Test func instantVectorQuery() async throws {
        try await withServer { client in
            let data = try data(try await client.request("GET", "/api/v1/query?" + form([("query", "up"), ("time", "1700000060")])))
            #expect(data["resultType"] as? String == "vector")
            let result = try #require(data["result"] as? [[String: Any]])
            #expect(result.count == 2)
            #expect(result.map { $0["metric"] as? [String: String] } == [
                ["__name__": "up", "instance": "a:1", "job": "api"], ["__name__": "up", "instance": "b:1", "job": "api"],
            ])
            let values = try result.map { try point($0["value"]) }
            #expect(values.map(\.0) == [1_700_000_060, 1_700_000_060])
            #expect(values.map(\.1) == ["1", "0"])
        }
    }

    @Test func instantQueryDefaultsToNowAndComputesRates() async throws {
        try await withServer { client in
            // rate over (t0, t0+60s]: 45 increase in 45 s, extrapolated to the window start where the counter would be 0.
            let data = try data(try await client.request("GET", "/api/v1/query?" + form([("query", "sum(rate(http_requests_total[1m]))")])))
            let result = try #require(data["result"] as? [[String: Any]])
            #expect(result.count == 1)
            #expect(result.first?["metric"] as? [String: String] == [:])
            let value = try point(result.first?["value"])
            #expect(value.0 == 1_700_000_060)
            // 45 * (60 / 45) / 60 in floating point, as Prometheus computes it.
            #expect(abs(try #require(Double(value.1)) - 1) < 1e-12)
        }
    }

    @Test func scalarStringAndSpecialValues() async throws {
        try await withServer { client in
            let scalar = try data(try await client.request("GET", "/api/v1/query?" + form([("query", "1.5"), ("time", "1700000000.25")])))
            #expect(scalar["resultType"] as? String == "scalar")
            let value = try point(scalar["result"])
            #expect(value.0 == 1_700_000_000.25)
            #expect(value.1 == "1.5")

            let string = try data(try await client.request("GET", "/api/v1/query?" + form([("query", "\"hello\""), ("time", "2023-11-14T22:13:20Z")])))
            #expect(string["resultType"] as? String == "string")
            let text = try point(string["result"])
            #expect(text.0 == 1_700_000_000)
            #expect(text.1 == "hello")

            let raw = try await client.request("GET", "/api/v1/query?" + form([("query", "vector(1/0) or label_replace(vector(0/0), \"x\", \"y\", \"\", \"\") or label_replace(vector(-1/0), \"x\", \"z\", \"\", \"\")"), ("time", "100.005")]))
            let values = try #require(try data(raw)["result"] as? [[String: Any]]).map { try point($0["value"]).1 }
            #expect(Set(values) == ["+Inf", "NaN", "-Inf"])
            // Timestamps keep Prometheus's millisecond form: 100.005 s, not a rounded double.
            #expect(raw.text.contains("[100.005,\"+Inf\"]"))
            #expect(raw.text.hasPrefix("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["))
        }
    }

    @Test(arguments: [
        ("1e21", "1e+21"), ("1.5e-7", "1.5e-07"), ("-2.5e300", "-2.5e+300"), ("1e20", "100000000000000000000"),
        ("0.000001", "0.000001"), ("-0.125", "-0.125"), ("123456789.5", "123456789.5"), ("-0", "-0"),
    ])
    func sampleValuesAreFormattedLikePrometheus(query: String, expected: String) async throws {
        try await withServer { client in
            let data = try data(try await client.request("GET", "/api/v1/query?" + form([("query", query), ("time", "1")])))
            #expect(try point(data["result"]).1 == expected)
        }
    }

    @Test func rangeVectorSelectorReturnsMatrix() async throws {
        try await withServer { client in
            let data = try data(try await client.request("GET", "/api/v1/query?" + form([("query", "http_requests_total[30s]"), ("time", "1700000060")])))
            #expect(data["resultType"] as? String == "matrix")
            let series = try #require((data["result"] as? [[String: Any]])?.first)
            let values = try #require(series["values"] as? [Any]).map(point)
            // (t0+30s, t0+60s]: the samples at 45 s and 60 s.
            #expect(values.map(\.0) == [1_700_000_045, 1_700_000_060])
            #expect(values.map(\.1) == ["45", "60"])
        }
    }

    @Test func warningsAreReported() async throws {
        try await withServer { client in
            // rate() over a metric not named like a counter raises Prometheus's info annotation.
            let body = try json(try await client.request("GET", "/api/v1/query?" + form([("query", "rate(up[1m])"), ("time", "1700000060")])))
            let infos = try #require(body["infos"] as? [String])
            #expect(infos.count == 1)
            #expect(infos.first?.hasPrefix("PromQL info: metric might not be a counter") == true)
            #expect(body["warnings"] == nil)
        }
    }

    @Test func lookbackDeltaParameter() async throws {
        try await withServer { client in
            // The last samples are at t0+60 s; two seconds later they are within the default 5 m lookback, not within 1 s.
            let usual = try data(try await client.request("GET", "/api/v1/query?query=up&time=1700000062"))
            #expect((usual["result"] as? [Any])?.count == 2)
            let short = try data(try await client.request("GET", "/api/v1/query?query=up&time=1700000062&lookback_delta=1s"))
            #expect((short["result"] as? [Any])?.isEmpty == true)
            try expectError(try await client.request("GET", "/api/v1/query?query=up&lookback_delta=x"), status: 400, type: "bad_data",
                            message: "error parsing lookback delta duration: cannot parse \"x\" to a valid duration")
        }
    }

    @Test func postFormBody() async throws {
        try await withServer { client in
            let body = form([("query", "sum by (job) (up{instance=~\"a:.*\"})"), ("time", "1700000030")])
            let response = try await client.request("POST", "/api/v1/query",
                                                    headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array(body.utf8))
            let result = try #require(try data(response)["result"] as? [[String: Any]])
            #expect(result.first?["metric"] as? [String: String] == ["job": "api"])
            let value = try point(result.first?["value"])
            #expect(value.0 == 1_700_000_030)
            #expect(value.1 == "1")
        }
    }

    // MARK: - /api/v1/query_range

    @Test func grafanaStyleRangeQuery() async throws {
        try await withServer { client in
            let query = form([("query", "http_requests_total"), ("start", "1700000000"), ("end", "1700000060"), ("step", "30")])
            let data = try data(try await client.request("GET", "/api/v1/query_range?" + query))
            #expect(data["resultType"] as? String == "matrix")
            let result = try #require(data["result"] as? [[String: Any]])
            #expect(result.count == 1)
            #expect(result.first?["metric"] as? [String: String] == ["__name__": "http_requests_total", "code": "200", "job": "api"])
            let values = try #require(result.first?["values"] as? [Any]).map(point)
            #expect(values.map(\.0) == [1_700_000_000, 1_700_000_030, 1_700_000_060])
            #expect(values.map(\.1) == ["0", "30", "60"])
        }
    }

    @Test func rangeQueryWithDurationStepRFC3339AndFractionalSeconds() async throws {
        try await withServer { client in
            let query = form([("query", "up{instance=\"b:1\"} + 2"), ("start", "2023-11-14T22:13:20Z"),
                              ("end", "1700000030.5"), ("step", "15s")])
            let result = try #require(try data(try await client.request("GET", "/api/v1/query_range?" + query))["result"] as? [[String: Any]])
            #expect(result.first?["metric"] as? [String: String] == ["instance": "b:1", "job": "api"])
            let values = try #require(result.first?["values"] as? [Any]).map(point)
            #expect(values.map(\.0) == [1_700_000_000, 1_700_000_015, 1_700_000_030])
            #expect(values.map(\.1) == ["2", "2", "2"])
        }
    }

    @Test func rangeQueryOverPost() async throws {
        try await withServer { client in
            let body = form([("query", "scalar(sum(up))"), ("start", "1700000000"), ("end", "1700000015"), ("step", "15")])
            let response = try await client.request("POST", "/api/v1/query_range",
                                                    headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array(body.utf8))
            let result = try #require(try data(response)["result"] as? [[String: Any]])
            #expect(result.first?["metric"] as? [String: String] == [:])
            #expect(try #require(result.first?["values"] as? [Any]).map(point).map(\.1) == ["1", "1"])
        }
    }

    // MARK: - errors

    @Test func parseErrorsAreBadDataWithPosition() async throws {
        try await withServer { client in
            let response = try await client.request("GET", "/api/v1/query?" + form([("query", "foo bar")]))
            let body = try json(response, status: 400)
            #expect(body["errorType"] as? String == "bad_data")
            let message = try #require(body["error"] as? String)
            #expect(message.hasPrefix("invalid parameter \"query\": 1:5: parse error: "), "\(message)")
            #expect(message.contains("bar"))

            let missing = try json(try await client.request("GET", "/api/v1/query"), status: 400)
            #expect(missing["errorType"] as? String == "bad_data")
            #expect((missing["error"] as? String)?.hasPrefix("invalid parameter \"query\": ") == true)
        }
    }

    @Test func badParametersAreBadData() async throws {
        try await withServer { client in
            try expectError(try await client.request("GET", "/api/v1/query?query=up&time=abc"), status: 400, type: "bad_data",
                            message: "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to a valid timestamp")
            try expectError(try await client.request("GET", "/api/v1/query?query=up&timeout=soon"), status: 400, type: "bad_data",
                            message: "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration")
            try expectError(try await client.request("GET", "/api/v1/query_range?query=up&end=10&step=1"), status: 400, type: "bad_data",
                            message: "invalid parameter \"start\": cannot parse \"\" to a valid timestamp")
            try expectError(try await client.request("GET", "/api/v1/query_range?query=up&start=20&end=10&step=1"), status: 400,
                            type: "bad_data", message: "end timestamp must not be before start time")
            try expectError(try await client.request("GET", "/api/v1/query_range?query=up&start=0&end=10&step=0"), status: 400,
                            type: "bad_data", message: "zero or negative query resolution step widths are not accepted. Try a positive integer")
            try expectError(try await client.request("GET", "/api/v1/query_range?query=up&start=0&end=11001&step=1"), status: 400,
                            type: "bad_data",
                            message: "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
            try expectError(try await client.request("GET", "/api/v1/query_range?query=%22s%22&start=0&end=10&step=1"), status: 400,
                            type: "bad_data",
                            message: "invalid parameter \"query\": invalid expression type \"string\" for range query, must be Scalar or instant Vector")
            try expectError(try await client.request("GET", "/api/v1/query?query=up%zz"), status: 400, type: "bad_data",
                            message: "error parsing form values: invalid URL escape \"%zz\"")
        }
    }

    @Test func exactlyElevenThousandStepsAreAllowed() async throws {
        try await withServer { client in
            let response = try await client.request("GET", "/api/v1/query_range?query=1&start=0&end=11000&step=1")
            let series = try #require(try data(response)["result"] as? [[String: Any]])
            #expect((series.first?["values"] as? [Any])?.count == 11_001)
        }
    }

    @Test func executionFailuresAre422AndTimeoutsAre503() async throws {
        var tight = EngineOptions()
        tight.maxSamples = 1
        try await withServer(tight) { client in
            try expectError(try await client.request("GET", "/api/v1/query?query=up&time=1700000060"), status: 422, type: "execution",
                            message: "query processing would load too many samples into memory in query execution")
        }
        var instant = EngineOptions()
        instant.timeout = .zero
        try await withServer(instant) { client in
            try expectError(try await client.request("GET", "/api/v1/query?query=up&time=1700000060"), status: 503, type: "timeout",
                            message: "query timed out in query execution")
        }
    }

    // MARK: - series, labels, metadata, buildinfo

    @Test func seriesMatchesSelectors() async throws {
        try await withServer { client in
            let response = try await client.request("GET", "/api/v1/series?match[]=up")
            let body = try json(response)
            #expect(body["data"] as? [[String: String]] == [
                ["__name__": "up", "instance": "a:1", "job": "api"], ["__name__": "up", "instance": "b:1", "job": "api"],
            ])
            let union = try json(try await client.request("GET", "/api/v1/series?" + form([
                ("match[]", "up{instance=\"b:1\"}"), ("match[]", "{__name__=~\"http_.*\"}"), ("match[]", "up{instance=\"b:1\"}"),
            ])))
            #expect(union["data"] as? [[String: String]] == [
                ["__name__": "http_requests_total", "code": "200", "job": "api"], ["__name__": "up", "instance": "b:1", "job": "api"],
            ])
            let outOfRange = try json(try await client.request("GET", "/api/v1/series?match[]=up&start=1600000000&end=1600000100"))
            #expect((outOfRange["data"] as? [Any])?.isEmpty == true)
            let limited = try json(try await client.request("GET", "/api/v1/series?match[]=up&limit=1"))
            #expect((limited["data"] as? [Any])?.count == 1)
            #expect(limited["warnings"] as? [String] == ["results truncated due to limit"])
            try expectError(try await client.request("GET", "/api/v1/series"), status: 400, type: "bad_data",
                            message: "no match[] parameter provided")
        }
    }

    @Test func labelNamesAndValues() async throws {
        try await withServer { client in
            #expect(try json(try await client.request("GET", "/api/v1/labels"))["data"] as? [String] == ["__name__", "code", "instance", "job"])
            #expect(try json(try await client.request("GET", "/api/v1/labels?match[]=up"))["data"] as? [String] == ["__name__", "instance", "job"])
            #expect(try json(try await client.request("GET", "/api/v1/label/__name__/values"))["data"] as? [String] == ["http_requests_total", "up"])
            #expect(try json(try await client.request("GET", "/api/v1/label/instance/values"))["data"] as? [String] == ["a:1", "b:1"])
            #expect(try json(try await client.request("GET", "/api/v1/label/code/values?match[]=up"))["data"] as? [String] == [])
            #expect(try json(try await client.request("GET", "/api/v1/label/missing/values"))["data"] as? [String] == [])
            let limited = try json(try await client.request("POST", "/api/v1/labels",
                                                            headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                            body: Array("limit=2".utf8)))
            #expect(limited["data"] as? [String] == ["__name__", "code"])
            #expect(limited["warnings"] as? [String] == ["results truncated due to limit"])
            try expectError(try await client.request("GET", "/api/v1/labels?limit=-1"), status: 400, type: "bad_data",
                            message: "limit must be non-negative")
        }
    }

    /// A collector exposing one family, standing in for the process and storage collectors.
    private struct FixedCollector: MetricsCollector {
        let family: FamilySnapshot
        func collect() -> [FamilySnapshot] { [family] }
    }

    @Test func metadataComesFromTheRegistryWithPrometheusParameters() async throws {
        let registry = MetricsRegistry()
        try registry.counter("http_handled_total", help: "Requests handled.").labels(("code", "200")).increment()
        try registry.gauge("queue_depth", help: "Jobs waiting.").labels().set(3)
        _ = try registry.histogram("latency_seconds", help: "Request latency.")
        registry.register(collector: FixedCollector(family: FamilySnapshot(
            name: "shared", help: "A \"quoted\" help.", type: .untyped, series: [.init(labels: Labels(), value: .scalar(1))])), key: "a")
        var dependencies = try Self.dependencies()
        dependencies.registry = registry
        try await withRunningServer(dependencies) { client in
            let all = try data(try await client.request("GET", "/api/v1/metadata"))
            #expect(Set(all.keys) == ["http_handled_total", "queue_depth", "latency_seconds", "shared"])
            #expect(all["http_handled_total"] as? [[String: String]] == [["type": "counter", "help": "Requests handled.", "unit": ""]])
            #expect(all["queue_depth"] as? [[String: String]] == [["type": "gauge", "help": "Jobs waiting.", "unit": ""]])
            #expect(all["latency_seconds"] as? [[String: String]] == [["type": "histogram", "help": "Request latency.", "unit": ""]])
            #expect(all["shared"] as? [[String: String]] == [["type": "unknown", "help": "A \"quoted\" help.", "unit": ""]])

            let one = try data(try await client.request("GET", "/api/v1/metadata?metric=queue_depth"))
            #expect(Array(one.keys) == ["queue_depth"])
            #expect(try data(try await client.request("GET", "/api/v1/metadata?metric=absent")).isEmpty)
            // `limit` keeps that many metrics (0: none, negative: all); `limit_per_metric` entries per metric.
            #expect(Set(try data(try await client.request("GET", "/api/v1/metadata?limit=2")).keys) == ["http_handled_total", "latency_seconds"])
            #expect(try data(try await client.request("GET", "/api/v1/metadata?limit=0")).isEmpty)
            #expect(try data(try await client.request("GET", "/api/v1/metadata?limit=-1")).count == 4)
            let perMetric = try data(try await client.request("POST", "/api/v1/metadata", headers: ["content-type": "application/x-www-form-urlencoded"],
                                                              body: Array("limit_per_metric=1&metric=shared".utf8)))
            #expect((perMetric["shared"] as? [Any])?.count == 1)
            try expectError(try await client.request("GET", "/api/v1/metadata?limit=many"), status: 400, type: "bad_data",
                            message: "limit must be a number")
            try expectError(try await client.request("GET", "/api/v1/metadata?limit_per_metric=x"), status: 400, type: "bad_data",
                            message: "limit_per_metric must be a number")
        }
    }

    @Test func buildInfo() async throws {
        try await withServer { client in
            let info = try data(try await client.request("GET", "/api/v1/status/buildinfo"))
            #expect(info["version"] as? String == "0.1.0")
            #expect(info["revision"] as? String == "abc123")
            #expect(info["goVersion"] as? String == "swift6.3")
        }
    }

    @Test func withoutQueryServiceTheAPIIsNotRouted() async throws {
        try await withRunningServer(ServerDependencies(registry: MetricsRegistry(), reload: { nil }, isReady: { true })) { client in
            let response = try await client.request("GET", "/api/v1/query?query=1")
            #expect(response.status == 404)
        }
    }

    // MARK: - concurrency

    @Test func concurrentQueriesBeyondTheLimitAllComplete() async throws {
        try await withServer(maxConcurrency: 1) { client in
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let response = try await client.request("GET", "/api/v1/query?query=\(index)&time=1")
                        return try point(try data(response)["result"]).1
                    }
                }
                var values: [String] = []
                for try await value in group { values.append(value) }
                #expect(values.sorted() == ["0", "1", "2", "3", "4", "5"])
            }
        }
    }

    @Test func slowQueriesDoNotStallOtherRequests() async throws {
        let head = Head()
        for second in 0..<86_400 { try head.append(["__name__": "big"], Self.t0 + Int64(second) * 1000, Double(second)) }
        var options = EngineOptions()
        options.timeout = .seconds(5)
        let dependencies = ServerDependencies(registry: MetricsRegistry(), reload: { nil }, isReady: { true },
                                              query: QueryService(head: head, engineOptions: options))
        try await withRunningServer(dependencies) { client in
            let finished = Mutex(false)
            // 10,800 steps each summing up to a day of samples: far more than 5 s of work.
            let slow = Task {
                let response = try await client.request(
                    "GET", "/api/v1/query_range?" + form([("query", "sum_over_time(big[1d]) * count_over_time(big[1d])"),
                                                          ("start", "1700000000"), ("end", "1700086400"), ("step", "8")]))
                finished.withLock { $0 = true }
                return response
            }
            try await Task.sleep(for: .milliseconds(300))
            let healthy = try await client.request("GET", "/-/healthy")
            #expect(healthy.status == 200)
            #expect(finished.withLock { $0 } == false)
            try expectError(try await slow.value, status: 503, type: "timeout", message: "query timed out in query execution")
        }
    }

    @Test func limiterQueuesAndHonoursCancellation() async throws {
        let limiter = QueryLimiter(limit: 1)
        try await limiter.acquire()
        let order = Mutex<[String]>([])
        let waiter = Task {
            try await limiter.acquire()
            order.withLock { $0.append("second acquired") }
            await limiter.release()
        }
        let cancelled = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        order.withLock { $0.append("first released") }
        await limiter.release()
        try await waiter.value
        #expect(order.withLock { $0 } == ["first released", "second acquired"])
        try await limiter.acquire()
        await limiter.release()
    }

    @Test func aRaisedLimitStartsWaitingQueries() async throws {
        let limiter = QueryLimiter(limit: 1)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        await limiter.setLimit(2)
        try await waiter.value
        await limiter.setLimit(1)
        await limiter.release()
        await limiter.release()
        try await limiter.acquire()
        let blocked = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        blocked.cancel()
        await #expect(throws: CancellationError.self, "the lowered limit holds once running queries finish") { try await blocked.value }
    }

    @Test func reloadedSettingsApplyToTheNextQueries() async throws {
        let service = QueryService(head: try Self.head(), clock: ManualClock(now: Self.t0 + 90_000))
        let dependencies = ServerDependencies(registry: MetricsRegistry(), reload: { nil }, isReady: { true }, query: service)
        try await withRunningServer(dependencies) { client in
            // The last samples are at t0 + 60s; 30 s later they are within the default 5m lookback.
            var result = try data(try await client.request("GET", "/api/v1/query?query=up"))["result"] as? [Any]
            #expect(result?.count == 2)
            var options = EngineOptions()
            options.lookbackDelta = 10_000
            await service.update(engineOptions: options, maxConcurrency: 5)
            result = try data(try await client.request("GET", "/api/v1/query?query=up"))["result"] as? [Any]
            #expect(result?.count == 0)
            #expect(service.engine.options.lookbackDelta == 10_000)
        }
    }

    // MARK: - parameter parsing

    @Test func timestampsAndDurationsParseAsPrometheusDoes() throws {
        #expect(RFC3339.parse("2023-11-14T22:13:20.5Z") == 1_700_000_000_500)
        #expect(RFC3339.parse("2023-11-15T00:13:20.123456+02:00") == 1_700_000_000_123)
        #expect(RFC3339.parse("1969-12-31T23:59:59Z") == -1000)
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") == 1_709_164_800_000)
        #expect(RFC3339.parse("2023-02-29T00:00:00Z") == nil)
        #expect(RFC3339.parse("2023-11-14 22:13:20Z") == nil)
        #expect(RFC3339.parse("2023-11-14T22:13:20") == nil)
        #expect(QueryParameters.parseTime("1700000000.1234") == 1_700_000_000_123)
        #expect(QueryParameters.parseTime("-1.5") == -1500)
        #expect(QueryParameters.parseTime("NaN") == nil)
        var parameters = try FormParameters(urlEncoded: "a=1m30s&b=0.5&c=%2B1&a=ignored")
        #expect(try QueryParameters.duration(parameters, "a") == 90_000)
        #expect(try QueryParameters.duration(parameters, "b") == 500)
        #expect(parameters["c"] == "+1")
        parameters = try FormParameters(urlEncoded: "m=x+y&m=%7Bz%7D")
        #expect(parameters.all("m") == ["x y", "{z}"])
        #expect(parameters["absent"] == "")
    }

    // MARK: - promtool

    @Test(.enabled(if: Promtool.isRequired)) func promtoolInstantAndRangeQueries() async throws {
        try await withServer { client in
            let server = "http://127.0.0.1:\(client.port)"
            let instant = try await Self.promtool(["query", "instant", "--time=1700000060", server, "sum(up) + 1"])
            #expect(instant.status == 0, "\(instant.output)")
            #expect(instant.output.trimmingCharacters(in: .whitespacesAndNewlines) == "{} => 2 @[1700000060]")

            let range = try await Self.promtool(["query", "range", "-o", "json", "--start=1700000000", "--end=1700000060", "--step=30s",
                                                 server, "http_requests_total"])
            #expect(range.status == 0, "\(range.output)")
            let series = try #require(try JSONSerialization.jsonObject(with: Data(range.output.utf8)) as? [[String: Any]])
            #expect(series.first?["metric"] as? [String: String] == ["__name__": "http_requests_total", "code": "200", "job": "api"])
            #expect(try #require(series.first?["values"] as? [Any]).map(point).map(\.1) == ["0", "30", "60"])

            let failure = try await Self.promtool(["query", "instant", server, "foo bar"])
            #expect(failure.status != 0)
            #expect(failure.output.contains("1:5: parse error"), "\(failure.output)")
        }
    }

    /// promtool blocks on its pipes, so it runs on a thread of its own, off the cooperative pool.
    private static func promtool(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try Promtool.run(arguments) }) }.start()
        }
    }
}
