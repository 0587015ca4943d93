import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// Makes the calls of a `/test` request, one after the other, each in a new span of the request's
/// trace context.
struct CallbackRunner: Sendable {
    /// The most bytes of a call's response body read (and dropped).
    static let maximumResponseBodySize = 1 << 20

    /// The client that makes the calls.
    let client: HTTPClient
    /// Where failed calls are reported.
    let logger: Logger
    /// How long one call may take.
    let timeout: TimeAmount

    /// Posts each instruction's `arguments` to its `url` with the `traceparent` and `tracestate`
    /// of a new span of `propagation`; returns what each call got, in order.
    func run(_ instructions: [TestInstruction], in propagation: PropagationContext) async -> [CallbackOutcome] {
        var outcomes: [CallbackOutcome] = []
        for instruction in instructions {
            let fields = propagation.childSpanFields()
            var request = HTTPClientRequest(url: instruction.url)
            request.method = .POST
            request.headers.add(name: "traceparent", value: fields.traceparent)
            request.headers.add(name: "tracestate", value: fields.tracestate)
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(instruction.arguments)
            do {
                let response = try await client.execute(request, timeout: timeout, logger: logger)
                _ = try await response.body.collect(upTo: Self.maximumResponseBodySize)
                outcomes.append(CallbackOutcome(url: instruction.url, status: Int(response.status.code), error: nil))
            } catch {
                logger.warning("callback failed", metadata: ["url": "\(instruction.url)", "error": "\(error)"])
                outcomes.append(CallbackOutcome(url: instruction.url, status: nil, error: "\(error)"))
            }
        }
        return outcomes
    }
}
