import Foundation
import NIOHTTP1
import TestSupport
import Testing

// The cases of the W3C Trace Context test suite's protocol, written from the specification
// (Trace Context Level 2, "Processing Model"): the built service is started on a loopback port and
// each test acts as the harness.

private let traceID = "0af7651916cd43dd8448eb211c80319c"
private let parentID = "b7ad6b7169203331"
private let traceparent = "00-\(traceID)-\(parentID)-01"

/// `w3c-test-service` as a participating tracer, driven through `POST /test`.
@Suite struct W3CTestServiceTests {
    @Test func bothHeadersMissingStartANewTrace() async throws {
        try await Harness.run { harness in
            let context = try await harness.propagated([])
            #expect(context.flags == 0x02, "a new trace has a random trace id, and this service samples nothing")
            #expect(context.keys == ["swiftrum"])
            #expect(context.startsWithOwnEntry)
        }
    }

    @Test func aValidTraceparentIsContinuedInANewSpan() async throws {
        try await Harness.run { harness in
            let context = try await harness.propagated([("traceparent", traceparent)])
            #expect(context.traceID == traceID)
            #expect(context.parentID != parentID)
            #expect(context.flags == 0x01)
            #expect(context.keys == ["swiftrum"])
            #expect(context.startsWithOwnEntry)
        }
    }

    @Test func tracestateIsCarriedBehindTheOwnEntry() async throws {
        try await Harness.run { harness in
            let context = try await harness.propagated([
                ("traceparent", traceparent), ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
            ])
            #expect(context.traceID == traceID)
            #expect(context.keys == ["swiftrum", "rojo", "congo"])
            #expect(context.value("rojo") == "00f067aa0ba902b7" && context.value("congo") == "t61rcWkgMzE")
            #expect(context.startsWithOwnEntry)
        }
    }

    @Test func headerNamesAreCaseInsensitive() async throws {
        try await Harness.run { harness in
            for (traceparentName, tracestateName) in [("TraceParent", "TraceState"), ("TRACEPARENT", "TrAcEsTaTe")] {
                let context = try await harness.propagated([(traceparentName, traceparent), (tracestateName, "foo=1")])
                #expect(context.traceID == traceID, "\(traceparentName)")
                #expect(context.keys == ["swiftrum", "foo"], "\(tracestateName)")
            }
        }
    }

    /// Each is invalid: the service starts a new trace and does not read `tracestate`.
    @Test func anInvalidTraceparentRestartsTheTrace() async throws {
        let invalid = [
            "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01",  // uppercase
            "00-00000000000000000000000000000000-\(parentID)-01",  // zero trace id
            "00-\(traceID)-0000000000000000-01",  // zero parent id
            "ff-\(traceID)-\(parentID)-01",  // forbidden version
            "0g-\(traceID)-\(parentID)-01",  // not a hex version
            "000-\(traceID)-\(parentID)-01",  // version too long
            "0-\(traceID)-\(parentID)-01",  // version too short
            "\(traceparent).",  // version 00 longer than 55 bytes
            "\(traceparent)-what-the-future-will-be-like",  // version 00 with more fields
            "cc-\(traceID)-\(parentID)-01.what-the-future-will-be-like",  // a future version's fields after no dash
            "00-\(traceID)0-\(parentID)-01",  // trace id too long
            "00-\(traceID)-\(parentID)0-01",  // parent id too long
            "00-\(traceID)-\(parentID)-1",  // flags too short
            "00-\(traceID)-\(parentID)-0.",  // flags not hex
            "00_\(traceID)_\(parentID)_01",  // no dashes
            "",
        ]
        try await Harness.run { harness in
            for value in invalid {
                let context = try await harness.propagated([("traceparent", value), ("tracestate", "foo=1")])
                #expect(context.traceID != traceID && context.traceID != traceID.uppercased(), "\(value)")
                #expect(context.flags == 0x02, "\(value)")
                #expect(context.keys == ["swiftrum"], "tracestate must be ignored: \(value)")
            }
        }
    }

    @Test func aFutureVersionIsContinuedAsVersion00() async throws {
        try await Harness.run { harness in
            for value in ["cc-\(traceID)-\(parentID)-01", "cc-\(traceID)-\(parentID)-01-what-the-future-will-be-like"] {
                let context = try await harness.propagated([("traceparent", value), ("tracestate", "foo=1")])
                #expect(context.traceID == traceID, "\(value)")
                #expect(context.flags == 0x01, "\(value)")
                #expect(context.keys == ["swiftrum", "foo"], "\(value)")
            }
        }
    }

