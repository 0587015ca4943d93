/// Go's `path.Clean`, `path.Join` and `path.Dir` (slash-separated paths, as `path/filepath`
/// also behaves on Unix), which go-sourcemap and Alloy use to build source names and file paths.
enum GoPath {
    /// The shortest path equivalent to `path`: repeated slashes, `.` and `..` elements resolved
    /// lexically; `.` for an empty result.
    static func clean(_ path: String) -> String {
        let input = Array(path.utf8)
        if input.isEmpty { return "." }
        let rooted = input[0] == UInt8(ascii: "/")
        let count = input.count
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var read = 0
        var dotdot = 0
        if rooted {
            out.append(UInt8(ascii: "/"))
            read = 1
            dotdot = 1
        }
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        while read < count {
            if input[read] == slash {
                read += 1
            } else if input[read] == dot && (read + 1 == count || input[read + 1] == slash) {
                read += 1
            } else if input[read] == dot && input[read + 1] == dot && (read + 2 == count || input[read + 2] == slash) {
                read += 2
                if out.count > dotdot {
                    // Back to the slash before the last element, or to `dotdot`.
                    var end = out.count - 1
                    while end > dotdot && out[end] != slash { end -= 1 }
                    out.removeSubrange(end...)
                } else if !rooted {
                    if !out.isEmpty { out.append(slash) }
                    out.append(dot)
                    out.append(dot)
                    dotdot = out.count
                }
            } else {
                if rooted && out.count != 1 || !rooted && !out.isEmpty { out.append(slash) }
                while read < count && input[read] != slash {
                    out.append(input[read])
                    read += 1
                }
            }
        }
        if out.isEmpty { return "." }
        return String(decoding: out, as: UTF8.self)
    }

    /// The non-empty `elements` joined with slashes and cleaned; empty when all are empty.
    static func join(_ elements: [String]) -> String {
        var joined = ""
        for element in elements where !element.isEmpty {
            if !joined.isEmpty { joined += "/" }
            joined += element
        }
        return joined.isEmpty ? "" : clean(joined)
    }

    /// All but the last element of `path`, cleaned (`.` when there is no slash).
    static func dir(_ path: String) -> String {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return clean("") }
        return clean(String(decoding: bytes[...slash], as: UTF8.self))
    }
}
