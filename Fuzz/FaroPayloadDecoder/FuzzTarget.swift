// libFuzzer target for FaroPayloadDecoder. Built by scripts/fuzz in one swiftc invocation with
// all of Sources/FaroModel (module FaroModel), so internal API is reachable without @testable.
//
// Every input is decoded and these invariants are checked; a violation calls fatalError, which
// libFuzzer reports as a crash with the input saved:
//   - decoding never crashes; a thrown error has 0 <= offset <= size (payloadTooLarge: its
//     limit), a path that starts with `$`, and the limit it names is the one in force;
//   - decoding a ContiguousArray and an UnsafeRawBufferPointer gives equal results or errors;
//   - invalidUTF8 .reject and .replace: if .reject succeeds, .replace gives an equal payload;
//     .replace never reports invalidUTF8 or loneSurrogate; when .reject fails for another
//     reason, nothing was replaced before that point, so .replace fails with the same error;
//   - tighter limits only reject: a success under small limits is the same payload as under
//     the defaults;
//   - on success: FaroLogLineEncoder in both formats (with extra labels, some empty-valued)
//     writes lines + dropped == itemCount, every range inside the buffer, in order, no raw
//     newline, valid UTF-8, JSON lines well-formed JSON, and the same bytes when the encoder is
//     reused; with fixed labels only (its one-pass writers), the same lines; FaroPayloadEncoder's output is accepted by the default decoder (as its
//     documentation says), decodes (with the same invalidUTF8 handling) to an equal payload and
//     re-encodes to identical bytes.
//
// Which limits a run uses depends on the input size (size % 4), so mutations reach all of them:
// 0, 1: the defaults; 2: small (nesting 64, items 1000); 3: tiny (4 KiB, nesting 16, 8 items,
// 256-byte strings), so deep, long and many-item inputs also hit the limit paths cheaply.

/// The limits for an input of `size` bytes.
private func limits(forSize size: Int) -> FaroDecodingLimits {
    switch size % 4 {
    case 2: return FaroDecodingLimits(maxNestingDepth: 64, maxItems: 1000)
    case 3: return FaroDecodingLimits(maxPayloadBytes: 4096, maxNestingDepth: 16, maxItems: 8, maxStringBytes: 256)
    default: return FaroDecodingLimits()
    }
}

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

private typealias Outcome = Result<FaroPayload, FaroDecodingError>

/// Decodes `array` (whose bytes `raw` also points to) both ways and checks they agree.
private func decode(_ decoder: FaroPayloadDecoder, _ array: ContiguousArray<UInt8>, _ raw: UnsafeRawBufferPointer)
    -> Outcome
{
    let fromArray = Outcome { () throws(FaroDecodingError) in try decoder.decode(array) }
    let fromRaw = Outcome { () throws(FaroDecodingError) in try decoder.decode(raw) }
    switch (fromArray, fromRaw) {
    case (.success(let a), .success(let b)):
        check(a == b, "ContiguousArray and UnsafeRawBufferPointer decode to different payloads")
    case (.failure(let a), .failure(let b)):
        check(a == b, "ContiguousArray error \(a) != UnsafeRawBufferPointer error \(b)")
    case (.success, .failure(let error)):
        fatalError("fuzz invariant violated: ContiguousArray decodes, UnsafeRawBufferPointer throws \(error)")
    case (.failure(let error), .success):
        fatalError("fuzz invariant violated: UnsafeRawBufferPointer decodes, ContiguousArray throws \(error)")
    }
    if case .failure(let error) = fromArray { checkError(error, decoder: decoder, size: array.count) }
    if case .success(let payload) = fromArray {
        check(payload.itemCount <= decoder.limits.maxItems, "\(payload.itemCount) items over maxItems")
    }
    return fromArray
}

/// Checks what a thrown error says about itself.
private func checkError(_ error: FaroDecodingError, decoder: FaroPayloadDecoder, size: Int) {
    let limits = decoder.limits
    switch error.reason {
    case .payloadTooLarge(let limit):
        check(limit == limits.maxPayloadBytes && size > limit, "payloadTooLarge(\(limit)) for \(size) bytes")
        check(error.offset == limit || (0...size).contains(error.offset), "offset \(error.offset) of \(error)")
    case .nestingTooDeep(let limit):
        check(limit == limits.maxNestingDepth, "nestingTooDeep(\(limit)), limit is \(limits.maxNestingDepth)")
    case .tooManyItems(let limit):
        check(limit == limits.maxItems, "tooManyItems(\(limit)), limit is \(limits.maxItems)")
    case .stringTooLong(let limit):
        check(limit == limits.maxStringBytes, "stringTooLong(\(limit)), limit is \(limits.maxStringBytes)")
    case .invalidUTF8, .loneSurrogate:
        check(decoder.invalidUTF8 == .reject, "\(error) with invalidUTF8 = .replace")
    default: break
    }
    if case .payloadTooLarge = error.reason {} else {
        check((0...size).contains(error.offset), "offset outside 0...\(size): \(error)")
    }
    check(error.pathDescription.hasPrefix("$"), "path does not start with $: \(error)")
    check(!error.description.isEmpty, "empty description")
}

