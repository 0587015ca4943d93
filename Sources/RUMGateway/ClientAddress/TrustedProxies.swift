import HTTPFieldText

/// The proxies whose `X-Forwarded-For` is believed: a load balancer or ingress in front of the
/// gateway. From them the gateway takes the client's address out of the header; from anyone else
/// the header is the client's own say and only the connection's address counts.
///
/// ```swift
/// let proxies = try TrustedProxies(parsing: ["10.0.0.0/8", "::1"])
/// let client = proxies.clientAddress(peer: peer, forwardedFor: request.headers["x-forwarded-for"])
/// ```
public struct TrustedProxies: Sendable, Hashable {
    /// The trusted blocks.
    public let ranges: [IPAddressRange]

    /// Trusts the proxies in `ranges`; none, the default, trusts no header.
    public init(_ ranges: [IPAddressRange] = []) {
        self.ranges = ranges
    }

    /// Trusts the blocks or addresses written in `texts` (`10.0.0.0/8`, `::1`, ...).
    public init(parsing texts: some Sequence<some StringProtocol>) throws(IPAddressError) {
        var ranges: [IPAddressRange] = []
        for text in texts { ranges.append(try IPAddressRange(parsing: text)) }
        self.init(ranges)
    }

    /// Whether `address` is a trusted proxy.
    public func contains(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address: the connection's `peer`, unless it is a trusted proxy; then the
    /// `X-Forwarded-For` entries (`values`, the header's fields in order, each a comma-separated
    /// list) are read from the right, past trusted proxies, and the first untrusted one is the
    /// client. An entry that is not an address (or the list's end) stops the walk at the address
    /// before it, which is then the client. Entries may carry a port (`1.2.3.4:5678`,
    /// `[2001:db8::1]:443`).
    public func clientAddress(peer: IPAddress, forwardedFor values: some BidirectionalCollection<String>) -> IPAddress {
        var client = peer
        guard contains(client) else { return client }
        for value in values.reversed() {
            var value = value
            let settled = value.withUTF8 { utf8 -> Bool in
                let bytes = UnsafeRawBufferPointer(utf8)
                var end = bytes.count
                while true {
                    var start = end
                    while start > 0, bytes[start - 1] != UInt8(ascii: ",") { start -= 1 }
                    let entry = HeaderValue.trimmingWhitespace(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    guard let address = TrustedProxies.entryAddress(entry) else { return true }
                    client = address
                    if !contains(client) { return true }
                    guard start > 0 else { return false }
                    end = start - 1
                }
            }
            if settled { return client }
        }
        return client
    }

    /// The `X-Forwarded-For` to send upstream: the incoming fields when `peer` is a trusted proxy
    /// (joined by `, `, blank ones left out), then `peer`. From an untrusted peer the incoming
    /// header is dropped, so that upstream trusts only what the gateway saw.
    public func forwardedFor(peer: IPAddress, incoming values: some Collection<String>) -> String {
        guard contains(peer) else { return peer.description }
        var header = ""
        for value in values where !value.utf8.allSatisfy(HeaderValue.isWhitespace) {
            header += value + ", "
        }
        return header + peer.description
    }

    /// The address of one list entry (spaces and tabs trimmed): an address, an IPv4 address with
    /// a `:port`, or an address in brackets, with or without a `:port`.
    static func entryAddress(_ entry: UnsafeRawBufferPointer) -> IPAddress? {
        guard let first = entry.first else { return nil }
        if first == UInt8(ascii: "[") {
            guard let close = entry.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let rest = UnsafeRawBufferPointer(rebasing: entry[(close + 1)...])
            guard rest.isEmpty || (rest.first == UInt8(ascii: ":") && isPort(UnsafeRawBufferPointer(rebasing: rest.dropFirst())))
            else { return nil }
            return IPAddress.parse(UnsafeRawBufferPointer(rebasing: entry[1..<close]))
        }
        if let colon = entry.firstIndex(of: UInt8(ascii: ":")), !entry[(colon + 1)...].contains(UInt8(ascii: ":")) {
            // One colon: an IPv4 address and a port (IPv6 has at least two).
            guard isPort(UnsafeRawBufferPointer(rebasing: entry[(colon + 1)...])),
                let ipv4 = IPAddress.parseIPv4(UnsafeRawBufferPointer(rebasing: entry[..<colon]))
            else { return nil }
            return IPAddress(ipv4: ipv4)
        }
        return IPAddress.parse(entry)
    }

    /// Whether `bytes` are a port: one to five decimal digits, at most 65535.
    private static func isPort(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 5 else { return false }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value <= 65535
    }
}
