import FaroModel

extension OTLPAnyValue {
    /// The value as pdata's `Value.AsString()` writes it: strings as they are, booleans and integers
    /// in decimal, doubles as `encoding/json` writes them (`json: unsupported value: NaN` for NaN and
    /// infinities), bytes in base64, arrays and key-value lists as the JSON of their `AsRaw()` (keys
    /// sorted, a repeated key's last value; empty when a double in them is not finite), and an empty
    /// value as empty.
    var pdataString: String {
        var out = ContiguousArray<UInt8>()
        switch self {
        case .empty, .stringIndex: return ""
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            guard number.isFinite else {
                return "json: unsupported value: " + (number.isNaN ? "NaN" : number < 0 ? "-Inf" : "+Inf")
            }
            GoNumberFormat.appendJSON(number, to: &out)
        case .bytes(let bytes): bytes.withUnsafeBytes { Base64.append($0, to: &out) }
        case .array, .keyValueList:
            guard appendRawJSON(to: &out) else { return "" }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `json.Marshal` of the value's `AsRaw()`; `false` where `encoding/json` fails (a
    /// double that is not finite).
    private func appendRawJSON(to out: inout ContiguousArray<UInt8>) -> Bool {
        switch self {
        case .empty, .stringIndex: out.append(contentsOf: "null".utf8)
        case .string(let text): GoJSONString.append(text, to: &out)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number):
            guard number.isFinite else { return false }
            GoNumberFormat.appendJSON(number, to: &out)
        case .bytes(let bytes):
            out.append(UInt8(ascii: "\""))
            bytes.withUnsafeBytes { Base64.append($0, to: &out) }
            out.append(UInt8(ascii: "\""))
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard value.appendRawJSON(to: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        case .keyValueList(let pairs):
            // A Go map: the last value of a repeated key, keys sorted by `encoding/json`.
            var last: [String: OTLPAnyValue] = [:]
            for pair in pairs { last[pair.key] = pair.value }
            out.append(UInt8(ascii: "{"))
            for (index, key) in last.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                GoJSONString.append(key, to: &out)
                out.append(UInt8(ascii: ":"))
                guard last[key]!.appendRawJSON(to: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        }
        return true
    }
}
