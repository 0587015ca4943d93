import BenchmarkReporting
import Foundation

/// swift-w3c-trace-context's parse-and-format loop, from the shared library that
/// `Peers/W3CTraceContextPeer` builds, loaded at run time.
struct W3CTraceContextPeer {
    private typealias ParseAndFormat = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>?, Int) -> Int
    private typealias MemberCount = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Int

    private let parseAndFormatFunction: ParseAndFormat
    private let memberCountFunction: MemberCount

    /// Loads the library at `path`.
    init(path: String) throws {
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw InputError("cannot load the peer \(path): \(String(cString: dlerror()))")
        }
        guard let parseAndFormat = dlsym(library, "w3c_trace_context_peer_parse_and_format"),
            let memberCount = dlsym(library, "w3c_trace_context_peer_member_count")
        else { throw InputError("\(path) is not the W3CTraceContextPeer library") }
        parseAndFormatFunction = unsafeBitCast(parseAndFormat, to: ParseAndFormat.self)
        memberCountFunction = unsafeBitCast(memberCount, to: MemberCount.self)
    }

    /// Parses and formats the pair (or `traceparent` alone) `runs` times; the bytes formatted, -1 if rejected.
    func parseAndFormat(_ traceparent: String, _ tracestate: String?, runs: Int) -> Int {
        traceparent.withCString { traceparent in
            guard let tracestate else { return parseAndFormatFunction(traceparent, nil, runs) }
            return tracestate.withCString { parseAndFormatFunction(traceparent, $0, runs) }
        }
    }

    /// The `tracestate` members of the pair as the peer parses it, -1 if rejected.
    func memberCount(_ traceparent: String, _ tracestate: String) -> Int {
        traceparent.withCString { traceparent in tracestate.withCString { memberCountFunction(traceparent, $0) } }
    }
}
