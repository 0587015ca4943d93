public import AsyncHTTPClient
import NIOCore
public import NIOHTTP1

/// A service of this package running on loopback for a test, which the test sends HTTP to.
public protocol ServiceUnderTest: Sendable {
    /// `http://127.0.0.1:PORT`.
    var base: String { get }
}

extension ServiceUnderTest {
    /// Posts `body` to `path` with `headers` and returns the status, body and header fields of the answer.
    public func post(
        _ path: String = "/collect", body: [UInt8], headers: [(String, String)] = [("Content-Type", "application/json")]
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request)
    }

    /// Sends `request` and returns the status, body and header fields of the answer.
    public func send(_ request: HTTPClientRequest) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 24)
        return (Int(response.status.code), String(buffer: body), response.headers)
    }
}
