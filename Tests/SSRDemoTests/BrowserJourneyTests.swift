import Foundation
import TestSupport
import Testing

/// Debian's Chromium, which `scripts/test` installs and the browser test drives headless.
enum Chromium {
    static let path = ProcessInfo.processInfo.environment["RUM_CHROMIUM"] ?? "/usr/bin/chromium"

    /// Whether the browser test can run: `scripts/test` sets `RUM_REQUIRE_CHROMIUM`, so that a
    /// missing browser fails the test there instead of skipping it.
    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: path) || ProcessInfo.processInfo.environment["RUM_REQUIRE_CHROMIUM"] != nil
    }
}

/// One trace from a real browser through the server-rendered demo: headless Chromium loads the
/// server-rendered page, clicks through to the client-rendered one and triggers an error; then
/// what the collector exported is checked.
@Suite(.enabled(if: Chromium.isAvailable, "needs Debian's chromium (scripts/test installs it)"), .timeLimit(.minutes(3)))
struct BrowserJourneyTests {
    /// What `scripts/browser-session.py` reports.
    struct Session: Decodable {
        var ssrTraceparent: String
        var csrTraceparent: String
    }

    /// A span as the oracle decodes it (OTLP/JSON), with its resource's `service.name`.
    struct ExportedSpan {
        var service: String
        var fields: [String: Any]
        var traceID: String { fields["traceId"] as? String ?? "" }
        var spanID: String { fields["spanId"] as? String ?? "" }
        var parentSpanID: String { fields["parentSpanId"] as? String ?? "" }
        var name: String { fields["name"] as? String ?? "" }
        var kind: Int { fields["kind"] as? Int ?? 0 }

        /// The string (or integer, as text) value of attribute `key`.
        func attribute(_ key: String) -> String? {
            let attributes = fields["attributes"] as? [[String: Any]] ?? []
            guard let value = attributes.first(where: { $0["key"] as? String == key })?["value"] as? [String: Any] else { return nil }
            return value["stringValue"] as? String ?? value["intValue"] as? String
        }
    }

