import Foundation
import TestSupport
import W3CTraceContext

/// The oracles these tests compare with: `../shared/oracles/sampler.py` (OpenTelemetry Python's
/// `TraceIdRatioBased`) and Python programs run in the oracles' venv.
enum Oracles {
    /// `sampler.py ratio R`: 1 or 0 for each trace id.
    static func ratioDecisions(ratio: Double, traceIDs: [TraceID]) async throws -> [Bool] {
        let input = traceIDs.map { $0.description + "\n" }.joined()
        let output = try await sampler(["ratio", "\(ratio)"], input: input)
        return output.split(separator: "\n").map { $0 == "1" }
    }

    /// `sampler.py bound R`: the integer bound, in decimal.
    static func bound(ratio: Double) async throws -> String {
        try await sampler(["bound", "\(ratio)"], input: "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `program` (Python source) on `input`; its stdout as lines.
    static func python(_ program: String, input: String) async throws -> [String] {
        let output = try await TestEnvironment.runPython(code: program, input: Data(input.utf8))
        return String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map(String.init)
    }

    private static func sampler(_ arguments: [String], input: String) async throws -> String {
        let script = TestEnvironment.shared.appendingPathComponent("oracles/sampler.py").path
        let output = try await TestEnvironment.runPython(arguments: [script] + arguments, input: Data(input.utf8))
        return String(decoding: output, as: UTF8.self)
    }
}
