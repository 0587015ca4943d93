/// The rule for label names, of stream labels and of structured metadata alike; the collector
/// checks its label settings with it.
package enum LabelName {
    /// The rule, for messages.
    package static let rule = "[a-zA-Z_][a-zA-Z0-9_]*"

    /// Whether `byte` may start a name: `[a-zA-Z_]`.
    @inline(__always)
    static func isStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
    }

    /// Whether `byte` may follow in a name: `[a-zA-Z0-9_]`.
    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool {
        isStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// Whether `name` is `[a-zA-Z_][a-zA-Z0-9_]*`.
    package static func isValid(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            if first ? !isStart(byte) : !isContinuation(byte) { return false }
            first = false
        }
        return !first
    }
}

extension LabelName {
    /// Whether the bytes `name` are `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValid(_ name: UnsafeRawBufferPointer) -> Bool {
        guard let first = name.first, isStart(first) else { return false }
        return name.dropFirst().allSatisfy(isContinuation)
    }
}
