/// Answers every query for `example.test` with two A records and a SOA, and anything else
/// with NXDOMAIN and a SOA in the authority section.
public enum TestDNSResponder {
    public static func answer(_ query: [UInt8]) -> [UInt8]? {
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