/// The log line encoders' labels: fixed values, and empty values that take a line's or the
/// metadata's value of that key (or are left out when no field has that key).
/// Labels with fixed values only: no label reads the lines.
private let fixedLabels = ["app": "web"]

private let extraLabels: [String: String] = [
    "app": "web", "env": "", "kind": "", "level": "", "app_name": "", "page_url": "", "context_component": "",
    "type": "", "value_lcp": "", "event_name": "", "traceID": "", "browser_mobile": "", "absent": "",
]

/// The number of items of `kind` in `payload`.
private func count(_ kind: FaroItemKind, in payload: FaroPayload) -> Int {
    switch kind {
    case .log: return payload.logs.count
    case .exception: return payload.exceptions.count
    case .measurement: return payload.measurements.count
    case .event: return payload.events.count
    }
}

/// The timestamp of item `index` of `kind`.
private func timestamp(_ kind: FaroItemKind, _ index: Int, in payload: FaroPayload) -> FaroTimestamp {
    switch kind {
    case .log: return payload.logs[index].timestamp
    case .exception: return payload.exceptions[index].timestamp
    case .measurement: return payload.measurements[index].timestamp
    case .event: return payload.events[index].timestamp
    }
}

/// Encodes the log lines of `payload` in `format` and checks them.
private func checkLogLines(_ payload: FaroPayload, format: FaroLogFormat) {
    var encoder = FaroLogLineEncoder(format: format, extraLogLabels: extraLabels)
    let prefix: ContiguousArray<UInt8> = [0x78, 0x79, 0x7A]
    var buffer = prefix
    var lines: [FaroLogLine] = []
    let dropped = encoder.encode(payload, into: &buffer, lines: &lines)
    check(dropped >= 0 && lines.count + dropped == payload.itemCount,
        "\(format): \(lines.count) lines + \(dropped) dropped != \(payload.itemCount) items")
    check(buffer.starts(with: prefix), "\(format): the encoder changed bytes before its output")
    let kindOrder: [FaroItemKind] = [.log, .exception, .measurement, .event]
    var end = prefix.count
    var previous: (kind: Int, index: Int)? = nil
    for line in lines {
        check(line.line.lowerBound >= end && line.line.upperBound == line.labels.lowerBound
            && line.labels.upperBound <= buffer.count,
            "\(format): line \(line.line) labels \(line.labels) out of order or outside 0..<\(buffer.count)")
        end = line.labels.upperBound
        let kindPosition = kindOrder.firstIndex(of: line.kind)!
        check(line.index >= 0 && line.index < count(line.kind, in: payload), "\(format): \(line.kind) index \(line.index)")
        if let previous {
            check((previous.kind, previous.index) < (kindPosition, line.index), "\(format): lines out of item order")
        }
        previous = (kindPosition, line.index)
        check(line.timestamp == timestamp(line.kind, line.index, in: payload), "\(format): line timestamp differs")
        let text = buffer[line.line]
        let labels = buffer[line.labels]
        check(!text.isEmpty && !text.contains(0x0A) && !labels.contains(0x0A), "\(format): empty line or raw newline")
        check(labels.first == UInt8(ascii: "{") && labels.last == UInt8(ascii: "}"), "\(format): labels not in braces")
        check(String(validating: text, as: UTF8.self) != nil && String(validating: labels, as: UTF8.self) != nil,
            "\(format): line or labels not valid UTF-8")
        if format == .json {
            let wellFormed = text.withUnsafeBytes { bytes -> Bool in
                var scanner = JSONScanner(bytes)
                do throws(FaroDecodingError) {
                    guard try scanner.peek() == UInt8(ascii: "{") else { return false }
                    try scanner.skipValue()
                } catch {
                    return false
                }
                return scanner.isAtEnd()
            }
            check(wellFormed, "json: line is not one well-formed JSON object")
        }
    }
    check(end == buffer.count, "\(format): bytes after the last line's labels")

    // A reused encoder (warm buffers) writes the same bytes again.
    var again = prefix
    var linesAgain: [FaroLogLine] = []
    let droppedAgain = encoder.encode(payload, into: &again, lines: &linesAgain)
    check(again == buffer && linesAgain == lines && droppedAgain == dropped, "\(format): reused encoder differs")

    // With labels that do not read the lines, most lines take the one-pass writers
    // (`LogfmtLineWriter`, `JSONMemberWriter`) instead of collecting fields first: the same lines.
    var onePass = FaroLogLineEncoder(format: format, extraLogLabels: fixedLabels)
    var onePassBuffer = ContiguousArray<UInt8>()
    var onePassLines: [FaroLogLine] = []
    let onePassDropped = onePass.encode(payload, into: &onePassBuffer, lines: &onePassLines)
    check(onePassDropped == dropped && onePassLines.count == lines.count, "\(format): one-pass writers drop other lines")
    for (line, onePassLine) in zip(lines, onePassLines) {
        check((line.kind, line.index) == (onePassLine.kind, onePassLine.index)
            && buffer[line.line].elementsEqual(onePassBuffer[onePassLine.line])
            && onePassBuffer[onePassLine.labels].elementsEqual(#"{app="web"}"#.utf8),
            "\(format): one-pass writers write another line for \(line.kind) \(line.index)")
    }
}

/// Encodes `payload` (decoded with `mode`) as Faro JSON, decodes that and encodes again.
private func checkRoundTrip(_ payload: FaroPayload, decodedWith mode: InvalidUTF8Handling) {
    let json: ContiguousArray<UInt8>
    do throws(FaroEncodingError) {
        json = try FaroPayloadEncoder().encode(payload)
    } catch .timestampOutOfRange(let timestamp) where abs(Int(timestamp.utcOffsetSeconds)) >= 24 * 3600 {
        // Go decodes offsets up to +24:60 and refuses to marshal those of 24 hours or more; so does the encoder.
        return
    } catch {
        fatalError("fuzz invariant violated: a decoded payload does not encode: \(error)")
    }
    let text = String(decoding: json, as: UTF8.self)
    // FaroPayloadEncoder's documentation: "FaroPayloadDecoder reads the output back to an equal
    // payload", so the default decoder (invalidUTF8 .reject) must accept it, whatever decoded the input.
    do throws(FaroDecodingError) {
        _ = try FaroPayloadDecoder().decode(json)
    } catch {
        fatalError("fuzz invariant violated: the default decoder rejects the encoder's output: \(error); JSON: \(text)")
    }
    let decoded: FaroPayload
    do throws(FaroDecodingError) {
        decoded = try FaroPayloadDecoder(invalidUTF8: mode).decode(json)
    } catch {
        fatalError("fuzz invariant violated: encoder output does not decode: \(error); JSON: \(text)")
    }
    check(decoded == payload, "round trip changed the payload; JSON: \(text)")
    let json2: ContiguousArray<UInt8>
    do throws(FaroEncodingError) {
        json2 = try FaroPayloadEncoder().encode(decoded)
    } catch {
        fatalError("fuzz invariant violated: a round-tripped payload does not encode: \(error)")
    }
    check(json2 == json, "re-encoding differs: \(text) vs \(String(decoding: json2, as: UTF8.self))")
}

private func checkPayload(_ payload: FaroPayload, decodedWith mode: InvalidUTF8Handling) {
    checkLogLines(payload, format: .logfmt)
    checkLogLines(payload, format: .json)
    checkRoundTrip(payload, decodedWith: mode)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let array = ContiguousArray(UnsafeBufferPointer(start: data, count: size))
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let limits = limits(forSize: size)

    let rejected = decode(FaroPayloadDecoder(limits: limits, invalidUTF8: .reject), array, raw)
    let replaced = decode(FaroPayloadDecoder(limits: limits, invalidUTF8: .replace), array, raw)
    switch (rejected, replaced) {
    case (.success(let a), .success(let b)):
        check(a == b, ".reject and .replace decode to different payloads")
    case (.success, .failure(let error)):
        fatalError("fuzz invariant violated: .reject decodes but .replace throws \(error)")
    case (.failure(let a), let replacedOutcome):
        switch a.reason {
        case .invalidUTF8, .loneSurrogate: break
        default:
            if case .failure(let b) = replacedOutcome {
                check(a == b, ".reject throws \(a) but .replace throws \(b)")
            } else {
                fatalError("fuzz invariant violated: .reject throws \(a) but .replace decodes")
            }
        }
    }

    // Tighter limits only reject: what they accept, the defaults accept as the same payload.
    if limits != FaroDecodingLimits() {
        for (outcome, mode) in [(rejected, InvalidUTF8Handling.reject), (replaced, .replace)] {
            guard case .success(let payload) = outcome else { continue }
            let decoder = FaroPayloadDecoder(invalidUTF8: mode)
            do throws(FaroDecodingError) {
                let underDefaults = try decoder.decode(array)
                check(underDefaults == payload, "small limits and the defaults decode differently")
            } catch {
                fatalError("fuzz invariant violated: decodes under small limits, throws \(error) under the defaults")
            }
        }
    }

    // Check what was decoded: the strict payload, or else the one with replacements.
    if case .success(let payload) = rejected {
        checkPayload(payload, decodedWith: .reject)
    } else if case .success(let payload) = replaced {
        checkPayload(payload, decodedWith: .replace)
    }
    return 0
}
