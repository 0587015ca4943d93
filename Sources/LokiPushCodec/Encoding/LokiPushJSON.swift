import FaroModel

/// The JSON push format: `{"streams":[{"stream":{"name":"value"},"values":[["<ns>","<line>"],
/// ["<ns>","<line>",{"name":"value"}]]}]}`, the third element of a value only when the entry
/// has structured metadata. Strings are escaped as Go's `encoding/json` escapes them.
enum LokiPushJSON {
    /// Appends the JSON body of `batch` to `out`.
    static func append(_ batch: LokiBatch, to out: inout ContiguousArray<UInt8>) {
        out.reserveCapacity(out.count + batch.bytes.count + batch.bytes.count / 8 + 48 * batch.entryCount + 64)
        appendStatic(#"{"streams":["#, to: &out)
        var firstStream = true
        batch.bytes.withUnsafeBytes { bytes in
            for stream in batch.streamRecords where stream.count > 0 {
                if !firstStream { out.append(UInt8(ascii: ",")) }
                firstStream = false
                appendStatic(#"{"stream":{"#, to: &out)
                for (index, pair) in stream.labels.pairs.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    appendMember(pair.name, pair.value, to: &out)
                }
                appendStatic(#"},"values":["#, to: &out)
                var firstEntry = true
                batch.forEachEntry(of: stream) { entry in
                    if !firstEntry { out.append(UInt8(ascii: ",")) }
                    firstEntry = false
                    appendStatic(#"[""#, to: &out)
                    appendUnixNanoseconds(entry.timestamp, to: &out)
                    appendStatic(#"","#, to: &out)
                    GoJSONString.append(UnsafeRawBufferPointer(rebasing: bytes[entry.line]), to: &out)
                    if !entry.metadata.isEmpty {
                        appendStatic(",{", to: &out)
                        for index in entry.metadata {
                            if index > entry.metadata.lowerBound { out.append(UInt8(ascii: ",")) }
                            let pair = batch.metadataRecords[index]
                            GoJSONString.append(UnsafeRawBufferPointer(rebasing: bytes[pair.name]), to: &out)
                            out.append(UInt8(ascii: ":"))
                            GoJSONString.append(UnsafeRawBufferPointer(rebasing: bytes[pair.value]), to: &out)
                        }
                        out.append(UInt8(ascii: "}"))
                    }
                    out.append(UInt8(ascii: "]"))
                }
                appendStatic("]}", to: &out)
            }
        }
        appendStatic("]}", to: &out)
    }

    /// Appends `"name":"value"`.
    private static func appendMember(_ name: String, _ value: String, to out: inout ContiguousArray<UInt8>) {
        var name = name
        var value = value
        name.withUTF8 { GoJSONString.append(UnsafeRawBufferPointer($0), to: &out) }
        out.append(UInt8(ascii: ":"))
        value.withUTF8 { GoJSONString.append(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends the bytes of a literal.
    @inline(__always)
    private static func appendStatic(_ text: StaticString, to out: inout ContiguousArray<UInt8>) {
        out.append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends the timestamp as decimal Unix nanoseconds, exactly also beyond the range of an
    /// `Int64` (Loki's own parser then refuses it, as it refuses such a time in any format).
    static func appendUnixNanoseconds(_ timestamp: LokiTimestamp, to out: inout ContiguousArray<UInt8>) {
        let seconds = timestamp.seconds
        let nanoseconds = Int64(timestamp.nanoseconds)
        // The value is high * 10^9 + low in magnitude, with 0 <= low < 10^9.
        let (negative, high, low): (Bool, UInt64, Int64)
        if seconds >= 0 {
            (negative, high, low) = (false, UInt64(seconds), nanoseconds)
        } else if nanoseconds == 0 {
            (negative, high, low) = (true, seconds.magnitude, 0)
        } else {
            (negative, high, low) = (true, seconds.magnitude - 1, 1_000_000_000 - nanoseconds)
        }
        if negative { out.append(UInt8(ascii: "-")) }
        if high == 0 {
            appendDecimal(UInt64(low), minimumDigits: 1, to: &out)
        } else {
            appendDecimal(high, minimumDigits: 1, to: &out)
            appendDecimal(UInt64(low), minimumDigits: 9, to: &out)
        }
    }

    /// Appends `value` in decimal, padded with zeros to `minimumDigits`.
    private static func appendDecimal(_ value: UInt64, minimumDigits: Int, to out: inout ContiguousArray<UInt8>) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var position = buffer.count
            var rest = value
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0 || buffer.count - position < minimumDigits
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position...]))
        }
    }
}