    @Test func aDuplicatedTraceparentRestartsTheTrace() async throws {
        let other = "00-11111111111111111111111111111111-\(parentID)-01"
        try await Harness.run { harness in
            for pair in [(traceparent, other), (traceparent, traceparent)] {
                let context = try await harness.propagated([
                    ("traceparent", pair.0), ("traceparent", pair.1), ("tracestate", "foo=1"),
                ])
                #expect(context.traceID != traceID && context.traceID != "11111111111111111111111111111111")
                #expect(context.keys == ["swiftrum"])
            }
        }
    }

    /// `sampled` and `random` (Level 2) are kept; the flags the specification does not define are sent as zero.
    @Test func flagsAreKept() async throws {
        try await Harness.run { harness in
            for (flags, expected): (String, UInt8) in [
                ("00", 0x00), ("01", 0x01), ("02", 0x02), ("03", 0x03), ("ff", 0x03),
            ] {
                let context = try await harness.propagated([("traceparent", "00-\(traceID)-\(parentID)-\(flags)")])
                #expect(context.traceID == traceID, "\(flags)")
                #expect(context.flags == expected, "\(flags)")
            }
        }
    }

    @Test func tracestateFieldsAreJoinedInOrder() async throws {
        try await Harness.run { harness in
            let context = try await harness.propagated([
                ("traceparent", traceparent), ("tracestate", "foo=1,bar=2"), ("tracestate", "rojo=1,congo=2"),
                ("tracestate", "baz=3"),
            ])
            #expect(context.keys == ["swiftrum", "foo", "bar", "rojo", "congo", "baz"])
            #expect(context.startsWithOwnEntry)
        }
    }

    /// 32 members are carried, the last dropped to make room for the service's entry; 33 are
    /// invalid and dropped, while the trace is continued.
    @Test func thirtyTwoMembersAtMost() async throws {
        func fields(_ count: Int) -> [(String, String)] {
            let members = (1...count).map { String(format: "bar%02d=%02d", $0, $0) }
            return [("traceparent", traceparent)]
                + stride(from: 0, to: count, by: 10).map {
                    ("tracestate", members[$0..<min($0 + 10, count)].joined(separator: ","))
                }
        }
        try await Harness.run { harness in
            let carried = try await harness.propagated(fields(32))
            #expect(carried.keys == ["swiftrum"] + (1...31).map { String(format: "bar%02d", $0) })
            #expect(carried.value("bar01") == "01")
            let dropped = try await harness.propagated(fields(33))
            #expect(dropped.traceID == traceID)
            #expect(dropped.keys == ["swiftrum"])
        }
    }

    /// The first member of a key is kept (the specification allows that or keeping all), and the
    /// service's own earlier entry is replaced by its new one.
    @Test func duplicatedKeysKeepTheFirst() async throws {
        try await Harness.run { harness in
            let inOneField = try await harness.propagated([("traceparent", traceparent), ("tracestate", "foo=1,foo=2")])
            #expect(inOneField.keys == ["swiftrum", "foo"] && inOneField.value("foo") == "1")
            let inTwoFields = try await harness.propagated([
                ("traceparent", traceparent), ("tracestate", "foo=1"), ("tracestate", "foo=2"),
            ])
            #expect(inTwoFields.keys == ["swiftrum", "foo"] && inTwoFields.value("foo") == "1")
            let ownEntry = try await harness.propagated([
                ("traceparent", traceparent), ("tracestate", "foo=1,swiftrum=old"),
            ])
            #expect(ownEntry.keys == ["swiftrum", "foo"])
            #expect(ownEntry.startsWithOwnEntry)
        }
    }

    @Test func optionalWhitespaceIsAllowed() async throws {
        try await Harness.run { harness in
            let context = try await harness.propagated([
                ("traceparent", "\t \(traceparent) \t"), ("tracestate", " foo=1 \t , \t bar=2,\t \tbaz=3\t"),
            ])
            #expect(context.traceID == traceID)
            #expect(context.keys == ["swiftrum", "foo", "bar", "baz"])
            #expect(context.value("foo") == "1" && context.value("bar") == "2" && context.value("baz") == "3")
        }
    }

