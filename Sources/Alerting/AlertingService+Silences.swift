import OutpostCore

extension AlertingService {
    /// All silences, including expired ones still retained, newest first.
    public func silences() -> [Silence] {
        silenceStore.silences.values.sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
    }

    public func silence(id: String) -> Silence? { silenceStore.silences[id] }

    /// Creates a silence (empty `id`) or updates one, and persists it; returns the stored silence.
    @discardableResult
    public func upsertSilence(_ silence: Silence) throws(SilenceError) -> Silence {
        let now = clock.now()
        let (saved, expired) = try silenceStore.upsert(silence, now: now)
        persist([saved] + (expired.map { [$0] } ?? []))
        updateGauges(now: now)
        return saved
    }

    public func expireSilence(id: String) throws(SilenceError) {
        let now = clock.now()
        persist([try silenceStore.expire(id, now: now)])
        updateGauges(now: now)
    }

    private func persist(_ silences: [Silence]) {
        for silence in silences {
            do {
                try store.saveSilence(silence)
            } catch {
                logger.error("cannot persist silence \(silence.id): \(error)")
            }
        }
    }
}
