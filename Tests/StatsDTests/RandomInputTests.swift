import OutpostCore
import OutpostTestSupport
import Testing
@testable import StatsD

/// Random lines built from the protocol's own characters: the parser must never read out of
/// bounds or lose count of lines, whatever the bytes.
@Suite struct RandomInputTests {
    @Test func randomPacketsAreCountedAndNeverCrash() throws {
        var harness = try IngestHarness(mapping: "mappings:\n  - match: \"a.*\"\n    name: \"mapped_$1\"\n")
        var random = SeededGenerator(seed: 42)
        let alphabet = Array("ab.:|#@,=[]cgmshdT0123456789-+eE\r".utf8) + [0xC3, 0xFF]
        var expectedLines = 0
        for _ in 0..<3000 {
            var packet: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let length = Int.random(in: 0...24, using: &random)
                var line = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
                while line.last == 0x0D { line.removeLast() }
                if !line.isEmpty { expectedLines += 1 }
                packet += line + [0x0A]
            }
            harness.worker.beginBatch(now: harness.clock.now())
            packet.withUnsafeBytes { harness.worker.ingest(packet: $0) }
            harness.worker.endBatch()
        }
        #expect(harness.scalar("outpost_statsd_lines_total") == Double(expectedLines))
        let text = exposition(harness.registry)
        #expect(text.contains("outpost_statsd_lines_total"))
    }
}
