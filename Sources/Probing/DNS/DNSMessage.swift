#if canImport(Glibc)
import Glibc
#endif

/// The DNS wire format (RFC 1035), as much as a probe needs: one question out, a parsed
/// response back with every record printed in zone-file form (`name ttl class type data`),
/// which is what the `validate_*_rrs` regexps match against.
struct DNSMessage {
    var id: UInt16
    var rcode: UInt8
    var answers: [DNSRecord]
    var authorities: [DNSRecord]
    var additionals: [DNSRecord]

    static func query(id: UInt16, name: String, type: UInt16, class queryClass: UInt16, recursionDesired: Bool) -> [UInt8]? {
        var bytes: [UInt8] = []
        append16(&bytes, id)
        append16(&bytes, recursionDesired ? 0x0100 : 0)
        append16(&bytes, 1)
        append16(&bytes, 0)
        append16(&bytes, 0)
        append16(&bytes, 0)
        for label in name.split(separator: ".") {
            let utf8 = Array(label.utf8)
            guard !utf8.isEmpty, utf8.count < 64 else { return nil }
            bytes.append(UInt8(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        bytes.append(0)
        append16(&bytes, type)
        append16(&bytes, queryClass)
        return bytes
    }

    private static func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// Parses a response; nil when it is malformed.
    init?(parsing bytes: [UInt8]) {
        var reader = DNSReader(bytes: bytes)
        guard let id = reader.u16(), let flags = reader.u16(), let questions = reader.u16(),
              let answerCount = reader.u16(), let authorityCount = reader.u16(), let additionalCount = reader.u16(),
              flags & 0x8000 != 0 else { return nil }
        self.id = id
        rcode = UInt8(flags & 0x000F)
        for _ in 0..<questions {
            guard reader.name() != nil, reader.u16() != nil, reader.u16() != nil else { return nil }
        }
        func records(_ count: UInt16) -> [DNSRecord]? {
            var list: [DNSRecord] = []
            for _ in 0..<count {
                guard let record = reader.record() else { return nil }
                list.append(record)
            }
            return list
        }
        guard let answers = records(answerCount), let authorities = records(authorityCount),
              let additionals = records(additionalCount) else { return nil }
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }
}

/// One resource record, with its data already printed.
struct DNSRecord: Sendable {
    var name: String
    var type: UInt16
    var recordClass: UInt16
    var ttl: UInt32
    var data: String
    /// For SOA records, the zone's serial.
    var serial: UInt32?

    var text: String {
        let className = recordClass == 1 ? "IN" : recordClass == 3 ? "CH" : "CLASS\(recordClass)"
        return "\(name)\t\(ttl)\t\(className)\t\(DNSRecordType.name(type))\t\(data)"
    }
}

private struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func u8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() -> UInt16? {
        guard offset + 2 <= bytes.count else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32() -> UInt32? {
        guard let high = u16(), let low = u16() else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    /// A possibly compressed name, printed with a trailing dot.
    mutating func name() -> String? {
        var labels: [String] = []
        var position = offset
        var jumped = false
        var jumps = 0
        while true {
            guard position < bytes.count else { return nil }
            let length = Int(bytes[position])
            if length == 0 {
                position += 1
                break
            }
            if length & 0xC0 == 0xC0 {
                guard position + 1 < bytes.count, jumps < 32 else { return nil }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                if !jumped { offset = position + 2 }
                jumped = true
                jumps += 1
                position = target
                continue
            }
            guard position + 1 + length <= bytes.count else { return nil }
            labels.append(String(decoding: bytes[(position + 1)...(position + length)], as: UTF8.self))
            position += 1 + length
        }
        if !jumped { offset = position }
        return labels.isEmpty ? "." : labels.joined(separator: ".") + "."
    }

    mutating func record() -> DNSRecord? {
        guard let name = name(), let type = u16(), let recordClass = u16(), let ttl = u32(), let length = u16() else { return nil }
        let end = offset + Int(length)
        guard end <= bytes.count else { return nil }
        var record = DNSRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: "")
        record.data = data(type: type, end: end, record: &record) ?? generic(end: end)
        offset = end
        return record
    }

    private mutating func data(type: UInt16, end: Int, record: inout DNSRecord) -> String? {
        let start = offset
        defer { offset = start }
        switch type {
        case 1 where end - offset == 4:
            return bytes[offset..<end].map(String.init).joined(separator: ".")
        case 28 where end - offset == 16:
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes[offset..<end]) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return nil }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        case 2, 5, 12:
            return name()
        case 15:
            guard let preference = u16(), let exchange = name() else { return nil }
            return "\(preference) \(exchange)"
        case 16:
            var strings: [String] = []
            while offset < end {
                guard let length = u8(), offset + Int(length) <= end else { return nil }
                strings.append("\"" + String(decoding: bytes[offset..<(offset + Int(length))], as: UTF8.self) + "\"")
                offset += Int(length)
            }
            return strings.joined(separator: " ")
        case 6:
            guard let primary = name(), let mailbox = name(), let serial = u32(), let refresh = u32(),
                  let retry = u32(), let expire = u32(), let minimum = u32() else { return nil }
            record.serial = serial
            return "\(primary) \(mailbox) \(serial) \(refresh) \(retry) \(expire) \(minimum)"
        case 33:
            guard let priority = u16(), let weight = u16(), let port = u16(), let target = name() else { return nil }
            return "\(priority) \(weight) \(port) \(target)"
        default:
            return nil
        }
    }

    /// RFC 3597's generic form: `\# length hex`.
    private func generic(end: Int) -> String {
        let hex = bytes[offset..<end].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        return "\\# \(end - offset) \(hex)"
    }
}
