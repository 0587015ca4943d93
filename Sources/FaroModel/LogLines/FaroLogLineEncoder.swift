/// Writes the Loki log lines that Grafana Alloy's `faro.receiver` writes for a payload,
/// byte for byte, in logfmt or JSON, with the stream labels of its `extra_log_labels`.
///
/// One line per log, exception, measurement and event, in that order. Lines go into a
/// buffer that the caller provides and reuses; after the first payloads warm the buffers
/// up, encoding allocates nothing.
///
/// ```swift
/// var encoder = FaroLogLineEncoder(format: .logfmt, extraLogLabels: ["app": "web", "kind": ""])
/// var buffer = ContiguousArray<UInt8>()
/// var lines: [FaroLogLine] = []
/// encoder.encode(payload, into: &buffer, lines: &lines)
/// for line in lines { print(String(decoding: buffer[line.line], as: UTF8.self)) }
/// ```
///
/// Like Alloy, the encoder drops a line whose logfmt key would be empty (a measurement
/// value named `""` or `" "`, for which go-logfmt fails); `encode` counts such lines.
public struct FaroLogLineEncoder: Sendable {
    /// The line format.
    public let format: FaroLogFormat
    /// Extra stream labels, sorted by name; an empty value takes the line's value of the key of that name.
    public let extraLogLabels: [(name: String, value: String)]

    /// Scratch memory for the fields and the line being written; unique to this encoder (copy on write).
    private var storage = ByteStorage()
    private var meta = LogLineFields()
    private var metaSortedOrder: [Int] = []
    private var renderedMeta: Range<Int> = 0..<0
    private var item = LogLineFields()
    private var scratchOrder: [Int] = []

    /// Creates an encoder; `extraLogLabels` is Alloy's option of that name.
    public init(format: FaroLogFormat = .logfmt, extraLogLabels: [String: String] = [:]) {
        self.format = format
        self.extraLogLabels = extraLogLabels.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { (name: $0.key, value: $0.value) }
    }

    /// Appends the lines of `payload` to `buffer` and records each in `lines` (both are appended to,
    /// not cleared). Returns how many items got no line because Alloy's logfmt encoder would fail on them.
    @discardableResult
    public mutating func encode(
        _ payload: FaroPayload, into buffer: inout ContiguousArray<UInt8>, lines: inout [FaroLogLine]
    ) -> Int {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        var scratch = ByteWriter(storage)
        prepareMeta(payload.meta, in: &scratch)
        let itemStart = scratch.count
        var dropped = 0
        for (index, log) in payload.logs.enumerated() {
            scratch.count = itemStart
            item.removeAll()
            item.add("timestamp", in: &scratch) { log.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "log", in: &scratch)
            item.add("message", value: log.message, in: &scratch)
            item.add("level", value: log.level.rawValue, in: &scratch)
            item.add("context_", attributes: log.context, in: &scratch)
            addTrace(log.trace, in: &scratch)
            dropped += emit(.log, index, log.timestamp, mayRepeatKeys: false, scratch: &scratch, into: &buffer, lines: &lines)
        }
        for (index, exception) in payload.exceptions.enumerated() {
            scratch.count = itemStart
            item.removeAll()
            item.add("timestamp", in: &scratch) { exception.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "exception", in: &scratch)
            item.add("type", value: exception.type, in: &scratch)
            item.add("value", value: exception.value, in: &scratch)
            item.add("stacktrace", in: &scratch) { FaroLogLineEncoder.appendStacktrace(of: exception, to: &$0) }
            item.add("hash", in: &scratch) { GoNumberFormat.appendDecimal(XXH3.hash64(exception.value), to: &$0) }
            item.add("context_", attributes: exception.context, in: &scratch)
            addTrace(exception.trace, in: &scratch)
            dropped += emit(
                .exception, index, exception.timestamp, mayRepeatKeys: false, scratch: &scratch, into: &buffer, lines: &lines)
        }
        for (index, measurement) in payload.measurements.enumerated() {
            scratch.count = itemStart
            item.removeAll()
            item.add("timestamp", in: &scratch) { measurement.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "measurement", in: &scratch)
            item.add("type", value: measurement.type, in: &scratch)
            var mayRepeatKeys = false
            for value in measurement.values {
                item.add("", value.key, in: &scratch) { GoNumberFormat.appendFixed6(value.value, to: &$0) }
                mayRepeatKeys = mayRepeatKeys || FaroLogLineEncoder.mayRepeat(valueName: value.key)
            }
            addTrace(measurement.trace, in: &scratch)
            item.add("context_", attributes: measurement.context, in: &scratch)
            for value in measurement.values { item.add("value_", value.key, number: value.value, in: &scratch) }
            dropped += emit(
                .measurement, index, measurement.timestamp, mayRepeatKeys: mayRepeatKeys, scratch: &scratch,
                into: &buffer, lines: &lines)
        }
        for (index, event) in payload.events.enumerated() {
            scratch.count = itemStart
            item.removeAll()
            item.add("timestamp", in: &scratch) { event.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "event", in: &scratch)
            item.add("event_name", value: event.name, in: &scratch)
            item.add("event_domain", value: event.domain, in: &scratch)
            item.add("event_data_", attributes: event.attributes, in: &scratch)
            addTrace(event.trace, in: &scratch)
            dropped += emit(.event, index, event.timestamp, mayRepeatKeys: false, scratch: &scratch, into: &buffer, lines: &lines)
        }
        return dropped
    }

