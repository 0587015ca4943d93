import BenchmarkReporting
import Foundation
import Sampler
import W3CTraceContext

/// Measures W3CTraceContext beside swift-otel's `swift-w3c-trace-context` 1.0.0 in one process,
/// and prints medians, ratios and whether the targets are met:
///
/// - parsing and formatting a `traceparent` + `tracestate` pair: at least 3x the peer;
/// - the same for `traceparent` alone: at least 3x the peer, and no allocation (formatting into a
///   reused buffer), counted by a second copy of the tool with malloc-interposer preloaded;
/// - a sampling decision (Sampler) under 20 ns.
///
/// The peer's module has our module's name, so it cannot be linked into this package: it is built
/// by `Peers/W3CTraceContextPeer` as a shared library (`libW3CTraceContextPeer.so`) that this tool
/// loads (`W3CTraceContextPeer`), and its loop runs behind one C call per timed call.
///
/// Usage: `trace-context-ratios [--check] --peer LIBRARY`; with `--check` it exits with status 1 when
/// a target is missed. Build both with `-c release` (`Benchmarks/run` does).
@main
struct TraceContextRatios {
    /// Headers (or decisions) per timed call, so that the timer's own cost is spread thin.
    static let headersPerCall = 10_000
    /// The argument that makes a second copy of the tool count allocations.
    static let countAllocationsArgument = "--count-allocations"

    /// The example of the specification, and a `tracestate` of four members as several vendors
    /// and OpenTelemetry's consistent sampling leave it.
    static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    static let tracestate = "ot=th:8;rv:9b8233f7e3a151,congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,dd=s:1;t.dm:-4"

