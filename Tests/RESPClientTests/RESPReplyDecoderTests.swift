import NIOCore
import RESPClient
import TestSupport
import Testing

@Suite struct RESPReplyDecoderTests {
    private func decode(_ text: String, decoder: RESPReplyDecoder = RESPReplyDecoder()) throws(RESPProtocolError) -> (RESPValue?, Int) {
        var decoder = decoder
        var buffer = ByteBuffer(string: text)
        let value = try decoder.decode(&buffer)
        return (value, buffer.readableBytes)
    }

    @Test func everyType() throws {
        #expect(try decode("+OK\r\n").0 == .simpleString(ByteBuffer(string: "OK")))
        #expect(try decode("-NOSCRIPT No matching script. Please use EVAL.\r\n").0
            == .error(RedisServerError(kind: "NOSCRIPT", message: "No matching script. Please use EVAL.")))
        #expect(try decode("-ERR\r\n").0 == .error(RedisServerError(kind: "ERR", message: "")))
        #expect(try decode(":-9223372036854775808\r\n").0 == .integer(.min))
        #expect(try decode(":9223372036854775807\r\n").0 == .integer(.max))
        #expect(try decode("$5\r\nhe\r\no\r\n").0 == .bulkString(ByteBuffer(string: "he\r\no")))
        #expect(try decode("$0\r\n\r\n").0 == .bulkString(ByteBuffer()))
        #expect(try decode("$-1\r\n").0 == .bulkString(nil))
        #expect(try decode("*-1\r\n").0 == .array(nil))
        #expect(try decode("*0\r\n").0 == .array([]))
        #expect(try decode("*3\r\n:1\r\n*1\r\n+a\r\n$-1\r\n").0
            == .array([.integer(1), .array([.simpleString(ByteBuffer(string: "a"))]), .bulkString(nil)]))
    }

    @Test func oneReplyAtATime() throws {
        var buffer = ByteBuffer(string: ":1\r\n+two\r\n")
        var decoder = RESPReplyDecoder()
        #expect(try decoder.decode(&buffer) == .integer(1))
        #expect(try decoder.decode(&buffer)?.string == "two")
        #expect(try decoder.decode(&buffer) == nil)
    }

    /// Every proper prefix of a reply is incomplete and leaves the buffer untouched, whether
    /// the decoder sees it first or has seen the shorter ones before.
    @Test func incompleteRepliesWait() throws {
        let reply = "*3\r\n$3\r\nfoo\r\n:42\r\n*2\r\n+OK\r\n-ERR x\r\n"
        let bytes = Array(reply.utf8)
        var continuing = RESPReplyDecoder()
        for length in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<length])
            var fresh = RESPReplyDecoder()
            #expect(try fresh.decode(&buffer) == nil, "prefix of \(length) bytes")
            #expect(try continuing.decode(&buffer) == nil, "prefix of \(length) bytes after the shorter ones")
            #expect(buffer.readableBytes == length)
        }
        var whole = ByteBuffer(bytes: bytes)
        #expect(try continuing.decode(&whole)?.elements?.count == 3)
        #expect(whole.readableBytes == 0)
        // The check starts over for the next reply.
        var next = ByteBuffer(string: ":7\r\n")
        #expect(try continuing.decode(&next) == .integer(7))
    }

    /// A large array arriving in small reads is checked once in all, not from its start on every
    /// read: 100,000 elements in 64-byte reads took about two minutes (quadratic) before, and
    /// take a quarter of a second now; the time limit is the trait's smallest, a minute.
    @Test(.timeLimit(.minutes(1))) func largeRepliesInSmallReadsTakeLinearTime() throws {
        var stream = ByteBuffer(string: "*100000\r\n")
        for index in 0..<100_000 { stream.writeString(":\(index)\r\n") }
        var decoder = RESPReplyDecoder()
        var pending = ByteBuffer()
        var replies: [RESPValue] = []
        while stream.readableBytes > 0 {
            var piece = stream.readSlice(length: min(64, stream.readableBytes))!
            pending.writeBuffer(&piece)
            if let value = try decoder.decode(&pending) { replies.append(value) }
        }
        #expect(replies.count == 1)
        #expect(replies.first?.elements?.count == 100_000)
        #expect(replies.first?.elements?.last == .integer(99_999))
    }

    @Test(arguments: [
        ("?x\r\n", RESPProtocolError(.unknownType(UInt8(ascii: "?")), offset: 0)),
        (":12a\r\n", RESPProtocolError(.malformedNumber, offset: 3)),
        (":-\r\n", RESPProtocolError(.malformedNumber, offset: 1)),
        (":\r\n", RESPProtocolError(.malformedNumber, offset: 1)),
        (":9223372036854775808\r\n", RESPProtocolError(.malformedNumber, offset: 1)),
        ("+OK\rx", RESPProtocolError(.missingCRLF, offset: 4)),
        ("+O\nK\r\n", RESPProtocolError(.missingCRLF, offset: 2)),
        ("$-2\r\n", RESPProtocolError(.negativeLength, offset: 1)),
        ("*-5\r\n", RESPProtocolError(.negativeLength, offset: 1)),
        ("$3\r\nabcd\r\n", RESPProtocolError(.missingCRLF, offset: 7)),
        ("*1\r\n!\r\n", RESPProtocolError(.unknownType(UInt8(ascii: "!")), offset: 4)),
    ])
    func rejects(_ input: String, _ expected: RESPProtocolError) {
        #expect(throws: expected) { try decode(input) }
    }

    @Test func limits() {
        let small = RESPReplyDecoder(maximumBulkStringLength: 4, maximumArrayLength: 2, maximumDepth: 2, maximumLineLength: 8)
        #expect(throws: RESPProtocolError(.bulkStringTooLong(limit: 4), offset: 1)) { try decode("$5\r\n", decoder: small) }
        #expect(throws: RESPProtocolError(.arrayTooLong(limit: 2), offset: 1)) { try decode("*3\r\n", decoder: small) }
        #expect(throws: RESPProtocolError(.nestingTooDeep(limit: 2), offset: 8)) { try decode("*1\r\n*1\r\n*1\r\n:1\r\n", decoder: small) }
        #expect(throws: RESPProtocolError(.lineTooLong(limit: 8), offset: 1)) { try decode("+123456789", decoder: small) }
        #expect(throws: Never.self) { try decode("+12345678\r\n", decoder: small) }
    }

    /// A huge declared array with few bytes behind it reserves no more than the bytes could hold.
    @Test func hugeDeclaredArrayWaits() throws {
        #expect(try decode("*16777216\r\n:1\r\n").0 == nil)
    }

    @Test func accessors() {
        #expect(RESPValue.bulkString(ByteBuffer(string: "12")).int64 == 12)
        #expect(RESPValue.integer(7).int64 == 7)
        #expect(RESPValue.array(nil).isNull)
        #expect(RESPValue.bulkString(nil).string == nil)
        #expect(RESPValue.integer(1).elements == nil)
    }
}

