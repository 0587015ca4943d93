import HTTPFieldText

/// The `tracestate` header of W3C Trace Context: an ordered list of up to 32 vendor entries,
/// the most recent first.
///
/// Parsing accepts empty members and spaces or tabs around members, as the specification
/// requires, and keeps the members in order; formatting writes them joined by commas without
/// spaces. Setting an entry moves it to the front and drops the last member when a 33rd would
/// be added; removing one keeps the order of the others.
///
/// ```swift
/// var state = try TraceState(parsing: "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7")
/// try state.setValue("00f067aa0ba902b7", forKey: "rojo")
/// state.headerValue   // "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
/// ```
public struct TraceState: Hashable, Sendable, RandomAccessCollection, CustomStringConvertible {
    /// The most members a list may have.
    public static let maximumMembers = 32

    /// One entry: a vendor's key and its opaque value.
    public struct Member: Hashable, Sendable {
        /// The key, for example `congo` or `tenant@vendor`.
        public let key: Substring
        /// The value.
        public let value: Substring
    }

    /// How strictly to read a header.
    public struct ParsingOptions: Hashable, Sendable {
        /// The grammar of keys.
        public enum KeyGrammar: Hashable, Sendable {
            /// Level 1: `simple-key` (a lowercase letter, then up to 255 of `a-z0-9_-*/`) or
            /// `tenant@system` (up to 241 and 14 such bytes, the tenant may start with a digit).
            /// OpenTelemetry's SDKs use it.
            case level1
            /// Level 2: a lowercase letter or digit, then up to 255 of `a-z0-9_-*/@`.
            case level2
        }

        /// What to do when a key appears more than once.
        public enum DuplicateKeys: Hashable, Sendable {
            /// Reject the whole value, as OpenTelemetry's SDKs do.
            case reject
            /// Keep the first (left-most, most recent) member of each key and drop the others,
            /// which the specification allows.
            case keepFirst
        }

        /// The grammar of keys; `.level1` by default.
        public var keyGrammar: KeyGrammar
        /// Duplicate keys; `.reject` by default.
        public var duplicateKeys: DuplicateKeys
        /// The longest value read, in bytes (for several fields, joined by commas); 8192 by
        /// default, OpenTelemetry's limit. The specification asks that at least 512 be propagated.
        public var maximumLength: Int

        /// Options; the defaults read headers as OpenTelemetry's SDKs do.
        public init(keyGrammar: KeyGrammar = .level1, duplicateKeys: DuplicateKeys = .reject, maximumLength: Int = 8192) {
            self.keyGrammar = keyGrammar
            self.duplicateKeys = duplicateKeys
            self.maximumLength = maximumLength
        }
    }

    /// Where a member lies in `text`'s UTF-8: its key from `start` to `equals`, its value after
    /// `equals` to `end`.
    private struct Bounds: Hashable, Sendable {
        var start: Int32
        var equals: Int32
        var end: Int32

