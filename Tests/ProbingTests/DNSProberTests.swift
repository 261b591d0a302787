import NIOCore
import Testing
@testable import Probing

/// Answers every query for `example.test` with two A records and a SOA, and anything else
/// with NXDOMAIN and a SOA in the authority section.
enum TestDNSResponder {
    static func answer(_ query: [UInt8]) -> [UInt8]? {
        guard query.count > 12 else { return nil }
        var end = 12
        var labels: [String] = []
        while end < query.count, query[end] != 0 {
            let length = Int(query[end])
            labels.append(String(decoding: query[(end + 1)...(end + length)], as: UTF8.self))
            end += 1 + length
        }
        let question = Array(query[12...(end + 4)])
        let known = labels.joined(separator: ".") == "example.test"
        var response: [UInt8] = [query[0], query[1], 0x81, known ? 0x80 : 0x83, 0, 1, 0, known ? 3 : 0, 0, known ? 0 : 1, 0, 0]
        response += question
        func record(type: UInt16, data: [UInt8]) -> [UInt8] {
            [0xC0, 0x0C, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1, 0, 0, 0x0E, 0x10, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
        }
        let soa: [UInt8] = [2] + Array("ns".utf8) + [0xC0, 0x0C] + [4] + Array("host".utf8) + [0xC0, 0x0C]
            + [0, 0, 0x30, 0x39] + [0, 0, 0x0E, 0x10] + [0, 0, 0x03, 0x84] + [0, 0x09, 0x3A, 0x80] + [0, 0, 0x01, 0x2C]
        if known {
            response += record(type: 1, data: [192, 0, 2, 1])
            response += record(type: 1, data: [192, 0, 2, 2])
        }
        response += record(type: 6, data: soa)
        return response
    }
}

@Suite struct DNSProberTests {
    let runner = ProbeRunner()

    @Test func udpQueryWithValidation() async throws {
        let server = try await TestUDPServer(reply: TestDNSResponder.answer)
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: dns
            timeout: 2s
            dns:
              query_name: example.test
              query_type: A
              validate_answer_rrs:
                fail_if_not_matches_regexp: ["^example\\\\.test\\\\.\\t3600\\tIN\\t(A|SOA)\\t"]
                fail_if_none_matches_regexp: ["192\\\\.0\\\\.2\\\\.2$"]
            """))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_dns_answer_rrs") == 3)
        #expect(result.value("probe_dns_authority_rrs") == 0)
        #expect(result.value("probe_dns_query_succeeded") == 1)
        #expect(result.value("probe_dns_serial") == 12345)
        for phase in ["resolve", "connect", "request"] {
            #expect(result.value("probe_dns_duration_seconds", ["phase": phase]) != nil)
        }
    }

    @Test func rcodeAndValidationFailures() async throws {
        let server = try await TestUDPServer(reply: TestDNSResponder.answer)
        defer { server.stop() }
        let nxdomain = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: dns
            timeout: 2s
            dns:
              query_name: missing.test
            """))
        #expect(!nxdomain.success)
        #expect(nxdomain.value("probe_dns_authority_rrs") == 1)
        #expect(nxdomain.value("probe_failure_info", ["reason": "rcode"]) == 1)

        let accepted = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: dns
            timeout: 2s
            dns:
              query_name: missing.test
              valid_rcodes: [NOERROR, NXDOMAIN]
            """))
        #expect(accepted.success)

        let matched = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: dns
            timeout: 2s
            dns:
              query_name: example.test
              validate_answer_rrs:
                fail_if_matches_regexp: ["192\\\\.0\\\\.2\\\\.1"]
            """))
        #expect(matched.value("probe_failure_info", ["reason": "validation"]) == 1)
    }

    @Test func tcpTransport() async throws {
        let server = try await TestTCPServer { inbound, outbound in
            var pending: [UInt8] = []
            for try await chunk in inbound {
                pending += chunk.readableBytesView
                guard pending.count >= 2 else { continue }
                let length = Int(pending[0]) << 8 | Int(pending[1])
                guard pending.count >= 2 + length, let answer = TestDNSResponder.answer(Array(pending[2..<(2 + length)])) else { continue }
                var framed = ByteBuffer()
                framed.writeInteger(UInt16(answer.count))
                framed.writeBytes(answer)
                try await outbound.write(framed)
                return
            }
        }
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: dns
            timeout: 2s
            dns:
              query_name: example.test
              transport_protocol: tcp
            """))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_dns_answer_rrs") == 3)
    }

    @Test func garbageAndSilence() async throws {
        let garbage = try await TestUDPServer { _ in [1, 2, 3] }
        defer { garbage.stop() }
        let bad = await runner.run(target: "127.0.0.1:\(garbage.port)", module: try module("prober: dns\ntimeout: 1s\ndns:\n  query_name: example.test"))
        #expect(bad.value("probe_failure_info", ["reason": "protocol"]) == 1, "\(bad.log)")
        let silent = try await TestUDPServer { _ in nil }
        defer { silent.stop() }
        let none = await runner.run(target: "127.0.0.1:\(silent.port)", module: try module("prober: dns\ntimeout: 300ms\ndns:\n  query_name: example.test"))
        #expect(none.value("probe_failure_info", ["reason": "timeout"]) == 1)
        #expect(none.value("probe_dns_query_succeeded") == 0)
    }
}

@Suite struct ICMPProberTests {
    @Test func pingsLoopback() async throws {
        let runner = ProbeRunner()
        let result = await runner.run(target: "127.0.0.1", module: try module("""
            prober: icmp
            timeout: 3s
            icmp:
              packets: 3
              packet_interval: 50ms
            """))
        if result.log.contains(where: { $0.contains("ICMP datagram socket:") && $0.contains("raw socket:") }) {
            print("ICMP test skipped: the kernel refused both socket kinds: \(result.log)")
            return
        }
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_icmp_packets_sent") == 3)
        #expect(result.value("probe_icmp_packets_received") == 3)
        #expect(result.value("probe_icmp_packet_loss_ratio") == 0)
        #expect((result.value("probe_icmp_duration_seconds", ["phase": "rtt"]) ?? -1) >= 0)
        #expect(result.value("probe_icmp_reply_hop_limit") == 64)
        #expect(result.value("probe_ip_protocol") == 4)
    }
}
