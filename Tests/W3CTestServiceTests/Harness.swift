import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// The test harness of the W3C suite's protocol, written for these tests: it starts the service,
/// posts instructions to its `/test` with chosen header fields, and receives the callbacks.
struct Harness {
    /// The service under test.
    let service: ServiceProcess
    /// Where the service calls back.
    let callbackServer: CallbackServer

    /// Runs `body` with a new service, whose callbacks time out after `callbackTimeout` seconds,
    /// and callback server; the service is killed at the end, whether `body` passes, fails or
    /// throws, after checking that it is still running.
    ///
    /// The callback server answers at once: the 30 s by default are for a stalled machine.
    static func run(callbackTimeout: Int = 30, _ body: (Harness) async throws -> Void) async throws {
        let service = try await ServiceProcess(
            product: "w3c-test-service",
            arguments: ["--host", "127.0.0.1", "--port", "0", "--callback-timeout", String(callbackTimeout)],
            announcement: "listening on http://127.0.0.1:")
        let callbackServer = try await CallbackServer()
        do {
            try await body(Harness(service: service, callbackServer: callbackServer))
            await callbackServer.close()
        } catch {
            await callbackServer.close()
            await service.kill()
            throw error
        }
        #expect(service.isRunning, "the service exited; its log:\n\(service.logged)")
        await service.kill()
    }

    /// The URL of the service's `/test`.
    var serviceURL: String { "http://127.0.0.1:\(service.port)/test" }

    /// Sends `body` to the service's `path` with these header fields, in order and names as given;
    /// returns the status and the body of the response.
    func send(
        _ body: String, fields: [(String, String)] = [], method: HTTPMethod = .POST, path: String = "/test"
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(service.port)\(path)")
        request.method = method
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in fields { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let answer = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: answer))
    }

    /// Asks the service, with these header fields, for `count` callbacks with no arguments, and
    /// returns those it made (all of them, as it answers after the last), in order.
    func requestCallbacks(count: Int = 1, fields: [(String, String)]) async throws -> [ReceivedCallback] {
        let scope = "/\(UUID().uuidString)/"
        let instructions = (0..<count).map { #"{"url":"\#(callbackServer.url(scope + String($0)))","arguments":[]}"# }
        let response = try await send("[\(instructions.joined(separator: ","))]", fields: fields)
        #expect(response.status == 200, "\(response.body)")
        let received = callbackServer.callbacks(under: scope)
        #expect(received.map(\.path) == (0..<count).map { scope + String($0) }, "log:\n\(service.logged)")
        return received
    }

    /// Asks for one callback with these header fields; returns the context it carried.
    func propagated(_ fields: [(String, String)]) async throws -> PropagatedContext {
        let received = try await requestCallbacks(fields: fields)
        return try PropagatedContext(try #require(received.first))
    }
}
