import Foundation
import PromQLConformance
import Testing

/// Runs Prometheus's PromQL test suite from /work/shared and fails when any file passes fewer
/// evals than the floor checked in beside this file.
@Suite struct ConformanceTests {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let suiteDirectory = testsDirectory
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/conformance/promql")

    /// `file passed-minimum` lines; `#` starts a comment.
    static func floors() throws -> [String: Int] {
        let text = try String(contentsOf: testsDirectory.appendingPathComponent("conformance-floor.txt"), encoding: .utf8)
        var floors: [String: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let minimum = Int(parts[1]) { floors[String(parts[0])] = minimum }
        }
        return floors
    }

    @Test func passCountsStayAboveTheFloor() throws {
        let floors = try Self.floors()
        #expect(!floors.isEmpty)
        for (file, minimum) in floors.sorted(by: { $0.key < $1.key }) {
            let result = ConformanceRunner.run(path: Self.suiteDirectory.appendingPathComponent(file).path)
            #expect(result.passed >= minimum, "\(result.summary); first failures: \(result.failures.prefix(3))")
        }
    }
}
