import HTTPTypes
public import Hummingbird
import RUMTracing
public import Tracing

/// Hummingbird middleware that makes one server span per request, named and described with
/// OpenTelemetry's semantic conventions for HTTP servers, and runs the rest of the chain with that
/// span's context as `InstrumentationContext.current` (so `traceparentMeta`, child spans and
/// outgoing requests continue its trace).
///
/// The caller's trace context is read with the tracer's `extract`: with `RUMTracer`, the
/// W3CTraceContext propagation policy decides whether to continue, restart or drop it.
///
/// Attributes: `http.request.method`, `url.path`, `url.query`, `url.scheme`, `server.address`,
/// `server.port`, `user_agent.original`, `network.protocol.version`, then `http.route` (the
/// router's path pattern, such as `/products/{id}`), `http.response.status_code` and, for 5xx
/// answers and thrown errors, `error.type`. The span is named `GET /products/{id}`, or the
/// method alone when no route matched. 5xx answers set the status to error, as the conventions
/// say for server spans. The span ends when the rest of the chain returns the response (a body
/// streamed after that is not timed).
///
/// ```swift
/// let router = Router()
/// router.add(middleware: RUMTracingMiddleware())
/// ```
public struct RUMTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    private let tracer: any Tracer

    /// A middleware that starts spans with `tracer` (the bootstrapped one by default).
    public init(tracer: any Tracer = InstrumentationSystem.tracer) {
        self.tracer = tracer
    }

    /// Runs `next` inside a server span.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = InstrumentationContext.current ?? .topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        let span = tracer.startSpan(method, context: parent, ofKind: .server)
        if span.isRecording {
            span.attributes["http.request.method"] = method
            span.attributes["url.path"] = request.uri.path
            if let query = request.uri.query, !query.isEmpty { span.attributes["url.query"] = query }
            span.attributes["url.scheme"] = request.uri.scheme?.rawValue ?? "http"
            span.attributes["network.protocol.version"] = "1.1"
            if let authority = request.head.authority {
                let (host, port) = Self.split(authority: authority)
                span.attributes["server.address"] = host
                if let port { span.attributes["server.port"] = port }
            }
            if let userAgent = request.headers[.userAgent] { span.attributes["user_agent.original"] = userAgent }
        }
        do {
            let response = try await InstrumentationContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            finish(span, method: method, route: context.endpointPath, status: Int(response.status.code), error: nil)
            span.end()
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            finish(span, method: method, route: context.endpointPath, status: status, error: error)
            span.end()
            throw error
        }
    }

    /// Whether `route` is what Hummingbird puts in `endpointPath` when no route matched or a file
    /// was served: not a route template, so not `http.route`.
    private static func isPlaceholder(_ route: String) -> Bool {
        route == "NotFound" || route == "FileMiddleware"
    }

    /// Names the span after its route and records the answer.
    private func finish(_ span: some Span, method: String, route: String?, status: Int, error: (any Error)?) {
        guard span.isRecording else { return }
        if let route, !Self.isPlaceholder(route) {
            span.operationName = "\(method) \(route)"
            span.attributes["http.route"] = route
        }
        span.attributes["http.response.status_code"] = status
        if status >= 500 {
            span.attributes["error.type"] = error.map { String(reflecting: type(of: $0)) } ?? String(status)
            span.setStatus(SpanStatus(code: .error))
        }
        if let error { span.recordError(error) }
    }

    /// The host and port of an `authority` (`host`, `host:port`, `[v6]:port`).
    static func split(authority: String) -> (host: String, port: Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        guard let colon = authority.lastIndex(of: ":") else { return (authority, nil) }
        return (String(authority[..<colon]), Int(authority[authority.index(after: colon)...]))
    }
}

/// Reads header fields of a Hummingbird request for `Instrument.extract`; several fields of one
/// name come joined with commas, as HTTP allows.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        return fields[name]
    }
}