    /// Adds `traceID` and `spanID`.
    private mutating func addTrace(_ trace: FaroTraceContext, in scratch: inout ByteWriter) {
        item.add("traceID", value: trace.traceID, in: &scratch)
        item.add("spanID", value: trace.spanID, in: &scratch)
    }

    /// The prefixes of keys that a measurement value's name can repeat.
    private static let repeatablePrefixes = ["context_", "value_", "sdk_", "app_", "user_", "session_", "page_", "browser_", "view_"]

    /// Whether a measurement value's name can equal another key of its line: a fixed key, a
    /// `context_`, `value_` or metadata key. Only then do repeated keys need merging.
    private static func mayRepeat(valueName name: String) -> Bool {
        // Every such key starts with one of these letters: a quick test first.
        guard let first = name.utf8.first, "tkscvaupb".utf8.contains(first) else { return false }
        switch name {
        case "timestamp", "kind", "type", "traceID", "spanID": return true
        default:
            return repeatablePrefixes.contains { name.utf8.starts(with: $0.utf8) }
        }
    }

    /// Builds the metadata fields shared by every line of a payload, and their rendering.
    private mutating func prepareMeta(_ meta: FaroMeta, in scratch: inout ByteWriter) {
        var fields = LogLineFields()
        swap(&fields, &self.meta)
        fields.removeAll()
        fields.add("sdk_name", value: meta.sdk.name, in: &scratch)
        fields.add("sdk_version", value: meta.sdk.version, in: &scratch)
        if !meta.sdk.integrations.isEmpty {
            fields.add("sdk_integrations", in: &scratch) { out in
                for (position, integration) in meta.sdk.integrations.enumerated() {
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    out.appendUTF8(integration.name)
                    out.append(UInt8(ascii: ":"))
                    out.appendUTF8(integration.version)
                }
            }
        }
        fields.add("app_name", value: meta.app.name, in: &scratch)
        fields.add("app_namespace", value: meta.app.namespace, in: &scratch)
        fields.add("app_release", value: meta.app.release, in: &scratch)
        fields.add("app_version", value: meta.app.version, in: &scratch)
        fields.add("app_environment", value: meta.app.environment, in: &scratch)
        fields.add("user_email", value: meta.user.email, in: &scratch)
        fields.add("user_id", value: meta.user.id, in: &scratch)
        fields.add("user_username", value: meta.user.username, in: &scratch)
        fields.add("user_attr_", attributes: meta.user.attributes, in: &scratch)
        fields.add("session_id", value: meta.session.id, in: &scratch)
        fields.add("session_attr_", attributes: meta.session.attributes, in: &scratch)
        fields.add("page_id", value: meta.page.id, in: &scratch)
        fields.add("page_url", value: meta.page.url, in: &scratch)
        fields.add("page_attr_", attributes: meta.page.attributes, in: &scratch)
        fields.add("browser_name", value: meta.browser.name, in: &scratch)
        fields.add("browser_version", value: meta.browser.version, in: &scratch)
        fields.add("browser_os", value: meta.browser.os, in: &scratch)
        fields.add("browser_mobile", value: meta.browser.mobile ? "true" : "false", in: &scratch)
        fields.add("browser_userAgent", value: meta.browser.userAgent, in: &scratch)
        fields.add("browser_language", value: meta.browser.language, in: &scratch)
        fields.add("browser_viewportWidth", value: meta.browser.viewportWidth, in: &scratch)
        fields.add("browser_viewportHeight", value: meta.browser.viewportHeight, in: &scratch)
        fields.add("view_name", value: meta.view.name, in: &scratch)
        swap(&fields, &self.meta)

        switch format {
        case .logfmt:
            scratch.reserve(self.meta.formattedSizeBound)
            let start = scratch.count
            for field in self.meta.fields {
                scratch.append(UInt8(ascii: " "))
                _ = FaroLogLineEncoder.appendLogfmt(field, from: scratch, to: &scratch)
            }
            renderedMeta = start..<scratch.count
        case .json:
            let snapshot = scratch
            metaSortedOrder.removeAll(keepingCapacity: true)
            metaSortedOrder.append(contentsOf: self.meta.fields.indices)
            metaSortedOrder.sort { LogLineFields.keyPrecedes(self.meta.fields[$0], self.meta.fields[$1], in: snapshot) }
        }
    }

