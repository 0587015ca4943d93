/// The escaping of the Prometheus text exposition format 0.0.4.
///
/// Label values escape backslash, double quote and line feed (`\\`, `\"`, `\n`); `# HELP`
/// text escapes backslash and line feed only. Every other byte, UTF-8 included, is copied.
enum PrometheusTextEscaping {
    /// Appends `value` as the inside of a quoted label value.
    static func appendLabelValue(_ value: String, to output: inout ContiguousArray<UInt8>) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\n"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: output.append(byte)
            }
        }
    }

    /// Appends `text` as the docstring of a `# HELP` line.
    static func appendHelp(_ text: String, to output: inout ContiguousArray<UInt8>) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: output.append(byte)
            }
        }
    }
}
