import AsyncHTTPClient
import PushDelivery
import LokiPushCodec
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why one request for a batch did not succeed.
enum LokiSendFailure: Sendable, CustomStringConvertible {
    /// Loki answered with a status other than 2xx, with the start of its body (Loki's reason)
    /// and how long its `Retry-After` asks to wait.
    case status(code: Int, reason: String, retryAfter: Duration?)
    /// No answer: connection refused or reset, timeout, TLS failure.
    case transport(String)

    /// Whether another attempt may succeed: 5xx, 429 (when allowed) and transport failures.
    func isRetryable(retryOnRateLimit: Bool) -> Bool {
        switch self {
        case .status(let code, _, _): code >= 500 || (code == 429 && retryOnRateLimit)
        case .transport: true
        }
    }

    /// How a batch given up after this failure is counted.
    var dropReason: LokiDropReason {
        switch self {
        case .status(429, _, _): .rateLimited
        case .status(let code, _, _) where code < 500: .rejected
        case .status, .transport: .ingesterError
        }
    }

    /// The wait Loki asked for, if any.
    var retryAfter: Duration? {
        if case .status(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// The status and Loki's reason, or the transport error.
    var description: String {
        switch self {
        case .status(let code, let reason, _): reason.isEmpty ? "HTTP \(code)" : "HTTP \(code): \(reason)"
        case .transport(let error): error
        }
    }
}

/// How one request for a batch went.
enum LokiSendAttempt: Sendable {
    /// Loki answered 2xx.
    case delivered
    /// It failed.
    case failed(LokiSendFailure)
    /// The task was cancelled (the client is stopping).
    case cancelled
}

extension LokiPushClient {
    /// The most bytes of an error response kept as Loki's reason.
    static let maximumReasonLength = 1024

    /// Sends one request with `body` for `tenant`.
    func send(_ body: ContiguousArray<UInt8>, tenant: String, metrics: LokiPushMetrics) async -> LokiSendAttempt {
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        for (name, value) in baseHeaders { request.headers.add(name: name, value: value) }
        if !tenant.isEmpty { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let start = ContinuousClock.now
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount.nanoseconds(configuration.timeout.nanoseconds))
            let code = Int(response.status.code)
            let reason = try await LokiPushClient.reason(from: response.body)
            metrics.requestDuration(.now - start, statusCode: code)
            metrics.encodedBytes.increment(by: body.count)
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
    /// `maximumReasonLength` bytes as one line of text.
    private static func reason(from body: HTTPClientResponse.Body) async throws -> String {
        var kept: [UInt8] = []
        for try await chunk in body where kept.count < maximumReasonLength {
            kept += chunk.readableBytesView.prefix(maximumReasonLength - kept.count)
        }
        let line = String(decoding: kept, as: UTF8.self).map { $0.isNewline ? " " : $0 }
        return String(line.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// The headers every request carries: content type and encoding, user agent, credentials,
    /// and the configured extra headers.
    static func headers(for configuration: LokiPushConfiguration) -> [(String, String)] {
        var headers: [(String, String)] = [("Content-Type", configuration.format.contentType), ("User-Agent", "swift-rum-LokiPush/1")]
        if configuration.format == .json, configuration.gzipJSON { headers.append(("Content-Encoding", "gzip")) }
        switch configuration.authorization {
        case .basic(let username, let password):
            headers.append(("Authorization", "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()))
        case .bearer(let token):
            headers.append(("Authorization", "Bearer " + token))
        case nil:
            break
        }
        headers += configuration.headers.map { ($0.name, $0.value) }
        return headers
    }

    /// The `host[:port]` of an `http` or `https` URL, or `nil` if `url` is not one.
    static func host(of url: String) -> String? {
        let lowercased = url.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowercased.hasPrefix($0) }) else { return nil }
        let authority = url.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }
}
