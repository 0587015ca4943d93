extension SpoolSegmentID {
    /// The name of the segment's file in the spool's directory: the sequence number as 16
    /// lowercase hex digits, then `.seg`.
    var fileName: String { description + ".seg" }

    /// The identity a segment file name stands for, or nil when `fileName` is not exactly 16
    /// lowercase hex digits followed by `.seg` (the spool leaves such files alone).
    init?(fileName: String) {
        let bytes = Array(fileName.utf8)
        guard bytes.count == 20, bytes[16...].elementsEqual(".seg".utf8) else { return nil }
        var sequence: UInt64 = 0
        for byte in bytes[..<16] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sequence = sequence << 4 | UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): sequence = sequence << 4 | UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        self.init(sequence: sequence)
    }
}
