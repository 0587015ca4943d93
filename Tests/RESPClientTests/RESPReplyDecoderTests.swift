import NIOCore
import RESPClient
import Testing

@Suite struct RESPReplyDecoderTests {
    private func decode(_ text: String, decoder: RESPReplyDecoder = RESPReplyDecoder()) throws(RESPProtocolError) -> (RESPValue?, Int) {
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
        #expect(try RESPReplyDecoder().decode(&buffer) == .integer(1))
        #expect(try RESPReplyDecoder().decode(&buffer)?.string == "two")
        #expect(try RESPReplyDecoder().decode(&buffer) == nil)
    }

    /// Every proper prefix of a reply is incomplete and leaves the buffer untouched.
    @Test func incompleteRepliesWait() throws {
        let reply = "*3\r\n$3\r\nfoo\r\n:42\r\n*2\r\n+OK\r\n-ERR x\r\n"
        let bytes = Array(reply.utf8)
        for length in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<length])
            #expect(try RESPReplyDecoder().decode(&buffer) == nil, "prefix of \(length) bytes")
            #expect(buffer.readableBytes == length)
        }
        var whole = ByteBuffer(bytes: bytes)
        #expect(try RESPReplyDecoder().decode(&whole)?.elements?.count == 3)
        #expect(whole.readableBytes == 0)
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
