package import AsyncHTTPClient
import NIOCore
import TokenBucket

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension HTTPClient {
    /// The most bytes of an error response kept as the server's reason.
    package static let maximumPushReasonLength = 1024

    /// POSTs one push `body` to `url` with `headers`, and `tenant` (when not `nil`) as
    /// `X-Scope-OrgID`, the tenant header of Loki, Tempo and Mimir; the request, the answer's
    /// body included, fails after `timeout`. Reads the whole answer, so that the connection can
    /// be reused, keeping the start of an error answer as the failure's reason and its `Retry-After`.
    /// `recordDuration` is told how long the request took and the status answered (`0` when
    /// none came, or its body did not within `timeout`); it is not called when the task was cancelled.
    package func push(
        _ body: ContiguousArray<UInt8>, to url: String, headers: [(String, String)], tenant: String?, timeout: Duration,
        recordDuration: (_ duration: Duration, _ statusCode: Int) -> Void
    ) async -> PushAttempt {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let start = ContinuousClock.now
        // AsyncHTTPClient's timeout ends when the answer's head arrives: the deadline bounds the
        // reading of its body too, which a server could otherwise hold back for ever.
        let exchange = await withDeadline(start + timeout) { [request] () -> Result<PushAnswer, any Error> in
            do {
                let response = try await self.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
                let reason = try await HTTPClient.pushReason(from: response.body)
                return .success(
                    PushAnswer(code: Int(response.status.code), reason: reason, retryAfter: response.headers.first(name: "Retry-After")))
            } catch {
                return .failure(error)
            }
        }
        guard case .success(let answer) = exchange else {
            // `_Concurrency.` because `HTTPClient.Task` is nearer in this extension.
            if _Concurrency.Task.isCancelled { return .cancelled }
            recordDuration(.now - start, 0)
            if case .failure(let error) = exchange { return .failed(.transport(String(describing: error))) }
            return .failed(.transport("no answer within \(timeout)"))
        }
        recordDuration(.now - start, answer.code)
        if (200..<300).contains(answer.code) { return .delivered }
        let retryAfter = answer.retryAfter.flatMap {
            RetryAfter.delay($0, nowSecondsSince1970: Int64(Date().timeIntervalSince1970))
        }
        return .failed(.status(code: answer.code, reason: answer.reason, retryAfter: retryAfter))
    }

    /// Reads the whole response body, keeping its first `maximumPushReasonLength` bytes as one
    /// line of text: newlines and other control characters become spaces. (A protobuf
    /// `google.rpc.Status` reads as its message with some control bytes around it, enough for a
    /// log.)
    private static func pushReason(from body: HTTPClientResponse.Body) async throws -> String {
        var kept: [UInt8] = []
        for try await chunk in body where kept.count < maximumPushReasonLength {
            kept += chunk.readableBytesView.prefix(maximumPushReasonLength - kept.count)
        }
        let line = String(decoding: kept, as: UTF8.self).map { $0.isNewline || $0.isASCII && $0.asciiValue! < 0x20 ? " " : $0 }
        return String(line.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// What a push request was answered: the status code, the start of the body as one line, and
/// the `Retry-After` header as sent.
private struct PushAnswer: Sendable {
    /// The status code.
    let code: Int
    /// The start of the body, as one line.
    let reason: String
    /// The `Retry-After` header, if any.
    let retryAfter: String?
}