/// Bounded random inputs: the decoder never crashes, and reads a stream cut anywhere the same as
/// whole.
@Suite struct RESPReplyDecoderRandomTests {
    /// A random reply, nested up to `depth`.
    private static func reply(_ random: inout SplitMix64, depth: Int = 0) -> RESPValue {
        switch random.next() % (depth < 3 ? 6 : 5) {
        case 0: return .simpleString(ByteBuffer(string: "OK\(random.next() % 100)"))
        case 1: return .error(RedisServerError(kind: "ERR", message: "m\(random.next() % 10)"))
        case 2: return .integer(Int64(bitPattern: random.next()))
        case 3: return .bulkString(ByteBuffer(bytes: (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }))
        case 4: return random.next() % 2 == 0 ? .bulkString(nil) : .array(nil)
        default: return .array((0..<Int(random.next() % 4)).map { _ in reply(&random, depth: depth + 1) })
        }
    }

    /// How a server writes `value`.
    private static func write(_ value: RESPValue, into buffer: inout ByteBuffer) {
        switch value {
        case .simpleString(let text): buffer.writeString("+\(String(buffer: text))\r\n")
        case .error(let error): buffer.writeString("-\(error)\r\n")
        case .integer(let number): buffer.writeString(":\(number)\r\n")
        case .bulkString(nil): buffer.writeString("$-1\r\n")
        case .bulkString(let bytes?):
            buffer.writeString("$\(bytes.readableBytes)\r\n")
            buffer.writeImmutableBuffer(bytes)
            buffer.writeString("\r\n")
        case .array(nil): buffer.writeString("*-1\r\n")
        case .array(let elements?):
            buffer.writeString("*\(elements.count)\r\n")
            for element in elements { write(element, into: &buffer) }
        }
    }

    @Test func streamsCutAnywhereDecodeTheSame() throws {
        var random = SplitMix64(state: 7)
        for _ in 0..<300 {
            let replies = (0..<Int(1 + random.next() % 5)).map { _ in Self.reply(&random) }
            var stream = ByteBuffer()
            for reply in replies { Self.write(reply, into: &stream) }
            // Feed it in random pieces, as a socket would.
            var pending = ByteBuffer()
            var decoder = RESPReplyDecoder()
            var decoded: [RESPValue] = []
            var rest = stream
            while rest.readableBytes > 0 {
                let piece = rest.readSlice(length: min(rest.readableBytes, Int(1 + random.next() % 16)))!
                pending.writeImmutableBuffer(piece)
                while let value = try decoder.decode(&pending) { decoded.append(value) }
            }
            #expect(decoded == replies)
            #expect(pending.readableBytes == 0)
        }
    }

    /// Random bytes and damaged replies: a value, a wait for more, or a `RESPProtocolError`.
    @Test func damagedInputIsRejectedNotCrashedOn() {
        var random = SplitMix64(state: 11)
        var errors = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(random.next() % 24)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                var stream = ByteBuffer()
                Self.write(Self.reply(&random), into: &stream)
                bytes = Array(stream.readableBytesView)
                for _ in 0..<Int(1 + random.next() % 3) where !bytes.isEmpty {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            var buffer = ByteBuffer(bytes: bytes)
            var decoder = RESPReplyDecoder(maximumBulkStringLength: 1 << 20)
            do {
                while try decoder.decode(&buffer) != nil {}
            } catch {
                errors += 1
            }
        }
        // Most damage is caught (some flips land in bulk bytes, which any byte may be).
        #expect(errors > 5_000)
    }
}
