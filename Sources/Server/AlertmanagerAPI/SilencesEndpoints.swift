import Alerting
import Hummingbird
import OutpostCore

/// `GET/POST /api/v2/silences`, `GET/DELETE /api/v2/silence/{id}`.
struct SilencesEndpoints: Sendable {
    let service: AlertingService

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v2/silences") { request, _ in
            var filters: [Matcher] = []
            for filter in request.uri.queryParameters[values: "filter"] {
                do throws(MatcherParseError) {
                    filters += try MatcherParser.parseMatchers(String(filter))
                } catch {
                    return APIResponse.error("bad matcher format \"\(filter)\": \(error)")
                }
            }
            let now = await service.now()
            let silences = await service.silences().filter { silence in filters.allSatisfy { silence.matchers.contains($0) } }
            return APIResponse.json(Self.sorted(silences, now: now).map { AlertmanagerAPI.GettableSilence($0, now: now) })
        }
        router.post("/api/v2/silences") { request, _ in
            let posted: AlertmanagerAPI.PostableSilence
            switch try await APIResponse.decode(AlertmanagerAPI.PostableSilence.self, from: request, what: "silence") {
            case .success(let decoded): posted = decoded
            case .failure(let failure): return failure.response
            }
            do throws(SilenceError) {
                let saved = try await service.upsertSilence(try posted.silence())
                return APIResponse.json(["silenceID": saved.id])
            } catch {
                return Self.response(for: error)
            }
        }
        router.get("/api/v2/silence/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let silence = await service.silence(id: id) else { return Self.response(for: .notFound(id)) }
            return APIResponse.json(AlertmanagerAPI.GettableSilence(silence, now: await service.now()))
        }
        router.delete("/api/v2/silence/:id") { _, context in
            do throws(SilenceError) {
                try await service.expireSilence(id: context.parameters.get("id") ?? "")
                return Response(status: .ok)
            } catch {
                return Self.response(for: error)
            }
        }
    }

    private static func response(for error: SilenceError) -> Response {
        switch error {
        case .notFound: APIResponse.error(error.description, status: .notFound)
        case .invalid, .alreadyExpired: APIResponse.error(error.description)
        }
    }

    /// Alertmanager's order: active silences ending soonest first, then pending ones starting
    /// soonest, then expired ones, most recently ended first.
    static func sorted(_ silences: [Silence], now: UnixMillis) -> [Silence] {
        func rank(_ silence: Silence) -> (Int, UnixMillis) {
            switch silence.state(at: now) {
            case .active: (0, silence.endsAt)
            case .pending: (1, silence.startsAt)
            case .expired: (2, -silence.endsAt)
            }
        }
        return silences.sorted { (rank($0).0, rank($0).1, $0.id) < (rank($1).0, rank($1).1, $1.id) }
    }
}
