public import FaroModel

/// Encodes payloads into log lines the way a collector's hot loop does: one encoder, one
/// buffer and one array of line records, reused and cleared (keeping their capacity) before
/// each payload. After the first payloads warm them up, encoding allocates nothing.
public struct LineEncodingWorkload {
    /// The reused encoder.
    private var encoder: FaroLogLineEncoder
    /// The reused line buffer.
    public private(set) var buffer = ContiguousArray<UInt8>()
    /// The reused line records.
    public private(set) var lines: [FaroLogLine] = []

    /// Creates a workload for `format`.
    public init(format: FaroLogFormat) {
        encoder = FaroLogLineEncoder(format: format)
    }

    /// Clears the buffer and the lines, keeping their capacity, and encodes `payload`.
    /// Returns the number of lines written.
    @discardableResult
    public mutating func encode(_ payload: FaroPayload) -> Int {
        buffer.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        encoder.encode(payload, into: &buffer, lines: &lines)
        return lines.count
    }
}
