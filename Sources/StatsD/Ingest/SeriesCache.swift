#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One worker's map from a series' raw bytes (name, type, DogStatsD tags) to where its
/// samples go, so repeated series skip tag parsing, mapping and registry lookups.
///
/// Open addressing over a flat key arena: a hit compares bytes in place and allocates
/// nothing. Owned by one thread; cleared when the mapping reloads or series expire.
struct SeriesCache {
    private struct Record {
        var hash: UInt64
        var keyOffset: Int
        var nameCount: Int32
        var tagCount: Int32
        var type: StatsDType
        var series: CachedSeries
    }

    private var slots: [Int32]
    private var records: [Record] = []
    /// Keeps the registry children that `records` point to alive, even after the registry
    /// drops them (TTL expiry), until this cache is cleared.
    private var owners: [AnyObject?] = []
    private var keys: [UInt8] = []
    /// Beyond this many entries the cache starts over, bounding memory under name churn.
    let limit: Int

    init(limit: Int = 1 << 18) {
        self.limit = limit
        slots = Array(repeating: -1, count: 1024)
    }

    var count: Int { records.count }

    @inline(__always)
    static func hash(name: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer, type: StatsDType) -> UInt64 {
        ByteHash.hash(tags, seed: ByteHash.hash(name, seed: UInt64(type.rawValue) &+ 1))
    }

    /// The cached series for this key, if any.
    @inline(__always)
    func find(hash: UInt64, name: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer, type: StatsDType) -> CachedSeries? {
        slots.withUnsafeBufferPointer { slots in
            records.withUnsafeBufferPointer { records in
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let index = Int(slots[slot])
                    if index < 0 { return nil }
                    let record = records[index]
                    if record.hash == hash, record.type == type, Int(record.nameCount) == name.count,
                       Int(record.tagCount) == tags.count, matches(record, name: name, tags: tags) {
                        return record.series
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    @inline(__always)
    private func matches(_ record: Record, name: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer) -> Bool {
        keys.withUnsafeBytes { keys in
            let stored = keys.baseAddress! + record.keyOffset
            if !name.isEmpty, memcmp(stored, name.baseAddress!, name.count) != 0 { return false }
            if !tags.isEmpty, memcmp(stored + name.count, tags.baseAddress!, tags.count) != 0 { return false }
            return true
        }
    }

    /// Caches `resolved` and returns its cached form.
    @discardableResult
    mutating func insert(hash: UInt64, name: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer, type: StatsDType,
                         series resolved: ResolvedSeries) -> CachedSeries {
        if records.count >= limit { removeAll() }
        let (series, owner) = CachedSeries.make(resolved)
        owners.append(owner)
        if (records.count + 1) * 2 > slots.count { grow() }
        let offset = keys.count
        keys.append(contentsOf: name)
        keys.append(contentsOf: tags)
        records.append(Record(hash: hash, keyOffset: offset, nameCount: Int32(name.count), tagCount: Int32(tags.count),
                              type: type, series: series))
        place(records.count - 1, hash: hash)
        return series
    }

    mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        owners.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        for index in slots.indices { slots[index] = -1 }
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for index in records.indices { place(index, hash: records[index].hash) }
    }
}
