#if arch(x86_64)
import CByteMask
#endif

/// A one-pass JSON reader over bytes in memory, which validates as it goes: UTF-8,
/// escapes including surrogate pairs, the number grammar, nesting depth and string length.
///
/// It reads the grammar of RFC 8259 exactly as Go's `encoding/json` does. Decoders drive
/// it member by member and skip what they do not read; every error carries the byte offset.
/// Shared by the decoders of this package (Faro payloads, OTLP/JSON).
package struct JSONScanner {
    /// The input.
    package let input: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    package var offset: Int
    /// How many objects and arrays enclose the current position.
    package private(set) var depth: Int
    /// The deepest nesting allowed.
    package let maxNestingDepth: Int
    /// The longest string allowed, in UTF-8 bytes after unescaping.
    package let maxStringBytes: Int
    /// What to do with ill-formed UTF-8 and lone surrogate escapes.
    package let invalidUTF8: InvalidUTF8Handling
    /// How many strings so far held ill-formed UTF-8 or lone surrogates that `string(_:)` replaces.
    package private(set) var replacedStringCount = 0

    /// Creates a scanner at the start of `input`.
    package init(
        _ input: UnsafeRawBufferPointer, maxNestingDepth: Int = 10_000, maxStringBytes: Int = .max,
        invalidUTF8: InvalidUTF8Handling = .reject
    ) {
        self.input = input
        self.offset = 0
        self.depth = 0
        self.maxNestingDepth = maxNestingDepth
        self.maxStringBytes = maxStringBytes
        self.invalidUTF8 = invalidUTF8
    }

    // MARK: Bytes and whitespace

    /// An error of `reason` at `offset`.
    package func error(_ reason: FaroDecodingError.Reason, at offset: Int) -> FaroDecodingError {
        FaroDecodingError(reason, offset: offset)
    }

    /// Skips whitespace and returns the next byte without consuming it; throws at the end of input.
    @inline(__always)
    package mutating func peek() throws(FaroDecodingError) -> UInt8 {
        if offset < input.count {
            let byte = input[offset]
            if byte > 0x20 { return byte }
            // The single space after each colon of pretty-printed JSON, without a call.
            if byte == 0x20, offset &+ 1 < input.count {
                let next = input[offset &+ 1]
                if next > 0x20 {
                    offset &+= 1
                    return next
                }
            }
            #if arch(x86_64)
            // A line break and indentation shorter than sixteen bytes: one mask, without the call.
            if offset &+ 16 <= input.count, let next = skipWhitespaceBlock() { return next }
            #endif
        }
        return try skipWhitespace()
    }

    #if arch(x86_64)
    /// Skips the whitespace among the sixteen bytes at `offset` (SSE2), which must be there, and
    /// returns the byte after it; if all sixteen are whitespace, moves past them and returns `nil`.
    @inline(__always)
    private mutating func skipWhitespaceBlock() -> UInt8? {
        let others = cbytemask_json_non_whitespace(input.baseAddress! + offset)
        if others == 0 {
            offset &+= 16
            return nil
        }
        offset &+= others.trailingZeroBitCount
        return input[offset]
    }
    #endif

    /// Skips a run of whitespace and returns the next byte; pretty-printed indentation goes
    /// sixteen bytes at a time (SSE2), or eight at a time for runs of spaces elsewhere.
    @inline(never)
    private mutating func skipWhitespace() throws(FaroDecodingError) -> UInt8 {
        #if arch(x86_64)
        while offset &+ 16 <= input.count {
            if let next = skipWhitespaceBlock() { return next }
        }
        #endif
        let spaces: UInt64 = 0x2020_2020_2020_2020
        while offset < input.count {
            if offset &+ 8 <= input.count {
                let word = UInt64(littleEndian: input.baseAddress!.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let different = word ^ spaces
                if different == 0 {
                    offset &+= 8
                    continue
                }
                offset &+= different.trailingZeroBitCount >> 3
            }
            let byte = input[offset]
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return byte
            }
        }
        throw error(.unexpectedEndOfInput, at: offset)
    }

    /// Whether only whitespace is left.
    package mutating func isAtEnd() -> Bool {
        while offset < input.count {
            switch input[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return false
            }
        }
        return true
    }

    /// The kind of value that starts with `byte`, or `nil` if no value can start with it.
    package static func kind(of byte: UInt8) -> JSONValueKind? {
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// The kind of the next value, after whitespace, without consuming it.
    package mutating func peekKind() throws(FaroDecodingError) -> JSONValueKind {
        let byte = try peek()
        guard let kind = JSONScanner.kind(of: byte) else { throw error(.unexpectedCharacter(byte), at: offset) }
        return kind
    }

    /// A type-mismatch error for the next value, which is of another kind than `expected`.
    package mutating func mismatch(expected: JSONValueKind) throws(FaroDecodingError) -> FaroDecodingError {
        let found = try peekKind()
        return error(.typeMismatch(expected: expected, found: found), at: offset)
    }

    // MARK: Containers

    /// Consumes the `{` or `[` at the current offset, counting depth.
    private mutating func enterContainer() throws(FaroDecodingError) {
        depth += 1
        if depth > maxNestingDepth { throw error(.nestingTooDeep(limit: maxNestingDepth), at: offset) }
        offset += 1
    }

    /// Consumes the `{` that `peek()` returned.
    package mutating func beginObject() throws(FaroDecodingError) {
        try enterContainer()
    }

    /// Moves to the next member of the object: consumes the separator, the key and the colon and
    /// returns the key, or consumes `}` and returns `nil`.
    package mutating func nextMember(first: inout Bool) throws(FaroDecodingError) -> JSONString? {
        switch try nextMember(first: &first, predicting: nil) {
        case .end: return nil
        case .key(let key): return key
        case .predicted: preconditionFailure("no key was predicted")
        }
    }

    /// Moves to the next member of the object, as `nextMember(first:)` does; when the key is
    /// exactly `predicted` (ASCII without escapes: the member the previous object of the same type
    /// had at this place), it is matched byte for byte instead of scanned, and `.predicted` returned.
    package mutating func nextMember(
        first: inout Bool, predicting predicted: PredictedKey?
    ) throws(FaroDecodingError) -> MemberKey {
        var byte = try peek()
        // Offsets stay within the input and depth within its limit: wrapping arithmetic, no overflow checks.
        if byte == UInt8(ascii: "}") {
            offset &+= 1
            depth &-= 1
            return .end
        }
        if first {
            first = false
        } else {
            guard byte == UInt8(ascii: ",") else { throw error(.unexpectedCharacter(byte), at: offset) }
            offset &+= 1
            byte = try peek()
        }
        guard byte == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter(byte), at: offset) }
        let member: MemberKey
        if let predicted, predicted.matches(at: offset &+ 1, in: input) {
            offset &+= predicted.count &+ 2
            member = .predicted
        } else {
            member = .key(try scanString())
        }
        let colon = try peek()
        guard colon == UInt8(ascii: ":") else { throw error(.unexpectedCharacter(colon), at: offset) }
        offset &+= 1
        return member
    }

    /// A key expected next, as words to compare with the input.
    package struct PredictedKey {
        /// Its length, at most 16.
        let count: Int
        /// Its first eight bytes (all of them if fewer) as loaded from memory.
        let head: UInt64
        /// Its last eight bytes as loaded from memory, when it is longer than eight.
        let tail: UInt64

        /// Whether the key and its closing quote are at `start` in `input`.
        @inline(__always)
        func matches(at start: Int, in input: UnsafeRawBufferPointer) -> Bool {
            // The key, its quote, and the colon (or more) after it leave eight bytes to load from `start`.
            guard start &+ 16 <= input.count else { return false }
            let base = input.baseAddress!
            guard base.load(fromByteOffset: start &+ count, as: UInt8.self) == UInt8(ascii: "\"") else { return false }
            let loaded = base.loadUnaligned(fromByteOffset: start, as: UInt64.self)
            if count < 8 {
                return UInt64(littleEndian: loaded) & ByteScan.lowBytes(count) == UInt64(littleEndian: head)
            }
            return loaded == head && base.loadUnaligned(fromByteOffset: start &+ count &- 8, as: UInt64.self) == tail
        }
    }

    /// What `nextMember(first:predicting:)` found.
    package enum MemberKey {
        /// The object ended.
        case end
        /// The key was the predicted one.
        case predicted
        /// A key, scanned.
        case key(JSONString)
    }

    /// Consumes the `[` that `peek()` returned.
    package mutating func beginArray() throws(FaroDecodingError) {
        try enterContainer()
    }

    /// Moves to the next element of the array: consumes the separator and returns `true`,
    /// or consumes `]` and returns `false`.
    package mutating func nextElement(first: inout Bool) throws(FaroDecodingError) -> Bool {
        let byte = try peek()
        if byte == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return false
        }
        if first {
            first = false
        } else {
            guard byte == UInt8(ascii: ",") else { throw error(.unexpectedCharacter(byte), at: offset) }
            offset += 1
        }
        return true
    }

    // MARK: Scalars

    /// Consumes `null` if it comes next and reports whether it did.
    package mutating func consumeNull() throws(FaroDecodingError) -> Bool {
        try peekUnlessNull() == nil
    }

    /// The first byte of the next value, as `peek()` returns it, or `nil` once a `null` there is
    /// consumed: for the containers that `null` empties, one look at the byte instead of a call of
    /// `consumeNull()` and a second `peek()`.
    @inline(__always)
    package mutating func peekUnlessNull() throws(FaroDecodingError) -> UInt8? {
        let byte = try peek()
        if byte == UInt8(ascii: "n") {
            try scanLiteral("null")
            return nil
        }
        return byte
    }

    /// Reads a `true` or `false` that `peek()` found.
    package mutating func readBool() throws(FaroDecodingError) -> Bool {
        if input[offset] == UInt8(ascii: "t") {
            try scanLiteral("true")
            return true
        }
        try scanLiteral("false")
        return false
    }

    /// Consumes `literal`, which must come next.
    private mutating func scanLiteral(_ literal: StaticString) throws(FaroDecodingError) {
        let bytes = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for expected in bytes {
            guard offset < input.count else { throw error(.unexpectedEndOfInput, at: offset) }
            guard input[offset] == expected else { throw error(.unexpectedCharacter(input[offset]), at: offset) }
            offset += 1
        }
    }

    /// Consumes a number that `peek()` found and returns its bytes, checked against
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    package mutating func scanNumber() throws(FaroDecodingError) -> UnsafeRawBufferPointer {
        let start = offset
        if input[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < input.count else { throw error(.unexpectedEndOfInput, at: offset) }
        if input[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            try scanDigits()
        }
        if offset < input.count, input[offset] == UInt8(ascii: ".") {
            offset += 1
            try scanDigits()
        }
        if offset < input.count, input[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < input.count, input[offset] == UInt8(ascii: "+") || input[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            try scanDigits()
        }
        return UnsafeRawBufferPointer(rebasing: input[start..<offset])
    }

    /// Consumes an integer of at most 18 digits (`-?(0|[1-9][0-9]*)`) that no fraction, exponent
    /// or further digit follows, and returns its value, read in the same pass; else consumes nothing
    /// and returns `nil`, for `scanNumber` to read the number and report what is wrong with it.
    /// Stack frames' line and column numbers, most of a payload's integers, take this way.
    @inline(__always)
    mutating func scanShortInteger() -> Int? {
        let count = input.count
        var index = offset
        let negative = index < count && input[index] == UInt8(ascii: "-")
        if negative { index &+= 1 }
        let first = index
        var magnitude = 0
        // Up to 18 digits cannot overflow: no test of each step.
        while index < count, index &- first < 19 {
            let digit = input[index] &- UInt8(ascii: "0")
            if digit >= 10 { break }
            magnitude = magnitude &* 10 &+ Int(digit)
            index &+= 1
        }
        let digits = index &- first
        guard digits > 0, digits <= 18, digits == 1 || input[first] != UInt8(ascii: "0") else { return nil }
        if index < count {
            let next = input[index]
            if next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") || next &- UInt8(ascii: "0") < 10 { return nil }
        }
        offset = index
        return negative ? 0 &- magnitude : magnitude
    }

    /// Consumes one or more decimal digits.
    private mutating func scanDigits() throws(FaroDecodingError) {
        guard offset < input.count else { throw error(.unexpectedEndOfInput, at: offset) }
        guard input[offset] &- UInt8(ascii: "0") < 10 else { throw error(.unexpectedCharacter(input[offset]), at: offset) }
        offset += 1
        while offset < input.count, input[offset] &- UInt8(ascii: "0") < 10 { offset += 1 }
    }

    // MARK: Strings

    /// Consumes a string whose opening quote is next and returns where its content lies,
    /// checking UTF-8, escapes and the length limit.
    @inline(__always)
    package mutating func scanString() throws(FaroDecodingError) -> JSONString {
        let (string, plain) = scanShortPlainString()
        if let string { return string }
        switch try scanAnyString(afterPlainBytes: plain, stoppingAtEscape: false) {
        case .string(let string): return string
        case .escape: preconditionFailure("the scan was not to stop at an escape")
        }
    }

    /// Consumes a string as `scanString` does, for a caller that makes a `String` of its content at
    /// once: when it has escapes (and ill-formed UTF-8 is rejected), its content is unescaped into
    /// `unescaped`, from its start, in the same pass that checks it, and the string says so
    /// (`isUnescaped`). Then `string(_:)` need not read it again.
    @inline(__always)
    mutating func scanString(unescapingInto unescaped: inout ByteWriter) throws(FaroDecodingError) -> JSONString {
        let (string, plain) = scanShortPlainString()
        if let string { return string }
        switch try scanAnyString(afterPlainBytes: plain, stoppingAtEscape: invalidUTF8 == .reject) {
        case .string(let string): return string
        case .escape(let start, let escape): return try scanUnescaping(from: start, escapeAt: escape, into: &unescaped)
        }
    }

    /// The first step of the string scans. A string of plain ASCII that ends within the 32 bytes
    /// after its opening quote (most keys and short values) is found by one or two masks where
    /// SSE2 is there, consumed and returned, without the call that scans the others; else `nil`,
    /// with how many of its first bytes are plain ASCII, for that scan to go on after them.
    @inline(__always)
    private mutating func scanShortPlainString() -> (string: JSONString?, plain: Int) {
        #if arch(x86_64)
        var plain = 0
        let start = offset &+ 1
        if start &+ 16 <= input.count {
            // The mask marks quotes, backslashes, controls and bytes from 0x80: the string is plain
            // if its first mark is its closing quote.
            var length = cbytemask_json_string_special(input.baseAddress! + start).trailingZeroBitCount
            plain = min(length, 16)
            if length == 32 && start &+ 32 <= input.count {
                length = 16 &+ cbytemask_json_string_special(input.baseAddress! + (start &+ 16)).trailingZeroBitCount
                plain = min(length, 32)
            }
            if length < 32, input[start &+ length] == UInt8(ascii: "\""), length <= maxStringBytes {
                offset = start &+ length &+ 1
                let string = JSONString(
                    start: start, end: start &+ length, needsDecoding: false, isASCII: true, hasIllFormedBytes: false,
                    isUnescaped: false)
                return (string, plain)
            }
        }
        return (nil, plain)
        #else
        return (nil, 0)
        #endif
    }

    /// What `scanAnyString` found: the whole string, or the first escape of the string that starts
    /// at `start`, when it was to stop there.
    private enum StringScan {
        case string(JSONString)
        case escape(start: Int, at: Int)
    }

    /// `scanString` for any string, whose first `plain` bytes are known to be plain ASCII: runs of
    /// plain ASCII sixteen or eight bytes at a time, then each escape, sequence of UTF-8 or other
    /// byte that ends the run. With `stoppingAtEscape`, it returns at the first escape instead,
    /// leaving the rest of the string to `scanUnescaping`.
    @inline(never)
    private mutating func scanAnyString(
        afterPlainBytes plain: Int, stoppingAtEscape: Bool
    ) throws(FaroDecodingError) -> StringScan {
        let start = offset + 1
        var index = start + plain
        var needsDecoding = false
        var replaced = false
        var isASCII = true
        var hasIllFormedBytes = false
        let count = input.count
        let base = input.baseAddress!
        while true {
            // Plain ASCII bytes (none below 0x20, no quote, no backslash, no high bit) sixteen at a time
            // where SSE2 is there, then eight at a time, then straight to the first byte that is not.
            plain: do {
                #if arch(x86_64)
                while index &+ 16 <= count {
                    let mask = cbytemask_json_string_special(base + index)
                    if mask != 0 {
                        index &+= mask.trailingZeroBitCount
                        break plain
                    }
                    index &+= 16
                }
                #endif
                while index &+ 8 <= count {
                    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    let special = JSONScanner.specialBytes(word)
                    if special != 0 {
                        index &+= special.trailingZeroBitCount &>> 3
                        break plain
                    }
                    index &+= 8
                }
            }
            guard index < count else { throw error(.unexpectedEndOfInput, at: count) }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                break
            } else if byte == UInt8(ascii: "\\") {
                if stoppingAtEscape { return .escape(start: start, at: index) }
                // The escapes of one letter inline, the others (and errors) out of line.
                if index &+ 1 < count, JSONScanner.isOneByteEscape(input[index &+ 1]) {
                    index &+= 2
                } else {
                    index = try scanEscape(at: index, replaced: &replaced).next
                }
                needsDecoding = true
            } else if byte < 0x20 {
                throw error(.controlCharacterInString, at: index)
            } else if byte < 0x80 {
                index &+= 1
            } else if let length = JSONScanner.validUTF8Length(base, at: index, count: count) {
                index &+= length
                isASCII = false
            } else if invalidUTF8 == .replace {
                index &+= 1
                needsDecoding = true
                replaced = true
                hasIllFormedBytes = true
            } else {
                throw error(.invalidUTF8, at: index)
            }
        }
        offset = index + 1
        if replaced { replacedStringCount += 1 }
        let key = JSONString(
            start: start, end: index, needsDecoding: needsDecoding, isASCII: isASCII && !needsDecoding,
            hasIllFormedBytes: hasIllFormedBytes, isUnescaped: false)
        if index - start > maxStringBytes, !needsDecoding || decodedLength(of: key) > maxStringBytes {
            throw error(.stringTooLong(limit: maxStringBytes), at: start - 1)
        }
        return .string(key)
    }

    /// Scans the rest of the string that starts at `start` from its first escape at `escape`, and
    /// writes its content to `unescaped` from the start as it goes: the bytes before the escape,
    /// then plain runs sixteen bytes at a time where SSE2 is there, each escape decoded and each
    /// UTF-8 sequence copied. It checks what `scanAnyString` checks, in the same order, and throws
    /// the same errors; ill-formed UTF-8 and lone surrogates are rejected.
    @inline(never)
    private mutating func scanUnescaping(
        from start: Int, escapeAt escape: Int, into unescaped: inout ByteWriter
    ) throws(FaroDecodingError) -> JSONString {
        let count = input.count
        let base = input.baseAddress!
        // Room at each step for a block of sixteen bytes, a run of up to fifteen of them and the
        // four bytes of the character that ends the run.
        let room = 32
        unescaped.count = 0
        unescaped.reserve(escape &- start &+ room)
        unescaped.base.copyMemory(from: base + start, byteCount: escape &- start)
        var written = escape &- start
        var index = escape
        while true {
            if written &+ room > unescaped.capacity {
                unescaped.count = written
                unescaped.reserve(room)
            }
            #if arch(x86_64)
            if index &+ 16 <= count {
                let mask = cbytemask_copy_json_string_special(base + index, unescaped.base + written)
                if mask == 0 {
                    index &+= 16
                    written &+= 16
                    continue
                }
                let run = mask.trailingZeroBitCount
                index &+= run
                written &+= run
            }
            #endif
            guard index < count else { throw error(.unexpectedEndOfInput, at: count) }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                break
            } else if byte == UInt8(ascii: "\\") {
                guard index &+ 1 < count else { throw error(.unexpectedEndOfInput, at: count) }
                let letter = input[index &+ 1]
                if JSONScanner.isOneByteEscape(letter) {
                    unescaped.base.storeBytes(of: JSONScanner.escapedByte(letter), toByteOffset: written, as: UInt8.self)
                    written &+= 1
                    index &+= 2
                    continue
                }
                // A `\u` escape, checked as `scanAnyString` checks it (lone surrogates are rejected)
                // and decoded in the same step.
                var replaced = false
                let (next, scalar) = try scanEscape(at: index, replaced: &replaced)
                written &+= JSONScanner.putUTF8(scalar, at: unescaped.base + written)
                index = next
            } else if byte < 0x20 {
                throw error(.controlCharacterInString, at: index)
            } else if byte < 0x80 {
                unescaped.base.storeBytes(of: byte, toByteOffset: written, as: UInt8.self)
                written &+= 1
                index &+= 1
            } else if let length = JSONScanner.validUTF8Length(base, at: index, count: count) {
                if index &+ 4 <= count {
                    // Four bytes stored, of which the sequence's are kept: the room allows it.
                    (unescaped.base + written).storeBytes(of: base.loadUnaligned(fromByteOffset: index, as: UInt32.self), as: UInt32.self)
                } else {
                    (unescaped.base + written).copyMemory(from: base + index, byteCount: length)
                }
                written &+= length
                index &+= length
            } else {
                throw error(.invalidUTF8, at: index)
            }
        }
        offset = index &+ 1
        unescaped.count = written
        if written > maxStringBytes { throw error(.stringTooLong(limit: maxStringBytes), at: start - 1) }
        return JSONString(
            start: start, end: index, needsDecoding: true, isASCII: false, hasIllFormedBytes: false, isUnescaped: true)
    }

    /// The high bit of each byte of `word` that is below 0x20, a quote, a backslash or at least 0x80;
    /// exact for the lowest such byte (the borrows of the tests only mark bytes above a true match).
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        ByteScan.below(word, 0x20) | ByteScan.equal(word, 0x22) | ByteScan.equal(word, 0x5C) | word & ByteScan.highs
    }

    /// The length of the well-formed UTF-8 sequence of two to four bytes at `index`, or `nil`.
    /// In line in the scans: two-byte sequences and three-byte ones whose lead takes any
    /// continuation (accented letters, punctuation, CJK) are told first; the rest out of line.
    @inline(__always)
    static func validUTF8Length(_ base: UnsafeRawPointer, at index: Int, count: Int) -> Int? {
        let lead = base.load(fromByteOffset: index, as: UInt8.self)
        if lead &- 0xC2 < 0x1E {
            return index &+ 1 < count && base.load(fromByteOffset: index &+ 1, as: UInt8.self) & 0xC0 == 0x80 ? 2 : nil
        }
        if lead &- 0xE1 < 0x0C || lead &- 0xEE < 2, index &+ 2 < count,
            base.load(fromByteOffset: index &+ 1, as: UInt8.self) & 0xC0 == 0x80,
            base.load(fromByteOffset: index &+ 2, as: UInt8.self) & 0xC0 == 0x80
        {
            return 3
        }
        return otherUTF8Length(base, at: index, count: count)
    }

    /// `validUTF8Length` for the leads it does not tell in line, and for their errors.
    @inline(never)
    private static func otherUTF8Length(_ base: UnsafeRawPointer, at index: Int, count: Int) -> Int? {
        let lead = base.load(fromByteOffset: index, as: UInt8.self)
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < count && range.contains(base.load(fromByteOffset: index + offset, as: UInt8.self))
        }
        switch lead {
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : nil
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default:
            return nil
        }
    }

    /// Checks the escape at `index` (a backslash) and returns the index after it and the scalar it
    /// stands for: a surrogate pair joined, a lone surrogate that `.replace` lets through (and sets
    /// `replaced` for) as U+FFFD.
    private func scanEscape(
        at index: Int, replaced: inout Bool
    ) throws(FaroDecodingError) -> (next: Int, scalar: UInt32) {
        guard index + 1 < input.count else { throw error(.unexpectedEndOfInput, at: input.count) }
        let letter = input[index + 1]
        if JSONScanner.isOneByteEscape(letter) { return (index + 2, UInt32(JSONScanner.escapedByte(letter))) }
        switch letter {
        case UInt8(ascii: "u"):
            let unit = try hex4(at: index + 2)
            switch unit {
            case 0xD800..<0xDC00:
                if let low = trailingLowSurrogate(at: index + 6) {
                    return (index + 12, 0x10000 + (unit - 0xD800) << 10 + (UInt32(low) - 0xDC00))
                }
                guard invalidUTF8 == .replace else { throw error(.loneSurrogate, at: index) }
                replaced = true
                return (index + 6, 0xFFFD)
            case 0xDC00..<0xE000:
                guard invalidUTF8 == .replace else { throw error(.loneSurrogate, at: index) }
                replaced = true
                return (index + 6, 0xFFFD)
            default:
                return (index + 6, unit)
            }
        default:
            throw error(.invalidEscape, at: index)
        }
    }

    /// Whether `\letter` is one of JSON's escapes of one byte: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`.
    @inline(__always)
    private static func isOneByteEscape(_ letter: UInt8) -> Bool {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            true
        default:
            false
        }
    }

    /// The four hex digits at `index` as a UTF-16 code unit.
    private func hex4(at index: Int) throws(FaroDecodingError) -> UInt32 {
        var value: UInt32 = 0
        for position in index..<index + 4 {
            guard position < input.count else { throw error(.unexpectedEndOfInput, at: input.count) }
            guard let digit = JSONScanner.hexValue(input[position]) else { throw error(.invalidEscape, at: index - 2) }
            value = value << 4 | digit
        }
        return value
    }

    /// The value of a hex digit, or `nil`.
    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The low surrogate of a `\uDC00`–`\uDFFF` escape at `index`, or `nil` if none stands there
    /// (a malformed escape there is reported when it is scanned on its own).
    private func trailingLowSurrogate(at index: Int) -> Int? {
        guard index + 6 <= input.count, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u")
        else { return nil }
        var value: UInt32 = 0
        for position in index + 2..<index + 6 {
            guard let digit = JSONScanner.hexValue(input[position]) else { return nil }
            value = value << 4 | digit
        }
        return (0xDC00..<0xE000).contains(value) ? Int(value) : nil
    }

    /// The UTF-8 length of a scanned string once unescaped.
    private func decodedLength(of key: JSONString) -> Int {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: decodedCapacity(of: key)) { unescape(key, into: $0.baseAddress!) }
    }

    /// Room enough for a scanned string once unescaped: escapes only shrink, and each byte that
    /// `.replace` replaces grows to the three bytes of U+FFFD.
    private func decodedCapacity(of key: JSONString) -> Int {
        (key.end - key.start) * (invalidUTF8 == .replace ? 3 : 1)
    }

    /// Appends the content of a scanned string, unescaped, to `out`.
    package func appendContent(of key: JSONString, to out: inout ContiguousArray<UInt8>) {
        if !key.needsDecoding {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[key.start..<key.end]))
            return
        }
        out.append(addingCapacity: decodedCapacity(of: key)) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                initialized = unescape(key, into: buffer.baseAddress!)
            }
        }
    }

    /// The content of a scanned string as a `String`.
    package func string(_ key: JSONString) -> String {
        if !key.needsDecoding {
            return JSONScanner.string(checkedUTF8: UnsafeRawBufferPointer(rebasing: input[key.start..<key.end]), isASCII: key.isASCII)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: decodedCapacity(of: key)) { buffer in
            let length = unescape(key, into: buffer.baseAddress!)
            return JSONScanner.string(checkedUTF8: UnsafeRawBufferPointer(start: buffer.baseAddress, count: length), isASCII: false)
        }
    }

    /// A `String` of bytes that the scanner has found well-formed, without the standard library
    /// checking them again (about 6% of the generated benchmark payload's decoding time went to that).
    static func string(checkedUTF8 bytes: UnsafeRawBufferPointer, isASCII: Bool) -> String {
        if #available(macOS 26, *) {
            let span = bytes.assumingMemoryBound(to: UInt8.self).span
            return String(copying: unsafe UTF8Span(unchecked: span, isKnownASCII: isASCII))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Copies the bytes from `start` up to the next backslash, or (with `stopAtHigh`) the next byte of
    /// 0x80 or above, or `end`, to `out`, and returns how many: sixteen bytes at a time where SSE2 is
    /// there, then eight, each block stored whole before it is tested. `out` must have room for
    /// `end - start` bytes, and for sixteen more past each whole block (which the unescaped content,
    /// never longer than the escaped, leaves).
    private static func copyPlainRun(
        _ input: UnsafeRawBufferPointer, from start: Int, to end: Int, stopAtHigh: Bool, into out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let base = input.baseAddress!
        let destination = UnsafeMutableRawPointer(out)
        var index = start
        #if arch(x86_64)
        while index &+ 16 <= end {
            let mask = cbytemask_copy_json_escapes(base + index, destination + (index &- start), stopAtHigh)
            if mask != 0 { return index &+ mask.trailingZeroBitCount &- start }
            index &+= 16
        }
        #endif
        while index &+ 8 <= end {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            destination.storeBytes(of: word, toByteOffset: index &- start, as: UInt64.self)
            let littleEndian = UInt64(littleEndian: word)
            var flagged = ByteScan.equal(littleEndian, 0x5C)
            if stopAtHigh { flagged |= littleEndian & ByteScan.highs }
            if flagged != 0 { return index &+ flagged.trailingZeroBitCount &>> 3 &- start }
            index &+= 8
        }
        while index < end, input[index] != UInt8(ascii: "\\"), !(stopAtHigh && input[index] >= 0x80) {
            out[index &- start] = input[index]
            index &+= 1
        }
        return index &- start
    }

    /// The byte that the escape `\letter` stands for, for the letters of JSON's one-byte escapes
    /// (`"`, `\`, `/`, `b`, `f`, `n`, `r`, `t`).
    @inline(__always)
    private static func escapedByte(_ letter: UInt8) -> UInt8 {
        switch letter {
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        default: letter
        }
    }

    /// Writes the UTF-8 of `value`, a Unicode scalar value, at `out`; returns its length.
    private static func putUTF8(_ value: UInt32, at out: UnsafeMutableRawPointer) -> Int {
        func put(_ byte: UInt32, _ position: Int) {
            out.storeBytes(of: UInt8(truncatingIfNeeded: byte), toByteOffset: position, as: UInt8.self)
        }
        switch value {
        case ..<0x80:
            put(value, 0)
            return 1
        case ..<0x800:
            put(0xC0 | value >> 6, 0)
            put(0x80 | value & 0x3F, 1)
            return 2
        case ..<0x10000:
            put(0xE0 | value >> 12, 0)
            put(0x80 | value >> 6 & 0x3F, 1)
            put(0x80 | value & 0x3F, 2)
            return 3
        default:
            put(0xF0 | value >> 18, 0)
            put(0x80 | value >> 12 & 0x3F, 1)
            put(0x80 | value >> 6 & 0x3F, 2)
            put(0x80 | value & 0x3F, 3)
            return 4
        }
    }

    /// Writes the unescaped content of a scanned string to `out` and returns its length: escapes
    /// decoded, surrogate pairs joined, and (with `.replace`) each bad byte and lone surrogate as U+FFFD.
    private func unescape(_ key: JSONString, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        var index = key.start
        while index < key.end {
            let byte = input[index]
            if byte == UInt8(ascii: "\\") {
                let letter = input[index + 1]
                guard letter == UInt8(ascii: "u") else {
                    // One of the escapes `scanEscape` accepted, each of one byte.
                    out[written] = JSONScanner.escapedByte(letter)
                    written += 1
                    index += 2
                    continue
                }
                // Checked when the string was scanned, so it does not throw here.
                var replaced = false
                let (next, scalar) = try! scanEscape(at: index, replaced: &replaced)
                written += JSONScanner.putUTF8(scalar, at: UnsafeMutableRawPointer(out + written))
                index = next
            } else if !key.hasIllFormedBytes || byte < 0x80 {
                // Checked already: copy up to the next escape at once (and, when some bytes are to be
                // replaced, up to the next byte that might be one of them).
                let run = JSONScanner.copyPlainRun(
                    input, from: index, to: key.end, stopAtHigh: key.hasIllFormedBytes, into: out + written)
                written += run
                index += run
            } else if let length = JSONScanner.validUTF8Length(input.baseAddress!, at: index, count: key.end) {
                (out + written).initialize(from: input.baseAddress!.assumingMemoryBound(to: UInt8.self) + index, count: length)
                written += length
                index += length
            } else {
                written += JSONScanner.putUTF8(0xFFFD, at: UnsafeMutableRawPointer(out + written))
                index += 1
            }
        }
        return written
    }

    // MARK: Skipping

    /// Consumes one value of any kind, checking it completely, without recursion.
    package mutating func skipValue() throws(FaroDecodingError) {
        // One bit per open container: 1 for an object, 0 for an array.
        var containers = JSONContainerStack()
        while true {
            // A value starts here.
            let byte = try peek()
            switch byte {
            case UInt8(ascii: "{"):
                try beginObject()
                if try peek() == UInt8(ascii: "}") {
                    offset += 1
                    depth -= 1
                } else {
                    containers.push(object: true)
                    try scanMemberKey()
                    continue
                }
            case UInt8(ascii: "["):
                try beginArray()
                if try peek() == UInt8(ascii: "]") {
                    offset += 1
                    depth -= 1
                } else {
                    containers.push(object: false)
                    continue
                }
            case UInt8(ascii: "\""): _ = try scanString()
            case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
            case UInt8(ascii: "n"): try scanLiteral("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
            default: throw error(.unexpectedCharacter(byte), at: offset)
            }
            // A value ended: close containers until one continues with a comma.
            while let isObject = containers.top {
                let next = try peek()
                if next == UInt8(ascii: ",") {
                    offset += 1
                    if isObject { try scanMemberKey() }
                    break
                }
                guard next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw error(.unexpectedCharacter(next), at: offset)
                }
                offset += 1
                depth -= 1
                containers.pop()
            }
            if containers.isEmpty { return }
        }
    }

    /// Consumes a member's key and colon.
    private mutating func scanMemberKey() throws(FaroDecodingError) {
        let quote = try peek()
        guard quote == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter(quote), at: offset) }
        _ = try scanString()
        let colon = try peek()
        guard colon == UInt8(ascii: ":") else { throw error(.unexpectedCharacter(colon), at: offset) }
        offset += 1
    }
}

