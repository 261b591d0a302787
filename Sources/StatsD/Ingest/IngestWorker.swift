import OutpostCore

/// The hot path of one receiving thread: parses packets and applies their samples.
///
/// A value owned by its thread. Known series are found in its own `SeriesCache`; only new
/// ones go through the shared `SeriesResolver`. Counts stay in local tallies until
/// `endBatch`, so a batch of packets costs a handful of shared atomic updates.
struct IngestWorker: SampleSink {
    let resolver: SeriesResolver
    let transport: StatsDMetrics.Transport
    private var parser: PacketParser
    private var cache: SeriesCache
    private var generation: Int
    private var now: UnixMillis = 0
    private(set) var tallies = IngestTallies()

    init(resolver: SeriesResolver, transport: StatsDMetrics.Transport, cacheLimit: Int = 1 << 18) {
        self.resolver = resolver
        self.transport = transport
        generation = resolver.generation
        parser = PacketParser(parseDogStatsDTags: resolver.tagStyles.dogStatsD)
        cache = SeriesCache(limit: cacheLimit)
    }

    /// Starts a batch at `now`; drops cached series if a reload or an expiry made them stale.
    mutating func beginBatch(now: UnixMillis) {
        self.now = now
        let current = resolver.generation
        if current != generation {
            generation = current
            cache.removeAll()
            parser = PacketParser(parseDogStatsDTags: resolver.tagStyles.dogStatsD)
        }
    }

    /// Parses and applies one datagram, or one chunk of complete TCP lines.
    mutating func ingest(packet: UnsafeRawBufferPointer) {
        tallies.packets += 1
        let parser = self.parser
        let (lines, samples) = parser.parse(packet: packet, into: &self)
        tallies.lines += lines
        tallies.samples += samples
    }

    /// Adds this batch's counts to the shared metrics.
    mutating func endBatch() {
        guard !tallies.isEmpty else { return }
        resolver.metrics.flush(tallies, transport: transport)
        tallies.reset()
    }

    mutating func count(_ error: SampleError) {
        tallies.errors[error.rawValue] += 1
    }

    mutating func record(_ sample: ParsedSample) {
        let hash = SeriesCache.hash(name: sample.name, tags: sample.tags, type: sample.type)
        let series: CachedSeries
        if let cached = cache.find(hash: hash, name: sample.name, tags: sample.tags, type: sample.type) {
            series = cached
        } else {
            let resolved = resolver.resolve(name: sample.name, tags: sample.tags, hasDogStatsDTags: sample.hasDogStatsDTags,
                                            type: sample.type, now: now)
            series = cache.insert(hash: hash, name: sample.name, tags: sample.tags, type: sample.type, series: resolved)
        }
        tallies.tags += Int(series.tagCount)
        tallies.tagErrors += Int(series.tagErrors)
        let event = sample.type.eventType.rawValue
        let value = sample.value * series.scale
        let now = now
        // The cache keeps every child alive, so borrowing them without retaining is safe.
        switch series.target {
        case .counter(let counter):
            counter._withUnsafeGuaranteedRef { counter in
                counter.increment(by: value)
                if series.expires { counter.touch(at: now) }
            }
        case .gauge(let gauge):
            gauge._withUnsafeGuaranteedRef { gauge in
                if sample.relative { gauge.add(value) } else { gauge.set(value) }
                if series.expires { gauge.touch(at: now) }
            }
        case .histogram(let histogram):
            histogram._withUnsafeGuaranteedRef { histogram in
                histogram.observe(value, weight: sample.weight)
                if series.expires { histogram.touch(at: now) }
            }
        case .summary(let summary):
            summary._withUnsafeGuaranteedRef { summary in
                summary.observe(value, weight: sample.weight)
                if series.expires { summary.touch(at: now) }
            }
        case .set(let set):
            set._withUnsafeGuaranteedRef { set in
                set.insert(ByteHash.hash(sample.rawValue, seed: 0), now: now)
                if series.expires { set.touch(at: now) }
            }
        case .dropped:
            tallies.actionDrops += 1
            return
        case .rejected(let error):
            tallies.errors[error.rawValue] += 1
            return
        case .conflict:
            tallies.conflicts[event] += 1
            return
        case .overLimit:
            tallies.seriesDropped += 1
            return
        }
        tallies.events[event] += 1
        if series.unmapped { tallies.unmapped += 1 }
    }
}

extension IngestWorker {
    /// Ingests `text` as one packet in its own batch; for tests and tools.
    mutating func ingest(_ text: String, now: UnixMillis) {
        beginBatch(now: now)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { ingest(packet: UnsafeRawBufferPointer($0)) }
        endBatch()
    }
}
