import Foundation

/// The segment files of a WAL directory: named by their index as eight digits, as Prometheus
/// names its WAL segments, replayed in index order.
enum WALSegments {
    static func name(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The indices of the segment files in `directory`, ascending; other files are ignored.
    static func list(in directory: URL) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name in
            guard name.count == 8, name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return Int(name)
        }.sorted()
    }

    /// Deletes the segments before `index`, which a snapshot now covers; returns how many went.
    @discardableResult
    static func remove(before index: Int, in directory: URL) -> Int {
        var removed = 0
        for segment in list(in: directory) where segment < index {
            if (try? FileManager.default.removeItem(at: directory.appendingPathComponent(name(segment)))) != nil { removed += 1 }
        }
        return removed
    }
}
