import Alerting
import Hummingbird

/// `POST /api/v2/alerts`, `GET /api/v2/alerts` and `GET /api/v2/alerts/groups`.
struct AlertsEndpoints: Sendable {
    let service: AlertingService

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/v2/alerts") { request, _ in try await post(request) }
        router.get("/api/v2/alerts") { request, _ in
            let query: AlertQuery
            do throws(AlertQueryError) { query = try AlertQuery(request.uri.queryParameters) } catch { return APIResponse.error(error.message) }
            let now = await service.now()
            let alerts = await service.currentAlerts(matching: query.matchers).filter { query.includes($0, now: now) }
            return APIResponse.json(alerts.map(AlertmanagerAPI.GettableAlert.init))
        }
        router.get("/api/v2/alerts/groups") { request, _ in
            let query: AlertQuery
            do throws(AlertQueryError) { query = try AlertQuery(request.uri.queryParameters) } catch { return APIResponse.error(error.message) }
            let now = await service.now()
            // As in Alertmanager, a group lists only its alerts passing the filters, and groups
            // left empty are omitted.
            let groups = await service.currentGroups(matching: query.matchers).compactMap { group -> AlertmanagerAPI.AlertGroup? in
                var group = group
                group.alerts = group.alerts.filter { query.includes($0, now: now) }
                return group.alerts.isEmpty ? nil : AlertmanagerAPI.AlertGroup(group)
            }
            return APIResponse.json(groups)
        }
    }

    /// Keeps every valid alert of the batch; 400 names the position and reason of each refused one.
    private func post(_ request: Request) async throws -> Response {
        let batch: [BatchElement]
        switch try await APIResponse.decode([BatchElement].self, from: request, what: "alerts") {
        case .success(let decoded): batch = decoded
        case .failure(let failure): return failure.response
        }
        var refused: [(index: Int, reason: String)] = []
        var valid: [PostableAlert] = []
        var positions: [Int] = []
        for (index, element) in batch.enumerated() {
            switch element.alert {
            case .success(let alert):
                valid.append(alert)
                positions.append(index)
            case .failure(let failure):
                refused.append((index, failure.reason))
            }
        }
        for (position, error) in await service.receive(valid) {
            refused.append((positions[position], error.message))
        }
        guard !refused.isEmpty else { return Response(status: .ok) }
        let reasons = refused.sorted { $0.index < $1.index }.map { "alerts[\($0.index)]: \($0.reason)" }
        return APIResponse.error("\(refused.count) of \(batch.count) alerts refused: " + reasons.joined(separator: "; "))
    }

    /// One element of a posted batch: a structurally broken alert is refused on its own
    /// instead of failing the whole body.
    private struct BatchElement: Decodable {
        struct Malformed: Error {
            let reason: String
        }

        let alert: Result<PostableAlert, Malformed>

        init(from decoder: any Decoder) {
            do {
                alert = .success(try PostableAlert(from: decoder))
            } catch let error as DecodingError {
                alert = .failure(Malformed(reason: Self.describe(error)))
            } catch {
                alert = .failure(Malformed(reason: "\(error)"))
            }
        }

        private static func describe(_ error: DecodingError) -> String {
            switch error {
            case .keyNotFound(let key, _): "missing \"\(key.stringValue)\""
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                Self.field(context).map { "malformed \"\($0)\": \(context.debugDescription)" } ?? "expected an alert object"
            @unknown default: "\(error)"
            }
        }

        /// The path inside the alert, without the batch index in front.
        private static func field(_ context: DecodingError.Context) -> String? {
            let path = context.codingPath.dropFirst().map(\.stringValue)
            return path.isEmpty ? nil : path.joined(separator: ".")
        }
    }
}
