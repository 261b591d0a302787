import NIOCore
import OutpostTestSupport
import Testing
@testable import Probing

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
