import Foundation
import OTLPCodec
import TestSupport

/// Small export requests of each signal, encoded from OTLP/JSON, each naming its resource
/// `service.name` so that a decoded batch shows which requests it holds and in what order.
enum OTLPSamples {
    /// An encoded `Export…ServiceRequest` of `signal` with one resource named `service`.
    static func request(_ signal: OTLPSignal, service: String) -> ContiguousArray<UInt8> {
        let resource = #"{"attributes":[{"key":"service.name","value":{"stringValue":"\#(service)"}}]}"#
        let json: String
        switch signal {
        case .traces:
            json = #"{"resourceSpans":[{"resource":\#(resource),"scopeSpans":[{"scope":{"name":"test"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"span","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000100000000"}]}]}]}"#
        case .logs:
            json = #"{"resourceLogs":[{"resource":\#(resource),"scopeLogs":[{"scope":{"name":"test"},"logRecords":[{"timeUnixNano":"1700000000000000000","severityNumber":9,"body":{"stringValue":"hello"}}]}]}]}"#
        case .metrics:
            json = #"{"resourceMetrics":[{"resource":\#(resource),"scopeMetrics":[{"scope":{"name":"test"},"metrics":[{"name":"requests","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"asInt":"3","timeUnixNano":"1700000000000000000"}]}}]}]}]}"#
        }
        var protobuf = ContiguousArray<UInt8>()
        var bytes = Array(json.utf8)
        bytes.withUnsafeMutableBytes { json in
            do {
                try OTLPJSON.transcodeToProtobuf(UnsafeRawBufferPointer(json), signal: signal, into: &protobuf)
            } catch {
                fatalError("the sample \(signal) request does not transcode: \(error)")
            }
        }
        return protobuf
    }

    /// The signal's name as the oracles take it.
    static func name(_ signal: OTLPSignal) -> String {
        switch signal {
        case .traces: "traces"
        case .logs: "logs"
        case .metrics: "metrics"
        }
    }

    /// The `service.name` of every resource of a request body, in order, as the protobuf oracle
    /// (`../shared/oracles/otlp_decode.py`, Python's protobuf) decodes it: a concatenated batch
    /// must decode as one request.
    static func decodedServices(_ body: [UInt8], signal: OTLPSignal) async throws -> [String] {
        let output = try await TestEnvironment.runPython(
            arguments: [TestEnvironment.shared.appendingPathComponent("oracles/otlp_decode.py").path, "--otlp-json", name(signal)],
            input: Data(body))
        let object = try JSONSerialization.jsonObject(with: output) as? [String: Any] ?? [:]
        let key = ["traces": "resourceSpans", "logs": "resourceLogs", "metrics": "resourceMetrics"][name(signal)]!
        let resources = object[key] as? [[String: Any]] ?? []
        return resources.map { resource in
            let attributes = (resource["resource"] as? [String: Any])?["attributes"] as? [[String: Any]] ?? []
            let name = attributes.first { $0["key"] as? String == "service.name" }
            return ((name?["value"] as? [String: Any])?["stringValue"] as? String) ?? "?"
        }
    }

    /// Inflates a gzip body with Python's `gzip` module.
    static func gunzip(_ body: [UInt8]) async throws -> [UInt8] {
        let output = try await TestEnvironment.runPython(
            code: "import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))", input: Data(body))
        return Array(output)
    }
}