    /// Runs the tool, or counts allocations when started as the counting copy.
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if arguments == [countAllocationsArgument] {
                try printAllocationCounts()
                return
            }
            let check = arguments.contains("--check")
            arguments.removeAll { $0 == "--check" }
            guard arguments.count == 2, arguments[0] == "--peer" else {
                FileHandle.standardError.write(Data("usage: trace-context-ratios [--check] --peer libW3CTraceContextPeer.so\n".utf8))
                exit(2)
            }
            let peer = try W3CTraceContextPeer(path: arguments[1])
            var report = Report(
                title: "W3CTraceContext beside swift-otel's swift-w3c-trace-context 1.0.0: same process.",
                ours: "W3CTraceContext", peer: "swift-w3c-trace-context")
            report.header()
            try measure(
                peer: peer, allocations: try AllocationCounter.countInChildProcess(argument: countAllocationsArgument),
                into: &report)
            report.summary()
            if check && report.missed > 0 { exit(1) }
        } catch {
            FileHandle.standardError.write(Data("trace-context-ratios: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Parses and formats `traceparent` (and `tracestate` when `withState`) with this package,
    /// writing both header values into `buffer`; returns the bytes written.
    @inline(never)
    static func ours(_ traceparent: String, _ tracestate: String?, into buffer: inout ContiguousArray<UInt8>) throws -> Int {
        buffer.removeAll(keepingCapacity: true)
        let parent = try Traceparent(parsing: traceparent)
        parent.write(to: &buffer)
        if let tracestate {
            try TraceState(parsing: tracestate).write(to: &buffer)
        }
        return buffer.count
    }

    /// `headersPerCall` runs of `body`, summing what it returns so that nothing is optimized away.
    static func repeated(_ body: () throws -> Int) rethrows -> Int {
        var total = 0
        for _ in 0..<headersPerCall { total &+= try body() }
        return total
    }

    /// `headersPerCall` decisions of `sampler` for children of `parent` (root spans when `nil`) over
    /// changing trace ids; returns how many were sampled.
    static func decide(_ sampler: some Sampler, parent: ParentSpanContext?, from seed: UInt64) -> Int {
        var sampled = 0
        var low = seed
        for _ in 0..<headersPerCall {
            low = low &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if sampler.shouldSample(parent: parent, traceID: TraceID(high: 1, low: low)).decision == .recordAndSample {
                sampled += 1
            }
        }
        return sampled
    }

    static func measure(peer: W3CTraceContextPeer, allocations: [String: Int]?, into report: inout Report) throws {
        // Both sides read the headers correctly before anything is timed.
        var buffer = ContiguousArray<UInt8>()
        _ = try ours(traceparent, tracestate, into: &buffer)
        guard String(decoding: buffer, as: UTF8.self) == traceparent + tracestate, try TraceState(parsing: tracestate).count == 4,
            peer.memberCount(traceparent, tracestate) == 4,
            // The peer writes `, ` between members.
            peer.parseAndFormat(traceparent, tracestate, runs: 1) == buffer.count + 3
        else { throw InputError("the two libraries disagree on the benchmark's headers") }

        let ratioSampler = ParentBasedSampler(root: try TraceIDRatioBasedSampler(ratio: 0.25))
        let probabilitySampler = try ProbabilitySampler(ratio: 0.25)
        // A sampled remote parent with another vendor's tracestate, as a browser's request brings.
        let remoteParent = ParentSpanContext.remote(
            TraceContext(traceparent: try Traceparent(parsing: traceparent), traceState: try TraceState(parsing: "congo=t61rcWkgMzE")))
        var seed: UInt64 = 0
        let operations: [() throws -> Void] = [
            { blackHole(try repeated { try ours(traceparent, tracestate, into: &buffer) }) },
            { blackHole(peer.parseAndFormat(traceparent, tracestate, runs: headersPerCall)) },
            { blackHole(try repeated { try ours(traceparent, nil, into: &buffer) }) },
            { blackHole(peer.parseAndFormat(traceparent, nil, runs: headersPerCall)) },
            {
                seed &+= 1
                blackHole(decide(ratioSampler, parent: nil, from: seed))
            },
            {
                seed &+= 1
                blackHole(decide(probabilitySampler, parent: nil, from: seed))
            },
            {
                seed &+= 1
                blackHole(decide(ratioSampler, parent: remoteParent, from: seed))
            },
        ]
        let timings = try InterleavedTimer().measure(operations)
        let count = Double(headersPerCall)
        let nanoseconds = { (timing: Timing) in timing.median / count * 1e9 }
        let format = report
        let perHeader = { (timing: Timing) in
            String(format: "%.0f ns", nanoseconds(timing)) + " " + format.rate(count, timing, unit: "/s")
        }
        report.section("parse + format, \(Report.grouped(count)) a call")
        let pairRatio = timings[1].median / timings[0].median
        let aloneRatio = timings[3].median / timings[2].median
        report.row("traceparent + tracestate", ours: perHeader(timings[0]), peer: perHeader(timings[1]), ratio: pairRatio)
        report.row("traceparent alone", ours: perHeader(timings[2]), peer: perHeader(timings[3]), ratio: aloneRatio)
        report.note("tracestate of 4 members (\(tracestate.utf8.count) bytes); ours writes into a reused buffer, the peer returns strings")

        report.section("sampling decision, \(Report.grouped(count)) a call", ours: "Sampler", peer: "")
        let decisions = [
            ("ParentBased{TraceIdRatioBased}, root", nanoseconds(timings[4])),
            ("ProbabilitySampler (th), root", nanoseconds(timings[5])),
            ("ParentBased, remote sampled parent", nanoseconds(timings[6])),
        ]
        for (name, time) in decisions { report.row(name, ours: String(format: "%.1f ns/decision", time)) }

        report.target("parse + format ≥ 3x the peer", on: "pair", met: pairRatio >= 3, figure: Report.ratio(pairRatio))
        report.target("parse + format ≥ 3x the peer", on: "traceparent", met: aloneRatio >= 3, figure: Report.ratio(aloneRatio))
        if let allocations, let perCall = allocations["traceparent"] {
            report.note("allocations per parse + format: traceparent \(perCall), pair \(allocations["pair"] ?? -1)")
            report.target("0 allocations", on: "traceparent", met: perCall == 0, figure: "\(perCall)")
        } else {
            report.note("allocations: not counted (libMallocInterposerSwift not found beside the tool; build the whole package)")
            report.target("0 allocations", on: "traceparent", met: false, figure: "not counted")
        }
        let slowest = decisions.map(\.1).max() ?? .infinity
        report.target("sampling decision < 20 ns", on: "slowest of 3", met: slowest < 20, figure: String(format: "%.1f ns", slowest))
    }

    /// Counts allocations with the interposer loaded and prints them as JSON (the child's side):
    /// per parse + format, after a warm-up.
    static func printAllocationCounts() throws {
        guard let counter = AllocationCounter() else { throw InputError("malloc-interposer is not loaded") }
        var buffer = ContiguousArray<UInt8>()
        let runs = 1_000
        func perRun(_ body: () throws -> Void) throws -> Int {
            for _ in 0..<3 { try body() }
            return try counter.count { for _ in 0..<runs { try body() } } / runs
        }
        try AllocationCounter.printCounts([
            "traceparent": try perRun { blackHole(try ours(traceparent, nil, into: &buffer)) },
            "pair": try perRun { blackHole(try ours(traceparent, tracestate, into: &buffer)) },
        ])
    }
}
