// libFuzzer target for the header parsers of W3CTraceContext. Built by scripts/fuzz in one swiftc
// invocation with all of Sources/W3CTraceContext, so internal API is reachable without @testable.
//
// The input is split into lines: the first is read as a `traceparent`, an `uber-trace-id` and a
// `b3` value, the second as a `tracestate` value, and the lines together as a request's header
// fields (`name:value` lines, the first two as `traceparent` and `tracestate`). Checked (a
// violation calls fatalError, which libFuzzer reports as a crash with the input saved):
//   - traceparent: parsing bytes and the same bytes as a String agree; an error's offset lies in the
//     value; a parsed value formats to 55 bytes that parse back to the same ids and flags, and to the
//     trimmed input itself when that was a version 00 value;
//   - tracestate, under each key grammar and duplicate policy: at most 32 members, each key and value
//     valid; the header value parses back to an equal list; an error's offset lies in the value;
//     Level 1 only rejects more than Level 2, `.reject` more than `.keepFirst`, with equal lists
//     when both accept; setting, removing and truncating keep the list valid and in order;
//   - uber-trace-id and b3: a parsed value is written back to one that parses to the same context;
//   - extraction: a context found is written in every format, and read back from those fields
//     with the same ids and sampling; a propagation policy forwards only fields of the request,
//     none of them a trace header it does not allow, and restarts with a new trace id.

import HTTPFieldText

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

private func checkTraceparent(_ raw: UnsafeRawBufferPointer) {
    let fromBytes = Result { () throws(TraceparentError) in try Traceparent(parsing: raw) }
    if let text = String(validating: raw, as: UTF8.self) {
        let fromString = Result { () throws(TraceparentError) in try Traceparent(parsing: text) }
        check(fromString == fromBytes, "String and bytes parse differently: \(fromString) \(fromBytes)")
    }
    switch fromBytes {
    case .success(let parent):
        let formatted = parent.headerValue
        check(formatted.utf8.count == Traceparent.length, "formatted length \(formatted.utf8.count)")
        let again = try? Traceparent(parsing: formatted)
        check(again == Traceparent(traceID: parent.traceID, parentID: parent.parentID, flags: parent.flags), "reparse differs")
        let trimmed = HeaderValue.trimmingWhitespace(raw)
        if parent.version == 0 { check(formatted.utf8.elementsEqual(trimmed), "version 00 not written back as read") }
    case .failure(.invalidHexDigit(let offset)), .failure(.missingDash(let offset)):
        check(offset >= 0 && offset < raw.count, "offset \(offset) outside \(raw.count) bytes")
    case .failure(.invalidLength(let length)), .failure(.tooLong(let length)):
        check(length <= raw.count, "length \(length) of \(raw.count) bytes")
    case .failure:
        break
    }
}

private func checkTraceState(_ text: String) {
    let size = text.utf8.count
    var outcomes: [TraceState.ParsingOptions: Result<TraceState, TraceStateError>] = [:]
    for grammar in [TraceState.ParsingOptions.KeyGrammar.level1, .level2] {
        for duplicates in [TraceState.ParsingOptions.DuplicateKeys.reject, .keepFirst] {
            let options = TraceState.ParsingOptions(keyGrammar: grammar, duplicateKeys: duplicates)
            let outcome = Result { () throws(TraceStateError) in try TraceState(parsing: text, options: options) }
            outcomes[options] = outcome
            switch outcome {
            case .success(let state):
                check(state.count <= TraceState.maximumMembers, "\(state.count) members")
                for member in state {
                    var key = String(member.key)
                    var value = String(member.value)
                    check(key.withUTF8 { TraceState.isValidKey(UnsafeRawBufferPointer($0), grammar: grammar) }, "invalid key kept")
                    check(value.withUTF8 { TraceState.isValidValue(UnsafeRawBufferPointer($0)) }, "invalid value kept")
                }
                check((try? TraceState(parsing: state.headerValue, options: options)) == state, "header value reparses differently")
                checkMutations(state)
            case .failure(.missingEquals(let offset)), .failure(.invalidKey(let offset)), .failure(.invalidValue(let offset)),
                .failure(.duplicateKey(let offset)):
                check(offset >= 0 && offset <= size, "offset \(offset) outside \(size) bytes")
            case .failure:
                break
            }
        }
    }
    for duplicates in [TraceState.ParsingOptions.DuplicateKeys.reject, .keepFirst] {
        if case .success(let strict) = outcomes[.init(keyGrammar: .level1, duplicateKeys: duplicates)] {
            check(outcomes[.init(keyGrammar: .level2, duplicateKeys: duplicates)] == .success(strict), "Level 2 rejects what Level 1 accepts")
        }
    }
    for grammar in [TraceState.ParsingOptions.KeyGrammar.level1, .level2] {
        if case .success(let strict) = outcomes[.init(keyGrammar: grammar, duplicateKeys: .reject)] {
            check(outcomes[.init(keyGrammar: grammar, duplicateKeys: .keepFirst)] == .success(strict), "keepFirst differs from reject")
        }
    }
}

