import FaroModel

/// Reads the members of a Source Map v3 object with FaroModel's JSON scanner, as Go's
/// `encoding/json` fills go-sourcemap's struct: member names matched case-insensitively (ASCII),
/// the last of repeated members winning, unknown members skipped, `null` leaving a member at
/// its default, ill-formed UTF-8 replaced by U+FFFD, and any other type mismatch an error.
struct SourceMapJSONReader {
    /// The members a source map consists of.
    struct Fields {
        var version = 0
        var versionOffset = 0
        var file = ""
        var sourceRoot = ""
        var sourceRootOffset = 0
        var sources: [String] = []
        var names: [String] = []
        var mappings = ContiguousArray<UInt8>()
        var mappingsOffset = 0
        /// Where the last `sections` member starts, when it holds at least one section.
        var sectionsOffset: Int?
    }

    private var scanner: JSONScanner
    /// Room for unescaped keys.
    private var key = ContiguousArray<UInt8>()

    /// A reader of `json`.
    init(_ json: UnsafeRawBufferPointer) {
        scanner = JSONScanner(json, invalidUTF8: .replace)
    }

    /// Runs a scanner step, turning its error into a `SourceMapError`.
    @inline(__always)
    private mutating func scan<T>(_ body: (inout JSONScanner) throws(FaroDecodingError) -> T) throws(SourceMapError) -> T {
        do {
            return try body(&scanner)
        } catch {
            throw .invalidJSON(error.reason, offset: error.offset)
        }
    }

    /// The kind of the next value.
    private mutating func peekKind() throws(SourceMapError) -> JSONValueKind {
        try scan { (scanner) throws(FaroDecodingError) in try scanner.peekKind() }
    }

    /// Reads the whole input: one object (or `null`) and nothing after it.
    mutating func read() throws(SourceMapError) -> Fields {
        var fields = Fields()
        let start = scanner.offset
        switch try peekKind() {
        case .null:
            _ = try scan { (scanner) throws(FaroDecodingError) in try scanner.consumeNull() }
        case .object:
            try readObject(into: &fields)
        default:
            throw .typeMismatch(field: "", offset: start)
        }
        guard scanner.isAtEnd() else { throw .invalidJSON(.trailingData, offset: scanner.offset) }
        return fields
    }

    /// The members that go-sourcemap reads.
    private enum Member: CaseIterable {
        case version, file, sourceRoot, sources, sourcesContent, names, mappings, sections

        /// The name, lowercased.
        var lowercasedName: String {
            switch self {
            case .version: "version"
            case .file: "file"
            case .sourceRoot: "sourceroot"
            case .sources: "sources"
            case .sourcesContent: "sourcescontent"
            case .names: "names"
            case .mappings: "mappings"
            case .sections: "sections"
            }
        }

        /// The name as the specification spells it.
        var name: String {
            switch self {
            case .version: "version"
            case .file: "file"
            case .sourceRoot: "sourceRoot"
            case .sources: "sources"
            case .sourcesContent: "sourcesContent"
            case .names: "names"
            case .mappings: "mappings"
            case .sections: "sections"
            }
        }
    }

    /// The member whose name `key` holds, ignoring ASCII case.
    private mutating func member(named key: JSONString) -> Member? {
        self.key.removeAll(keepingCapacity: true)
        scanner.appendContent(of: key, to: &self.key)
        return Member.allCases.first { member in
            member.lowercasedName.utf8.elementsEqual(self.key) { $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }
        }
    }

