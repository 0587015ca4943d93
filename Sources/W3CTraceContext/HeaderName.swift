/// Helpers for HTTP field names, which compare ASCII case-insensitively (RFC 9110, 5.1).
enum HeaderName {
    /// `name` with ASCII uppercase letters lowered; `name` itself (no copy) when it has none, as
    /// HTTP/2 and HTTP/3 send every name.
    static func lowercased(_ name: String) -> String {
        guard name.utf8.contains(where: isUppercase) else { return name }
        return String(decoding: name.utf8.map(lowercased), as: UTF8.self)
    }

    /// Each of `names`, lowercased.
    static func lowercased(_ names: Set<String>) -> Set<String> {
        Set(names.map(lowercased))
    }

    /// `byte` lowered when it is an ASCII uppercase letter.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { isUppercase(byte) ? byte | 0x20 : byte }

    @inline(__always)
    private static func isUppercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
}
