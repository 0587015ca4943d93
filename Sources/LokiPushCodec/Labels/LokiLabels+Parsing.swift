extension LokiLabels {
    /// Parses a label set as Loki parses the `labels` of a pushed stream: `{`, then pairs
    /// `name = "value"` separated by `,`, then `}`, with spaces, tabs, carriage returns and
    /// newlines allowed between the parts. Values are Go string literals: double-quoted with the
    /// escapes `\a \b \f \n \r \t \v \\ \" \'`, `\xHH`, octal `\ooo` (at most `\377`), `\uXXXX`
    /// and `\UXXXXXXXX`, or raw between backticks (carriage returns dropped, as Go drops them).
    ///
    /// The result is the same set as building it from its pairs: sorted, empty values dropped.
    ///
    /// - Throws: `LokiLabelError` with the byte offset where the text went wrong.
    public init(parsing text: String) throws(LokiLabelError) {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(LokiLabelError) in try LokiLabels(parsing: UnsafeRawBufferPointer(utf8)) }
        }
        self = try result.get()
    }

    /// Parses a label set from UTF-8 bytes (see `init(parsing:)` on a string).
    ///
    /// - Throws: `LokiLabelError` with the byte offset where the bytes went wrong, including
    ///   `.invalidUTF8` for bytes that are not UTF-8.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(LokiLabelError) {
        if let offset = UTF8Validation.firstInvalidOffset(bytes) { throw .invalidUTF8(offset: offset) }
        var parser = LabelParser(bytes)
        let parsed = try parser.parse()
        let sorted = parsed.sorted { $0.pair.name.utf8.lexicographicallyPrecedes($1.pair.name.utf8) }
        var duplicate: (name: String, offset: Int)? = nil
        for index in sorted.indices.dropFirst() where sorted[index].pair.name == sorted[index - 1].pair.name {
            let offset = max(sorted[index].offset, sorted[index - 1].offset)
            if duplicate.map({ offset < $0.offset }) ?? true { duplicate = (sorted[index].pair.name, offset) }
        }
        if let duplicate { throw .duplicateName(duplicate.name, offset: duplicate.offset) }
        try self.init(validatedSortedPairs: sorted.map(\.pair).filter { !$0.value.isEmpty })
    }
}

/// The parser of `LokiLabels(parsing:)`, over valid UTF-8.
struct LabelParser {
    /// The text.
    private let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    private var position = 0
    /// The bytes of the value being read.
    private var value = ContiguousArray<UInt8>()

    /// A parser of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The pairs in text order, each with the offset of its name.
    mutating func parse() throws(LokiLabelError) -> [(pair: LokiLabelPair, offset: Int)] {
        skipWhitespace()
        guard next == UInt8(ascii: "{") else { throw .unexpected(.openingBrace, offset: position) }
        position += 1
        skipWhitespace()
        var pairs: [(pair: LokiLabelPair, offset: Int)] = []
        if next == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                let nameOffset = position
                let name = try readName()
                skipWhitespace()
                guard next == UInt8(ascii: "=") else { throw .unexpected(.equals, offset: position) }
                position += 1
                skipWhitespace()
                let value = try readValue()
                pairs.append((LokiLabelPair(name: name, value: value), nameOffset))
                skipWhitespace()
                if next == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                } else if next == UInt8(ascii: "}") {
                    position += 1
                    break
                } else {
                    throw .unexpected(.commaOrClosingBrace, offset: position)
                }
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw .unexpected(.end, offset: position) }
        return pairs
    }

    /// The byte at `position`, or `nil` at the end.
    private var next: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Skips spaces, tabs, carriage returns and newlines.
    private mutating func skipWhitespace() {
        while let byte = next,
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        {
            position += 1
        }
    }

    /// Reads `[a-zA-Z_][a-zA-Z0-9_]*`.
    private mutating func readName() throws(LokiLabelError) -> String {
        let start = position
        guard let first = next, LabelName.isStart(first) else { throw .unexpected(.name, offset: position) }
        position += 1
        while let byte = next, LabelName.isContinuation(byte) { position += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Reads a double-quoted or raw string literal.
    private mutating func readValue() throws(LokiLabelError) -> String {
        let quoteOffset = position
        value.removeAll(keepingCapacity: true)
        switch next {
        case UInt8(ascii: "`"):
            position += 1
            while true {
                guard let byte = next else { throw .unterminatedString(offset: quoteOffset) }
                position += 1
                if byte == UInt8(ascii: "`") { break }
                if byte != UInt8(ascii: "\r") { value.append(byte) }
            }
            return String(decoding: value, as: UTF8.self)
        case UInt8(ascii: "\""):
            position += 1
            var escapedBytes = false
            while true {
                guard let byte = next, byte != UInt8(ascii: "\n") else { throw .unterminatedString(offset: quoteOffset) }
                position += 1
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") {
                    escapedBytes = try readEscape(backslash: position - 1, quoteOffset: quoteOffset) || escapedBytes
                } else {
                    value.append(byte)
                }
            }
            if escapedBytes, value.withUnsafeBytes({ UTF8Validation.firstInvalidOffset($0) }) != nil {
                throw .invalidUTF8(offset: quoteOffset)
            }
            return String(decoding: value, as: UTF8.self)
        default:
            throw .unexpected(.value, offset: position)
        }
    }

    /// Reads the escape after the backslash at `backslash` into `value`; returns whether it
    /// wrote a byte (`\x`, octal) rather than a character.
    private mutating func readEscape(backslash: Int, quoteOffset: Int) throws(LokiLabelError) -> Bool {
        guard let letter = next else { throw .unterminatedString(offset: quoteOffset) }
        position += 1
        switch letter {
        case UInt8(ascii: "a"): value.append(0x07)
        case UInt8(ascii: "b"): value.append(0x08)
        case UInt8(ascii: "f"): value.append(0x0C)
        case UInt8(ascii: "n"): value.append(0x0A)
        case UInt8(ascii: "r"): value.append(0x0D)
        case UInt8(ascii: "t"): value.append(0x09)
        case UInt8(ascii: "v"): value.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(letter)
        case UInt8(ascii: "x"):
            value.append(UInt8(try readDigits(2, base: 16, backslash: backslash, quoteOffset: quoteOffset)))
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            position -= 1
            let code = try readDigits(3, base: 8, backslash: backslash, quoteOffset: quoteOffset)
            guard code <= 0xFF else { throw .invalidEscape(offset: backslash) }
            value.append(UInt8(code))
            return true
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let code = try readDigits(letter == UInt8(ascii: "u") ? 4 : 8, base: 16, backslash: backslash, quoteOffset: quoteOffset)
            guard let scalar = Unicode.Scalar(code) else { throw .invalidEscape(offset: backslash) }
            value.append(contentsOf: String(scalar).utf8)
        default:
            throw .invalidEscape(offset: backslash)
        }
        return false
    }

    /// Reads exactly `count` digits in `base` (8 or 16).
    private mutating func readDigits(_ count: Int, base: UInt32, backslash: Int, quoteOffset: Int) throws(LokiLabelError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<count {
            guard let byte = next else { throw .unterminatedString(offset: quoteOffset) }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .invalidEscape(offset: backslash)
            }
            guard digit < base else { throw .invalidEscape(offset: backslash) }
            code = code * base + digit
            position += 1
        }
        return code
    }
}