    /// Writes the line of the item in `item`, followed by the metadata, and its labels, then copies
    /// them to `buffer`. Returns 1 if the line was dropped, else 0.
    private mutating func emit(
        _ kind: FaroItemKind, _ index: Int, _ timestamp: FaroTimestamp, mayRepeatKeys: Bool,
        scratch: inout ByteWriter, into buffer: inout ContiguousArray<UInt8>, lines: inout [FaroLogLine]
    ) -> Int {
        if mayRepeatKeys {
            item.append(contentsOf: meta)
            item.mergeRepeatedKeys(order: &scratchOrder, in: scratch)
        }
        let metaIncluded = mayRepeatKeys
        // Fields are read from the scratch memory while the line is appended to it: no moving meanwhile.
        scratch.reserve(item.formattedSizeBound + (metaIncluded || format == .logfmt ? 0 : meta.formattedSizeBound) + 2)
        let lineStart = scratch.count
        var appendRenderedMeta = false
        switch format {
        case .logfmt:
            for (position, field) in item.fields.enumerated() {
                if position > 0 { scratch.append(UInt8(ascii: " ")) }
                if !FaroLogLineEncoder.appendLogfmt(field, from: scratch, to: &scratch) {
                    scratch.count = lineStart
                    return 1
                }
            }
            appendRenderedMeta = !metaIncluded
        case .json:
            writeJSONObject(metaIncluded: metaIncluded, to: &scratch)
        }
        let lineFirst = buffer.count
        buffer.appendBytes(scratch[lineStart..<scratch.count])
        if appendRenderedMeta { buffer.appendBytes(scratch[renderedMeta]) }
        let labelFirst = buffer.count
        let labelStart = scratch.count
        writeLabels(metaIncluded: metaIncluded, to: &scratch)
        buffer.appendBytes(scratch[labelStart..<scratch.count])
        lines.append(
            FaroLogLine(kind: kind, index: index, timestamp: timestamp, line: lineFirst..<labelFirst, labels: labelFirst..<buffer.count))
        return 0
    }

    /// Writes the item's fields and the metadata's as one JSON object, keys sorted byte by byte.
    private mutating func writeJSONObject(metaIncluded: Bool, to scratch: inout ByteWriter) {
        scratchOrder.removeAll(keepingCapacity: true)
        scratchOrder.append(contentsOf: item.fields.indices)
        let fields = item.fields
        let snapshot = scratch
        if scratchOrder.count <= 24 {
            for position in scratchOrder.indices.dropFirst() {
                let value = scratchOrder[position]
                var insertion = position
                while insertion > 0,
                    LogLineFields.keyPrecedes(fields[value], fields[scratchOrder[insertion - 1]], in: snapshot)
                {
                    scratchOrder[insertion] = scratchOrder[insertion - 1]
                    insertion -= 1
                }
                scratchOrder[insertion] = value
            }
        } else {
            scratchOrder.sort { LogLineFields.keyPrecedes(fields[$0], fields[$1], in: snapshot) }
        }
        let metaFields = meta.fields
        scratch.append(UInt8(ascii: "{"))
        var first = true
        var itemPosition = 0
        var metaPosition = 0
        let metaCount = metaIncluded ? 0 : metaSortedOrder.count
        while itemPosition < scratchOrder.count || metaPosition < metaCount {
            if !first { scratch.append(UInt8(ascii: ",")) }
            first = false
            if metaPosition < metaCount,
                itemPosition == scratchOrder.count
                    || !LogLineFields.keyPrecedes(
                        fields[scratchOrder[itemPosition]], metaFields[metaSortedOrder[metaPosition]], in: scratch)
            {
                FaroLogLineEncoder.appendJSONMember(metaFields[metaSortedOrder[metaPosition]], to: &scratch)
                metaPosition += 1
            } else {
                FaroLogLineEncoder.appendJSONMember(fields[scratchOrder[itemPosition]], to: &scratch)
                itemPosition += 1
            }
        }
        scratch.append(UInt8(ascii: "}"))
    }

