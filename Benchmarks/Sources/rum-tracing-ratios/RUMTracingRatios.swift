import BenchmarkReporting
import Foundation
import Logging
import OTLPHTTPClient
import RUMTracing
import Sampler
import ServiceLifecycle
import Tracing

/// Measures RUMTracing beside swift-otel 1.6.0 in one process, each tracer exporting over OTLP/HTTP
/// protobuf to the same local sink, and prints medians, ratios and whether the targets are met:
/// a span started, given 4 attributes, ended and exported, in steady state, at least 3x cheaper
/// than swift-otel's in CPU time (of the whole process: every thread that batches, encodes and
/// sends) and in allocations (of the whole process, counted by a second copy of the tool with
/// malloc-interposer preloaded).
///
/// Both tracers sample every span, batch with their processors' defaults (a queue of 2,048,
/// batches of 512) and export to `loki-sink`, which this tool starts beside it (`OTLPSink`). Spans
/// are made in bursts (`SpanMeasurement`); after each, RUMTracing is flushed, and swift-otel, whose
/// `forceFlush` exports its queue without emptying it (so its spans would go out twice), exports on
/// its schedule, shortened to 50 ms; the tool waits until the sink has every span.
///
/// swift-otel depends on swift-w3c-trace-context, whose module has our W3CTraceContext's name, so it
/// cannot be linked into this package: `Peers/SwiftOTelPeer` builds it as a shared library
/// (`libSwiftOTelPeer.so`) that this tool loads (`SwiftOTelPeer`), and its spans are made behind
/// one C call per burst.
///
/// Everything runs on the main actor: the spans are made on the main queue, off Swift's concurrency
/// pool, which both tracers' background work has to itself.
///
/// Usage: `rum-tracing-ratios [--check] --peer LIBRARY`; with `--check` it exits with status 1 when
/// a target is missed. Build both with `-c release` (`Benchmarks/run` does), and the whole package,
/// which has `loki-sink` and malloc-interposer.
@main
@MainActor
struct RUMTracingRatios {
    /// The argument that makes a second copy of the tool count allocations.
    static let countAllocationsArgument = "--count-allocations"
    /// The timed rounds of each tracer, interleaved.
    static let rounds = 15
    /// The rounds whose allocations the counting copy counts, of each tracer.
    static let allocationRounds = 3
    /// The bursts of each tracer before anything is measured.
    static let warmUpBursts = 10
    /// swift-otel's schedule delay: how long a span waits for the timer that exports a batch of 512
    /// when its queue is not full (5 s by default, which would make each round last 15 s).
    static let peerScheduleDelay: Duration = .milliseconds(50)
    /// The resource of both tracers' spans (swift-otel's `serviceName` and `resourceAttributes`).
    static let resource: SpanAttributes = [
        "service.name": "shop", "service.version": "1.0.0", "deployment.environment.name": "production",
    ]

    /// Runs the tool, or counts allocations when started as the counting copy.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let counting = arguments.first == countAllocationsArgument
        if counting { arguments.removeFirst() }
        let check = arguments.contains("--check")
        arguments.removeAll { $0 == "--check" }
        guard arguments.count == 2, arguments[0] == "--peer" else {
            FileHandle.standardError.write(Data("usage: rum-tracing-ratios [--check] --peer libSwiftOTelPeer.so\n".utf8))
            exit(2)
        }
        do {
            let peer = try SwiftOTelPeer(path: arguments[1])
            if counting {
                try await printAllocationCounts(peer: peer)
                return
            }
            var report = Report(
                title: "RUMTracing beside swift-otel 1.6.0, both exporting OTLP/HTTP protobuf to a local sink: same process.",
                ours: "RUMTracing", peer: "swift-otel 1.6.0")
            report.header(
                "Medians of \(rounds) interleaved rounds of each tracer, each \(SpanMeasurement.burstsPerRound) bursts of "
                    + "\(Report.grouped(Double(SpanMeasurement.spansPerBurst))) spans made, exported and taken by the sink, after "
                    + "\(warmUpBursts) bursts of warm-up; ± is half the interquartile range of the rounds.")
            let allocations = try AllocationCounter.countInChildProcess(argument: countAllocationsArgument, otherArguments: arguments)
            let costs = try await withTracers(peer: peer) { tracers, measurement in
                for tracer in tracers {
                    _ = try await measurement.round(of: tracer, bursts: warmUpBursts)
                }
                var costs = Array(repeating: [RoundCost](), count: tracers.count)
                for _ in 0..<rounds {
                    for (index, tracer) in tracers.enumerated() {
                        costs[index].append(try await measurement.round(of: tracer))
                    }
                }
                return costs
            }
            reportCosts(ours: costs[0], peer: costs[1], allocations: allocations, into: &report)
            report.summary()
            if check && report.missed > 0 { exit(1) }
        } catch {
            FileHandle.standardError.write(Data("rum-tracing-ratios: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Starts the sink, RUMTracing (a `BatchSpanProcessor` into an `OTLPHTTPClient`, run by a
    /// service group, and a `RUMTracer` that samples every span) and swift-otel, runs `body` with
    /// the two tracers (ours first) and a measurement on the sink, then stops them all, whether
    /// `body` throws or not.
    static func withTracers<Value>(
        peer: SwiftOTelPeer, _ body: @MainActor ([TracerUnderTest], inout SpanMeasurement) async throws -> Value
    ) async throws -> Value {
        let sink = try OTLPSink()
        defer { sink.stop() }
        let processor = BatchSpanProcessor(
            exporter: try OTLPHTTPClient(configuration: OTLPHTTPClientConfiguration(endpoint: sink.baseURL)), resource: resource)
        let tracer = RUMTracer(sampler: AlwaysOnSampler(), processor: processor)
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: processor)], logger: Logger(label: "rum-tracing-ratios", factory: { _ in SwiftLogNoOpLogHandler() }))
        configuration.maximumGracefulShutdownDuration = Duration.seconds(20)
        configuration.maximumCancellationDuration = Duration.seconds(5)
        let group = ServiceGroup(configuration: configuration)
        let running = Task { try await group.run() }
        let tracers = [
            TracerUnderTest(name: "RUMTracing", makeSpans: { makeSpans($0, on: tracer) }, flush: { await processor.flush() }),
            TracerUnderTest(name: "swift-otel", makeSpans: peer.makeSpans, flush: {}),
        ]
        let result: Result<Value, any Error>
        do {
            try peer.start(endpoint: "\(sink.baseURL)/v1/traces", scheduleDelay: peerScheduleDelay)
            var measurement = try await SpanMeasurement(sink: sink)
            result = .success(try await body(tracers, &measurement))
        } catch {
            result = .failure(error)
        }
        await peer.stop()
        await group.triggerGracefulShutdown()
        try await running.value
        return try result.get()
    }

