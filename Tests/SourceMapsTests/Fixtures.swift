import Foundation
import SourceMaps
import TestSupport

/// The shared source map vectors and small helpers for writing maps inline.
enum Fixtures {
    /// `foo.js.map` of `../shared/vectors/sourcemaps`.
    static func fooMap() throws -> [UInt8] {
        [UInt8](try TestEnvironment.sharedFile("vectors/sourcemaps/foo.js.map"))
    }

    /// `foo.js` of `../shared/vectors/sourcemaps`, which ends with its `sourceMappingURL` comment.
    static func fooScript() throws -> [UInt8] {
        [UInt8](try TestEnvironment.sharedFile("vectors/sourcemaps/foo.js"))
    }

    /// The rows of `foo.mappings.tsv`: generated line and column, source, original line and column, name.
    static func fooRows() throws -> [(line: Int, column: Int, expected: OriginalPosition)] {
        let text = String(decoding: try TestEnvironment.sharedFile("vectors/sourcemaps/foo.mappings.tsv"), as: UTF8.self)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { row in
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return (
                Int(fields[0])!, Int(fields[1])!,
                OriginalPosition(source: fields[2], name: fields.count > 5 ? fields[5] : "", line: Int(fields[3])!, column: Int(fields[4])!)
            )
        }
    }

    /// A map with `members` (JSON member text) around `"version":3`.
    static func map(_ members: String) -> String { "{\"version\":3,\(members)}" }

    /// Parses `json`.
    static func parse(_ json: String, url: String = "") throws(SourceMapError) -> SourceMap {
        try SourceMap(json: Array(json.utf8), url: url)
    }

    /// The byte offset of the first `needle` in `haystack`.
    static func offset(of needle: String, in haystack: String) -> Int {
        let bytes = Array(haystack.utf8)
        let pattern = Array(needle.utf8)
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<start + pattern.count]) == pattern {
            return start
        }
        preconditionFailure("\(needle) not in \(haystack)")
    }
}