private func checkMutations(_ state: TraceState) {
    var updated = state
    do {
        try updated.setValue("fuzz", forKey: "swiftrum")
    } catch {
        fatalError("fuzz invariant violated: setting a valid entry failed: \(error)")
    }
    check(updated.count <= TraceState.maximumMembers && updated.first?.key == "swiftrum", "set entry not first")
    let others = state.filter { $0.key != "swiftrum" }.prefix(TraceState.maximumMembers - 1)
    check(updated.dropFirst().elementsEqual(others), "setting reordered the other members")
    if let key = state.first?.key {
        var removed = state
        removed.removeValue(forKey: key)
        check(removed.elementsEqual(state.dropFirst()), "removing reordered the other members")
    }
    let truncated = state.truncated(toLength: 64)
    check(truncated.headerValue.utf8.count <= 64, "truncated to \(truncated.headerValue.utf8.count) bytes")
    check(truncated.allSatisfy { member in state.contains(member) }, "truncation invented a member")
}

private func checkOtherFormats(_ raw: UnsafeRawBufferPointer) {
    if let jaeger = try? UberTraceID(parsing: raw) {
        let again = try? UberTraceID(parsing: jaeger.headerValue)
        check(again.map(TraceContext.init(uberTraceID:)) == TraceContext(uberTraceID: jaeger), "uber-trace-id reparses differently")
    }
    if let b3 = try? B3Propagation(parsingSingle: raw) {
        check((try? B3Propagation(parsingSingle: b3.singleHeaderValue)) == b3, "b3 reparses differently")
    }
}

private func checkExtraction(_ lines: [Substring]) {
    var fields = [(name: String, value: String)]()
    for (index, line) in lines.enumerated() {
        switch index {
        case 0: fields.append(("traceparent", String(line)))
        case 1: fields.append(("tracestate", String(line)))
        default:
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
    }
    let extraction = TraceHeaderExtraction(fields)
    if let context = extraction.context {
        for format in TraceHeaderFormat.allCases {
            let written = context.headerFields(in: format)
            guard let read = TraceHeaderExtraction(written).context else {
                fatalError("fuzz invariant violated: \(format) fields \(written) of \(context) read as no context")
            }
            check(read.traceID == context.traceID && read.spanID == context.spanID && read.isSampled == context.isSampled,
                "\(format): \(context) read back as \(read)")
        }
    }
    var generator = SystemRandomNumberGenerator()
    for decision in PropagationPolicy.TrustDecision.allCases {
        let policy = PropagationPolicy(allowedHeaders: ["traceparent", "uber-trace-id"], defaultDecision: decision)
        let evaluation = policy.evaluate(fields, from: "fuzz", using: &generator)
        for field in evaluation.forwardedFields {
            check(fields.contains { $0 == field }, "forwarded a field the request did not have")
            let name = field.name.lowercased()
            let isTraceHeader = policy.traceHeaderNames.contains(name) || policy.traceHeaderPrefixes.contains { name.hasPrefix($0) }
            check(!isTraceHeader || (decision == .trust && policy.allowedHeaders.contains(name)), "forwarded trace header \(name)")
        }
        if case .restarted(let new, let link) = evaluation.outcome {
            check(new.traceID != link.traceID && new.traceState.isEmpty, "restart kept the trace")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let newline = raw.firstIndex(of: UInt8(ascii: "\n")) ?? size
    let first = UnsafeRawBufferPointer(rebasing: raw[..<newline])
    checkTraceparent(first)
    checkOtherFormats(first)
    let text = String(decoding: raw, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.count > 1 { checkTraceState(String(lines[1])) }
    checkExtraction(lines)
    return 0
}
