import NIOCore
import RESPClient
import Testing

@Suite struct RESPCommandTests {
    @Test func writesAnArrayOfBulkStrings() {
        var buffer = ByteBuffer()
        RESPCommand("SET", "key", "", "a\r\nb").write(into: &buffer)
        #expect(String(buffer: buffer) == "*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n$0\r\n\r\n$4\r\na\r\nb\r\n")
    }

    /// What a command writes decodes back to the same bulk strings.
    @Test func roundTripsThroughTheDecoder() throws {
        let command = RESPCommand("EVALSHA", ["0123456789abcdef", "1", String(repeating: "x", count: 1000)])
        var buffer = ByteBuffer()
        command.write(into: &buffer)
        var decoder = RESPReplyDecoder()
        let decoded = try decoder.decode(&buffer)
        #expect(decoded == .array(command.arguments.map { .bulkString($0) }))
    }
}

@Suite struct RedisConfigurationTests {
    @Test func readsURLs() throws {
        let full = try RedisConfiguration(url: "redis://alice:s3cr@t@cache.internal:6380/2")
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.username == "alice")
        #expect(full.password == "s3cr@t")
        #expect(full.database == 2)
        let passwordOnly = try RedisConfiguration(url: "redis://:pw@127.0.0.1")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "pw")
        #expect(passwordOnly.port == 6379)
        let ipv6 = try RedisConfiguration(url: "redis://[::1]:7000/")
        #expect(ipv6.host == "::1")
        #expect(ipv6.port == 7000)
        #expect(ipv6.database == 0)
    }

    @Test(arguments: ["http://x", "redis://:6380", "redis://host:0", "redis://host:70000", "redis://host:abc", "redis://host/x", "redis://[::1]x"])
    func rejectsBadURLs(_ url: String) {
        #expect(throws: RedisConfigurationError.self) { try RedisConfiguration(url: url) }
    }
}