/// What the scanner does with ill-formed UTF-8 and lone surrogate escapes in strings.
public enum InvalidUTF8Handling: Sendable, Hashable {
    /// Reject the input with `invalidUTF8` or `loneSurrogate`. The default.
    case reject
    /// Replace each bad byte and each lone surrogate escape by U+FFFD, as Go's `encoding/json` does.
    case replace
}

/// Where a scanned string's content lies in the input, and whether it has escapes or bytes to replace.
package struct JSONString {
    /// The offset of the first content byte (after the opening quote).
    package let start: Int
    /// The offset of the closing quote.
    package let end: Int
    /// Whether the content has escapes or ill-formed bytes, so that it differs from the raw bytes.
    package let needsDecoding: Bool
    /// Whether the content is ASCII, with no escapes.
    package let isASCII: Bool
    /// Whether the raw content has bytes that are not well-formed UTF-8 (taken with `.replace`).
    package let hasIllFormedBytes: Bool
    /// Whether the content, escapes decoded, is in the buffer that the scan was given
    /// (`scanString(unescapingInto:)`), until the next scan into it.
    package let isUnescaped: Bool
}

/// A stack of one bit per open container, for skipping without recursion.
struct JSONContainerStack {
    private var inline: UInt64 = 0
    private var spilled: [UInt64] = []
    private var count = 0

    var isEmpty: Bool { count == 0 }

    /// Whether the innermost container is an object, or `nil` when none is open.
    var top: Bool? {
        guard count > 0 else { return nil }
        let index = count - 1
        let word = index < 64 ? inline : spilled[(index - 64) / 64]
        return word >> UInt64(index % 64) & 1 == 1
    }

    mutating func push(object: Bool) {
        let index = count
        let bit: UInt64 = object ? 1 << UInt64(index % 64) : 0
        if index < 64 {
            inline = inline & ~(1 << UInt64(index)) | bit
        } else {
            let word = (index - 64) / 64
            if word == spilled.count { spilled.append(0) }
            spilled[word] = spilled[word] & ~(1 << UInt64(index % 64)) | bit
        }
        count += 1
    }

    mutating func pop() { count -= 1 }
}
