import TestSupport
import Testing

/// The CORS headers of refusals made while a body is read, through the running service: a browser
/// reads an answer only when it carries `Access-Control-Allow-Origin`, so a body refused as it
/// arrives carries the same headers as one refused from its head.
@Suite("faro-collector: CORS headers of refusals made while reading the body")
struct IntakeCORSTests {
    static let origin = "https://app.example.com"

    @Test("a corrupt, a truncated and an oversized body from an allowed origin: the refusal carries the CORS headers")
    func bodyRefusalsCarryCORSHeaders() async throws {
        let limit = 1024
        let collector = try await HostileInputTests.start(["--cors-allowed-origin", Self.origin, "--max-allowed-payload-size", String(limit)])
        func exchange(_ bytes: [UInt8]) async throws -> RawHTTPResponse {
            try await RawHTTPConnection.exchange(bytes, port: collector.service.port)
        }
        func expectCORS(_ answer: RawHTTPResponse, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(answer.header("Access-Control-Allow-Origin") == Self.origin, "\(label): \(answer)", sourceLocation: sourceLocation)
            #expect(answer.header("Vary") == "Origin", "\(label): \(answer)", sourceLocation: sourceLocation)
            #expect(answer.header("Access-Control-Expose-Headers") == "Retry-After", "\(label): \(answer)", sourceLocation: sourceLocation)
        }
        let gzipHeaders = [("Content-Type", "application/json"), ("Content-Encoding", "gzip"), ("Origin", Self.origin)]

        // Refused as the first chunk is inflated.
        let corrupt = try await exchange(HostileInputTests.request(headers: gzipHeaders, body: Array("not gzip".utf8)))
        HostileInputTests.expect(corrupt, 400, "corrupt compressed body at byte 2: incorrect header check")
        expectCORS(corrupt, "corrupt")

        // Refused at the end of the request: the gzip header alone.
        let truncated = try await exchange(HostileInputTests.request(headers: gzipHeaders, body: [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF]))
        HostileInputTests.expect(truncated, 400, "compressed body ends early, at byte 10")
        expectCORS(truncated, "truncated")

        // Chunked, so that only the bytes read tell the size.
        let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 2 * limit)
        let oversized = try await exchange(
            Array(
                "POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nOrigin: \(Self.origin)\r\nTransfer-Encoding: chunked\r\n\r\n\(String(chunk.count, radix: 16))\r\n"
                    .utf8) + chunk + Array("\r\n0\r\n\r\n".utf8))
        HostileInputTests.expect(oversized, 413, "payload too large: the limit is \(limit) bytes")
        expectCORS(oversized, "oversized")

        try await HostileInputTests.expectAlive(collector)
        #expect(await collector.stop() == 0)
    }

    @Test("a 429 lets the browser read its Retry-After: the header is exposed to the page")
    func rateLimitRefusalExposesRetryAfter() async throws {
        let collector = try await HostileInputTests.start([
            "--cors-allowed-origin", Self.origin, "--rate-limit", "0.01", "--burst-size", "1",
        ])
        let headers = [("Content-Type", "application/json"), ("Origin", Self.origin)]
        #expect(try await collector.post(body: Array("{}".utf8), headers: headers).status == 202)
        let refused = try await collector.post(body: Array("{}".utf8), headers: headers)
        #expect(refused.status == 429)
        #expect(refused.headers.first(name: "Retry-After") == "100")
        #expect(refused.headers.first(name: "Access-Control-Allow-Origin") == Self.origin)
        #expect(refused.headers.first(name: "Access-Control-Expose-Headers") == "Retry-After")
        #expect(await collector.stop() == 0)
    }
}
