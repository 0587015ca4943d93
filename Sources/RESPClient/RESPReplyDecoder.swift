public import NIOCore

/// Reads RESP2 replies from the bytes a server sent, one whole reply at a time, within limits
/// that keep a broken or hostile server from exhausting memory.
///
/// As a `ByteToMessageDecoder` it turns a connection's byte stream into `RESPValue`s; `decode(_:)`
/// serves any other reader of RESP. A decoder reads one stream: it remembers how far it has
/// checked a reply that is not complete yet, so that a reply arriving in many reads is scanned
/// once in all (linear time), not from its start on every read, and values are made only once
/// it is complete.
public struct RESPReplyDecoder: ByteToMessageDecoder, Sendable {
    /// The decoded message.
    public typealias InboundOut = RESPValue

    /// The longest bulk string accepted (Redis's own `proto-max-bulk-len` default: 512 MiB).
    public var maximumBulkStringLength: Int
    /// The most elements accepted in one array.
    public var maximumArrayLength: Int
    /// The deepest nesting of arrays accepted.
    public var maximumDepth: Int
    /// The longest simple string, error or integer line accepted.
    public var maximumLineLength: Int
    /// How far the reply at the front of the stream is checked.
    private var progress = Progress()

    /// The check of a reply that is not complete yet, kept between reads.
    private struct Progress {
        /// How many bytes from the reply's start are checked: whole values and array heads.
        var checked = 0
        /// The elements still to come in each array begun and not ended, outermost first.
        var remaining: [Int] = []
    }

    /// A decoder with the given limits.
    public init(
        maximumBulkStringLength: Int = 512 * 1024 * 1024,
        maximumArrayLength: Int = 1 << 24,
        maximumDepth: Int = 64,
        maximumLineLength: Int = 64 * 1024
    ) {
        self.maximumBulkStringLength = maximumBulkStringLength
        self.maximumArrayLength = maximumArrayLength
        self.maximumDepth = maximumDepth
        self.maximumLineLength = maximumLineLength
    }

    /// Takes one whole reply off the front of `buffer`; returns `nil`, and leaves `buffer` as it
    /// was, when the reply is not complete yet. The next call continues the check where this one
    /// stopped: it must get the same bytes again, with more after them.
    public mutating func decode(_ buffer: inout ByteBuffer) throws(RESPProtocolError) -> RESPValue? {
        var cursor = buffer.readerIndex
        let start = cursor
        // Taken out while the check runs (and left empty unless the reply is still incomplete).
        var progress = Progress()
        swap(&progress, &self.progress)
        let decoder = self
        let complete = try buffer.withUnsafeReadableBytes { bytes throws(RESPProtocolError) -> Bool in
            var reader = Reader(bytes: bytes, base: start, buffer: buffer, decoder: decoder)
            return try reader.check(&progress)
        }
        guard complete else {
            self.progress = progress
            return nil
        }
        guard let value = try buffer.withUnsafeReadableBytes({ bytes throws(RESPProtocolError) -> RESPValue? in
            var reader = Reader(bytes: bytes, base: start, buffer: buffer, decoder: self)
            defer { cursor = start + reader.position }
            return try reader.value(depth: 0)
        }) else { return nil }
        buffer.moveReaderIndex(to: cursor)
        return value
    }

