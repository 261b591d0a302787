import Hummingbird
import Probing

/// `GET /probe?target=&module=[&hostname=][&debug=true]`, blackbox_exporter's on-demand probe.
struct ProbeEndpoint: Sendable {
    let handler: ProbeHandler

    func register(on router: Router<BasicRequestContext>) {
        router.get("/probe") { request, _ in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            return await handler.handle(query: request.firstQueryValues, headers: headers).httpResponse
        }
    }
}

/// `GET /logs[?target=&module=]`, the scheduled targets' recent results.
struct ProbeLogsEndpoint: Sendable {
    let page: ProbeLogsPage

    func register(on router: Router<BasicRequestContext>) {
        router.get("/logs") { request, _ in page.handle(query: request.firstQueryValues).httpResponse }
    }
}

extension Request {
    /// The query parameters, the first value of each.
    var firstQueryValues: [String: String] {
        var query: [String: String] = [:]
        for (name, value) in uri.queryParameters where query[String(name)] == nil { query[String(name)] = String(value) }
        return query
    }
}

extension ProbeResponse {
    var httpResponse: Response {
        Response(status: .init(code: status), headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
