import Foundation
import TestSupport
import Testing

/// How rum-gateway treats a client connection: pipelined requests, a refusal while the client is
/// still sending, and a graceful shutdown with requests under way and connections idle.
@Suite(.serialized) struct GatewayConnectionTests {
    static let tenants = """
        shop:
          path_prefixes: [/shop]
          max_payload_size: 1KiB
        """

    /// An upstream that answers `200` with the path it was asked for, after `slowDelay` for `/slow`.
    static func echoingUpstream(slowDelay: Duration) async throws -> RecordingHTTPServer {
        try await RecordingHTTPServer { _, request in
            HTTPAnswer(status: .ok, body: request.path, delay: request.path == "/slow" ? slowDelay : .zero)
        }
    }

    /// Waits until `upstream` has received a request, and requires that it received one.
    static func waitForFirstRequest(at upstream: RecordingHTTPServer) async throws {
        _ = try await eventually(every: .milliseconds(10)) { !upstream.received.isEmpty }
        try #require(upstream.received.count == 1)
    }

    /// The bytes of an HTTP/1.1 request with `body`.
    static func request(_ method: String, _ target: String, body: String = "", headers: String = "") -> String {
        "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test("pipelined requests are answered in order, each sent upstream after the answer before it")
    func pipelining() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .milliseconds(300))
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await connection.send(
            Self.request("POST", "/shop/slow", body: "{}") + Self.request("GET", "/-/healthy")
                + Self.request("POST", "/shop/fast", body: #"{"logs":[]}"#) + Self.request("POST", "/elsewhere", body: "{}"))
        let answers = [
            try await connection.readResponse(), try await connection.readResponse(), try await connection.readResponse(),
            try await connection.readResponse(),
        ]
        #expect(answers.map(\.status) == [200, 200, 200, 401], "\(answers)")
        #expect(answers.prefix(3).map(\.text) == ["/slow", "healthy", "/fast"], "\(answers)")
        let received = upstream.received
        #expect(received.map(\.path) == ["/slow", "/fast"])
        #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == ["{}", #"{"logs":[]}"#])
        if received.count == 2 {
            // Held until the slow answer was written, not sent beside it.
            #expect(received[1].arrival - received[0].arrival >= .milliseconds(250))
        }
        // The connection goes on as before.
        try await connection.send(Self.request("POST", "/shop/after", body: "{}"))
        let after = try await connection.readResponse()
        #expect(after.status == 200 && after.text == "/after", "\(after)")
        await connection.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("sixty pipelined requests, more than a read holds, are each sent upstream and answered in order")
    func longPipeline() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .milliseconds(20))
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        let body = String(repeating: "x", count: 500)
        let paths = (0..<60).map { $0 % 7 == 3 ? "/slow" : "/p\($0)" }
        try await connection.send(paths.map { Self.request("POST", "/shop\($0)", body: body) }.joined())
        var answers: [RawHTTPResponse] = []
        for _ in paths { answers.append(try await connection.readResponse()) }
        #expect(answers.map(\.status) == Array(repeating: 200, count: paths.count), "\(answers.map(\.status))")
        #expect(answers.map(\.text) == paths)
        #expect(upstream.received.map(\.path) == paths)
        await connection.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("at a graceful shutdown, a request pipelined behind the answer under way is neither sent upstream nor answered")
    func pipelinedAtShutdown() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .seconds(1))
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await connection.send(Self.request("POST", "/shop/slow", body: "{}") + Self.request("POST", "/shop/after", body: "{}"))
        try await Self.waitForFirstRequest(at: upstream)
        gateway.service.signal(SIGTERM)
        let answer = try await connection.readResponse(timeout: .seconds(30))
        #expect(answer.status == 200 && answer.text == "/slow", "\(answer) \(answer.text)")
        #expect(answer.header("connection")?.lowercased() == "close", "\(answer)")
        let ended = await connection.waitForClose(timeout: .seconds(30))
        #expect(ended.closed && ended.unread.isEmpty, "the connection went on after the last answer")
        #expect(upstream.received.map(\.path) == ["/slow"])
        await connection.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("pipelined requests go on after an answer that ends the upstream connection: each is sent and answered in turn")
    func pipeliningAfterUpstreamClose() async throws {
        // The next request needs a new upstream connection, made after the answer before it ended.
        let upstream = try await RecordingHTTPServer { _, request in
            HTTPAnswer(status: .ok, headers: [("Connection", "close")], body: request.path)
        }
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await connection.send(
            Self.request("POST", "/shop/first", body: "{}") + Self.request("POST", "/shop/second", body: "{}")
                + Self.request("POST", "/shop/third", body: "{}"))
        var answers: [RawHTTPResponse] = []
        for _ in 0..<3 { answers.append(try await connection.readResponse()) }
        #expect(answers.map(\.status) == [200, 200, 200], "\(answers)")
        #expect(answers.map(\.text) == ["/first", "/second", "/third"], "\(answers)")
        #expect(upstream.received.map(\.path) == ["/first", "/second", "/third"])
        await connection.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a pipelined request sent upstream as the answer before it ends still gets its 504 when the upstream does not answer")
    func pipelinedUpstreamTimeout() async throws {
        // An upstream timeout that the fast answer meets even on a machine that stalls for seconds.
        let upstream = try await Self.echoingUpstream(slowDelay: .seconds(60))
        let gateway = try await GatewayProcess.start(
            tenants: Self.tenants, upstreams: [upstream.port], arguments: ["--upstream-timeout", "5s"])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await connection.send(Self.request("POST", "/shop/fast", body: "{}") + Self.request("POST", "/shop/slow", body: "{}"))
        let fast = try await connection.readResponse()
        #expect(fast.status == 200 && fast.text == "/fast", "\(fast)")
        let slow = try await connection.readResponse(timeout: .seconds(30))
        #expect(slow.status == 504, "\(slow)")
        await connection.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("Expect: an answer before 100 Continue ends the connection, whose body may not follow; HTTP/1.0 has no Expect")
    func expectations() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        for (target, expectation, status) in [("/elsewhere", "100-continue", 401), ("/shop/collect", "something-else", 417)] {
            let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
            try await connection.send("POST \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: \(expectation)\r\nContent-Length: 2\r\n\r\n")
            let answer = try await connection.readResponse()
            #expect(answer.status == status && answer.header("connection")?.lowercased() == "close", "\(expectation): \(answer)")
            // Had the connection stayed open, a body sent now or the next request would be read as the other.
            try? await connection.send("{}")
            #expect(await connection.waitForClose(timeout: .seconds(30)).closed, "\(expectation)")
            await connection.close()
        }
        // An HTTP/1.0 client knows no 100 Continue: its Expect is ignored, and its body is taken.
        for expectation in ["100-continue", "something-else"] {
            let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
            try await connection.send("POST /shop/collect HTTP/1.0\r\nHost: 127.0.0.1\r\nExpect: \(expectation)\r\nContent-Length: 2\r\n\r\n{}")
            let answer = try await connection.readResponse()
            #expect(answer.status == 200 && answer.text == "/collect", "\(expectation): \(answer)")
            await connection.close()
        }
        #expect(upstream.received.map(\.path) == ["/collect", "/collect"])
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a body over the limit gets its 413 while the client is still sending; the connection closes when the body ends")
    func refusalWhileSending() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 << 10)
        // Declared over the limit, with the first part of the body right behind the head.
        try await connection.send(Array("POST /shop/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(3 * chunk.count)\r\n\r\n".utf8) + chunk)
        let answer = try await connection.readResponse()
        #expect(answer.status == 413 && answer.header("connection")?.lowercased() == "close", "\(answer)")
        // Closing with that part unread would have reset the connection: the rest must still go.
        try await Task.sleep(for: .milliseconds(100))
        try await connection.send(chunk)
        try await connection.send(chunk)
        let closed = await connection.waitForClose(timeout: .seconds(30))
        #expect(closed.closed && closed.unread.isEmpty)
        #expect(upstream.received.isEmpty)
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a silent connection closes at the idle timeout, a head trickled under it at the request timeout; a slow upstream is not idle time")
    func idleAndSlowClients() async throws {
        // Margins of seconds: the test shares two cores with the other timed suites, which may
        // stall it for seconds. The upstream answers later than the idle timeout.
        let upstream = try await Self.echoingUpstream(slowDelay: .seconds(6))
        let gateway = try await GatewayProcess.start(
            tenants: Self.tenants, upstreams: [upstream.port], arguments: ["--idle-timeout", "4s", "--request-timeout", "8s"])
        let clock = ContinuousClock()

        let silent = try await RawHTTPConnection.connect(port: gateway.service.port)
        let silentSince = clock.now
        let silentClosed = await silent.waitForClose(timeout: .seconds(30))
        #expect(silentClosed.closed && clock.now - silentSince >= .milliseconds(3900), "\(clock.now - silentSince)")

        let trickle = try await RawHTTPConnection.connect(port: gateway.service.port)
        // A head that takes about 30 s at a byte every 250 ms.
        let head = Array("POST /shop/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 60)
        let (sent, trickled) = try await trickle.trickle(head, every: .milliseconds(250))
        #expect(await trickle.isClosed, "still open after \(sent) bytes")
        // Each byte came within the idle timeout: the request timeout ended it, before the head's
        // last byte was sent.
        #expect(trickled >= .milliseconds(7900) && sent < head.count, "\(trickled), \(sent) of \(head.count) bytes")

        let waiting = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await waiting.send(Self.request("POST", "/shop/slow", body: "{}"))
        let answer = try await waiting.readResponse(timeout: .seconds(30))
        #expect(answer.status == 200 && answer.text == "/slow", "\(answer) \(answer.text)")
        #expect(!(await waiting.isClosed))

        await silent.close()
        await trickle.close()
        await waiting.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("between requests a keep-alive connection waits the idle timeout, not the request timeout, after local and proxied answers")
    func keepAliveBetweenRequests() async throws {
        // Request timeout 2 s, idle timeout 20 s, 5 s between requests: margins of seconds both ways.
        let upstream = try await Self.echoingUpstream(slowDelay: .seconds(1))
        let gateway = try await GatewayProcess.start(
            tenants: Self.tenants, upstreams: [upstream.port], arguments: ["--idle-timeout", "20s", "--request-timeout", "2s"])
        let local = try await RawHTTPConnection.connect(port: gateway.service.port)
        let proxied = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await local.send(Self.request("GET", "/-/ready"))
        try await proxied.send(Self.request("POST", "/shop/first", body: "{}"))
        #expect(try await local.readResponse().status == 200)
        #expect(try await proxied.readResponse().text == "/first")

        try await Task.sleep(for: .seconds(5))
        #expect(!(await local.isClosed))
        #expect(!(await proxied.isClosed))
        try await local.send(Self.request("GET", "/-/ready"))
        try await proxied.send(Self.request("POST", "/shop/second", body: "{}"))
        #expect(try await local.readResponse().status == 200)
        #expect(try await proxied.readResponse().text == "/second")

        await local.close()
        await proxied.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("requests framed to smuggle a second one upstream: refused, or sent with the gateway's own framing")
    func smuggling() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let smuggled = "POST /smuggled HTTP/1.1\r\nHost: evil\r\nContent-Length: 0\r\n\r\n"
        // Methods without a body upstream (NIO's encoder frames none for them, and strips it for
        // TRACE): refused at the edge, with the body dropped.
        for method in ["TRACE", "GET", "DELETE", "PUT"] {
            let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
            try await connection.send(Self.request(method, "/shop/collect", body: smuggled))
            let answer = try await connection.readResponse()
            #expect(answer.status == 405 && answer.header("Allow") == "POST, OPTIONS", "\(method): \(answer)")
            await connection.close()
        }
        // A Connection header naming the framing fields: the body still goes up framed.
        for option in ["content-length", "Content-Length, transfer-encoding"] {
            let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
            try await connection.send(Self.request("POST", "/shop/collect", body: smuggled, headers: "Connection: \(option)\r\n"))
            #expect(try await connection.readResponse().text == "/collect", "\(option)")
            await connection.close()
        }
        // Chunked, and with no body at all.
        let chunked = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await chunked.send(
            "POST /shop/chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + "POST /shop/empty HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try await chunked.readResponse().text == "/chunked")
        #expect(try await chunked.readResponse().text == "/empty")
        await chunked.close()

        let received = upstream.received
        #expect(received.map(\.path) == ["/collect", "/collect", "/chunked", "/empty"])
        #expect(received.prefix(2).allSatisfy { $0.body == Array(smuggled.utf8) && $0.headers["content-length"] == ["\(smuggled.utf8.count)"] })
        #expect(received.count == 4 && received[2].body == Array("hello".utf8) && received[2].headers["transfer-encoding"] == ["chunked"])
        #expect(received.count == 4 && received[3].body.isEmpty && received[3].headers["content-length"] == ["0"])
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a body over the limit after the upstream's answer has begun: the connection ends, the gateway lives")
    func overLimitAfterAnswerBegan() async throws {
        let upstream = try await RecordingHTTPServer(headFirst: true) { _, request in HTTPAnswer(body: request.path) }
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await connection.send("POST /shop/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n")
        // The upstream answers the head at once; the gateway passes its head on (unflushed until
        // a body part comes) before the rest of the request.
        try await Task.sleep(for: .milliseconds(500))
        let chunk = String(repeating: "x", count: 2000)
        try? await connection.send("7d0\r\n\(chunk)\r\n0\r\n\r\n")
        // No second answer can follow the one begun: the connection ends.
        #expect(await connection.waitForClose(timeout: .seconds(30)).closed)
        let healthy = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await healthy.send(Self.request("GET", "/-/healthy"))
        #expect(try await healthy.readResponse().status == 200)
        await healthy.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("access logs name the tenant of edge refusals and of requests that close their connection; HEAD gets GET's length")
    func accessLog() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port], arguments: ["--access-log"])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await connection.send(Self.request("PUT", "/shop/refused", body: "{}"))
        #expect(try await connection.readResponse().status == 405)
        try await connection.send("HEAD /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let head = try await connection.readResponse(bodyless: true)
        #expect(head.status == 200 && head.header("Content-Length") == "7", "\(head)")
        try await connection.send(Self.request("POST", "/shop/closing", body: "{}", headers: "Connection: close\r\n"))
        #expect(try await connection.readResponse().text == "/closing")
        #expect(await connection.waitForClose(timeout: .seconds(30)).closed)
        #expect(await gateway.service.terminate() == 0)
        let lines = gateway.service.logged.split(separator: "\n").filter { $0.contains("request") && $0.contains("status=") }
        #expect(lines.contains { $0.contains("status=405") && $0.contains("tenant=shop") }, "\(lines)")
        #expect(lines.contains { $0.contains("status=200") && $0.contains("tenant=shop") && $0.contains("upstream=") }, "\(lines)")
        await upstream.close()
    }

    @Test("/metrics is served on its own listener, not on the clients' port")
    func metricsListener() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let clients = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await clients.send(Self.request("GET", "/metrics"))
        #expect(try await clients.readResponse().status == 405)
        let metrics = try await RawHTTPConnection.connect(port: gateway.metricsPort)
        try await metrics.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nHEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let page = try await metrics.readResponse()
        #expect(page.status == 200 && page.text.contains("rum_gateway_tenant_requests_total{tenant=\"shop\"}"))
        let head = try await metrics.readResponse(bodyless: true)
        #expect(head.status == 200 && head.body.isEmpty && Int(head.header("Content-Length") ?? "") ?? 0 > 0)
        try await metrics.send(Self.request("GET", "/tenants"))
        #expect(try await metrics.readResponse().status == 404)
        await clients.close()
        await metrics.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("the metrics and admin listeners close a silent connection at the idle timeout, a trickled head at the request timeout")
    func endpointTimeouts() async throws {
        let gateway = try await GatewayProcess.start(
            tenants: Self.tenants, upstreams: [], arguments: ["--idle-timeout", "4s", "--request-timeout", "8s"])
        let clock = ContinuousClock()
        for port in [gateway.metricsPort, gateway.adminPort] {
            let silent = try await RawHTTPConnection.connect(port: port)
            let since = clock.now
            let closed = await silent.waitForClose(timeout: .seconds(30))
            #expect(closed.closed && clock.now - since >= .milliseconds(3900), "\(port): \(clock.now - since)")
            await silent.close()
        }

        let answered = try await RawHTTPConnection.connect(port: gateway.metricsPort)
        try await answered.send(Self.request("GET", "/metrics"))
        #expect(try await answered.readResponse().status == 200)
        #expect(await answered.waitForClose(timeout: .seconds(30)).closed, "a keep-alive connection idle after its answer")

        let trickle = try await RawHTTPConnection.connect(port: gateway.metricsPort)
        // A head that takes about 30 s at a byte every 250 ms; each byte comes well within the idle
        // timeout (4 s), which leaves room for a machine that stalls the test for seconds.
        let head = Array("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 64)
        let (sent, trickled) = try await trickle.trickle(head, every: .milliseconds(250))
        #expect(await trickle.isClosed)
        // The request timeout ended it, before the head's last byte was sent.
        #expect(trickled >= .milliseconds(7900) && sent < head.count, "\(trickled), \(sent) of \(head.count) bytes")

        await answered.close()
        await trickle.close()
        #expect(await gateway.service.terminate() == 0)
    }

    @Test("the metrics listener holds 64 connections at once: one more is closed when accepted and counted; the clients' port is apart")
    func endpointConnectionCap() async throws {
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [])
        var held: [RawHTTPConnection] = []
        for _ in 0..<64 { held.append(try await RawHTTPConnection.connect(port: gateway.metricsPort)) }
        try await held[63].send(Self.request("GET", "/metrics"))
        #expect(try await held[63].readResponse().status == 200)
        let refused = try await RawHTTPConnection.connect(port: gateway.metricsPort)
        let ended = await refused.waitForClose(timeout: .seconds(30))
        #expect(ended.closed && ended.unread.isEmpty, "the 65th connection was not closed at once")
        await refused.close()
        try await held[0].send(Self.request("GET", "/metrics"))
        let page = try await held[0].readResponse()
        #expect(page.status == 200)
        let lines = Set(page.text.split(separator: "\n").map(String.init))
        #expect(
            lines.contains(#"rum_gateway_endpoint_connections_refused_total{endpoint="metrics"} 1"#)
                && lines.contains(#"rum_gateway_endpoint_connections_refused_total{endpoint="admin"} 0"#), "\(page.text)")
        let client = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await client.send(Self.request("GET", "/-/healthy"))
        #expect(try await client.readResponse().status == 200)

        await held[1].close()
        let served = try await eventually(every: .milliseconds(100)) {
            let next = try await RawHTTPConnection.connect(port: gateway.metricsPort)
            try? await next.send(Self.request("GET", "/metrics"))
            let answer = try? await next.readResponse(timeout: .seconds(30))
            await next.close()
            return answer?.status == 200
        }
        #expect(served, "a connection closed makes room for another")
        for connection in held + [client] { await connection.close() }
        #expect(await gateway.service.terminate() == 0)
    }

    @Test("--max-connections 2: a third client connection is closed when accepted and counted; the metrics listener is apart")
    func connectionCap() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port], arguments: ["--max-connections", "2"])
        var held: [RawHTTPConnection] = []
        for _ in 0..<2 {
            let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
            try await connection.send(Self.request("GET", "/-/healthy"))
            #expect(try await connection.readResponse().status == 200)
            held.append(connection)
        }
        let refused = try await RawHTTPConnection.connect(port: gateway.service.port)
        let ended = await refused.waitForClose(timeout: .seconds(30))
        #expect(ended.closed && ended.unread.isEmpty, "the third connection was not closed at once")
        await refused.close()
        try await held[0].send(Self.request("POST", "/shop/held", body: "{}"))
        #expect(try await held[0].readResponse().text == "/held")
        let metrics = try await RawHTTPConnection.connect(port: gateway.metricsPort)
        try await metrics.send(Self.request("GET", "/metrics"))
        let page = try await metrics.readResponse()
        let lines = Set(page.text.split(separator: "\n").map(String.init))
        #expect(lines.contains("rum_gateway_connections_refused_total 1") && lines.contains("rum_gateway_connections 2"), "\(page.text)")
        for connection in held + [metrics] { await connection.close() }
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a keep-alive connection counts for every tenant it sends to: a tenant's max_connections holds when requests mix tenants")
    func connectionLimitAcrossTenants() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let tenants = """
            shop:
              path_prefixes: [/shop]
            blog:
              path_prefixes: [/blog]
              max_connections: 1
            """
        let gateway = try await GatewayProcess.start(tenants: tenants, upstreams: [upstream.port])
        let holder = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await holder.send(Self.request("POST", "/blog/held", body: "{}"))
        #expect(try await holder.readResponse().text == "/held")
        let mixed = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await mixed.send(Self.request("POST", "/shop/first", body: "{}"))
        #expect(try await mixed.readResponse().text == "/first")
        try await mixed.send(Self.request("POST", "/blog/second", body: "{}"))
        let refused = try await mixed.readResponse()
        #expect(refused.status == 429 && refused.header("connection")?.lowercased() == "close", "\(refused)")
        #expect(await mixed.waitForClose(timeout: .seconds(30)).closed)
        // The holder counts once however many requests it sends, and frees its place when it closes.
        try await holder.send(Self.request("POST", "/blog/again", body: "{}"))
        #expect(try await holder.readResponse().text == "/again")
        await holder.close()
        _ = try await eventually(every: .milliseconds(10)) {
            try await gateway.metric("rum_gateway_tenant_connections{tenant=\"blog\"}") == 0
        }
        let next = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await next.send(Self.request("POST", "/blog/next", body: "{}"))
        #expect(try await next.readResponse().text == "/next")
        #expect(upstream.received.map(\.path) == ["/held", "/first", "/again", "/next"])
        await next.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a streamed body part over the tenant's byte burst gets 413 quoting the burst")
    func streamedBodyOverByteBurst() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .zero)
        let tenants = """
            bytes:
              path_prefixes: [/bytes]
              byte_rate_limit: { rate: 100, burst: 1000 }
            """
        let gateway = try await GatewayProcess.start(tenants: tenants, upstreams: [upstream.port])
        let connection = try await RawHTTPConnection.connect(port: gateway.service.port)
        let part = String(repeating: "a", count: 5000)
        try await connection.send(
            "POST /bytes/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n\(part)\r\n0\r\n\r\n")
        let answer = try await connection.readResponse()
        #expect(answer.status == 413 && answer.text == "payload too large: the limit is 1000 bytes\n", "\(answer)")
        await connection.close()
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a graceful shutdown closes idle connections at once and ends the answer under way with Connection: close")
    func gracefulShutdown() async throws {
        let upstream = try await Self.echoingUpstream(slowDelay: .seconds(1))
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [upstream.port])
        let idle = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await idle.send(Self.request("GET", "/-/healthy"))
        #expect(try await idle.readResponse().status == 200)
        let busy = try await RawHTTPConnection.connect(port: gateway.service.port)
        try await busy.send(Self.request("POST", "/shop/slow", body: "{}"))
        try await Self.waitForFirstRequest(at: upstream)

        gateway.service.signal(SIGTERM)
        let idleClosed = await idle.waitForClose(timeout: .seconds(30))
        #expect(idleClosed.closed && idleClosed.unread.isEmpty)
        let answer = try await busy.readResponse(timeout: .seconds(30))
        #expect(answer.status == 200 && answer.text == "/slow", "\(answer) \(answer.text)")
        #expect(answer.header("connection")?.lowercased() == "close", "\(answer)")
        #expect(await busy.waitForClose(timeout: .seconds(30)).closed)
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }
}
