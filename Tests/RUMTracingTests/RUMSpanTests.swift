import Foundation
import OTLPCodec
import RUMTracing
import Sampler
import TestSupport
import Testing
import Tracing
import W3CTraceContext

@Suite("RUMSpan: what a span records and how it is encoded")
struct RUMSpanTests {
    struct CheckoutError: Error, CustomStringConvertible {
        var description: String { "card declined" }
    }

    @Test("a span with attributes of every kind, events, a link and a status decodes as recorded")
    func everything() async throws {
        let fixture = TracingFixture()
        let parent = fixture.tracer.startSpan("checkout", context: .topLevel, ofKind: .server, at: instant(1_000))
        let child = fixture.tracer.startSpan("charge card", context: parent.context, ofKind: .client, at: instant(2_000))
        child.attributes["http.request.method"] = "POST"
        child.attributes["http.response.status_code"] = 502
        child.attributes["retry.ratio"] = 0.5
        child.attributes["cache.hit"] = false
        child.attributes["tags"] = ["a", "b"]
        child.attributes["sizes"] = [1, 2, 3] as [Int64]
        child.attributes["id"] = SpanAttribute.int32(7)
        child.addEvent(SpanEvent(name: "retry", at: instant(2_500), attributes: ["attempt": 2]))
        child.recordError(CheckoutError(), attributes: ["card.brand": "visa"], at: instant(2_600))
        child.addLink(SpanLink(context: parent.context, attributes: ["link.reason": "batch"]))
        child.setStatus(SpanStatus(code: .error, message: "upstream failed"))
        child.end(at: instant(3_000))
        parent.end(at: instant(4_000))

        await fixture.processor.flush()
        let exported = try fixture.exporter.spans()
        #expect(exported.count == 2)
        #expect(exported.allSatisfy { $0.scope == "tests" })
        #expect(exported[0].resource[key: "service.name"] == .string("checkout"))
        #expect(exported[0].resource[key: "service.instance.count"] == .int(2))
        let span = exported[0].span
        let parentSpan = exported[1].span
        #expect(span.name == "charge card")
        #expect(span.kind == .client)
        #expect(span.startTimeUnixNano == 2_000 && span.endTimeUnixNano == 3_000)
        #expect(span.traceID == parentSpan.traceID)
        #expect(span.parentSpanID == parentSpan.spanID)
        #expect(parentSpan.parentSpanID == nil)
        #expect(parentSpan.kind == .server)
        #expect(span.attributes[key: "http.request.method"] == .string("POST"))
        #expect(span.attributes[key: "http.response.status_code"] == .int(502))
        #expect(span.attributes[key: "retry.ratio"] == .double(0.5))
        #expect(span.attributes[key: "cache.hit"] == .bool(false))
        #expect(span.attributes[key: "tags"] == .array([.string("a"), .string("b")]))
        #expect(span.attributes[key: "sizes"] == .array([.int(1), .int(2), .int(3)]))
        #expect(span.attributes[key: "id"] == .int(7))
        #expect(span.events.map(\.name) == ["retry", "exception"])
        #expect(span.events[0].timeUnixNano == 2_500)
        #expect(span.events[0].attributes[key: "attempt"] == .int(2))
        #expect(span.events[1].attributes[key: "exception.message"] == .string("card declined"))
        #expect(span.events[1].attributes[key: "exception.type"] == .string("RUMTracingTests.RUMSpanTests.CheckoutError"))
        #expect(span.events[1].attributes[key: "card.brand"] == .string("visa"))
        #expect(span.links.count == 1)
        #expect(span.links[0].spanID == parentSpan.spanID && span.links[0].traceID == parentSpan.traceID)
        #expect(span.links[0].attributes[key: "link.reason"] == .string("batch"))
        #expect(span.status == OTLPStatus(message: "upstream failed", code: .error))
        // Sampled, with the random flag of a new trace, and a local parent (bit 8 set, bit 9 clear).
        #expect(span.flags == 0x103)
    }

