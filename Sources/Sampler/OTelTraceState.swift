import W3CTraceContext

/// The value of the OpenTelemetry `ot` entry of `tracestate`: `key:value` members separated by
/// `;` (for example `th:c;rv:6e6d1a75832a2f`), of which OpenTelemetry defines the sampling
/// threshold `th` and the explicit randomness `rv`. Other sub-keys are kept as they came.
///
/// Parsing checks the grammar of the specification's "TraceState Handling" (keys `[a-z][a-z0-9]*`,
/// values `[A-Za-z0-9._-]*`, unique keys, at most 256 characters), `th` (1 to 14 lowercase hex
/// digits) and `rv` (exactly 14), and does not allocate. Writing puts the other members first,
/// in their order, then `rv`, then `th`: a sub-key that is set moves to the end, as in the
/// specification's example.
///
/// ```swift
/// var ot = try OTelTraceState(parsing: "p:8;th:8;r:62")
/// ot.threshold = try RejectionThreshold(probability: 0.25, precision: 4)
/// ot.value   // "p:8;r:62;th:c"
/// ```
public struct OTelTraceState: Sendable {
    /// The longest value the specification allows.
    public static let maximumLength = 256

    /// The sampling threshold (`th`), if any.
    public var threshold: RejectionThreshold?
    /// The explicit randomness value (`rv`), if any.
    public var randomness: Randomness?
    /// The value as parsed; its `th` and `rv` members are replaced by the properties when written.
    private let source: Substring

    /// The empty value.
    public init() {
        self.source = ""
    }

    /// Parses the value of an `ot` entry.
    public init(parsing value: String) throws(OTelTraceStateError) {
        try self.init(parsing: value[...])
    }

    /// Parses the value of an `ot` entry, as `TraceState.value(forKey:)` gives it; the state keeps
    /// the substring rather than a copy.
    public init(parsing value: Substring) throws(OTelTraceStateError) {
        var source = value
        let parsed = source.withUTF8 { OTelTraceState.parse($0) }
        (threshold, randomness) = try parsed.get()
        self.source = source
    }

    /// The value: the other members in their order, then `rv`, then `th`, separated by `;`.
    public var value: String {
        var value = ""
        value.reserveCapacity(source.utf8.count + 2 * 18)
        func append(_ member: some StringProtocol) {
            if !value.isEmpty { value += ";" }
            value += member
        }
        forEachOtherMember { append($0) }
        if let randomness { append("rv:" + randomness.rv) }
        if let threshold { append("th:" + threshold.th) }
        return value
    }

    /// Whether the value has no member.
    public var isEmpty: Bool { threshold == nil && randomness == nil && otherMembers.isEmpty }

    /// The members other than `th` and `rv` (`key:value`), in their order.
    public var otherMembers: [Substring] {
        var members: [Substring] = []
        forEachOtherMember { members.append($0) }
        return members
    }

    /// Calls `body` with each member of `source` other than `th` and `rv`, in order.
    private func forEachOtherMember(_ body: (Substring) -> Void) {
        var rest = source
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex
            let member = rest[..<end]
            if !member.hasPrefix("th:") && !member.hasPrefix("rv:") { body(member) }
            rest = end == rest.endIndex ? "" : rest[rest.utf8.index(after: end)...]
        }
    }

    /// The threshold and randomness of a value, checking its grammar.
    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Result<(RejectionThreshold?, Randomness?), OTelTraceStateError> {
        guard bytes.count <= maximumLength else { return .failure(.tooLong(bytes.count)) }
        var threshold: RejectionThreshold?
        var randomness: Randomness?
        var index = 0
        while index < bytes.count {
            let keyStart = index
            guard isLowercaseLetter(bytes[index]) else { return .failure(.invalidSyntax(offset: index)) }
            index += 1
            while index < bytes.count, isLowercaseLetter(bytes[index]) || isDigit(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return .failure(.invalidSyntax(offset: index)) }
            let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<index])
            index += 1
            let valueStart = index
            while index < bytes.count, isValueByte(bytes[index]) { index += 1 }
            let value = UnsafeBufferPointer(rebasing: bytes[valueStart..<index])
            if index < bytes.count {
                // A member ends at `;`, which another member must follow.
                guard bytes[index] == UInt8(ascii: ";"), index + 1 < bytes.count else {
                    return .failure(.invalidSyntax(offset: index))
                }
                index += 1
            }
            if hasMember(withKey: key, in: UnsafeBufferPointer(rebasing: bytes[..<keyStart])) {
                return .failure(.duplicateKey(offset: keyStart))
            }
            if isKey(key, "t", "h") {
                guard let parsed = RejectionThreshold.parse(value) else { return .failure(.invalidThreshold(offset: valueStart)) }
                threshold = RejectionThreshold(uncheckedRawValue: parsed)
            } else if isKey(key, "r", "v") {
                guard value.count == 14, let parsed = try? Hex.parse(UnsafeRawBufferPointer(value), at: 0, count: value.count).get() else {
                    return .failure(.invalidRandomness(offset: valueStart))
                }
                randomness = Randomness(rawValue: parsed)
            }
        }
        return .success((threshold, randomness))
    }

    /// Whether the members of `prefix`, already checked, include one with key `key`.
    private static func hasMember(withKey key: UnsafeBufferPointer<UInt8>, in prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start < prefix.count {
            var colon = start
            while prefix[colon] != UInt8(ascii: ":") { colon += 1 }
            if UnsafeBufferPointer(rebasing: prefix[start..<colon]).elementsEqual(key) { return true }
            var end = colon
            while end < prefix.count, prefix[end] != UInt8(ascii: ";") { end += 1 }
            start = end + 1
        }
        return false
    }

    /// Whether `key` is the two letters `first` and `second`.
    @inline(__always)
    private static func isKey(_ key: UnsafeBufferPointer<UInt8>, _ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Bool {
        key.count == 2 && key[0] == UInt8(ascii: first) && key[1] == UInt8(ascii: second)
    }

    @inline(__always)
    private static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// `[A-Za-z0-9._-]`.
    @inline(__always)
    private static func isValueByte(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || byte &- UInt8(ascii: "A") < 26 || isDigit(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
