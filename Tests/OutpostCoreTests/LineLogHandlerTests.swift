import Logging
import OutpostCore
import Synchronization
import Testing

@Suite struct LineLogHandlerTests {
    private func capture(_ format: LogFormat, _ body: (Logger) -> Void) -> [String] {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "test") { label in
            LineLogHandler(label: label, format: format, level: .info) { line in lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .info
        body(logger)
        return lines.withLock { $0 }
    }

    @Test func writesLogfmtWithQuotingWhereNeeded() throws {
        let lines = capture(.logfmt) { $0.info("config loaded", metadata: ["file": "a b.yml", "n": "3"]) }
        let line = try #require(lines.first)
        #expect(line.contains(#"level=info source=test msg="config loaded" file="a b.yml" n=3"#))
        #expect(line.hasPrefix("time="))
    }

    @Test func writesOneJSONObjectPerLine() throws {
        let lines = capture(.json) { $0.error("bad \"thing\"\n") }
        let line = try #require(lines.first)
        #expect(line.contains(#""msg":"bad \"thing\"\n""#))
        #expect(line.hasPrefix("{") && line.hasSuffix("}"))
    }

    @Test func dropsMessagesBelowTheLevel() {
        #expect(capture(.logfmt) { $0.debug("hidden") }.isEmpty)
    }
}