        /// The member these bounds mark in `text`.
        func member(in text: String) -> Member {
            let utf8 = text.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: Int(start))
            let equals = utf8.index(start, offsetBy: Int(self.equals - self.start))
            let end = utf8.index(equals, offsetBy: Int(self.end - self.equals))
            return Member(key: text[start..<equals], value: text[utf8.index(after: equals)..<end])
        }
    }

    /// The members joined by commas, as `headerValue` gives them.
    private var text: String
    private var bounds: [Bounds]

    /// The empty list.
    public init() {
        self.text = ""
        self.bounds = []
    }

    /// Parses a header value.
    public init(parsing value: some StringProtocol, options: ParsingOptions = ParsingOptions()) throws(TraceStateError) {
        var text = String(value)
        let parsed = try text.withUTF8 { utf8 in
            Result { () throws(TraceStateError) in try TraceState.parse(UnsafeRawBufferPointer(utf8), options: options) }
        }.get()
        // Most values are already written as this type writes them: then the text is shared.
        if parsed.isCanonical {
            self.text = text
            self.bounds = parsed.bounds
        } else {
            self = parsed.rewritten(from: text)
        }
    }

    /// Parses a value sent as several header fields, which are joined by commas (RFC 9110, 5.3).
    public init(parsingFields fields: some Sequence<String>, options: ParsingOptions = ParsingOptions()) throws(TraceStateError) {
        var joined = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { joined += "," }
            joined += field
        }
        try self.init(parsing: joined, options: options)
    }

    /// The header value: the members joined by commas, no spaces. Empty for the empty list.
    public var headerValue: String { text }

    /// `headerValue`.
    public var description: String { text }

    /// Appends the header value to `buffer`.
    public func write(to buffer: inout ContiguousArray<UInt8>) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { bounds.count }

    /// The member at `position`, counted from the left (the most recent).
    public subscript(position: Int) -> Member {
        bounds[position].member(in: text)
    }

    /// The value of `key`, or `nil`.
    public func value(forKey key: some StringProtocol) -> Substring? {
        guard let position = position(ofKey: key) else { return nil }
        return self[position].value
    }

    /// Sets the value of `key` and moves the member to the front, as a participant does with its
    /// own entry. If that makes 33 members, the last is dropped. The key must follow the Level 1
    /// grammar, which every parser accepts.
    public mutating func setValue(_ value: some StringProtocol, forKey key: some StringProtocol) throws(TraceStateError) {
        var key = String(key)
        var value = String(value)
        guard key.withUTF8({ TraceState.isValidKey(UnsafeRawBufferPointer($0), grammar: .level1) }) else {
            throw .invalidKey(offset: 0)
        }
        guard value.withUTF8({ TraceState.isValidValue(UnsafeRawBufferPointer($0)) }) else { throw .invalidValue(offset: 0) }
        var members = [(key: Substring(key), value: Substring(value))]
        for member in self where member.key != key && members.count < TraceState.maximumMembers {
            members.append((member.key, member.value))
        }
        self = TraceState(members)
    }

    /// Removes the member of `key`, keeping the others in order; returns its value, or `nil` if there was none.
    @discardableResult
    public mutating func removeValue(forKey key: some StringProtocol) -> Substring? {
        guard let position = position(ofKey: key) else { return nil }
        let removed = self[position].value
        self = TraceState(enumerated().filter { $0.offset != position }.map { ($0.element.key, $0.element.value) })
        return removed
    }

    /// The list cut to at most `maximumLength` bytes of header value by dropping whole members, as
    /// the specification says: members longer than 128 bytes first, then from the end. A length
    /// of 0 or less gives the empty list.
    public func truncated(toLength maximumLength: Int = 512) -> TraceState {
        var members = map { ($0.key, $0.value) }
        func length() -> Int { members.reduce(0) { $0 + $1.0.utf8.count + 1 + $1.1.utf8.count } + Swift.max(members.count - 1, 0) }
        while length() > maximumLength,
            let long = members.lastIndex(where: { $0.0.utf8.count + 1 + $0.1.utf8.count > 128 })
        {
            members.remove(at: long)
        }
        while length() > maximumLength, !members.isEmpty { members.removeLast() }
        return TraceState(members)
    }

    /// The list of these members, already valid and unique.
    private init(_ members: [(key: Substring, value: Substring)]) {
        var text = ""
        var bounds: [Bounds] = []
        bounds.reserveCapacity(members.count)
        for (key, value) in members {
            if !text.isEmpty { text += "," }
            let start = Int32(text.utf8.count)
            text += key
            let equals = Int32(text.utf8.count)
            text += "="
            text += value
            bounds.append(Bounds(start: start, equals: equals, end: Int32(text.utf8.count)))
        }
        self.text = text
        self.bounds = bounds
    }

    /// The position of the member of `key`, found by comparing UTF-8 bytes (keys are ASCII).
    private func position(ofKey key: some StringProtocol) -> Int? {
        var key = String(key)
        var text = text
        return key.withUTF8 { (key: UnsafeBufferPointer<UInt8>) -> Int? in
            text.withUTF8 { (text: UnsafeBufferPointer<UInt8>) -> Int? in
                bounds.firstIndex { member in
                    Int(member.equals - member.start) == key.count
                        && text[Int(member.start)..<Int(member.equals)].elementsEqual(key)
                }
            }
        }
    }

    /// The members found in a header value, and whether the value is written as `headerValue` writes it.
    private struct Parsed {
        var bounds: [Bounds]
        var isCanonical: Bool

        /// The list of these members of `text`, rewritten without spaces, empty members and dropped duplicates.
        func rewritten(from text: String) -> TraceState {
            TraceState(bounds.map { $0.member(in: text) }.map { ($0.key, $0.value) })
        }
    }

    private static func parse(_ value: UnsafeRawBufferPointer, options: ParsingOptions) throws(TraceStateError) -> Parsed {
        guard value.count <= options.maximumLength else { throw .tooLong(value.count) }
        var bounds: [Bounds] = []
        // One allocation for the members: there are at most as many as commas, plus one.
        bounds.reserveCapacity(Swift.min(value.count { $0 == UInt8(ascii: ",") } + 1, maximumMembers))
        var isCanonical = true
        var memberStart = 0
        while memberStart <= value.count {
            var memberEnd = memberStart
            while memberEnd < value.count, value[memberEnd] != UInt8(ascii: ",") { memberEnd += 1 }
            defer { memberStart = memberEnd + 1 }
            var start = memberStart
            var end = memberEnd
            while start < end, HeaderValue.isWhitespace(value[start]) { start += 1 }
            while end > start, HeaderValue.isWhitespace(value[end - 1]) { end -= 1 }
            if start != memberStart || end != memberEnd { isCanonical = false }
            if start == end {
                // An empty member: allowed, and left out. (An empty value has no member at all.)
                if value.count > 0 { isCanonical = false }
                continue
            }
            var equals = start
            while equals < end, value[equals] != UInt8(ascii: "=") { equals += 1 }
            guard equals < end else { throw .missingEquals(offset: start) }
            let key = UnsafeRawBufferPointer(rebasing: value[start..<equals])
            guard isValidKey(key, grammar: options.keyGrammar) else { throw .invalidKey(offset: start) }
            guard isValidValue(UnsafeRawBufferPointer(rebasing: value[(equals + 1)..<end])) else {
                throw .invalidValue(offset: equals + 1)
            }
            let duplicate = bounds.contains { earlier in
                let earlierKey = UnsafeRawBufferPointer(rebasing: value[Int(earlier.start)..<Int(earlier.equals)])
                return earlierKey.elementsEqual(key)
            }
            if duplicate {
                guard options.duplicateKeys == .keepFirst else { throw .duplicateKey(offset: start) }
                isCanonical = false
                continue
            }
            guard bounds.count < maximumMembers else { throw .tooManyMembers }
            bounds.append(Bounds(start: Int32(start), equals: Int32(equals), end: Int32(end)))
        }
        return Parsed(bounds: bounds, isCanonical: isCanonical)
    }

    /// Whether `byte` may follow the first byte of a key: `a-z 0-9 _ - * /`.
    @inline(__always)
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "/")
    }

    @inline(__always)
    private static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    static func isValidKey(_ key: UnsafeRawBufferPointer, grammar: ParsingOptions.KeyGrammar) -> Bool {
        guard let first = key.first, key.count <= 256, isLowercaseLetter(first) || isDigit(first) else { return false }
        switch grammar {
        case .level2:
            return key.dropFirst().allSatisfy { isKeyByte($0) || $0 == UInt8(ascii: "@") }
        case .level1:
            guard let at = key.firstIndex(of: UInt8(ascii: "@")) else {
                return isLowercaseLetter(first) && key.dropFirst().allSatisfy(isKeyByte)
            }
            let tenant = key[..<at]
            let system = key[(at + 1)...]
            guard tenant.count <= 241, let systemFirst = system.first, system.count <= 14, isLowercaseLetter(systemFirst)
            else { return false }
            return tenant.dropFirst().allSatisfy(isKeyByte) && system.dropFirst().allSatisfy(isKeyByte)
        }
    }

    static func isValidValue(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let last = value.last, value.count <= 256, last != UInt8(ascii: " ") else { return false }
        return value.allSatisfy { byte in
            byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: ",") && byte != UInt8(ascii: "=")
        }
    }
}