    /// Reads the members of the object that comes next.
    private mutating func readObject(into fields: inout Fields) throws(SourceMapError) {
        try scan { (scanner) throws(FaroDecodingError) in try scanner.beginObject() }
        var first = true
        while let key = try scan({ (scanner) throws(FaroDecodingError) in try scanner.nextMember(first: &first) }) {
            guard let member = member(named: key) else {
                try scan { (scanner) throws(FaroDecodingError) in try scanner.skipValue() }
                continue
            }
            let offset = try scan { (scanner) throws(FaroDecodingError) in
                _ = try scanner.peek()
                return scanner.offset
            }
            if try scan({ (scanner) throws(FaroDecodingError) in try scanner.consumeNull() }) {
                // `null` sets a slice to nil and leaves a string or an int as it was.
                if member == .sources { fields.sources = [] }
                if member == .names { fields.names = [] }
                if member == .sections { fields.sectionsOffset = nil }
                continue
            }
            switch member {
            case .version:
                fields.version = try readVersion(at: offset)
                fields.versionOffset = offset
            case .file: fields.file = try readString(member)
            case .sourceRoot:
                fields.sourceRoot = try readString(member)
                fields.sourceRootOffset = offset
            case .sources: fields.sources = try readStrings(member)
            case .sourcesContent: _ = try readStrings(member)
            case .names: fields.names = try readNames()
            case .mappings:
                guard try peekKind() == .string else { throw .typeMismatch(field: member.name, offset: offset) }
                let string = try scan { (scanner) throws(FaroDecodingError) in try scanner.scanString() }
                fields.mappings.removeAll(keepingCapacity: true)
                scanner.appendContent(of: string, to: &fields.mappings)
                fields.mappingsOffset = offset
            case .sections:
                guard try peekKind() == .array else { throw .typeMismatch(field: member.name, offset: offset) }
                try scan { (scanner) throws(FaroDecodingError) in try scanner.beginArray() }
                // A later `sections` (empty, or `null`) replaces this one, as Go refills a slice.
                fields.sectionsOffset = nil
                var firstSection = true
                while try scan({ (scanner) throws(FaroDecodingError) in try scanner.nextElement(first: &firstSection) }) {
                    fields.sectionsOffset = offset
                    try scan { (scanner) throws(FaroDecodingError) in try scanner.skipValue() }
                }
            }
        }
        guard fields.version == 0 || fields.version == 3 else {
            throw .unsupportedVersion(fields.version, offset: fields.versionOffset)
        }
        if let offset = fields.sectionsOffset { throw .indexMapUnsupported(offset: offset) }
    }

    /// Reads `version`, which starts at `offset`, as Go reads an `int`: an integer literal that fits in 64 bits.
    private mutating func readVersion(at offset: Int) throws(SourceMapError) -> Int {
        guard try peekKind() == .number else { throw .typeMismatch(field: Member.version.name, offset: offset) }
        let digits = try scan { (scanner) throws(FaroDecodingError) in try scanner.scanNumber() }
        let negative = digits.first == UInt8(ascii: "-")
        var value = 0
        for byte in digits.dropFirst(negative ? 1 : 0) {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw .invalidVersion(offset: offset) }
            let digit = Int(byte - UInt8(ascii: "0"))
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAgain) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflow && !overflowAgain else { throw .invalidVersion(offset: offset) }
            value = sum
        }
        return value
    }

    /// Reads a string member.
    private mutating func readString(_ member: Member) throws(SourceMapError) -> String {
        let offset = scanner.offset
        guard try peekKind() == .string else { throw .typeMismatch(field: member.name, offset: offset) }
        let string = try scan { (scanner) throws(FaroDecodingError) in try scanner.scanString() }
        return scanner.string(string)
    }

    /// Reads an array of strings, where `null` elements stand for empty strings.
    private mutating func readStrings(_ member: Member) throws(SourceMapError) -> [String] {
        guard try peekKind() == .array else { throw .typeMismatch(field: member.name, offset: scanner.offset) }
        try scan { (scanner) throws(FaroDecodingError) in try scanner.beginArray() }
        var strings: [String] = []
        var first = true
        while try scan({ (scanner) throws(FaroDecodingError) in try scanner.nextElement(first: &first) }) {
            if try scan({ (scanner) throws(FaroDecodingError) in try scanner.consumeNull() }) {
                strings.append("")
            } else {
                strings.append(try readString(member))
            }
        }
        return strings
    }

    /// Reads `names`: strings unescaped, any other value as its JSON text (go-sourcemap keeps each
    /// name as raw JSON and unquotes only strings).
    private mutating func readNames() throws(SourceMapError) -> [String] {
        guard try peekKind() == .array else { throw .typeMismatch(field: Member.names.name, offset: scanner.offset) }
        try scan { (scanner) throws(FaroDecodingError) in try scanner.beginArray() }
        var names: [String] = []
        var first = true
        while try scan({ (scanner) throws(FaroDecodingError) in try scanner.nextElement(first: &first) }) {
            if try peekKind() == .string {
                names.append(try readString(.names))
            } else {
                let start = scanner.offset
                try scan { (scanner) throws(FaroDecodingError) in try scanner.skipValue() }
                names.append(String(decoding: UnsafeRawBufferPointer(rebasing: scanner.input[start..<scanner.offset]), as: UTF8.self))
            }
        }
        return names
    }
}
