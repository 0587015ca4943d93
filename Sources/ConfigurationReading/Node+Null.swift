import Yams

extension Node {
    /// Whether this is a YAML null: a plain `~`, `null`, `Null`, `NULL` or nothing at all
    /// (`api_key:` with no value), as the YAML 1.2 core schema resolves it. A quoted `"~"` or
    /// `'null'`, or one tagged `!!str`, is text.
    var isNull: Bool { tag.rawValue == Tag.Name.null.rawValue }
}
