/// Why a text is not an IP address or an address range.
public enum IPAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not an IPv4 address (four decimal bytes, without leading zeros) nor an IPv6 address (RFC 4291 text form).
    case invalidAddress(String)
    /// A range whose prefix length is not a number from 0 to 32 (an address written as IPv4) or
    /// 128 (written as IPv6, IPv4-mapped ones too).
    case invalidPrefixLength(String)

    /// A one-line reason, quoting the text.
    public var description: String {
        switch self {
        case .invalidAddress(let text): "\"\(text)\" is not an IPv4 or IPv6 address"
        case .invalidPrefixLength(let text): "\"\(text)\" has no valid prefix length (0 to 32 for IPv4, 0 to 128 for IPv6)"
        }
    }
}
