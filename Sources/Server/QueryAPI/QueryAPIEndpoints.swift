import Hummingbird
import OutpostMetrics
import Rules

/// The Prometheus `/api/v1` read endpoints, each on GET and on POST with a form body.
struct QueryAPIEndpoints: Sendable {
    let service: QueryService
    /// Answers `/api/v1/metadata` with the HELP and TYPE of its families.
    let registry: MetricsRegistry
    /// Serves `/api/v1/rules` and `/api/v1/alerts` when set.
    let rules: RuleManager?

    func register(on router: Router<BasicRequestContext>) {
        let queries = QueryHandlers(service: service)
        let series = SeriesHandlers(service: service)
        route("/api/v1/query", on: router) { (parameters, _) async throws(APIError) -> [UInt8] in try await queries.instant(parameters) }
        route("/api/v1/query_range", on: router) { (parameters, _) async throws(APIError) -> [UInt8] in try await queries.range(parameters) }
        route("/api/v1/series", on: router) { (parameters, _) async throws(APIError) -> [UInt8] in try series.series(parameters) }
        route("/api/v1/labels", on: router) { (parameters, _) async throws(APIError) -> [UInt8] in try series.labelNames(parameters) }
        route("/api/v1/label/:name/values", on: router) { (parameters, context) async throws(APIError) -> [UInt8] in
            let raw = context.parameters.get("name") ?? ""
            guard let bytes = try? FormParameters.unescapedBytes(Substring(raw), plusIsSpace: false),
                  let name = String(validating: bytes, as: UTF8.self)
            else { throw APIError(.badData, "invalid label name: \"\(raw)\"") }
            return try series.labelValues(parameters, name: name)
        }
        let metadata = MetadataHandler(registry: registry)
        route("/api/v1/metadata", on: router) { (parameters, _) async throws(APIError) -> [UInt8] in try metadata.metadata(parameters) }
        route("/api/v1/status/buildinfo", on: router) { (_, _) async throws(APIError) -> [UInt8] in series.buildInfo() }
        if let rules {
            let handlers = RulesHandlers(manager: rules)
            route("/api/v1/rules", on: router) { (parameters, _) async throws(APIError) -> [UInt8] in try handlers.rules(parameters) }
            route("/api/v1/alerts", on: router) { (_, _) async throws(APIError) -> [UInt8] in handlers.alerts() }
        }
    }

    private func route(
        _ path: RouterPath, on router: Router<BasicRequestContext>,
        _ handle: @escaping @Sendable (FormParameters, BasicRequestContext) async throws(APIError) -> [UInt8]
    ) {
        let responder: @Sendable (Request, BasicRequestContext) async -> Response = { request, context in
            do throws(APIError) {
                let parameters = try await Self.parameters(of: request, context: context)
                return Self.json(.ok, try await handle(parameters, context))
            } catch {
                return Self.json(error.status, PrometheusJSON.error(error))
            }
        }
        router.get(path) { request, context in await responder(request, context) }
        router.post(path) { request, context in await responder(request, context) }
    }

    /// URL query parameters, preceded by those of a form-encoded POST body as in Go's `ParseForm`.
    static func parameters(of request: Request, context: BasicRequestContext) async throws(APIError) -> FormParameters {
        var parameters = FormParameters()
        if request.method == .post,
           request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: context.maxUploadSize) } catch {
                throw APIError(.badData, "error parsing form values: \(error)")
            }
            parameters.append(try FormParameters(urlEncoded: Substring(String(buffer: body))))
        }
        if let query = request.uri.query {
            parameters.append(try FormParameters(urlEncoded: Substring(query)))
        }
        return parameters
    }

    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
