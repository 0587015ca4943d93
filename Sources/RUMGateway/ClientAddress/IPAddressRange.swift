/// A block of addresses in CIDR notation: `10.0.0.0/8`, `2001:db8::/32`, or one address
/// (`127.0.0.1`, `::1`). Bits of the address past the prefix are ignored, as Go's
/// `net.ParseCIDR` does. The text decides how the length counts: of 32 bits for an address
/// written as IPv4, of 128 for one written as IPv6, even IPv4-mapped (`::ffff:10.0.0.0/104` is
/// `10.0.0.0/8`, `::ffff:0:0/96` every IPv4 address).
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let base: IPAddress
    /// How many leading bits the addresses share, counted on the IPv6 form (an IPv4 `/8` is 104).
    public let prefixLength: Int

    /// The block of `address` and its first `prefixLength` bits (of 128).
    public init(_ address: IPAddress, prefixLength: Int) {
        let length = min(max(prefixLength, 0), 128)
        let (highMask, lowMask) = IPAddressRange.masks(length)
        self.base = IPAddress(high: address.high & highMask, low: address.low & lowMask)
        self.prefixLength = length
    }

    /// Reads `ADDRESS/LENGTH` or a single address (all its bits); `LENGTH` is of 128 bits when
    /// `ADDRESS` is written as IPv6 (with a colon), else of 32.
    public init(parsing text: some StringProtocol) throws(IPAddressError) {
        guard let slash = text.firstIndex(of: "/") else {
            let address = try IPAddress(parsing: text)
            self.init(address, prefixLength: 128)
            return
        }
        let address: IPAddress
        do {
            address = try IPAddress(parsing: text[..<slash])
        } catch {
            throw .invalidAddress(String(text))
        }
        let lengthText = text[text.index(after: slash)...]
        let writtenAsIPv6 = text[..<slash].contains(":")
        let maximum = writtenAsIPv6 ? 128 : 32
        guard !lengthText.isEmpty, lengthText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            lengthText.utf8.count <= 3, let length = Int(lengthText), length <= maximum
        else { throw .invalidPrefixLength(String(text)) }
        self.init(address, prefixLength: writtenAsIPv6 ? length : 96 + length)
    }

    /// Whether `address` is in the block.
    public func contains(_ address: IPAddress) -> Bool {
        let (highMask, lowMask) = IPAddressRange.masks(prefixLength)
        return address.high & highMask == base.high && address.low & lowMask == base.low
    }

    /// `BASE/LENGTH`, with the IPv4 length for IPv4 blocks.
    public var description: String {
        base.isIPv4 && prefixLength >= 96 ? "\(base)/\(prefixLength - 96)" : "\(base)/\(prefixLength)"
    }

    /// The masks of the first `length` bits of each half.
    private static func masks(_ length: Int) -> (high: UInt64, low: UInt64) {
        let high: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : ~(UInt64.max >> UInt64(length)))
        let low: UInt64 = length <= 64 ? 0 : (length == 128 ? .max : ~(UInt64.max >> UInt64(length - 64)))
        return (high, low)
    }
}