    /// Prints the figures of both tracers and checks the targets.
    static func reportCosts(ours: [RoundCost], peer: [RoundCost], allocations: [String: Int]?, into report: inout Report) {
        let spans = Double(SpanMeasurement.spansPerRound)
        let perSpan = { (rounds: [RoundCost], seconds: (RoundCost) -> Double) in Timing(samples: rounds.map { seconds($0) / spans }) }
        let figure = { (timing: Timing) in String(format: "%.0f ns/span ±%.1f%%", timing.median * 1e9, timing.spread * 100) }
        let median = { (rounds: [RoundCost], value: (RoundCost) -> Double) in Timing(samples: rounds.map(value)).median }

        report.section("a server span: started, 4 attributes, ended, exported (\(Report.grouped(spans)) spans a round)")
        let oursCPU = perSpan(ours, \.cpuSeconds)
        let peerCPU = perSpan(peer, \.cpuSeconds)
        let cpuRatio = peerCPU.median / oursCPU.median
        report.row("CPU time, whole process", ours: figure(oursCPU), peer: figure(peerCPU), ratio: cpuRatio)
        let oursMaking = perSpan(ours, \.makingSeconds)
        let peerMaking = perSpan(peer, \.makingSeconds)
        report.row("calling thread, wall", ours: figure(oursMaking), peer: figure(peerMaking), ratio: peerMaking.median / oursMaking.median)
        let cpuTarget = "CPU time per span ≥ 3x cheaper than swift-otel"
        report.target(cpuTarget, on: "4 attributes", met: cpuRatio >= 3, figure: Report.ratio(cpuRatio))

        let allocationTarget = "allocations per span ≥ 3x fewer than swift-otel"
        if let allocations, let oursCount = allocations["RUMTracing"], let peerCount = allocations["swift-otel"] {
            let oursPerSpan = Double(oursCount) / spans
            let peerPerSpan = Double(peerCount) / spans
            let ratio = peerPerSpan / oursPerSpan
            report.row(
                "allocations, whole process", ours: String(format: "%.2f/span", oursPerSpan), peer: String(format: "%.2f/span", peerPerSpan),
                ratio: ratio)
            report.target(allocationTarget, on: "4 attributes", met: ratio >= 3, figure: Report.ratio(ratio))
        } else {
            report.note("allocations: not counted (libMallocInterposerSwift not found beside the tool; build the whole package)")
            report.target(allocationTarget, on: "4 attributes", met: false, figure: "not counted")
        }
        let bursts = Double(SpanMeasurement.burstsPerRound)
        report.row(
            "export requests", ours: String(format: "%.1f/burst", median(ours) { Double($0.exports) / bursts }),
            peer: String(format: "%.1f/burst", median(peer) { Double($0.exports) / bursts }))
        report.row(
            "exported bytes", ours: String(format: "%.1f B/span", median(ours) { Double($0.exportBytes) / spans }),
            peer: String(format: "%.1f B/span", median(peer) { Double($0.exportBytes) / spans }))
        report.note("CPU time and allocations: this process's, every thread (making, batching, encoding, HTTP); the sink runs in its own")
        report.note(
            "RUMTracing is flushed after each burst; swift-otel exports on its \(Int(InterleavedTimer.seconds(peerScheduleDelay) * 1000)) ms "
                + "schedule (its forceFlush would export the queue twice)")
    }

    /// Counts allocations with the interposer loaded and prints them as JSON (the child's side):
    /// each tracer's median over `allocationRounds` rounds, after the same warm-up.
    static func printAllocationCounts(peer: SwiftOTelPeer) async throws {
        guard let counter = AllocationCounter() else { throw InputError("malloc-interposer is not loaded") }
        let counts = try await withTracers(peer: peer) { tracers, measurement in
            var counts: [String: Int] = [:]
            for tracer in tracers {
                _ = try await measurement.round(of: tracer, bursts: warmUpBursts)
                var rounds: [Int] = []
                for _ in 0..<allocationRounds {
                    rounds.append(try await counter.count { _ = try await measurement.round(of: tracer) })
                }
                counts[tracer.name] = rounds.sorted()[rounds.count / 2]
            }
            return counts
        }
        try AllocationCounter.printCounts(counts)
    }
}
