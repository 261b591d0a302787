import Testing
@testable import StatsD

@Suite struct PacketParserTests {
    @Test func counterGaugeTimerHistogramDistributionSet() {
        let result = parse("a:1|c\nb:2.5|g\nc:250|ms\nd:0.3|h\ne:7|d\nf:user42|s")
        #expect(result.lines == 6)
        #expect(result.sink.errors.isEmpty)
        #expect(result.sink.samples.map(\.type) == [.counter, .gauge, .timer, .histogram, .distribution, .set])
        #expect(result.sink.samples.map(\.value) == [1, 2.5, 0.25, 0.3, 7, 0])
        #expect(result.sink.samples[5].raw == "user42")
    }

    @Test func gaugeSignsMeanDeltas() {
        let samples = parse("g:+3|g\ng:-2|g\ng:4|g").sink.samples
        #expect(samples.map(\.relative) == [true, true, false])
        #expect(samples.map(\.value) == [3, -2, 4])
    }

    @Test func sampleRates() {
        let samples = parse("c:1|c|@0.1\nt:100|ms|@0.25\ng:5|g|@0.5\nh:2|h|@1").sink.samples
        #expect(abs(samples[0].value - 10) < 1e-9)
        #expect(samples[1].weight == 4)
        #expect(samples[1].value == 0.1)
        #expect(samples[2].value == 5)
        #expect(samples[2].weight == 1)
        #expect(samples[3].weight == 1)
    }

    @Test func tinyRatesAreCappedSoOneLineCannotStallAThread() {
        #expect(parse("t:1|ms|@0.000000001").sink.samples.map(\.weight) == [PacketParser.maxWeight])
    }

    @Test func badRateIsCountedAndTreatedAsOne() {
        for line in ["c:3|c|@abc", "c:3|c|@0", "c:3|c|@-1", "c:3|c|@2"] {
            let result = parse(line)
            #expect(result.sink.errors == [.invalidSampleFactor], "\(line)")
            #expect(result.sink.samples.map(\.value) == [3], "\(line)")
        }
    }

    @Test func severalSamplesPerLine() {
        let samples = parse("multi:1|c:2|ms:3|g").sink.samples
        #expect(samples.map(\.type) == [.counter, .timer, .gauge])
        #expect(samples.map(\.name) == ["multi", "multi", "multi"])
        #expect(samples.map(\.value) == [1, 0.002, 3])
    }

    @Test func extendedAggregation() {
        let plain = parse("lat:1:2:3|ms").sink.samples
        #expect(plain.map(\.value) == [0.001, 0.002, 0.003])
        let tagged = parse("lat:10:20|h|@0.5|#env:prod,az:a:1").sink.samples
        #expect(tagged.map(\.value) == [10, 20])
        #expect(tagged.allSatisfy { $0.weight == 2 && $0.tags == "env:prod,az:a:1" })
    }

    @Test func dogStatsDTagsContainerAndTimestamp() {
        let result = parse("req:1|c|#path:/a:b,code:200|c:abc123|T1700000000")
        #expect(result.sink.errors.isEmpty)
        #expect(result.sink.samples.count == 1)
        #expect(result.sink.samples[0].tags == "path:/a:b,code:200")
        #expect(result.sink.samples[0].hasTags)
    }

    @Test func dogStatsDTagsCanBeSwitchedOff() {
        let sample = parse("req:1|c|#a:b", dogStatsD: false).sink.samples[0]
        #expect(sample.tags == "")
        #expect(sample.hasTags)
    }

    @Test func manyLinesPerPacketWithCRLFAndBlankLines() {
        let result = parse("a:1|c\r\n\nb:2|c\n\n")
        #expect(result.lines == 2)
        #expect(result.sink.samples.map(\.name) == ["a", "b"])
    }

    @Test func badLinesAreRejectedAloneWithAReason() {
        let packet = [
            "good1:1|c",
            "nocolon",  // malformed_line
            ":1|c",  // malformed_line (no name)
            "novalue:|c",  // malformed_value
            "notype:1",  // malformed_component
            "emptycomp:1|c||@0.5",  // malformed_component
            "unknowncomp:1|c|x",  // malformed_component
            "badvalue:abc|c",  // malformed_value
            "badtype:1|z",  // illegal_event
            "neg:-1|c",  // illegal_negative_counter
            "good2:2|g",
        ].joined(separator: "\n")
        let result = parse(packet)
        #expect(result.sink.samples.map(\.name) == ["good1", "good2"])
        #expect(result.sink.errors == [.malformedLine, .malformedLine, .malformedValue, .malformedComponent,
                                       .malformedComponent, .malformedComponent, .malformedValue, .illegalEvent,
                                       .illegalNegativeCounter])
    }

    @Test func oneBadSampleKeepsTheOthersOfItsLine() {
        let result = parse("m:1|c:x|c:3|c")
        #expect(result.sink.samples.map(\.value) == [1, 3])
        #expect(result.sink.errors == [.malformedValue])
        #expect(result.samples == 3)
    }
}

@Suite struct NumberParserTests {
    func number(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBytes { NumberParser.double($0) }
    }

    @Test func acceptsGoFloatSyntax() {
        #expect(number("0") == 0)
        #expect(number("-12") == -12)
        #expect(number("+3.5") == 3.5)
        #expect(number("0.1") == 0.1)
        #expect(number(".5") == 0.5)
        #expect(number("5.") == 5)
        #expect(number("1e3") == 1000)
        #expect(number("2.5E-3") == 0.0025)
        #expect(number("123456789012345678901234") == 123456789012345678901234.0)
        #expect(number("0.30000000000000004") == 0.30000000000000004)
        #expect(number("1e300") == 1e300)
        #expect(number("Inf") == .infinity)
        #expect(number("NaN")?.isNaN == true)
    }

    @Test func rejectsNonNumbers() {
        for text in ["", "-", ".", "e5", "1e", "1.2.3", "abc", " 1", "1 ", "1_000", "0x"] {
            #expect(number(text) == nil, "\(text)")
        }
    }

    @Test func decimalFastPathMatchesTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let integer = Int.random(in: 0..<10_000_000, using: &generator)
            let fraction = Int.random(in: 0..<100_000, using: &generator)
            let text = "\(integer).\(fraction)"
            #expect(number(text) == Double(text), "\(text)")
        }
    }
}

@Suite struct ContainerComponentTests {
    @Test func containerAfterTypeVersusNextSample() {
        #expect(parse("a:1|c:2|c:3|c").sink.samples.map(\.value) == [1, 2, 3])
        let container = parse("a:1|c|c:0123abc")
        #expect(container.sink.errors.isEmpty)
        #expect(container.sink.samples.map(\.value) == [1])
        let afterRate = parse("a:5|ms|@0.5|c:abc:def")
        #expect(afterRate.sink.errors.isEmpty)
        #expect(afterRate.sink.samples.map(\.weight) == [2])
    }
}