    @Test func anEmptyTracestateIsNoEntry() async throws {
        try await Harness.run { harness in
            let empty = try await harness.propagated([("traceparent", traceparent), ("tracestate", "")])
            #expect(empty.traceID == traceID && empty.keys == ["swiftrum"])
            for pair in [("", "foo=1"), ("foo=1", "")] {
                let context = try await harness.propagated([
                    ("traceparent", traceparent), ("tracestate", pair.0), ("tracestate", pair.1),
                ])
                #expect(context.keys == ["swiftrum", "foo"], "\(pair)")
            }
        }
    }

    /// Each list is invalid as a whole: it is dropped, and the trace is still continued.
    @Test func anInvalidTracestateIsDropped() async throws {
        let invalid = [
            "foo=bar=baz", "foo=,bar=3", "FOO=1", "foo.bar=1", "@foo=1,bar=2", "foo",
            "bar=1,\(String(repeating: "z", count: 257))=1",
            "foo=1,bar=caf\u{E9}",
        ]
        try await Harness.run { harness in
            for value in invalid {
                let context = try await harness.propagated([("traceparent", traceparent), ("tracestate", value)])
                #expect(context.traceID == traceID, "\(value)")
                #expect(context.keys == ["swiftrum"], "\(value)")
            }
        }
    }

