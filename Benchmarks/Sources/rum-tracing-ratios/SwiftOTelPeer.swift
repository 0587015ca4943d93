import BenchmarkReporting
import Foundation

/// swift-otel 1.6.0's tracing backend, from the shared library that `Peers/SwiftOTelPeer` builds,
/// loaded at run time: it starts the backend, runs the workload on its tracer and stops it.
struct SwiftOTelPeer {
    /// `swift_otel_peer_start`: the endpoint and the schedule delay in milliseconds; 0 once started.
    private typealias Start = @convention(c) (UnsafePointer<CChar>, Int) -> Int
    /// `swift_otel_peer_make_spans`: the spans to make; how many were made.
    private typealias MakeSpans = @convention(c) (Int) -> Int
    /// `swift_otel_peer_stop`.
    private typealias Stop = @convention(c) () -> Void

    /// The library's functions.
    private let startFunction: Start
    private let makeSpansFunction: MakeSpans
    private let stopFunction: Stop

    /// Loads the library at `path`.
    init(path: String) throws {
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw InputError("cannot load the peer \(path): \(String(cString: dlerror()))")
        }
        guard let start = dlsym(library, "swift_otel_peer_start"), let makeSpans = dlsym(library, "swift_otel_peer_make_spans"),
            let stop = dlsym(library, "swift_otel_peer_stop")
        else { throw InputError("\(path) is not the SwiftOTelPeer library") }
        startFunction = unsafeBitCast(start, to: Start.self)
        makeSpansFunction = unsafeBitCast(makeSpans, to: MakeSpans.self)
        stopFunction = unsafeBitCast(stop, to: Stop.self)
    }

    /// Starts the backend, exporting over OTLP/HTTP protobuf to `endpoint` (the whole URL), with
    /// its batch span processor's schedule delay `scheduleDelay`.
    func start(endpoint: String, scheduleDelay: Duration) throws {
        let milliseconds = Int(InterleavedTimer.seconds(scheduleDelay) * 1000)
        guard endpoint.withCString({ startFunction($0, milliseconds) }) == 0 else {
            throw InputError("swift-otel's tracing backend could not be started")
        }
    }

    /// Makes `count` spans of the workload on the calling thread.
    func makeSpans(_ count: Int) {
        _ = makeSpansFunction(count)
    }

    /// Shuts the backend down, if it runs, and returns once it has stopped (within about 25 s). The
    /// library's call blocks its thread: it runs on a thread of its own, outside Swift's
    /// concurrency pool, where the backend's shutdown runs.
    func stop() async {
        let stop = stopFunction
        await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                stop()
                stopped.resume()
            }
        }
    }
}