    /// Writes the stream label set: `extra_log_labels`, an empty value taking the line's value of that key.
    private func writeLabels(metaIncluded: Bool, to scratch: inout ByteWriter) {
        scratch.append(UInt8(ascii: "{"))
        var first = true
        for label in extraLogLabels {
            var value = label.value
            if value.isEmpty {
                guard let field = item.first(key: label.name, in: scratch) ?? (metaIncluded ? nil : meta.first(key: label.name, in: scratch))
                else { continue }
                value = FaroLogLineEncoder.text(of: field, in: &scratch)
            }
            if !first { scratch.appendStatic(", ") }
            first = false
            scratch.appendUTF8(label.name)
            scratch.append(UInt8(ascii: "="))
            GoQuote.append(value, to: &scratch)
        }
        scratch.append(UInt8(ascii: "}"))
    }

    /// A field's value as Go's `fmt.Sprint` writes it.
    private static func text(of field: LogLineFields.Field, in scratch: inout ByteWriter) -> String {
        guard field.isNumber else { return String(decoding: scratch[field.value], as: UTF8.self) }
        let start = scratch.count
        GoNumberFormat.appendShortest(field.number, to: &scratch)
        defer { scratch.count = start }
        return String(decoding: scratch[start..<scratch.count], as: UTF8.self)
    }

    /// Appends `key=value` of a field whose bytes lie in `source`; `false` if the key is empty once cleaned.
    @inline(__always)
    private static func appendLogfmt(_ field: LogLineFields.Field, from source: ByteWriter, to out: inout ByteWriter) -> Bool {
        guard Logfmt.appendKey(source[field.key], to: &out) else { return false }
        out.append(UInt8(ascii: "="))
        if field.isNumber {
            GoNumberFormat.appendShortest(field.number, to: &out)
        } else {
            Logfmt.appendValue(out[field.value], to: &out)
        }
        return true
    }

    /// Appends `"key":value` of a field whose bytes lie in `out`.
    @inline(__always)
    private static func appendJSONMember(_ field: LogLineFields.Field, to out: inout ByteWriter) {
        GoJSONString.append(out[field.key], to: &out)
        out.append(UInt8(ascii: ":"))
        if field.isNumber {
            GoNumberFormat.appendJSON(field.number, to: &out)
        } else {
            GoJSONString.append(out[field.value], to: &out)
        }
    }

    /// Appends Alloy's stacktrace text: `Type: Value` and `\n  at function (module|file:line:column)` per frame.
    static func appendStacktrace(of exception: FaroException, to out: inout some ByteOutput) {
        out.appendUTF8(exception.type)
        out.appendStatic(": ")
        out.appendUTF8(exception.value)
        for frame in exception.stacktrace?.frames ?? [] {
            out.appendStatic("\n  at ")
            out.appendUTF8(frame.function)
            out.appendStatic(" (")
            if !frame.module.isEmpty {
                out.appendUTF8(frame.module)
                out.append(UInt8(ascii: "|"))
            }
            out.appendUTF8(frame.filename)
            out.append(UInt8(ascii: ":"))
            GoNumberFormat.appendDecimal(frame.lineno, to: &out)
            out.append(UInt8(ascii: ":"))
            GoNumberFormat.appendDecimal(frame.colno, to: &out)
            out.append(UInt8(ascii: ")"))
        }
    }
}
