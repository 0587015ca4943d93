import Hummingbird
import HummingbirdTesting
import OTLPCodec
import RUMTracing
@testable import RUMTracingHummingbird
import Synchronization
import Sampler
import Testing
import Tracing
import W3CTraceContext

@Suite("RUMTracingMiddleware: a server span per request, with OpenTelemetry's HTTP conventions")
struct RUMTracingMiddlewareTests {
    struct Failure: Error {}

    /// A router under the middleware, with the tracer's spans kept in memory.
    struct Fixture {
        let exporter = InMemorySpanExporter()
        let processor: BatchSpanProcessor
        let tracer: RUMTracer<AlwaysOnSampler>
        let router = Router()

        init(propagation: PropagationPolicy = PropagationPolicy(defaultDecision: .trust)) {
            processor = BatchSpanProcessor(exporter: exporter, resource: ["service.name": "shop"])
            tracer = RUMTracer(sampler: AlwaysOnSampler(), processor: processor, propagation: propagation)
            router.add(middleware: RUMTracingMiddleware(tracer: tracer))
            router.get("/products/{id}") { _, _ -> String in
                (InstrumentationContext.current ?? .topLevel).traceparentMeta
            }
            router.get("/broken") { _, _ -> String in throw Failure() }
            router.get("/refused") { _, _ -> String in throw HTTPError(.badRequest, message: "no") }
        }

        /// Runs `requests` against the router and returns the spans they made.
        func spans(_ requests: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws -> [OTLPSpan] {
            try await Application(router: router).test(.router, requests)
            await processor.flush()
            return try exporter.spans().map(\.span)
        }
    }

    @Test("a matched route: named after the route, a child of the caller, with the request's attributes, and current in the handler")
    func matchedRoute() async throws {
        let fixture = Fixture()
        let meta = ResponseText()
        let spans = try await fixture.spans { client in
            let headers: HTTPFields = [
                .init("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .userAgent: "tests/1.0",
            ]
            try await client.execute(uri: "/products/7?color=red", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                meta.set(String(buffer: response.body))
            }
        }
        let span = try #require(spans.first)
        #expect(spans.count == 1)
        #expect(span.name == "GET /products/{id}")
        #expect(span.kind == .server)
        #expect(span.traceID?.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.parentSpanID?.description == "00f067aa0ba902b7")
        #expect(span.attributes[key: "http.request.method"] == .string("GET"))
        #expect(span.attributes[key: "url.path"] == .string("/products/7"))
        #expect(span.attributes[key: "url.query"] == .string("color=red"))
        #expect(span.attributes[key: "http.route"] == .string("/products/{id}"))
        #expect(span.attributes[key: "http.response.status_code"] == .int(200))
        #expect(span.attributes[key: "user_agent.original"] == .string("tests/1.0"))
        // The router test client's authority.
        #expect(span.attributes[key: "server.address"] == .string("localhost"))
        #expect(span.attributes[key: "server.port"] == nil)
        #expect(span.status == nil)
        // The handler rendered the server span's own context.
        #expect(meta.value == "<meta name=\"traceparent\" content=\"00-4bf92f3577b34da6a3ce929d0e0e4736-\(span.spanID!)-01\">")
    }

    @Test("no matching route: named after the method alone, 404, status unset")
    func unmatched() async throws {
        let spans = try await Fixture().spans { client in
            try await client.execute(uri: "/nowhere", method: .get) { #expect($0.status == .notFound) }
        }
        let span = try #require(spans.first)
        #expect(span.name == "GET")
        #expect(span.attributes[key: "http.route"] == nil)
        #expect(span.attributes[key: "http.response.status_code"] == .int(404))
        #expect(span.status == nil)
    }

    @Test("a thrown error: 500, error status, error.type and an exception event")
    func thrown() async throws {
        let spans = try await Fixture().spans { client in
            try await client.execute(uri: "/broken", method: .get) { #expect($0.status == .internalServerError) }
        }
        let span = try #require(spans.first)
        #expect(span.name == "GET /broken")
        #expect(span.attributes[key: "http.response.status_code"] == .int(500))
        #expect(span.attributes[key: "error.type"] == .string("RUMTracingHummingbirdTests.RUMTracingMiddlewareTests.Failure"))
        #expect(span.status?.code == .error)
        #expect(span.events.map(\.name) == ["exception"])
    }

    @Test("a 4xx thrown as HTTPError: its status, and the span's status stays unset (client errors are not server errors)")
    func clientError() async throws {
        let spans = try await Fixture().spans { client in
            try await client.execute(uri: "/refused", method: .get) { #expect($0.status == .badRequest) }
        }
        let span = try #require(spans.first)
        #expect(span.attributes[key: "http.response.status_code"] == .int(400))
        #expect(span.attributes[key: "error.type"] == nil)
        #expect(span.status == nil)
    }

    @Test("with a restart policy the request starts a new trace that links to the caller")
    func restart() async throws {
        let fixture = Fixture(propagation: PropagationPolicy(defaultDecision: .restart))
        let spans = try await fixture.spans { client in
            let headers: HTTPFields = [.init("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]
            try await client.execute(uri: "/products/1", method: .get, headers: headers) { _ in }
        }
        let span = try #require(spans.first)
        #expect(span.traceID?.description != "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.parentSpanID == nil)
        #expect(span.links.first?.traceID?.description == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test("authorities split into host and port, IPv6 included")
    func authority() {
        #expect(RUMTracingMiddleware<BasicRequestContext>.split(authority: "shop.example.com") == ("shop.example.com", nil))
        #expect(RUMTracingMiddleware<BasicRequestContext>.split(authority: "127.0.0.1:8080") == ("127.0.0.1", 8080))
        #expect(RUMTracingMiddleware<BasicRequestContext>.split(authority: "[::1]:8443") == ("::1", 8443))
        #expect(RUMTracingMiddleware<BasicRequestContext>.split(authority: "[::1]") == ("::1", nil))
    }
}

/// The body of a response, kept by the response handler for the test to read after.
final class ResponseText: Sendable {
    private let text = Mutex("")
    func set(_ value: String) { text.withLock { $0 = value } }
    var value: String { text.withLock { $0 } }
}
