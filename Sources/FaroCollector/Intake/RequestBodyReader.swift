import CZlib

/// Reads one request body at a time, chunk by chunk, into a buffer it owns, inflating gzip and
/// deflate bodies and enforcing `max_allowed_payload_size` on both the bytes read and the bytes
/// inflated.
///
/// Made for an event loop: one reader per connection, reused for every request on it.
///
/// ```swift
/// reader.begin(coding: try ContentCoding(headerValue: head.headers.first(name: "Content-Encoding")),
///              limit: config.maxAllowedPayloadSize)
/// // for each body part:
/// try buffer.withUnsafeReadableBytes { try reader.append($0) }
/// // at the end of the request:
/// try reader.finish()
/// let payload = try decoder.decode(reader.body)
/// // once the body is used (or refused):
/// reader.release()
/// ```
///
/// - The limit is exact: a body of exactly `limit` decoded (and read) bytes is accepted, one byte more
///   is rejected as soon as it is produced; the rest of a compression bomb is never inflated. The
///   body buffer never grows beyond `limit + 1` bytes of room.
/// - gzip accepts concatenated members, like Go's `gzip.Reader` in its default multistream mode.
///   Bytes after a member that do not start with the gzip magic byte are ``BodyReadError/trailingData(offset:)``.
/// - deflate accepts zlib-wrapped (RFC 1950) and raw (RFC 1951) streams, told apart by the first two
///   bytes the way browsers and curl do: a valid zlib header (method 8, window ≤ 32 KiB, header
///   checksum divisible by 31) means zlib-wrapped.
/// - Work is linear in the body; in the steady state nothing is allocated per chunk or per request:
///   a compressed body takes a `z_stream` from the reader's ``InflateStreamPool`` (shared by the
///   readers of an event loop) and gives it back when it is done, and the body buffer keeps its
///   capacity up to `retainedCapacity`. After ``release()`` an idle reader holds no more than that.
///
/// Not thread-safe: use it from one thread (event loop) at a time.
public final class RequestBodyReader {
    /// The capacity of the body buffer kept between requests unless the initializer says otherwise:
    /// 256 KiB, enough for typical Faro payloads without pinning a 5 MiB buffer to every connection.
    public static let defaultRetainedCapacity = 256 * 1024

    /// What the reader is doing with the current body.
    private enum Phase {
        /// No body begun since the reader was created or since the last `finish`.
        case idle
        /// Copying an identity body.
        case identity
        /// A deflate body whose first two bytes (zlib or raw) have not been seen yet.
        case detecting
        /// Inside a compressed stream (or gzip member).
        case inflating
        /// At the end of a compressed stream or gzip member, with no bytes after it yet.
        case streamEnded
        /// The body failed; the error is thrown again by further calls until the next `begin`.
        case failed(BodyReadError)
    }

    /// Room added to the body buffer when it is first grown for a body.
    private static let minimumGrowth = 16 * 1024
    /// zlib's largest window: 32 KiB. Used for every coding so `inflateReset2` keeps the window.
    private static let windowBits: Int32 = 15

    private let retainedCapacity: Int
    private let inflaters: InflateStreamPool
    private var output = ContiguousArray<UInt8>()
    /// The stream of the compressed body under way, from `inflaters`.
    private var stream: UnsafeMutablePointer<z_stream>?
    private var phase = Phase.idle
    private var coding = ContentCoding.identity
    private var limit = 0
    private var rawCount = 0
    /// The first byte of a deflate body that arrived alone in its chunk, held until the second.
    private var pendingFirstByte: UInt8?

    /// Creates a reader. No buffer or zlib state is allocated until the first body needs it.
    ///
    /// - Parameters:
    ///   - retainedCapacity: the body buffer's capacity kept for the next request; a buffer grown
    ///     beyond it by a large body is released by ``release()`` or when the next body begins.
    ///   - inflaters: where compressed bodies take their zlib stream; share one among the readers
    ///     of an event loop. By default the reader has a pool of its own.
    public init(retainedCapacity: Int = RequestBodyReader.defaultRetainedCapacity, inflaters: InflateStreamPool = InflateStreamPool(maxFree: 1)) {
        self.retainedCapacity = retainedCapacity
        self.inflaters = inflaters
    }

    deinit {
        if let stream { inflaters.giveBack(stream) }
    }

    /// The decoded body: after a successful ``finish()``, the whole body; before it, what has been
    /// decoded so far. Owned by the reader and reused by the next ``begin(coding:limit:)``: read it
    /// (or let the payload decoder read it) before then. Returning it retains the buffer and does not
    /// copy it; holding it across the next `begin` only costs that request a fresh buffer.
    public var body: ContiguousArray<UInt8> { output }