    /// Level 2 keys: a digit first, `@` anywhere but first, up to 256 bytes; and every allowed value byte.
    @Test func level2KeysAndAllValueBytesAreCarried() async throws {
        let longKey = String(repeating: "z", count: 256)
        let value = String(decoding: Array(0x20...0x7E).filter { $0 != 0x2C && $0 != 0x3D }, as: UTF8.self)
        try await Harness.run { harness in
            let context = try await harness.propagated([
                ("traceparent", traceparent), ("tracestate", "foo@@bar=1,0abc=2,foo@bar@baz=3,\(longKey)=4"),
                ("tracestate", "abcdefghijklmnopqrstuvwxyz0123456789_-*/@a-z0-9_-*/=\(value)"),
            ])
            #expect(
                context.keys == [
                    "swiftrum", "foo@@bar", "0abc", "foo@bar@baz", longKey,
                    "abcdefghijklmnopqrstuvwxyz0123456789_-*/@a-z0-9_-*/",
                ])
            #expect(context.members.last?.value == value)
        }
    }

    /// Callbacks of one request share its trace and each is a new span with its own entry.
    @Test func severalCallbacksAreSpansOfOneTrace() async throws {
        try await Harness.run { harness in
            for fields in [
                [("traceparent", traceparent)], [],
                [("traceparent", "00-\(String(repeating: "0", count: 32))-\(parentID)-01")],
            ] {
                let contexts = try await harness.requestCallbacks(count: 3, fields: fields).map(PropagatedContext.init)
                #expect(contexts.count == 3)
                #expect(Set(contexts.map(\.traceID)).count == 1)
                #expect(Set(contexts.map(\.parentID)).count == 3)
                #expect(contexts.allSatisfy { $0.startsWithOwnEntry })
            }
        }
    }

    /// Arguments are posted as JSON: missing or `null` as `[]`, others as they are, nested
    /// instructions included.
    @Test func argumentsArePostedAsJSON() async throws {
        try await Harness.run { harness in
            let scope = "/\(UUID().uuidString)/"
            let url = { harness.callbackServer.url(scope + $0) }
            let nested = #"[{"arguments":{"a":[1,"b",true,null]},"url":"http://example.com/x"}]"#
            let response = try await harness.send(
                #"[{"url":"\#(url("0"))"},{"url":"\#(url("1"))","arguments":null},"#
                    + #"{"url":"\#(url("2"))","arguments":\#(nested)}]"#)
            #expect(response.status == 200)
            let bodies = harness.callbackServer.callbacks(under: scope).map(\.body)
            #expect(bodies == ["[]", "[]", nested])
        }
    }

    /// A callback that is itself told to call another URL: here the service's own `/test`,
    /// which calls the harness in a span of the same trace.
    @Test func nestedCallsStayInTheTrace() async throws {
        try await Harness.run { harness in
            let innerPath = "/\(UUID().uuidString)/inner"
            let inner = harness.callbackServer.url(innerPath)
            let response = try await harness.send(
                #"[{"url":"\#(harness.serviceURL)","arguments":[{"url":"\#(inner)","arguments":[]}]}]"#,
                fields: [("traceparent", traceparent), ("tracestate", "rojo=1")])
            #expect(response.status == 200)
            #expect(response.body == #"[{"status":200,"url":"\#(harness.serviceURL)"}]"#)
            let callback = try #require(harness.callbackServer.callbacks(under: innerPath).first)
            let context = try PropagatedContext(callback)
            #expect(context.traceID == traceID && context.parentID != parentID)
            #expect(context.keys == ["swiftrum", "rojo"])
            #expect(context.startsWithOwnEntry)
        }
    }

    /// A call that fails is reported in the response, and the next is still made.
    @Test func aFailedCallbackIsReported() async throws {
        try await Harness.run { harness in
            let scope = "/\(UUID().uuidString)/"
            let refused = "http://127.0.0.1:1/"
            let response = try await harness.send(
                #"[{"url":"\#(refused)","arguments":[]},{"url":"\#(harness.callbackServer.url(scope + "1"))"}]"#)
            #expect(response.status == 200)
            let outcomes = try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [[String: Any]])
            #expect(outcomes.count == 2)
            #expect(outcomes.first?["error"] is String && outcomes.first?["status"] == nil)
            #expect(outcomes.last?["status"] as? Int == 200)
            #expect(harness.callbackServer.callbacks(under: scope).count == 1)
        }
    }

    /// A callback unanswered for `--callback-timeout` is reported as failed, and the next is still made.
    @Test func anUnansweredCallbackTimesOut() async throws {
        let silent = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .ok, delay: .seconds(120)) }
        do {
            try await checkTimeout(silent)
        } catch {
            await silent.close()
            throw error
        }
        await silent.close()
    }

    /// The body of `anUnansweredCallbackTimesOut`, with `silent` as the callback that gets no answer.
    private func checkTimeout(_ silent: RecordingHTTPServer) async throws {
        try await Harness.run(callbackTimeout: 1) { harness in
            let scope = "/\(UUID().uuidString)/"
            let started = ContinuousClock.now
            let response = try await harness.send(
                #"[{"url":"\#(silent.url("/slow"))","arguments":[]},{"url":"\#(harness.callbackServer.url(scope + "1"))"}]"#)
            let elapsed = ContinuousClock.now - started
            #expect(response.status == 200)
            let outcomes = try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [[String: Any]])
            #expect(outcomes.count == 2)
            #expect(outcomes.first?["error"] is String && outcomes.first?["status"] == nil, "\(response.body)")
            #expect(outcomes.last?["status"] as? Int == 200)
            #expect(silent.received.count == 1)
            // Given up at the timeout, not at the answer two minutes away (nor the send's 20 s).
            #expect(elapsed >= .seconds(1) && elapsed < .seconds(20), "\(elapsed)")
        }
    }

    /// What is not an array of objects with an `http` URL gets 400 with a one-line reason.
    @Test func badInstructionsGet400() async throws {
        let bodies = [
            "not json", "", "{}", #"{"url":"http://127.0.0.1:1/"}"#, "[1]", "[{}]", #"[{"url":5}]"#,
            #"[{"url":"ftp://127.0.0.1/"}]"#, #"[{"url":"no url"}]"#, "[[]]",
        ]
        try await Harness.run { harness in
            for body in bodies {
                let response = try await harness.send(body)
                #expect(response.status == 400, "\(body)")
                #expect(response.body.hasSuffix("\n") && response.body.dropLast().allSatisfy { $0 != "\n" }, "\(body)")
            }
            let valid = try await harness.send("[]")
            #expect(valid.status == 200)
        }
    }

    @Test func otherPathsAndMethods() async throws {
        try await Harness.run { harness in
            let requests: [(method: HTTPMethod, path: String, status: Int)] = [
                (.POST, "/other", 404), (.POST, "/", 404), (.GET, "/test", 405), (.PUT, "/test", 405),
                (.POST, "/test?x=1", 200),
            ]
            for request in requests {
                let response = try await harness.send("[]", method: request.method, path: request.path)
                #expect(response.status == request.status, "\(request.method) \(request.path)")
            }
        }
    }
}