    @Test("the page's trace runs from the server span through the browser's fetch to the API's server span, and the browser's telemetry arrives")
    func journey() async throws {
        let receiver = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .ok) }
        let collector = try await CollectorProcess.start(["--otlp-url", receiver.url(""), "--cors-allowed-origin", "*"])
        let demo: ServiceProcess
        do {
            demo = try await ServiceProcess(
                product: "ssr-demo",
                arguments: [
                    "--port", "0", "--collector-url", collector.base + "/collect", "--otlp-endpoint", collector.base, "--export-interval", "0.2",
                ],
                announcement: "ssr-demo listening on http://127.0.0.1:")
        } catch {
            _ = await collector.stop()
            await receiver.close()
            throw error
        }
        do {
            try await runJourney(receiver: receiver, collector: collector, demo: demo)
        } catch {
            Issue.record("ssr-demo logged:\n\(demo.logged)\nfaro-collector logged:\n\(collector.service.logged)")
            _ = await demo.terminate()
            _ = await collector.stop()
            await receiver.close()
            throw error
        }
        #expect(await demo.terminate() == 0)
        #expect(await collector.stop() == 0)
        await receiver.close()
    }

    private func runJourney(receiver: RecordingHTTPServer, collector: CollectorProcess, demo: ServiceProcess) async throws {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/browser-session.py").path
        let output = try await TestEnvironment.runPython(
            arguments: [script, "--chromium", Chromium.path, "--url", "http://127.0.0.1:\(demo.port)/", "--timeout", "60"], input: Data())
        let session = try JSONDecoder().decode(Session.self, from: output)
        let ssr = try Self.ids(session.ssrTraceparent)
        let csr = try Self.ids(session.csrTraceparent)
        #expect(ssr.trace != csr.trace, "each page load is its own server request, so its own trace")

        // Wait until the browser's telemetry and every trace's spans have been exported.
        var lines: [String] = []
        var spans: [ExportedSpan] = []
        var decodedBodies = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            lines = try collector.lokiLines()
            let bodies = receiver.received.map(\.body)
            spans += try await Self.decodedSpans(bodies[decodedBodies...])
            decodedBodies = bodies.count
            let complete =
                spans.contains { $0.spanID == ssr.span } && spans.contains { $0.spanID == csr.span }
                && spans.contains { $0.name == "GET /api/products" && $0.traceID == csr.trace }
                && spans.contains { $0.kind == 3 && $0.traceID == csr.trace && $0.service == "ssr-demo" && $0.attribute("url.full") != nil }
                && lines.contains { $0.contains("kind=exception") } && lines.contains { $0.contains("cls=") }
            if complete { break }
            try await Task.sleep(for: .milliseconds(250))
        }

        // The server span that rendered each page is the one its traceparent meta names.
        let ssrServer = try #require(spans.first { $0.spanID == ssr.span }, "the server span of the server-rendered page")
        #expect(ssrServer.name == "GET /" && ssrServer.kind == 2 && ssrServer.traceID == ssr.trace)
        #expect(ssrServer.attribute("http.route") == "/" && ssrServer.attribute("http.response.status_code") == "200")
        let csrServer = try #require(spans.first { $0.spanID == csr.span }, "the server span of the client-rendered page")
        #expect(csrServer.name == "GET /app")

        // The browser's fetch of the API continues the page's trace, and the API's server span is its child.
        let fetch = try #require(
            spans.first { $0.kind == 3 && $0.traceID == csr.trace && $0.attribute("url.full")?.hasSuffix("/api/products") == true },
            "the browser's span of fetch('/api/products')")
        #expect(fetch.parentSpanID == csr.span)
        #expect(fetch.attribute("http.response.status_code") == "200")
        let api = try #require(spans.first { $0.name == "GET /api/products" && $0.kind == 2 }, "the API's server span")
        #expect(api.traceID == csr.trace)
        #expect(api.parentSpanID == fetch.spanID)
        #expect(spans.contains { $0.name == "catalogue.load" && $0.parentSpanID == api.spanID })

        // The browser's Faro payloads carry the trace of the page that sent them.
        let ssrLines = lines.filter { $0.contains("traceID=\(ssr.trace)") }
        let csrLines = lines.filter { $0.contains("traceID=\(csr.trace)") }
        #expect(!ssrLines.isEmpty && !csrLines.isEmpty)
        #expect(lines.allSatisfy { $0.contains("traceID=\(ssr.trace)") || $0.contains("traceID=\(csr.trace)") })
        // Web vitals: each arrives as a measurement line of its page.
        for vital in ["ttfb", "fcp", "lcp", "cls"] {
            #expect(ssrLines.contains { $0.contains("kind=measurement") && $0.contains(" \(vital)=") }, "web vital \(vital) of the SSR page")
        }
        #expect(
            (ssrLines + csrLines).contains { $0.contains("kind=measurement") && $0.contains(" inp=") }, "INP after the real clicks")
        // The exception, with the frame of the function that threw.
        let exception = try #require(csrLines.first { $0.contains("kind=exception") }, "the exception")
        #expect(exception.contains("type=TypeError"))
        #expect(exception.contains("widget configuration missing"))
        #expect(exception.contains("renderBrokenWidget"))
        // The custom events of both pages.
        #expect(ssrLines.contains { $0.contains("kind=event") && $0.contains("event_name=add_to_cart") })
        #expect(csrLines.contains { $0.contains("kind=event") && $0.contains("event_name=add_to_cart") })
        #expect(lines.allSatisfy { $0.contains("app_name=ssr-demo") })
    }

    /// The trace id and span id of a `traceparent` value.
    static func ids(_ traceparent: String) throws -> (trace: String, span: String) {
        let parts = traceparent.split(separator: "-")
        guard parts.count == 4, parts[1].count == 32, parts[2].count == 16 else {
            throw OracleError("not a traceparent: \(traceparent)")
        }
        return (String(parts[1]), String(parts[2]))
    }

    /// The spans of OTLP/HTTP protobuf bodies, decoded by the opentelemetry-proto oracle.
    static func decodedSpans(_ bodies: ArraySlice<[UInt8]>) async throws -> [ExportedSpan] {
        let oracle = TestEnvironment.shared.appendingPathComponent("oracles/otlp_decode.py").path
        var spans: [ExportedSpan] = []
        for body in bodies {
            let json = try await TestEnvironment.runPython(arguments: [oracle, "--otlp-json", "traces"], input: Data(body))
            let request = try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
            for resourceSpans in request["resourceSpans"] as? [[String: Any]] ?? [] {
                let resource = (resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]] ?? []
                let service = resource.first { $0["key"] as? String == "service.name" }.flatMap {
                    ($0["value"] as? [String: Any])?["stringValue"] as? String
                } ?? ""
                for scopeSpans in resourceSpans["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scopeSpans["spans"] as? [[String: Any]] ?? [] {
                        spans.append(ExportedSpan(service: service, fields: span))
                    }
                }
            }
        }
        return spans
    }
}