    @Test("the exported bytes decode with opentelemetry-proto into the same spans")
    func oracle() async throws {
        let fixture = TracingFixture()
        let span = fixture.tracer.startSpan("GET /cart", context: .topLevel, ofKind: .server, at: instant(1_700_000_000_000_000_000))
        span.attributes["http.route"] = "/cart"
        span.attributes["http.response.status_code"] = 200
        span.addEvent(SpanEvent(name: "cache.miss", at: instant(1_700_000_000_000_001_000)))
        span.setStatus(SpanStatus(code: .ok))
        span.end(at: instant(1_700_000_000_000_002_000))
        await fixture.processor.flush()
        let request = try #require(fixture.exporter.requests.first)
        let decoded = try await TestEnvironment.runPython(
            arguments: [TestEnvironment.shared.appendingPathComponent("oracles/otlp_decode.py").path, "--otlp-json", "traces"],
            input: Data(request))
        let json = try #require(try JSONSerialization.jsonObject(with: decoded) as? [String: Any])
        let resourceSpans = try #require((json["resourceSpans"] as? [[String: Any]])?.first)
        let scopeSpans = try #require((resourceSpans["scopeSpans"] as? [[String: Any]])?.first)
        #expect((scopeSpans["scope"] as? [String: Any])?["name"] as? String == "tests")
        #expect((scopeSpans["scope"] as? [String: Any])?["version"] as? String == "1.0")
        let oracleSpan = try #require((scopeSpans["spans"] as? [[String: Any]])?.first)
        let ours = try #require(try fixture.exporter.spans().first?.span)
        #expect(oracleSpan["traceId"] as? String == ours.traceID?.description)
        #expect(oracleSpan["spanId"] as? String == ours.spanID?.description)
        #expect(oracleSpan["name"] as? String == "GET /cart")
        #expect(oracleSpan["kind"] as? Int == 2)
        #expect(oracleSpan["startTimeUnixNano"] as? String == "1700000000000000000")
        #expect(oracleSpan["endTimeUnixNano"] as? String == "1700000000000002000")
        #expect((oracleSpan["status"] as? [String: Any])?["code"] as? Int == 1)
        let attributes = try #require(oracleSpan["attributes"] as? [[String: Any]])
        #expect(Set(attributes.compactMap { $0["key"] as? String }) == ["http.route", "http.response.status_code"])
        #expect((oracleSpan["events"] as? [[String: Any]])?.first?["name"] as? String == "cache.miss")
    }

    @Test("end counts once, and nothing changes a span after it ended")
    func endOnce() async throws {
        let fixture = TracingFixture()
        let span = fixture.tracer.startSpan("once", context: .topLevel, ofKind: .internal, at: instant(1))
        span.attributes["before"] = 1
        span.end(at: instant(2))
        span.attributes["after"] = 2
        span.operationName = "renamed"
        span.addEvent("late")
        span.setStatus(SpanStatus(code: .error))
        span.end(at: instant(3))
        let spans = try await fixture.exported()
        #expect(spans.count == 1)
        #expect(spans[0].name == "once")
        #expect(spans[0].endTimeUnixNano == 2)
        #expect(spans[0].attributes.map(\.key) == ["before"])
        #expect(spans[0].events.isEmpty)
        #expect(spans[0].status == nil)
        #expect(span.attributes.count == 1)
    }

    @Test("an ok status is final; a later error does not replace it")
    func okIsFinal() async throws {
        let fixture = TracingFixture()
        let span = fixture.tracer.startSpan("status", context: .topLevel, ofKind: .internal, at: instant(1))
        span.setStatus(SpanStatus(code: .error, message: "first"))
        span.setStatus(SpanStatus(code: .ok))
        span.setStatus(SpanStatus(code: .error, message: "ignored"))
        span.end(at: instant(2))
        #expect(try await fixture.exported().first?.status == OTLPStatus(code: .ok))
    }

    @Test("withSpan nests through the task-local context and records a thrown error")
    func withSpanNesting() async throws {
        let fixture = TracingFixture()
        await #expect(throws: CheckoutError.self) {
            try await fixture.tracer.withSpan("outer", context: .topLevel) { _ in
                try await fixture.tracer.withSpan("inner") { span in
                    span.attributes["step"] = "pay"
                    throw CheckoutError()
                }
            }
        }
        let spans = try await fixture.exported()
        #expect(spans.map(\.name) == ["inner", "outer"])
        #expect(spans[0].parentSpanID == spans[1].spanID)
        #expect(spans[0].status?.code == .error)
        #expect(spans[0].events.first?.name == "exception")
    }

    @Test("the traceparent meta tag names the span's context")
    func traceparentMeta() throws {
        let fixture = TracingFixture()
        let span = fixture.tracer.startSpan("GET /", context: .topLevel, ofKind: .server, at: instant(1))
        let context = span.spanContext.traceContext
        #expect(span.context.traceparentMeta == "<meta name=\"traceparent\" content=\"00-\(context.traceID)-\(context.spanID)-03\">")
        #expect(InstrumentationContext.topLevel.traceparentMeta == "")
    }
}
