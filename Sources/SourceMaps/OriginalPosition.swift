/// Where a generated position came from, as go-sourcemap's `Source` reports it.
public struct OriginalPosition: Sendable, Hashable {
    /// The original source, resolved against `sourceRoot` or the map's URL as go-sourcemap does;
    /// empty when the segment names no source.
    public var source: String
    /// The original name, empty when the segment names none.
    public var name: String
    /// The original line, 1-based.
    public var line: Int
    /// The original column, 0-based.
    public var column: Int

    /// Creates a position.
    public init(source: String, name: String, line: Int, column: Int) {
        self.source = source
        self.name = name
        self.line = line
        self.column = column
    }
}
