import Foundation
import TestSupport
import Testing

@testable import FaroModel

/// The lines and labels Grafana Alloy's own `faro.receiver` wrote for the payloads in
/// `../shared/vectors/alloy`, compared byte for byte.
@Suite struct AlloyVectorTests {
    static let payloads = ["payload", "payload_2", "payload_modern"]

    /// Decodes `NAME.json` from the shared vectors.
    static func payload(_ name: String) throws -> FaroPayload {
        try FaroPayloadDecoder().decode(ContiguousArray(try TestEnvironment.sharedFile("vectors/alloy/\(name).json")))
    }

    /// The lines for `payload` in `format`, newline-terminated, and the labels likewise.
    static func render(
        _ payload: FaroPayload, format: FaroLogFormat, extraLogLabels: [String: String] = [:]
    ) -> (lines: String, labels: String) {
        var encoder = FaroLogLineEncoder(format: format, extraLogLabels: extraLogLabels)
        var buffer = ContiguousArray<UInt8>()
        var lines: [FaroLogLine] = []
        #expect(encoder.encode(payload, into: &buffer, lines: &lines) == 0)
        var text = ""
        var labels = ""
        for line in lines {
            text += String(decoding: buffer[line.line], as: UTF8.self) + "\n"
            labels += String(decoding: buffer[line.labels], as: UTF8.self) + "\n"
        }
        return (text, labels)
    }

    @Test(arguments: payloads, FaroLogFormat.allCases)
    func linesMatchAlloy(name: String, format: FaroLogFormat) throws {
        let expected = String(
            decoding: try TestEnvironment.sharedFile("vectors/alloy/expected/\(name).lines-\(format.rawValue).txt"),
            as: UTF8.self)
        let (lines, labels) = AlloyVectorTests.render(try AlloyVectorTests.payload(name), format: format)
        #expect(lines == expected)
        let expectedLabels = String(
            decoding: try TestEnvironment.sharedFile("vectors/alloy/expected/\(name).labels.txt"), as: UTF8.self)
        #expect(labels == expectedLabels)
    }

    @Test func encodingReusesBuffersAndAppends() throws {
        let payload = try AlloyVectorTests.payload("payload_modern")
        var encoder = FaroLogLineEncoder()
        var buffer = ContiguousArray<UInt8>()
        var lines: [FaroLogLine] = []
        encoder.encode(payload, into: &buffer, lines: &lines)
        let first = Array(buffer)
        encoder.encode(payload, into: &buffer, lines: &lines)
        #expect(lines.count == 12)
        #expect(Array(buffer[lines[6].line.lowerBound...]) == first)
        #expect(lines.map(\.kind) == Array(repeating: [.log, .exception, .measurement, .measurement, .event, .event], count: 2).flatMap { $0 })
    }

    @Test func extraLogLabelsTakeLineValues() throws {
        let payload = try AlloyVectorTests.payload("payload_modern")
        let (_, labels) = AlloyVectorTests.render(
            payload, format: .logfmt, extraLogLabels: ["kind": "", "app": "webshop-frontend", "missing": "", "value_lcp": ""])
        #expect(
            labels.split(separator: "\n") == [
                #"{app="webshop-frontend", kind="log"}"#,
                #"{app="webshop-frontend", kind="exception"}"#,
                #"{app="webshop-frontend", kind="measurement", value_lcp="2431.7"}"#,
                #"{app="webshop-frontend", kind="measurement"}"#,
                #"{app="webshop-frontend", kind="event"}"#,
                #"{app="webshop-frontend", kind="event"}"#,
            ])
    }

    @Test func legacyTracesAreKeptAsBytes() throws {
        let data = try TestEnvironment.sharedFile("vectors/alloy/payload.json")
        let payload = try FaroPayloadDecoder().decode(ContiguousArray(data))
        let traces = try #require(payload.traces)
        let json = String(decoding: traces.json, as: UTF8.self)
        #expect(json.hasPrefix("{") && json.hasSuffix("}"))
        #expect(json.contains("instrumentationLibrarySpans"))
        let copied = try data.withUnsafeBytes { try FaroPayloadDecoder().decode($0) }
        #expect(copied.traces == traces)
    }
}
