/// The inverted index: for each label name and value, the refs of the series carrying it, ascending.
struct Postings {
    private(set) var byLabel: [String: [String: [SeriesRef]]] = [:]

    mutating func add(_ ref: SeriesRef, name: String, value: String) {
        byLabel[name, default: [:]][value, default: []].append(ref)
    }

    mutating func remove(_ refs: Set<SeriesRef>, name: String, value: String) {
        guard var values = byLabel[name], var list = values[value] else { return }
        list.removeAll { refs.contains($0) }
        values[value] = list.isEmpty ? nil : list
        byLabel[name] = values.isEmpty ? nil : values
    }

    /// Refs of series whose label `name` has a value accepted by `accepts`, ascending.
    func refs(name: String, where accepts: (String) -> Bool) -> [SeriesRef] {
        guard let values = byLabel[name] else { return [] }
        var lists: [[SeriesRef]] = []
        for (value, refs) in values where accepts(value) { lists.append(refs) }
        if lists.count == 1 { return lists[0] }
        return lists.flatMap { $0 }.sorted()
    }

    static func intersect(_ a: [SeriesRef], _ b: [SeriesRef]) -> [SeriesRef] {
        var result: [SeriesRef] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                result.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }
}
