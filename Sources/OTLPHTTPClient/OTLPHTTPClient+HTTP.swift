import AsyncHTTPClient
import PushDelivery
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why one request for a batch did not succeed.
enum OTLPSendFailure: Sendable, CustomStringConvertible {
    /// The receiver answered with a status other than 2xx, with the start of its body and how
    /// long its `Retry-After` asks to wait.
    case status(code: Int, reason: String, retryAfter: Duration?)
    /// No answer: connection refused or reset, timeout, TLS failure.
    case transport(String)

    /// Whether another attempt may succeed: the OTLP specification's retryable statuses (`429`,
    /// `502`, `503`, `504`) and failures without an answer.
    var isRetryable: Bool {
        switch self {
        case .status(let code, _, _): [429, 502, 503, 504].contains(code)
        case .transport: true
        }
    }

    /// The wait the receiver asked for, if any.
    var retryAfter: Duration? {
        if case .status(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// The status and the receiver's reason, or the transport error.
    var description: String {
        switch self {
        case .status(let code, let reason, _): reason.isEmpty ? "HTTP \(code)" : "HTTP \(code): \(reason)"
        case .transport(let error): error
        }
    }
}

/// How one request for a batch went.
enum OTLPSendAttempt: Sendable {
    /// The receiver answered 2xx.
    case delivered
    /// It failed.
    case failed(OTLPSendFailure)
    /// The task was cancelled (the client is stopping).
    case cancelled
}

extension OTLPHTTPClient {
    /// The most bytes of an error response kept as the receiver's reason.
    static let maximumReasonLength = 1024

    /// Sends one request with `body` for `key`'s signal and tenant.
    func send(_ body: ContiguousArray<UInt8>, key: OTLPLaneKey, metrics: OTLPSignalMetrics) async -> OTLPSendAttempt {
        var request = HTTPClientRequest(url: url(for: key.signal))
        request.method = .POST
        for (name, value) in baseHeaders { request.headers.add(name: name, value: value) }
        if let tenant = key.tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let start = ContinuousClock.now
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(configuration.timeout.nanoseconds))
            let code = Int(response.status.code)
            let reason = try await OTLPHTTPClient.reason(from: response.body)
            metrics.requestDuration(.now - start, statusCode: code)
            if (200..<300).contains(code) { return .delivered }
            let retryAfter = response.headers.first(name: "Retry-After").flatMap {
                RetryAfter.delay($0, nowSecondsSince1970: Int64(Date().timeIntervalSince1970))
            }
            return .failed(.status(code: code, reason: reason, retryAfter: retryAfter))
        } catch {
            if Task.isCancelled { return .cancelled }
            metrics.requestDuration(.now - start, statusCode: 0)
            return .failed(.transport(String(describing: error)))
        }
    }

    /// Reads the whole response body (so the connection can be reused), keeping its first
    /// `maximumReasonLength` bytes as one line of text. (A protobuf `google.rpc.Status` reads
    /// as its message with some control bytes around it, enough for a log.)
    private static func reason(from body: HTTPClientResponse.Body) async throws -> String {
        var kept: [UInt8] = []
        for try await chunk in body where kept.count < maximumReasonLength {
            kept += chunk.readableBytesView.prefix(maximumReasonLength - kept.count)
        }
        let line = String(decoding: kept, as: UTF8.self).map { $0.isNewline || $0.isASCII && $0.asciiValue! < 0x20 ? " " : $0 }
        return String(line.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// The headers every request carries: content type and encoding, user agent, and the
    /// configured headers.
    static func headers(for configuration: OTLPHTTPClientConfiguration) -> [(String, String)] {
        var headers: [(String, String)] = [("Content-Type", "application/x-protobuf"), ("User-Agent", "swift-rum-OTLPHTTPClient/1")]
        if configuration.compression == .gzip { headers.append(("Content-Encoding", "gzip")) }
        headers += configuration.headers.map { ($0.name, $0.value) }
        return headers
    }

    /// The endpoint without trailing slashes, or `nil` if it is not an `http` or `https` URL
    /// with a host.
    static func baseURL(_ endpoint: String) -> String? {
        let lowercased = endpoint.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowercased.hasPrefix($0) }) else { return nil }
        let authority = endpoint.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !endpoint.contains("?"), !endpoint.contains("#") else { return nil }
        var base = Substring(endpoint)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base)
    }
}
