import W3CTraceContext

/// The trace context this service works in while it handles one `POST /test`, taken from the
/// request's fields as a participating tracer takes it, and the fields of each call it makes in it.
///
/// Exactly one valid `traceparent` field continues the caller's trace: same trace id, the
/// `sampled` and `random` flags as received. Otherwise (none, several, or an invalid one) the
/// service starts a new trace with a random trace id and the `random` flag, and ignores
/// `tracestate`, as the specification requires. All `tracestate` fields are read as one list
/// (Level 2 keys, the first of duplicated keys kept); an invalid list is dropped.
///
/// Each call is a new span: its id is the `parent-id` of the call's `traceparent` and the value
/// of this service's entry, which `setValue` puts first in `tracestate` (dropping the 33rd member).
struct PropagationContext: Sendable {
    /// Why a request's trace is not continued.
    enum RestartReason: Error, Sendable, CustomStringConvertible {
        /// The request has no `traceparent` field.
        case missing
        /// The request has this many `traceparent` fields.
        case duplicated(Int)
        /// The one `traceparent` field is invalid.
        case invalid(TraceparentError)

        var description: String {
            switch self {
            case .missing: "no traceparent"
            case .duplicated(let count): "\(count) traceparent fields"
            case .invalid(let error): "invalid traceparent: \(error)"
            }
        }
    }

    /// The key of this service's `tracestate` entry.
    static let vendorKey = "swiftrum"

    /// How `tracestate` is read: the Level 2 key grammar and the first of duplicated keys kept,
    /// as the official test suite expects.
    static let traceStateOptions = TraceState.ParsingOptions(keyGrammar: .level2, duplicateKeys: .keepFirst)

    /// The trace this service's spans belong to, with its flags and the caller's entries.
    let context: TraceContext
    /// Why the caller's trace was not continued, or `nil` when it was.
    let restartReason: RestartReason?
    /// Why the caller's `tracestate` was dropped, or `nil` when it was carried (or not read).
    let traceStateError: TraceStateError?

    /// The context of a request with these `traceparent` and `tracestate` field values.
    init(traceparentFields: [String], tracestateFields: [String]) {
        let parent: Traceparent
        do {
            parent = try Self.parent(from: traceparentFields)
        } catch {
            // A new trace; this service records nothing, so it does not set `sampled`.
            context = TraceContext(traceID: .random(), spanID: .random(), flags: .random)
            restartReason = error
            traceStateError = nil
            return
        }
        var traceState = TraceState()
        var traceStateError: TraceStateError?
        if !tracestateFields.isEmpty {
            do {
                traceState = try TraceState(parsingFields: tracestateFields, options: Self.traceStateOptions)
            } catch {
                traceStateError = error
            }
        }
        context = TraceContext(traceparent: parent, traceState: traceState)
        restartReason = nil
        self.traceStateError = traceStateError
    }

    /// The one valid `traceparent` among `fields`.
    private static func parent(from fields: [String]) throws(RestartReason) -> Traceparent {
        guard fields.count == 1 else { throw fields.isEmpty ? .missing : .duplicated(fields.count) }
        do {
            return try Traceparent(parsing: fields[0])
        } catch {
            throw .invalid(error)
        }
    }

    /// The `traceparent` and `tracestate` values of a call made in a new span of this context.
    func childSpanFields() -> (traceparent: String, tracestate: String) {
        var child = context
        child.spanID = .random()
        // The key is a constant Level 1 key and the value 16 hex digits: both always valid.
        try? child.traceState.setValue(child.spanID.description, forKey: Self.vendorKey)
        return (child.traceparent.headerValue, child.traceState.headerValue)
    }
}