    /// Calls `body` with a view of the decoded bytes (see ``body``), without copying or retaining them.
    public func withBody<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        // The array's `withUnsafeBytes` rethrows untyped errors: carry the typed outcome out instead.
        var outcome: Swift.Result<Result, Failure>?
        output.withUnsafeBytes { bytes in
            outcome = Swift.Result { () throws(Failure) -> Result in try body(bytes) }
        }
        return try outcome!.get()
    }

    /// The number of body bytes read so far for the current body, as sent (before inflating).
    public var rawByteCount: Int { rawCount }

    /// The body buffer's capacity in bytes. A body grows it to at most its limit plus one byte (give or
    /// take the allocator's rounding); a larger buffer kept from an earlier body is reused, not grown,
    /// and `begin` releases a buffer larger than the retained capacity.
    public var capacity: Int { output.capacity }

    /// Starts a new body, dropping the previous one (and any error of it).
    ///
    /// - Parameters:
    ///   - coding: the body's content coding, from ``ContentCoding/init(headerValue:)``.
    ///   - limit: the largest number of bytes accepted, both as read and as decoded
    ///     (`max_allowed_payload_size`, 5 MiB by default).
    public func begin(coding: ContentCoding, limit: Int) {
        precondition(limit >= 0, "the body limit must not be negative")
        release()
        self.coding = coding
        // The buffer holds at most limit + 1 bytes, the one byte that proves the limit passed.
        self.limit = min(limit, Int.max - 1)
        rawCount = 0
        pendingFirstByte = nil
        switch coding {
        case .identity:
            phase = .identity
        case .gzip:
            // 16 + window bits: a gzip wrapper only (not 32 +, which would also take a zlib stream).
            resetStream(windowBits: 16 + Self.windowBits)
            phase = .inflating
        case .deflate:
            phase = .detecting
        }
    }

    /// Adds the next chunk of the body as it came over the wire.
    ///
    /// - Throws: ``BodyReadError``; after an error the body is lost and further calls throw it again.
    public func append(_ chunk: UnsafeRawBufferPointer) throws(BodyReadError) {
        do {
            try appendChecked(chunk)
        } catch {
            phase = .failed(error)
            throw error
        }
    }

    /// Ends the body: checks that a compressed body's stream is complete. Afterwards ``body`` holds
    /// the whole decoded body.
    ///
    /// - Throws: ``BodyReadError/truncated(offset:)`` when the body ended inside the compressed stream
    ///   (an empty gzip or deflate body too), or the error an earlier ``append(_:)`` threw.
    public func finish() throws(BodyReadError) {
        switch phase {
        case .idle:
            preconditionFailure("RequestBodyReader.finish() without begin(coding:limit:)")
        case .identity, .streamEnded:
            phase = .idle
            giveBackStream()
        case .detecting, .inflating:
            let error = BodyReadError.truncated(offset: rawCount)
            phase = .failed(error)
            giveBackStream()
            throw error
        case .failed(let error):
            giveBackStream()
            throw error
        }
    }

    /// Lets go of the current body, once it has been used or refused: a buffer grown beyond the
    /// retained capacity is released, and the zlib stream goes back to the pool, so that an idle
    /// connection does not hold a large body's memory. ``body`` is empty afterwards.
    public func release() {
        if output.capacity > retainedCapacity {
            output = ContiguousArray()
        } else {
            output.removeAll(keepingCapacity: true)
        }
        giveBackStream()
    }

    private func giveBackStream() {
        if let stream {
            inflaters.giveBack(stream)
            self.stream = nil
        }
    }

    private func appendChecked(_ chunk: UnsafeRawBufferPointer) throws(BodyReadError) {
        if case .failed(let error) = phase { throw error }
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        guard chunk.count <= limit - rawCount else {
            throw .tooLarge(.rawBytes, limit: limit, offset: limit)
        }
        let offset = rawCount
        rawCount += chunk.count
        switch phase {
        case .idle:
            preconditionFailure("RequestBodyReader.append(_:) without begin(coding:limit:)")
        case .identity:
            copy(chunk)
        case .detecting:
            if let first = pendingFirstByte {
                pendingFirstByte = nil
                detectWrapper(first, chunk[0])
                phase = .inflating
                try withUnsafeBytes(of: first) { (byte) throws(BodyReadError) in
                    try inflate(byte.baseAddress!, count: 1, offset: offset - 1)
                }
                try inflate(base, count: chunk.count, offset: offset)
            } else if chunk.count >= 2 {
                detectWrapper(chunk[0], chunk[1])
                phase = .inflating
                try inflate(base, count: chunk.count, offset: offset)
            } else {
                pendingFirstByte = chunk[0]
            }
        case .inflating, .streamEnded:
            try inflate(base, count: chunk.count, offset: offset)
        case .failed:
            break  // thrown above
        }
    }

    /// Copies an identity chunk, which the raw-byte check has already fitted within the limit.
    private func copy(_ chunk: UnsafeRawBufferPointer) {
        if output.capacity - output.count < chunk.count {
            output.reserveCapacity(
                min(limit + 1, max(output.capacity * 2, output.count + max(chunk.count, Self.minimumGrowth))))
        }
        output.append(addingCapacity: chunk.count) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: chunk)
                initialized = chunk.count
            }
        }
    }

    /// Chooses zlib-wrapped or raw deflate from the first two bytes of a `deflate` body (RFC 1950 §2.2).
    private func detectWrapper(_ cmf: UInt8, _ flg: UInt8) {
        let isZlib = cmf & 0x0F == 8 && cmf >> 4 <= 7 && (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0
        resetStream(windowBits: isZlib ? Self.windowBits : -Self.windowBits)
    }

    /// Takes a `z_stream` from the pool for a new body.
    private func resetStream(windowBits: Int32) {
        giveBackStream()
        stream = inflaters.take(windowBits: windowBits)
    }

    /// Returns the room to inflate into: at least one byte, at most up to `limit + 1` bytes of output,
    /// growing the buffer geometrically when it is full.
    private func room() -> Int {
        let ceiling = limit + 1
        var room = min(output.capacity, ceiling) - output.count
        if room <= 0 {
            output.reserveCapacity(min(ceiling, max(output.capacity * 2, output.count + Self.minimumGrowth)))
            room = min(output.capacity, ceiling) - output.count
        }
        return room
    }

    /// Inflates `count` bytes at `input`, the body bytes from `offset` on, into the body buffer.
    private func inflate(_ input: UnsafeRawPointer, count: Int, offset: Int) throws(BodyReadError) {
        guard let stream else { preconditionFailure("no z_stream for a compressed body") }
        var next = input.assumingMemoryBound(to: Bytef.self)
        var remaining = count
        var consumedTotal = 0
        // zlib may hold output back when the buffer fills; call again even without input then.
        var outputFull = false
        while remaining > 0 || outputFull {
            if case .streamEnded = phase {
                guard remaining > 0 else { break }
                // Another gzip member may follow (multistream); anything else is trailing data.
                guard coding == .gzip, next.pointee == 0x1F else {
                    throw .trailingData(offset: offset + consumedTotal)
                }
                let status = CZlib.inflateReset(stream)
                precondition(status == Z_OK, "zlib's inflateReset failed (\(status))")
                phase = .inflating
            }
            let room = room()
            let fed = min(remaining, Int(UInt32.max))
            stream.pointee.next_in = UnsafeMutablePointer(mutating: next)
            stream.pointee.avail_in = uInt(fed)
            var status = Z_OK
            output.append(addingCapacity: room) { span in
                span.withUnsafeMutableBufferPointer { buffer, initialized in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = uInt(room)
                    status = CZlib.inflate(stream, Z_NO_FLUSH)
                    initialized = room - Int(stream.pointee.avail_out)
                }
            }
            let consumed = fed - Int(stream.pointee.avail_in)
            let produced = room - Int(stream.pointee.avail_out)
            next += consumed
            remaining -= consumed
            consumedTotal += consumed
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
            if output.count > limit {
                throw .tooLarge(.decodedBytes, limit: limit, offset: offset + consumedTotal)
            }
            outputFull = stream.pointee.avail_out == 0
            switch status {
            case Z_OK:
                break
            case Z_STREAM_END:
                phase = .streamEnded
                outputFull = false
            case Z_BUF_ERROR where consumed == 0 && produced == 0:
                // No progress possible: zlib needs more input than this chunk had.
                outputFull = false
                if remaining > 0 { throw .corrupt(message: "no progress", offset: offset + consumedTotal) }
            case Z_BUF_ERROR:
                break
            default:
                throw .corrupt(message: Self.message(stream, status), offset: offset + consumedTotal)
            }
        }
    }

    /// zlib's message for a failed `inflate`, or a description of its status.
    private static func message(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        switch status {
        case Z_NEED_DICT: return "preset dictionary required"
        case Z_MEM_ERROR: return "out of memory"
        default: return "zlib status \(status)"
        }
    }
}