    /// `ByteToMessageDecoder`: passes on every complete reply.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try decode(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(value))
        return .continue
    }

    /// `ByteToMessageDecoder`: a reply cut off by the end of the stream is dropped; the handler
    /// after this one fails what waited for it.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// A pass over the readable bytes of one reply.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        /// The reader index of `bytes[0]` in the buffer, for slicing bulk strings out of it.
        let base: Int
        let buffer: ByteBuffer
        let decoder: RESPReplyDecoder
        var position = 0

        init(bytes: UnsafeRawBufferPointer, base: Int, buffer: ByteBuffer, decoder: RESPReplyDecoder) {
            self.bytes = bytes
            self.base = base
            self.buffer = buffer
            self.decoder = decoder
        }

        /// One value at `position`; `nil` when the bytes end before it does.
        mutating func value(depth: Int) throws(RESPProtocolError) -> RESPValue? {
            guard position < bytes.count else { return nil }
            let type = bytes[position]
            let typeOffset = position
            position += 1
            switch type {
            case UInt8(ascii: "+"):
                guard let line = try line() else { return nil }
                return .simpleString(buffer.getSlice(at: base + line.lowerBound, length: line.count)!)
            case UInt8(ascii: "-"):
                guard let line = try line() else { return nil }
                return .error(RedisServerError(line: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[line]), as: UTF8.self)))
            case UInt8(ascii: ":"):
                guard let number = try number() else { return nil }
                return .integer(number)
            case UInt8(ascii: "$"):
                guard case .some(let content) = try bulkString() else { return nil }
                guard let content else { return .bulkString(nil) }
                return .bulkString(buffer.getSlice(at: base + content.lowerBound, length: content.count)!)
            case UInt8(ascii: "*"):
                guard case .some(let length) = try arrayLength(depth: depth, typeOffset: typeOffset) else { return nil }
                guard let length else { return .array(nil) }
                var elements: [RESPValue] = []
                // Reserve no more than the bytes present could hold (three bytes an element at least).
                elements.reserveCapacity(min(length, (bytes.count - position) / 3))
                for _ in 0..<length {
                    guard let element = try value(depth: depth + 1) else { return nil }
                    elements.append(element)
                }
                return .array(elements)
            default:
                throw RESPProtocolError(.unknownType(type), offset: typeOffset)
            }
        }

        /// Steps over the values of a reply from where `progress` stopped, keeping in it how far the
        /// bytes are checked; whether the reply is complete. Throws the error `value(depth:)` would.
        mutating func check(_ progress: inout Progress) throws(RESPProtocolError) -> Bool {
            position = progress.checked
            while position < bytes.count {
                let typeOffset = position
                let type = bytes[position]
                position += 1
                var begunArray = false
                switch type {
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    guard try line() != nil else { return false }
                case UInt8(ascii: ":"):
                    guard try number() != nil else { return false }
                case UInt8(ascii: "$"):
                    guard try bulkString() != nil else { return false }
                case UInt8(ascii: "*"):
                    guard case .some(let length) = try arrayLength(depth: progress.remaining.count, typeOffset: typeOffset) else {
                        return false
                    }
                    if let length, length > 0 {
                        progress.remaining.append(length)
                        begunArray = true
                    }
                default:
                    throw RESPProtocolError(.unknownType(type), offset: typeOffset)
                }
                progress.checked = position
                if begunArray { continue }
                // A value ended: it counts in the innermost array, which may end with it, and so on outwards.
                while let last = progress.remaining.last {
                    if last > 1 {
                        progress.remaining[progress.remaining.count - 1] = last - 1
                        break
                    }
                    progress.remaining.removeLast()
                }
                if progress.remaining.isEmpty { return true }
            }
            return false
        }

        /// A bulk string after its `$`: the range of its content (`.some(nil)` for the null bulk
        /// string), having stepped past it and its CRLF; `nil` when the bytes end before it does.
        mutating func bulkString() throws(RESPProtocolError) -> Range<Int>?? {
            let limit = decoder.maximumBulkStringLength
            guard case .some(let length) = try length(limit: limit, tooLong: .bulkStringTooLong(limit: limit)) else { return nil }
            guard let count = length else { return .some(nil) }
            guard bytes.count - position >= count + 2 else { return nil }
            guard bytes[position + count] == 13, bytes[position + count + 1] == 10 else {
                throw RESPProtocolError(.missingCRLF, offset: position + count)
            }
            position += count + 2
            return .some(position - count - 2..<position - 2)
        }

        /// The length of an array after its `*` (at `typeOffset`), nested `depth` arrays deep:
        /// `.some(nil)` for the null array, `nil` when its line is not complete yet.
        mutating func arrayLength(depth: Int, typeOffset: Int) throws(RESPProtocolError) -> Int?? {
            let limit = decoder.maximumArrayLength
            guard case .some(let length) = try length(limit: limit, tooLong: .arrayTooLong(limit: limit)) else { return nil }
            guard let length else { return .some(nil) }
            guard depth < decoder.maximumDepth else {
                throw RESPProtocolError(.nestingTooDeep(limit: decoder.maximumDepth), offset: typeOffset)
            }
            return .some(length)
        }

        /// The range of a line's content, from `position` to its CRLF, which it steps past.
        mutating func line() throws(RESPProtocolError) -> Range<Int>? {
            let start = position
            let limit = min(bytes.count, start + decoder.maximumLineLength + 1)
            var index = start
            while index < limit {
                if bytes[index] == 13 {
                    guard index + 1 < bytes.count else { return nil }
                    guard bytes[index + 1] == 10 else { throw RESPProtocolError(.missingCRLF, offset: index + 1) }
                    position = index + 2
                    return start..<index
                }
                if bytes[index] == 10 { throw RESPProtocolError(.missingCRLF, offset: index) }
                index += 1
            }
            if limit < bytes.count || index - start > decoder.maximumLineLength {
                throw RESPProtocolError(.lineTooLong(limit: decoder.maximumLineLength), offset: start)
            }
            return nil
        }

        /// The length line of a bulk string or an array: `.some(nil)` for the null marker -1,
        /// `nil` when the line is not complete yet.
        mutating func length(limit: Int, tooLong: RESPProtocolError.Reason) throws(RESPProtocolError) -> Int?? {
            let offset = position
            guard let length = try number() else { return nil }
            if length == -1 { return .some(nil) }
            guard length >= 0 else { throw RESPProtocolError(.negativeLength, offset: offset) }
            guard length <= limit else { throw RESPProtocolError(tooLong, offset: offset) }
            return .some(Int(length))
        }

        /// A signed decimal line.
        mutating func number() throws(RESPProtocolError) -> Int64? {
            let start = position
            guard let line = try line() else { return nil }
            var index = line.lowerBound
            let negative = index < line.upperBound && bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            guard index < line.upperBound else { throw RESPProtocolError(.malformedNumber, offset: start) }
            var magnitude: UInt64 = 0
            while index < line.upperBound {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw RESPProtocolError(.malformedNumber, offset: index) }
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
                guard !overflow1, !overflow2, sum <= UInt64(Int64.max) + (negative ? 1 : 0) else {
                    throw RESPProtocolError(.malformedNumber, offset: start)
                }
                magnitude = sum
                index += 1
            }
            return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
        }
    }
}
