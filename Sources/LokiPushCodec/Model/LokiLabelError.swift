/// Why a label set cannot be built or parsed. Offsets count bytes from the start of the parsed text.
public enum LokiLabelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the parser expected where it found something else.
    public enum Expectation: Sendable, Hashable {
        /// `{` at the start.
        case openingBrace
        /// A label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
        case name
        /// `=` after a name (the matchers `!=`, `=~` and `!~` are not labels).
        case equals
        /// A quoted value, `"..."` or `` `...` ``.
        case value
        /// `,` or `}` after a value.
        case commaOrClosingBrace
        /// Nothing after the closing `}` but whitespace.
        case end
    }

    /// A name that is not `[a-zA-Z_][a-zA-Z0-9_]*`.
    case invalidName(String)
    /// A name given twice; `offset` is where the second one starts when parsing, `nil` when building.
    case duplicateName(String, offset: Int?)
    /// No labels at all, or only labels with empty values, which Loki treats as absent.
    case noLabels
    /// Something else than what the syntax allows at `offset`.
    case unexpected(Expectation, offset: Int)
    /// A quoted value with no closing quote, or a raw newline in a double-quoted value; `offset`
    /// is the opening quote.
    case unterminatedString(offset: Int)
    /// A backslash escape that Go string literals do not have, or an octal escape over 255, or
    /// a `\u`/`\U` escape of a surrogate or a value past U+10FFFF; `offset` is the backslash.
    case invalidEscape(offset: Int)
    /// Bytes that are not UTF-8, in the text or made by `\x` and octal escapes; `offset` is the
    /// start of the ill-formed sequence (for escaped bytes, the value's opening quote).
    case invalidUTF8(offset: Int)

    /// A one-line description.
    public var description: String {
        switch self {
        case .invalidName(let name): "loki labels: invalid label name \"\(name)\""
        case .duplicateName(let name, let offset):
            "loki labels: duplicate label name \"\(name)\"" + (offset.map { " at byte \($0)" } ?? "")
        case .noLabels: "loki labels: at least one label with a non-empty value is required"
        case .unexpected(let expectation, let offset): "loki labels: expected \(expectation) at byte \(offset)"
        case .unterminatedString(let offset): "loki labels: unterminated string starting at byte \(offset)"
        case .invalidEscape(let offset): "loki labels: invalid escape at byte \(offset)"
        case .invalidUTF8(let offset): "loki labels: invalid UTF-8 at byte \(offset)"
        }
    }
}

extension LokiLabelError.Expectation: CustomStringConvertible {
    /// What was expected, in words.
    public var description: String {
        switch self {
        case .openingBrace: "'{'"
        case .name: "a label name"
        case .equals: "'='"
        case .value: "a quoted value"
        case .commaOrClosingBrace: "',' or '}'"
        case .end: "the end of the text"
        }
    }
}
