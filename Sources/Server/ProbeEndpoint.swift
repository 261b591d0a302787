import Hummingbird
import Probing

/// `GET /probe?target=&module=[&hostname=][&debug=true]`, blackbox_exporter's on-demand probe.
struct ProbeEndpoint: Sendable {
    let handler: ProbeHandler

    func register(on router: Router<BasicRequestContext>) {
        router.get("/probe") { request, _ in
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let response = await handler.handle(query: query, headers: headers)
            return Response(status: .init(code: response.status), headers: [.contentType: response.contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: response.body)))
        }
    }
}
