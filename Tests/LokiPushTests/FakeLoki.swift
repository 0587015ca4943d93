import NIOHTTP1
import TestSupport

/// The server that plays Loki's part for the client tests: it records every push request and
/// answers as told, `204 No Content` by default, as Loki does.
typealias FakeLoki = RecordingHTTPServer

/// A push request that the fake Loki received.
typealias ReceivedPush = RecordedRequest

/// How the fake Loki answers one request.
typealias FakeLokiAnswer = HTTPAnswer

extension RecordingHTTPServer {
    /// Loki's push URL on this server.
    var url: String { url("/loki/api/v1/push") }
}

extension RecordedRequest {
    /// Its `X-Scope-OrgID`, or `""`.
    var tenant: String { headers.first(name: "X-Scope-OrgID") ?? "" }
}

extension HTTPAnswer {
    /// Loki's success answer.
    static let accepted = HTTPAnswer()
}
