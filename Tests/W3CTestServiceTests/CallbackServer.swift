import NIOHTTP1
import TestSupport

/// A request the service made to the harness.
struct ReceivedCallback: Sendable {
    /// The request's path.
    let path: String
    /// Its header fields, in order, names as sent.
    let headers: HTTPHeaders
    /// Its body.
    let body: String
}

/// The harness's side that the service calls back: a `RecordingHTTPServer` that answers 200
/// with the JSON `null`, as the official harness answers a callback with no instructions.
final class CallbackServer: Sendable {
    private let server: RecordingHTTPServer

    /// Starts listening.
    init() async throws {
        server = try await RecordingHTTPServer { _, _ in
            HTTPAnswer(status: .ok, headers: [("content-type", "application/json")], body: "null")
        }
    }

    /// The URL of `path` on this server.
    func url(_ path: String) -> String { server.url(path) }

    /// The requests received under `prefix`, in order of arrival.
    func callbacks(under prefix: String) -> [ReceivedCallback] {
        server.received.filter { $0.path.hasPrefix(prefix) }.map {
            ReceivedCallback(path: $0.path, headers: $0.headers, body: String(decoding: $0.body, as: UTF8.self))
        }
    }

    /// Stops listening.
    func close() async {
        await server.close()
    }
}
