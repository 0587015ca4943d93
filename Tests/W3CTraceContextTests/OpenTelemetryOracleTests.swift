import Foundation
import Testing
import TestSupport
import W3CTraceContext

/// Our `traceparent` and `tracestate` parsing against OpenTelemetry Python's propagator
/// (`../shared/oracles/traceparent.py`): the same accept/reject decision and the same values for
/// generated valid headers and mutations of them.
///
/// Known difference, not generated: Python's `$` also matches before a final newline, so it
/// accepts a `traceparent` ending in `\n`, which an HTTP field value cannot carry and we reject.
@Suite struct OpenTelemetryOracleTests {
    /// One request's headers: a `traceparent` value and the `tracestate` fields (`nil`: none sent).
    struct Case {
        var traceparent: String
        var tracestate: [String]?
    }

    @Test func sameDecisionsAndValuesAsOpenTelemetryPython() async throws {
        var random = SplitMix64(state: 0x7C0F_FEE5)
        let cases = (0..<20_000).map { _ in OpenTelemetryOracleTests.generateCase(&random) }
        let input = cases.map { header in
            ([header.traceparent] + (header.tracestate ?? [])).map(OpenTelemetryOracleTests.escaped).joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
        let output = try await TestEnvironment.runPython(
            arguments: [TestEnvironment.shared.appendingPathComponent("oracles/traceparent.py").path, "--escaped"],
            input: Data(input.utf8))
        let expected = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(expected.count == cases.count)
        var accepted = 0
        var statesKept = 0
        var mismatches = 0
        for (header, oracle) in zip(cases, expected) {
            let ours = OpenTelemetryOracleTests.extract(header)
            if ours.hasPrefix("valid") { accepted += 1 }
            if ours.hasPrefix("valid"), !ours.hasSuffix("\t") { statesKept += 1 }
            if ours != oracle, mismatches < 10 {
                mismatches += 1
                Issue.record("traceparent \(header.traceparent.debugDescription) tracestate \(String(describing: header.tracestate)): ours \(ours.debugDescription), OpenTelemetry \(oracle.debugDescription)")
            }
        }
        // The generator must exercise both sides of every decision.
        #expect(accepted > cases.count / 5 && accepted < cases.count * 4 / 5)
        #expect(statesKept > cases.count / 10 && statesKept < accepted * 9 / 10, "accepted \(accepted), tracestates kept \(statesKept)")
    }

    /// What the oracle prints for `header`, computed with this module.
    static func extract(_ header: Case) -> String {
        guard let parent = try? Traceparent(parsing: header.traceparent) else { return "invalid" }
        var state = ""
        if let fields = header.tracestate, let parsed = try? TraceState(parsingFields: fields) {
            state = parsed.headerValue
        }
        return ["valid", parent.traceID.description, parent.parentID.description, parent.flags.description, state]
            .joined(separator: "\t")
    }

    /// `text` as the body of a Python string literal, which the oracle's `--escaped` decodes.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: result += "\\\\"
            case 0x20...0x7E: result.unicodeScalars.append(scalar)
            case 0...0xFFFF: result += "\\u" + String(String(scalar.value, radix: 16).reversed()).padding(toLength: 4, withPad: "0", startingAt: 0).reversed()
            default: result += "\\U" + String(String(scalar.value, radix: 16).reversed()).padding(toLength: 8, withPad: "0", startingAt: 0).reversed()
            }
        }
        return result
    }

    static func hex(_ random: inout SplitMix64, count: Int) -> String {
        String((0..<count).map { _ in random.pick(Array("0123456789abcdef")) })
    }

    static func generateCase(_ random: inout SplitMix64) -> Case {
        Case(traceparent: generateTraceparent(&random), tracestate: random.chance(25) ? nil : generateTracestate(&random))
    }

    static func generateTraceparent(_ random: inout SplitMix64) -> String {
        let version = random.chance(70) ? "00" : random.pick(["01", "cc", "fe", "ff", "0a", hex(&random, count: 2)])
        var traceID = random.chance(3) ? String(repeating: "0", count: 32) : hex(&random, count: 32)
        var spanID = random.chance(3) ? String(repeating: "0", count: 16) : hex(&random, count: 16)
        if random.chance(5) { traceID = String(repeating: "0", count: 31) + "1" }
        if random.chance(5) { spanID = String(repeating: "0", count: 15) + "1" }
        var value = "\(version)-\(traceID)-\(spanID)-\(hex(&random, count: 2))"
        if version != "00" || random.chance(10) {
            value += random.pick(["", "-", "-x", "-extra-fields-here", "x", " -x", "-\t", "--", "-" + hex(&random, count: 40)])
        }
        var characters = Array(value)
        for _ in 0..<(random.chance(50) ? 0 : 1 + Int(random.next() % 3)) {
            let position = Int(random.next() % UInt64(characters.count))
            switch random.next() % 6 {
            case 0: characters[position] = Character(characters[position].uppercased())
            case 1: characters[position] = random.pick(["g", "G", "-", " ", "\t", "\u{0}", "é", "_", "x"])
            case 2: characters.remove(at: position)
            case 3: characters.insert(random.pick(["0", "a", "-", " "]), at: position)
            case 4: characters.insert(contentsOf: random.pick([" ", "\t", "  \t"]), at: random.chance(50) ? 0 : characters.count)
            default: characters += String(repeating: random.pick(["0", "-", " "]), count: random.pick([1, 400, 460]))
            }
        }
        return String(characters)
    }

    /// A key; only valid ones when `clean`, else any of the edge cases.
    static func generateKey(_ random: inout SplitMix64, clean: Bool) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_-*/")
        func run(_ count: Int) -> String { String((0..<count).map { _ in random.pick(alphabet) }) }
        if clean { return random.pick(["rojo", "congo", "vendor", "ot", "t1@sys"]) + run(Int(random.next() % 4)) }
        switch random.next() % 8 {
        case 0: return "k" + run(Int(random.next() % 6))
        case 1: return random.pick(["a", "z", "1"]) + run(random.pick([0, 254, 255, 256]))
        case 2: return random.pick(["t", "7"]) + run(random.pick([0, 3, 239, 240, 241])) + "@" + random.pick(["v", "1"]) + run(random.pick([0, 5, 12, 13, 14]))
        case 3: return random.pick(["Rojo", "con go", "a=b", "a@b@c", "a.b", "", "é", "a\u{0}"])
        case 4: return random.pick(["ot", "rojo", "congo", "dd", "sw"])
        default: return random.pick(["rojo", "congo", "vendor", "a", "b", "x1"]) + run(Int(random.next() % 3))
        }
    }

    /// A value; only valid ones when `clean`, else any of the edge cases.
    static func generateValue(_ random: inout SplitMix64, clean: Bool) -> String {
        let alphabet = Array(" !\"#$%&'()*+-./0123456789:;<>?@ABCXYZ[\\]^_`abcxyz{|}~")
        func run(_ count: Int) -> String { String((0..<count).map { _ in random.pick(alphabet) }) }
        if clean { return run(1 + Int(random.next() % 12)).replacingOccurrences(of: " ", with: "_") }
        switch random.next() % 6 {
        case 0: return run(random.pick([1, 255, 256, 257]))
        case 1: return random.pick(["", " ", "a b", " leading", "trailing ", "x=y", "\t", "a\tb", "é", "\u{7F}", "\u{0}", "th:8;rv:0123456789abcd"])
        default: return run(1 + Int(random.next() % 12)).replacingOccurrences(of: " ", with: "_")
        }
    }

    static func generateTracestate(_ random: inout SplitMix64) -> [String] {
        let memberCount = random.pick([0, 1, 1, 2, 3, 5, 31, 32, 33, 40])
        // Half the lists are made of valid members only (duplicates and limits aside).
        let clean = random.chance(50)
        var members: [String] = []
        for _ in 0..<memberCount {
            var member = clean || random.chance(92)
                ? generateKey(&random, clean: clean) + "=" + generateValue(&random, clean: clean)
                : random.pick(["", " ", "\t", "novalue", "=x"])
            if random.chance(8) { member = random.pick([" ", "\t", " \t"]) + member + random.pick(["", " ", "\t "]) }
            members.append(member)
        }
        if random.chance(10), let first = members.first { members.append(first) }
        if random.chance(5) { members.append(contentsOf: Array(repeating: "", count: random.pick([2, 3000]))) }
        if random.chance(3) { members.append("big=" + String(repeating: "v", count: 200)) }
        let fieldCount = members.isEmpty ? 1 : 1 + Int(random.next() % UInt64(min(members.count, 3)))
        var fields: [String] = []
        var rest = members[...]
        for field in 0..<fieldCount {
            let take = field == fieldCount - 1 ? rest.count : Int(random.next() % UInt64(rest.count + 1))
            fields.append(rest.prefix(take).joined(separator: random.pick([",", ",", ", ", " ,\t"])))
            rest = rest.dropFirst(take)
        }
        return fields
    }
}
