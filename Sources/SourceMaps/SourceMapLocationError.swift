/// Why a local source map location cannot be used.
public enum SourceMapLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path holds a template action other than `{{ .Release }}`, or an unclosed `{{`,
    /// at this byte offset.
    case unsupportedTemplate(path: String, offset: Int)

    /// A short reason.
    public var description: String {
        switch self {
        case .unsupportedTemplate(let path, let offset): "unsupported template action at offset \(offset) of \(path)"
        }
    }
}
