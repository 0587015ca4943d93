import W3CTraceContext

/// Parses `traceparent` (and `tracestate`, unless it is null) with swift-w3c-trace-context and
/// formats the header values again, `runs` times; returns the bytes formatted, or -1 if the peer
/// rejects the headers. The C strings are read into Swift strings once, before the runs.
@_cdecl("w3c_trace_context_peer_parse_and_format")
public func parseAndFormat(_ traceparent: UnsafePointer<CChar>, _ tracestate: UnsafePointer<CChar>?, _ runs: Int) -> Int {
    let traceparent = String(cString: traceparent)
    let tracestate = tracestate.map { String(cString: $0) }
    var total = 0
    for _ in 0..<runs {
        guard let context = try? TraceContext(traceParentHeaderValue: traceparent, traceStateHeaderValue: tracestate) else {
            return -1
        }
        total &+= context.traceParentHeaderValue.utf8.count + (context.traceStateHeaderValue?.utf8.count ?? 0)
    }
    return total
}

/// The number of `tracestate` members of the pair as the peer parses it, or -1 if it rejects the headers.
@_cdecl("w3c_trace_context_peer_member_count")
public func memberCount(_ traceparent: UnsafePointer<CChar>, _ tracestate: UnsafePointer<CChar>) -> Int {
    let context = try? TraceContext(traceParentHeaderValue: String(cString: traceparent), traceStateHeaderValue: String(cString: tracestate))
    return context?.state.count ?? -1
}
