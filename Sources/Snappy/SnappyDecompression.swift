extension Snappy {
    /// Bytes of capacity reserved past the declared length, so that short literals and copies
    /// can be moved eight or sixteen bytes at a time without a bounds check per byte.
    static let decompressionSlack = 16

    /// Decompresses the block in `input` and appends its bytes to `output`.
    ///
    /// The declared length is checked against `maximumLength` before anything is reserved, and
    /// every element is validated: its tag bytes and literal bytes must be inside the input,
    /// a copy's offset must be 1 to the number of bytes written so far, and no element may
    /// write past the declared length, which the output must reach exactly. On any error
    /// `output` is left as it was (its capacity may have grown), and the error says where.
    ///
    /// - Parameter maximumLength: the most uncompressed bytes to accept (the caller's body
    ///   limit); a block that declares more is refused without allocating.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout ContiguousArray<UInt8>, maximumLength: Int
    ) throws(SnappyError) {
        let (length, headerLength) = try SnappyVarint.read(input)
        guard length <= maximumLength else { throw .lengthOverLimit(length: length, limit: maximumLength) }
        var failure: SnappyError? = nil
        output.append(addingCapacity: length + decompressionSlack) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                precondition(buffer.count >= length + decompressionSlack)
                do throws(SnappyError) {
                    try decodeElements(
                        input, from: headerLength, into: UnsafeMutableRawPointer(buffer.baseAddress!), length: length,
                        capacity: buffer.count)
                    initialized = length
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
    }

    /// Decompresses `input` into `output` (see the overload on a buffer).
    public static func decompress(
        _ input: some Collection<UInt8>, into output: inout ContiguousArray<UInt8>, maximumLength: Int
    ) throws(SnappyError) {
        try withBytes(of: input) { (raw) throws(SnappyError) in
            try decompress(raw, into: &output, maximumLength: maximumLength)
        }
    }

    /// Decodes the elements of `input` from `start` into `output`, which has room for
    /// `capacity` bytes, `length + decompressionSlack` or more.
    static func decodeElements(
        _ input: UnsafeRawBufferPointer, from start: Int, into output: UnsafeMutableRawPointer, length: Int, capacity: Int
    ) throws(SnappyError) {
        let end = input.count
        var ip = start
        var op = 0
        guard ip < end else {
            if length == 0 { return }
            throw .outputTooShort(offset: end, expected: length, produced: 0)
        }
        let source = input.baseAddress!
        @inline(__always) func byte(_ offset: Int) -> Int { Int(source.load(fromByteOffset: offset, as: UInt8.self)) }

        while ip < end {
            let tagOffset = ip
            let tag = byte(ip)
            ip += 1
            switch tag & 3 {
            case 0:
                var literalLength = tag &>> 2 + 1
                if literalLength > 60 {
                    let extra = literalLength - 60  // 1 to 4 bytes of length - 1
                    guard end - ip >= extra else { throw .truncatedElement(offset: tagOffset) }
                    var value = 0
                    for index in 0..<extra { value |= byte(ip + index) &<< (8 * index) }
                    ip += extra
                    literalLength = value + 1
                }
                guard literalLength <= length - op else { throw .outputOverrun(offset: tagOffset) }
                guard literalLength <= end - ip else { throw .truncatedLiteral(offset: tagOffset) }
                if literalLength <= 16 && end - ip >= 16 {
                    // Room is there: op + 16 <= length + slack <= capacity.
                    let first = source.loadUnaligned(fromByteOffset: ip, as: UInt64.self)
                    let second = source.loadUnaligned(fromByteOffset: ip + 8, as: UInt64.self)
                    output.storeBytes(of: first, toByteOffset: op, as: UInt64.self)
                    output.storeBytes(of: second, toByteOffset: op + 8, as: UInt64.self)
                } else {
                    (output + op).copyMemory(from: source + ip, byteCount: literalLength)
                }
                op += literalLength
                ip += literalLength
            case 1:
                guard ip < end else { throw .truncatedElement(offset: tagOffset) }
                let copyLength = 4 + (tag &>> 2) & 7
                let offset = (tag &>> 5) &<< 8 | byte(ip)
                ip += 1
                try copy(output, at: &op, offset: offset, length: copyLength, limit: length, tagOffset: tagOffset)
            case 2:
                guard end - ip >= 2 else { throw .truncatedElement(offset: tagOffset) }
                let offset = byte(ip) | byte(ip + 1) &<< 8
                ip += 2
                try copy(output, at: &op, offset: offset, length: tag &>> 2 + 1, limit: length, tagOffset: tagOffset)
            default:
                guard end - ip >= 4 else { throw .truncatedElement(offset: tagOffset) }
                let offset = byte(ip) | byte(ip + 1) &<< 8 | byte(ip + 2) &<< 16 | byte(ip + 3) &<< 24
                ip += 4
                try copy(output, at: &op, offset: offset, length: tag &>> 2 + 1, limit: length, tagOffset: tagOffset)
            }
        }
        guard op == length else { throw .outputTooShort(offset: end, expected: length, produced: op) }
    }

    /// Copies `length` bytes from `offset` bytes back in `output` to `op`, after checking the
    /// offset and the room left. It moves sixteen bytes at a time when the offset is 16 or more,
    /// eight otherwise, first widening an offset under 8 by copying the pattern onto itself; the
    /// last store may overshoot the copy's end into the slack.
    @inline(__always)
    static func copy(
        _ output: UnsafeMutableRawPointer, at op: inout Int, offset: Int, length: Int, limit: Int, tagOffset: Int
    ) throws(SnappyError) {
        guard offset != 0 else { throw .zeroCopyOffset(offset: tagOffset) }
        guard offset <= op else { throw .copyOffsetBeyondOutput(offset: tagOffset, copyOffset: offset, produced: op) }
        guard length <= limit - op else { throw .outputOverrun(offset: tagOffset) }
        // length <= 64 and op + length <= limit, so op + length + 16 <= capacity: the stores
        // below overshoot the copy's end by at most 15 bytes, into bytes later elements write.
        var from = op - offset
        var to = op
        var remaining = length
        if offset >= 16 {
            // The usual case: sixteen bytes at a time, the source never overlapping what a store writes.
            while remaining > 0 {
                let chunk = output.loadUnaligned(fromByteOffset: from, as: SIMD16<UInt8>.self)
                output.storeBytes(of: chunk, toByteOffset: to, as: SIMD16<UInt8>.self)
                from += 16
                to += 16
                remaining -= 16
            }
            op += length
            return
        }
        while to - from < 8 {
            let pattern = output.loadUnaligned(fromByteOffset: from, as: UInt64.self)
            output.storeBytes(of: pattern, toByteOffset: to, as: UInt64.self)
            let distance = to - from
            remaining -= distance
            to += distance
            if remaining <= 0 {
                op += length
                return
            }
        }
        while remaining > 0 {
            output.storeBytes(of: output.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
            from += 8
            to += 8
            remaining -= 8
        }
        op += length
    }
}
