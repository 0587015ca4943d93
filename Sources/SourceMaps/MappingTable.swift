/// The decoded `mappings` of a source map: one segment per generated position, six `Int32` each
/// in one flat array, in the order `mappings` lists them (generated line ascending; within a line,
/// the generated column order the map gives, ascending in every well-formed map).
///
/// Decoding follows go-sourcemap (the library Alloy uses) exactly: the generated line counts from
/// 1 and the original line from 1; the source, original line, original column and name carry on
/// from segment to segment across lines; a one-field segment keeps the source, original line and
/// column of the segment before it (source 0, line 1, column 0 at the start); a segment without a
/// fifth field has no name; fields past the fifth start again at the generated column.
public struct MappingTable: Sendable, Hashable {
    /// The fields of a segment, in the order of `storage`.
    @usableFromInline static let stride = 6

    /// Each segment's generated line (1-based), generated column (0-based), source index,
    /// original line (1-based), original column (0-based) and name index (`-1` for none).
    @usableFromInline var storage: ContiguousArray<Int32>

    /// How many segments there are.
    public var count: Int { storage.count / MappingTable.stride }

    /// Decodes `mappings`; each segment's source index must be below `sourceCount`.
    /// Errors carry offsets into `mappings`.
    public init(decoding mappings: UnsafeRawBufferPointer, sourceCount: Int) throws(SourceMapError) {
        var separators = 0
        for byte in mappings where byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") { separators &+= 1 }
        storage = []
        // Each segment takes a digit and a separator at least: no more than half the text's bytes.
        storage.reserveCapacity(min(separators + 1, (mappings.count + 1) / 2) * MappingTable.stride)

        var generatedLine: Int32 = 1
        var generatedColumn: Int32 = 0
        var source: Int32 = 0
        var originalLine: Int32 = 1
        var originalColumn: Int32 = 0
        var name: Int32 = 0
        var field = 0
        var hasValue = false
        var hasName = false
        var segmentStart = 0
        var offset = 0

        func push() throws(SourceMapError) {
            guard hasValue else { return }
            if source >= sourceCount { throw .sourceIndexOutOfRange(source, offset: segmentStart) }
            storage.append(generatedLine)
            storage.append(generatedColumn)
            storage.append(source)
            storage.append(originalLine)
            storage.append(originalColumn)
            storage.append(hasName ? name : -1)
            hasValue = false
            hasName = false
        }

        while offset < mappings.count {
            switch mappings[offset] {
            case UInt8(ascii: ","):
                try push()
                field = 0
                offset &+= 1
                segmentStart = offset
            case UInt8(ascii: ";"):
                try push()
                generatedLine &+= 1
                generatedColumn = 0
                field = 0
                offset &+= 1
                segmentStart = offset
            default:
                let value = try Base64VLQ.decode(mappings, at: &offset)
                switch field {
                case 0: generatedColumn &+= value
                case 1: source &+= value
                case 2: originalLine &+= value
                case 3: originalColumn &+= value
                default:
                    name &+= value
                    hasName = true
                }
                field = field == 4 ? 0 : field &+ 1
                hasValue = true
            }
        }
        try push()
    }

    /// The generated line (1-based) of segment `index`.
    @inlinable public func generatedLine(_ index: Int) -> Int32 { storage[index &* MappingTable.stride] }
    /// The generated column (0-based) of segment `index`.
    @inlinable public func generatedColumn(_ index: Int) -> Int32 { storage[index &* MappingTable.stride &+ 1] }
    /// The source index of segment `index` (negative: no source).
    @inlinable public func sourceIndex(_ index: Int) -> Int32 { storage[index &* MappingTable.stride &+ 2] }
    /// The original line (1-based) of segment `index`.
    @inlinable public func originalLine(_ index: Int) -> Int32 { storage[index &* MappingTable.stride &+ 3] }
    /// The original column (0-based) of segment `index`.
    @inlinable public func originalColumn(_ index: Int) -> Int32 { storage[index &* MappingTable.stride &+ 4] }
    /// The name index of segment `index` (negative: no name).
    @inlinable public func nameIndex(_ index: Int) -> Int32 { storage[index &* MappingTable.stride &+ 5] }

    /// The segment that go-sourcemap's `Source` picks for a generated `line` (1-based) and
    /// `column` (0-based), or `nil` when it finds none.
    ///
    /// It binary-searches for the first segment at or after the position. A segment exactly at
    /// the position wins; otherwise the segment just before the one found: the last one at or
    /// before the column on the same line, or, when the line has no segment at or before the column
    /// (a column before the line's first segment, or a line without segments), the last segment of
    /// an earlier line. Before the very first segment there is none; past the last segment only
    /// positions on the last segment's own line find it.
    public func segment(line: Int, column: Int) -> Int? {
        let count = self.count
        guard count > 0 else { return nil }
        // sort.Search, as Go writes it.
        var low = 0
        var high = count
        while low < high {
            let middle = Int(UInt(bitPattern: low &+ high) >> 1)
            let middleLine = Int(generatedLine(middle))
            let isAtOrAfter = middleLine == line ? Int(generatedColumn(middle)) >= column : middleLine >= line
            if isAtOrAfter { high = middle } else { low = middle &+ 1 }
        }
        if low == count {
            return Int(generatedLine(count &- 1)) == line ? count &- 1 : nil
        }
        if Int(generatedLine(low)) > line || Int(generatedColumn(low)) > column {
            return low == 0 ? nil : low &- 1
        }
        return low
    }
}
