/// Writes one log line from the key-value pairs of an Alloy `KeyVal`, for callers outside the
/// Faro item encoder (OTLPCodec's span lines): Go ordered-map semantics (a repeated key keeps its
/// first place and takes its last value), then go-logfmt or `encoding/json` of a map (keys sorted).
package enum AlloyKeyValLine {
    /// Appends the line of `pairs` in `format`; returns `false`, having appended nothing, when a
    /// logfmt key is empty once cleaned (go-logfmt's `ErrInvalidKey`, on which Alloy drops a line).
    package static func append(
        _ pairs: [(key: String, value: String)], format: FaroLogFormat, to out: inout ContiguousArray<UInt8>
    ) -> Bool {
        var merged: [(key: String, value: String)] = []
        var positions: [String: Int] = [:]
        for pair in pairs {
            if let position = positions[pair.key] {
                merged[position].value = pair.value
            } else {
                positions[pair.key] = merged.count
                merged.append(pair)
            }
        }
        let start = out.count
        switch format {
        case .logfmt:
            for (index, pair) in merged.enumerated() {
                if index > 0 { out.append(UInt8(ascii: " ")) }
                var key = pair.key
                var value = pair.value
                guard key.withUTF8({ Logfmt.appendKey(UnsafeRawBufferPointer($0), to: &out) }) else {
                    out.removeSubrange(start...)
                    return false
                }
                out.append(UInt8(ascii: "="))
                value.withUTF8 { Logfmt.appendValue(UnsafeRawBufferPointer($0), to: &out) }
            }
        case .json:
            out.append(UInt8(ascii: "{"))
            for (index, pair) in merged.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                GoJSONString.append(pair.key, to: &out)
                out.append(UInt8(ascii: ":"))
                GoJSONString.append(pair.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        return true
    }
}
