/// An IPv4 or IPv6 address, held as the 128 bits of IPv6, IPv4 as IPv4-mapped IPv6
/// (`::ffff:a.b.c.d`), so that ranges and comparisons need one form.
///
/// ```swift
/// let address = try IPAddress(parsing: "2001:db8::1")
/// print(address)   // 2001:db8::1 (RFC 5952); IPv4 prints dotted
/// ```
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The first 64 bits, most significant first.
    public let high: UInt64
    /// The last 64 bits.
    public let low: UInt64

    /// The address of these 128 bits.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The IPv4 address `ipv4` (most significant byte first), as IPv4-mapped IPv6.
    public init(ipv4: UInt32) {
        self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(ipv4))
    }

    /// Whether this is an IPv4 address (IPv4-mapped).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// Reads the text form of an address: IPv4 dotted decimal (no leading zeros, which some
    /// parsers read as octal), or IPv6 as RFC 4291 writes it, with `::` and a trailing IPv4 part
    /// allowed; no zone (`%eth0`), no brackets.
    public init(parsing text: some StringProtocol) throws(IPAddressError) {
        let parsed: IPAddress?
        if let inPlace = text.utf8.withContiguousStorageIfAvailable({ IPAddress.parse(UnsafeRawBufferPointer($0)) }) {
            parsed = inPlace
        } else {
            parsed = Array(text.utf8).withUnsafeBytes { IPAddress.parse($0) }
        }
        guard let parsed else { throw .invalidAddress(String(text)) }
        self = parsed
    }

    /// The address in `bytes`, or nil.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        if !bytes.contains(UInt8(ascii: ":")) {
            return parseIPv4(bytes).map { IPAddress(ipv4: $0) }
        }
        return parseIPv6(bytes)
    }

    /// Four decimal bytes separated by dots, or nil.
    static func parseIPv4(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var index = 0
        while index < bytes.count {
            var part: UInt32 = 0
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                part = part * 10 + UInt32(bytes[index] - UInt8(ascii: "0"))
                index += 1
                guard index - start <= 3 else { return nil }
            }
            let digits = index - start
            guard digits > 0, part <= 255, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            value = value << 8 | part
            parts += 1
            if index == bytes.count { break }
            guard bytes[index] == UInt8(ascii: "."), parts < 4 else { return nil }
            index += 1
            guard index < bytes.count else { return nil }
        }
        return parts == 4 ? value : nil
    }

    /// Up to eight groups of one to four hex digits, one `::` standing for a run of zero groups,
    /// the last two groups optionally written as IPv4; or nil.
    static func parseIPv6(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 8) { groups in
            groups.initialize(repeating: 0)
            return parseIPv6(bytes, into: groups)
        }
    }

    /// `parseIPv6(_:)` with the groups gathered in `groups` (eight, zeroed).
    private static func parseIPv6(_ bytes: UnsafeRawBufferPointer, into groups: UnsafeMutableBufferPointer<UInt16>) -> IPAddress? {
        var count = 0
        var gap: Int? = nil
        var index = 0
        if bytes.count >= 2, bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            gap = 0
            index = 2
        }
        while index < bytes.count {
            guard count < 8 else { return nil }
            let start = index
            var group: UInt32 = 0
            while index < bytes.count, let digit = hexValue(bytes[index]) {
                group = group << 4 | UInt32(digit)
                index += 1
                guard index - start <= 4 else { return nil }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                // The rest is IPv4, in the place of two groups.
                guard count <= 6,
                    let ipv4 = parseIPv4(UnsafeRawBufferPointer(rebasing: bytes[start...]))
                else { return nil }
                groups[count] = UInt16(ipv4 >> 16)
                groups[count + 1] = UInt16(ipv4 & 0xFFFF)
                count += 2
                index = bytes.count
                break
            }
            guard index > start else { return nil }
            groups[count] = UInt16(group)
            count += 1
            if index == bytes.count { break }
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                guard gap == nil else { return nil }
                gap = count
                index += 1
            } else if index == bytes.count {
                // A single trailing colon.
                return nil
            }
        }
        if let gap {
            guard count < 8 else { return nil }
            let moved = count - gap
            for offset in stride(from: moved - 1, through: 0, by: -1) {
                groups[8 - moved + offset] = groups[gap + offset]
            }
            for position in gap..<(8 - moved) { groups[position] = 0 }
        } else {
            guard count == 8 else { return nil }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<4 { high = high << 16 | UInt64(groups[position]) }
        for position in 4..<8 { low = low << 16 | UInt64(groups[position]) }
        return IPAddress(high: high, low: low)
    }

    /// The value of a hex digit, or nil.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// IPv4 as dotted decimal; IPv6 in RFC 5952's form (lowercase, the longest run of two or more
    /// zero groups, the first of equals, as `::`).
    public var description: String {
        if isIPv4 {
            // Written byte by byte: the gateway writes its peer's address into every request.
            let value = UInt32(truncatingIfNeeded: low)
            return String(unsafeUninitializedCapacity: 15) { buffer in
                var count = 0
                for shift in stride(from: 24, through: 0, by: -8) {
                    let octet = Int(value >> UInt32(shift) & 0xFF)
                    if octet >= 100 { buffer[count] = UInt8(ascii: "0") + UInt8(octet / 100); count += 1 }
                    if octet >= 10 { buffer[count] = UInt8(ascii: "0") + UInt8(octet / 10 % 10); count += 1 }
                    buffer[count] = UInt8(ascii: "0") + UInt8(octet % 10)
                    count += 1
                    if shift > 0 { buffer[count] = UInt8(ascii: "."); count += 1 }
                }
                return count
            }
        }
        let groups = (0..<8).map { position -> UInt16 in
            let word = position < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> UInt64(16 * (3 - position % 4)))
        }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (position, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (position, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        if best.length < 2 { return groups.map { String($0, radix: 16) }.joined(separator: ":") }
        let head = groups[..<best.start].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = groups[(best.start + best.length)...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }
}
