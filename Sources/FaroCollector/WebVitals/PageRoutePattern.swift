/// A page route, such as `/products/:id`, that page paths are matched against to give the
/// `route` label a bounded set of values.
///
/// A pattern is `/` and segments separated by `/`:
/// - a literal segment matches the same bytes (case-sensitive, percent-escapes not decoded);
/// - `:name` matches any one non-empty segment;
/// - `*`, as the last segment only, matches the rest of the path: zero or more segments, so
///   `/docs/*` matches `/docs`, `/docs/` and `/docs/a/b`.
///
/// Empty segments are ignored on both sides, so `/a/` and `/a` are the same path and a pattern
/// `/` matches the root only. The label a matching page gets is the pattern's text.
public struct PageRoutePattern: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// A part of a pattern between slashes.
    enum Segment: Sendable, Hashable {
        /// The same bytes.
        case literal([UInt8])
        /// Any one segment.
        case parameter
        /// The rest of the path, zero or more segments.
        case rest
    }

    /// The pattern as written, which is also the `route` label of the pages it matches.
    public let pattern: String
    /// The segments of the pattern.
    let segments: [Segment]
    /// Whether the pattern starts with `/` and has `*` only as its last segment.
    public let isValid: Bool

    /// Creates a pattern from its text; `WebVitalsHistograms` rejects it if it is not valid.
    public init(_ pattern: String) {
        self.pattern = pattern
        var segments: [Segment] = []
        var valid = pattern.utf8.first == UInt8(ascii: "/")
        for part in pattern.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if case .rest = segments.last { valid = false }
            if part.count == 1, part.first == UInt8(ascii: "*") {
                segments.append(.rest)
            } else if part.first == UInt8(ascii: ":") {
                segments.append(.parameter)
            } else {
                segments.append(.literal(Array(part)))
            }
        }
        self.segments = segments
        self.isValid = valid
    }

    /// Creates a pattern from a string literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The pattern as written.
    public var description: String { pattern }

    /// Whether `path` (a URL path, without query or fragment) matches the pattern.
    public func matches(path: String) -> Bool {
        var path = path
        return path.withUTF8 { matches(path: $0) }
    }

    /// Whether the path bytes match the pattern; allocates nothing.
    func matches(path: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        var position = 0
        var segmentIndex = 0
        while true {
            while position < path.count, path[position] == slash { position += 1 }
            if position == path.count {
                if segmentIndex == segments.count { return true }
                if segmentIndex == segments.count - 1, case .rest = segments[segmentIndex] { return true }
                return false
            }
            guard segmentIndex < segments.count else { return false }
            var end = position
            while end < path.count, path[end] != slash { end += 1 }
            switch segments[segmentIndex] {
            case .rest:
                return true
            case .parameter:
                break
            case .literal(let bytes):
                guard bytes.count == end - position else { return false }
                var offset = 0
                while offset < bytes.count {
                    if bytes[offset] != path[position + offset] { return false }
                    offset += 1
                }
            }
            segmentIndex += 1
            position = end
        }
    }
}
