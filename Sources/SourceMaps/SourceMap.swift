/// A parsed Source Map v3 (a plain map; index maps are refused), ready for lookups.
///
/// It reads what go-sourcemap 2.1.4 (the library of Alloy's `faro.receiver`) reads, and answers
/// lookups as its `Consumer.Source` does, so that frames resolved with it are byte for byte those
/// Alloy writes. `sourcesContent` is checked but not kept: resolving frames never reads it.
public struct SourceMap: Sendable {
    /// The default size limit, 64 MiB.
    public static let defaultMaxBytes = 64 << 20

    /// `file`: the generated file's name, empty when absent.
    public let file: String
    /// `sourceRoot`, as written, empty when absent.
    public let sourceRoot: String
    /// `sources`, each resolved as go-sourcemap resolves it: kept when absolute (a leading `/` or a
    /// URL with a scheme), else joined to an absolute `sourceRoot`, or to the directory of an
    /// absolute map URL when `sourceRoot` is empty, or (path-joined) to a relative `sourceRoot`.
    public let sources: [String]
    /// `names`: each string unescaped; any other JSON value as its JSON text, as go-sourcemap reads it.
    public let names: [String]
    /// The decoded `mappings`.
    public let mappings: MappingTable

    /// Parses a source map.
    ///
    /// - Parameters:
    ///   - json: the map's bytes.
    ///   - url: the URL it stands for, against which relative sources resolve when `sourceRoot` is
    ///     empty. Alloy passes the script's URL for maps read from disk, and the map's URL for
    ///     downloaded ones. Empty: none.
    ///   - maxBytes: the size limit.
    public init(json: UnsafeRawBufferPointer, url: String = "", maxBytes: Int = SourceMap.defaultMaxBytes) throws(SourceMapError) {
        guard json.count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
        var reader = SourceMapJSONReader(json)
        let fields = try reader.read()
        let resolver = try SourceResolver(sourceRoot: fields.sourceRoot, sourceRootOffset: fields.sourceRootOffset, mapURL: url)
        file = fields.file
        sourceRoot = fields.sourceRoot
        sources = fields.sources.map(resolver.resolve)
        names = fields.names
        guard !fields.mappings.isEmpty else { throw .emptyMappings(offset: fields.mappingsOffset) }
        let decoded = fields.mappings.withUnsafeBytes { bytes in
            Result { () throws(SourceMapError) in try MappingTable(decoding: bytes, sourceCount: fields.sources.count) }
        }
        mappings = try decoded.get()
    }

    /// Parses a source map from `json`; see `init(json:url:maxBytes:)`.
    public init(json: [UInt8], url: String = "", maxBytes: Int = SourceMap.defaultMaxBytes) throws(SourceMapError) {
        let parsed = json.withUnsafeBytes { bytes in
            Result { () throws(SourceMapError) in try SourceMap(json: bytes, url: url, maxBytes: maxBytes) }
        }
        self = try parsed.get()
    }

    /// The original position of the generated `line` (1-based) and `column` (0-based), as
    /// go-sourcemap's `Source(line, column)` finds it (see `MappingTable.segment(line:column:)`),
    /// or `nil` where it finds none (and for lines below 1).
    public func originalPosition(line: Int, column: Int) -> OriginalPosition? {
        guard line > 0, let segment = mappings.segment(line: line, column: column) else { return nil }
        let sourceIndex = Int(mappings.sourceIndex(segment))
        let nameIndex = Int(mappings.nameIndex(segment))
        return OriginalPosition(
            source: sourceIndex >= 0 ? sources[sourceIndex] : "",
            name: nameIndex >= 0 && nameIndex < names.count ? names[nameIndex] : "",
            line: Int(mappings.originalLine(segment)),
            column: Int(mappings.originalColumn(segment)))
    }
}
