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

    private var meta = LogLineFields()
    private var metaSortedOrder: [Int] = []
    private var renderedMeta = ContiguousArray<UInt8>()
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
        prepareMeta(payload.meta)
        var dropped = 0
        for (index, log) in payload.logs.enumerated() {
            item.removeAll()
            item.add("timestamp") { log.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "log")
            item.add("message", value: log.message)
            item.add("level", value: log.level.rawValue)
            item.add("context_", attributes: log.context)
            addTrace(log.trace)
            dropped += emit(.log, index, log.timestamp, mayRepeatKeys: false, into: &buffer, lines: &lines)
        }
        for (index, exception) in payload.exceptions.enumerated() {
            item.removeAll()
            item.add("timestamp") { exception.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "exception")
            item.add("type", value: exception.type)
            item.add("value", value: exception.value)
            item.add("stacktrace") { FaroLogLineEncoder.appendStacktrace(of: exception, to: &$0) }
            item.add("hash") { GoNumberFormat.appendDecimal(XXH3.hash64(exception.value), to: &$0) }
            item.add("context_", attributes: exception.context)
            addTrace(exception.trace)
            dropped += emit(.exception, index, exception.timestamp, mayRepeatKeys: false, into: &buffer, lines: &lines)
        }
        for (index, measurement) in payload.measurements.enumerated() {
            item.removeAll()
            item.add("timestamp") { measurement.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "measurement")
            item.add("type", value: measurement.type)
            var mayRepeatKeys = false
            for value in measurement.values {
                item.add("", value.key) { GoNumberFormat.appendFixed6(value.value, to: &$0) }
                mayRepeatKeys = mayRepeatKeys || FaroLogLineEncoder.mayRepeat(valueName: value.key)
            }
            addTrace(measurement.trace)
            item.add("context_", attributes: measurement.context)
            for value in measurement.values { item.add("value_", value.key, number: value.value) }
            dropped += emit(
                .measurement, index, measurement.timestamp, mayRepeatKeys: mayRepeatKeys, into: &buffer, lines: &lines)
        }
        for (index, event) in payload.events.enumerated() {
            item.removeAll()
            item.add("timestamp") { event.timestamp.appendGoString(to: &$0) }
            item.add("kind", value: "event")
            item.add("event_name", value: event.name)
            item.add("event_domain", value: event.domain)
            item.add("event_data_", attributes: event.attributes)
            addTrace(event.trace)
            dropped += emit(.event, index, event.timestamp, mayRepeatKeys: false, into: &buffer, lines: &lines)
        }
        return dropped
    }

    /// Adds `traceID` and `spanID`.
    private mutating func addTrace(_ trace: FaroTraceContext) {
        item.add("traceID", value: trace.traceID)
        item.add("spanID", value: trace.spanID)
    }

    /// Whether a measurement value's name can equal another key of its line: a fixed key, a
    /// `context_`, `value_` or metadata key. Only then do repeated keys need merging.
    private static func mayRepeat(valueName name: String) -> Bool {
        switch name {
        case "timestamp", "kind", "type", "traceID", "spanID": return true
        default:
            for prefix in ["context_", "value_", "sdk_", "app_", "user_", "session_", "page_", "browser_", "view_"]
            where name.utf8.starts(with: prefix.utf8) {
                return true
            }
            return false
        }
    }

    /// Builds the metadata fields shared by every line of a payload, and their rendering.
    private mutating func prepareMeta(_ meta: FaroMeta) {
        self.meta.removeAll()
        self.meta.add("sdk_name", value: meta.sdk.name)
        self.meta.add("sdk_version", value: meta.sdk.version)
        if !meta.sdk.integrations.isEmpty {
            self.meta.add("sdk_integrations") { out in
                for (position, integration) in meta.sdk.integrations.enumerated() {
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: integration.name.utf8)
                    out.append(UInt8(ascii: ":"))
                    out.append(contentsOf: integration.version.utf8)
                }
            }
        }
        self.meta.add("app_name", value: meta.app.name)
        self.meta.add("app_namespace", value: meta.app.namespace)
        self.meta.add("app_release", value: meta.app.release)
        self.meta.add("app_version", value: meta.app.version)
        self.meta.add("app_environment", value: meta.app.environment)
        self.meta.add("user_email", value: meta.user.email)
        self.meta.add("user_id", value: meta.user.id)
        self.meta.add("user_username", value: meta.user.username)
        self.meta.add("user_attr_", attributes: meta.user.attributes)
        self.meta.add("session_id", value: meta.session.id)
        self.meta.add("session_attr_", attributes: meta.session.attributes)
        self.meta.add("page_id", value: meta.page.id)
        self.meta.add("page_url", value: meta.page.url)
        self.meta.add("page_attr_", attributes: meta.page.attributes)
        self.meta.add("browser_name", value: meta.browser.name)
        self.meta.add("browser_version", value: meta.browser.version)
        self.meta.add("browser_os", value: meta.browser.os)
        self.meta.add("browser_mobile", value: meta.browser.mobile ? "true" : "false")
        self.meta.add("browser_userAgent", value: meta.browser.userAgent)
        self.meta.add("browser_language", value: meta.browser.language)
        self.meta.add("browser_viewportWidth", value: meta.browser.viewportWidth)
        self.meta.add("browser_viewportHeight", value: meta.browser.viewportHeight)
        self.meta.add("view_name", value: meta.view.name)

        metaSortedOrder.removeAll(keepingCapacity: true)
        metaSortedOrder.append(contentsOf: self.meta.fields.indices)
        metaSortedOrder.sort { self.meta.keyPrecedes(self.meta.fields[$0], self.meta.fields[$1]) }
        renderedMeta.removeAll(keepingCapacity: true)
        if format == .logfmt {
            for field in self.meta.fields {
                renderedMeta.append(UInt8(ascii: " "))
                _ = FaroLogLineEncoder.appendLogfmt(field, of: self.meta, to: &renderedMeta)
            }
        }
    }

    /// Writes the line of the item in `item`, followed by the metadata, and its labels.
    /// Returns 1 if the line was dropped, else 0.
    private mutating func emit(
        _ kind: FaroItemKind, _ index: Int, _ timestamp: FaroTimestamp, mayRepeatKeys: Bool,
        into buffer: inout ContiguousArray<UInt8>, lines: inout [FaroLogLine]
    ) -> Int {
        let start = buffer.count
        if mayRepeatKeys {
            item.append(contentsOf: meta)
            item.mergeRepeatedKeys(order: &scratchOrder)
        }
        let metaIncluded = mayRepeatKeys
        switch format {
        case .logfmt:
            for (position, field) in item.fields.enumerated() {
                if position > 0 { buffer.append(UInt8(ascii: " ")) }
                if !FaroLogLineEncoder.appendLogfmt(field, of: item, to: &buffer) {
                    buffer.removeSubrange(start...)
                    return 1
                }
            }
            if !metaIncluded { buffer.append(contentsOf: renderedMeta) }
        case .json:
            writeJSONObject(metaIncluded: metaIncluded, to: &buffer)
        }
        let lineEnd = buffer.count
        writeLabels(metaIncluded: metaIncluded, to: &buffer)
        lines.append(FaroLogLine(kind: kind, index: index, timestamp: timestamp, line: start..<lineEnd, labels: lineEnd..<buffer.count))
        return 0
    }

    /// Writes the item's fields and the metadata's as one JSON object, keys sorted byte by byte.
    private mutating func writeJSONObject(metaIncluded: Bool, to buffer: inout ContiguousArray<UInt8>) {
        scratchOrder.removeAll(keepingCapacity: true)
        scratchOrder.append(contentsOf: item.fields.indices)
        let item = self.item
        if scratchOrder.count <= 24 {
            for position in scratchOrder.indices.dropFirst() {
                let value = scratchOrder[position]
                var insertion = position
                while insertion > 0, item.keyPrecedes(item.fields[value], item.fields[scratchOrder[insertion - 1]]) {
                    scratchOrder[insertion] = scratchOrder[insertion - 1]
                    insertion -= 1
                }
                scratchOrder[insertion] = value
            }
        } else {
            scratchOrder.sort { item.keyPrecedes(item.fields[$0], item.fields[$1]) }
        }
        buffer.append(UInt8(ascii: "{"))
        var first = true
        var itemPosition = 0
        var metaPosition = 0
        let metaCount = metaIncluded ? 0 : metaSortedOrder.count
        while itemPosition < scratchOrder.count || metaPosition < metaCount {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            if metaPosition < metaCount,
                itemPosition == scratchOrder.count
                    || !keyPrecedes(item, item.fields[scratchOrder[itemPosition]], meta, meta.fields[metaSortedOrder[metaPosition]])
            {
                FaroLogLineEncoder.appendJSONMember(meta.fields[metaSortedOrder[metaPosition]], of: meta, to: &buffer)
                metaPosition += 1
            } else {
                FaroLogLineEncoder.appendJSONMember(item.fields[scratchOrder[itemPosition]], of: item, to: &buffer)
                itemPosition += 1
            }
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Whether field `a` of `left` sorts before field `b` of `right`.
    private func keyPrecedes(_ left: LogLineFields, _ a: LogLineFields.Field, _ right: LogLineFields, _ b: LogLineFields.Field) -> Bool {
        left.withBytes(a.key) { ka in right.withBytes(b.key) { kb in ka.lexicographicallyPrecedes(kb) } }
    }

    /// Writes the stream label set: `extra_log_labels`, an empty value taking the line's value of that key.
    private func writeLabels(metaIncluded: Bool, to buffer: inout ContiguousArray<UInt8>) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        for label in extraLogLabels {
            var value = label.value
            if value.isEmpty {
                if let index = item.firstIndex(ofKey: label.name) {
                    value = FaroLogLineEncoder.text(of: item.fields[index], in: item)
                } else if !metaIncluded, let index = meta.firstIndex(ofKey: label.name) {
                    value = FaroLogLineEncoder.text(of: meta.fields[index], in: meta)
                } else {
                    continue
                }
            }
            if !first { buffer.append(contentsOf: ", ".utf8) }
            first = false
            buffer.append(contentsOf: label.name.utf8)
            buffer.append(UInt8(ascii: "="))
            GoQuote.append(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// A field's value as Go's `fmt.Sprint` writes it.
    private static func text(of field: LogLineFields.Field, in fields: LogLineFields) -> String {
        if field.isNumber {
            var bytes = ContiguousArray<UInt8>()
            GoNumberFormat.appendShortest(field.number, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        return fields.withBytes(field.value) { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends `key=value`; `false` if the key is empty once cleaned.
    private static func appendLogfmt(_ field: LogLineFields.Field, of fields: LogLineFields, to out: inout ContiguousArray<UInt8>) -> Bool {
        guard fields.withBytes(field.key, { Logfmt.appendKey($0, to: &out) }) else { return false }
        out.append(UInt8(ascii: "="))
        if field.isNumber {
            GoNumberFormat.appendShortest(field.number, to: &out)
        } else {
            fields.withBytes(field.value) { Logfmt.appendValue($0, to: &out) }
        }
        return true
    }

    /// Appends `"key":value`.
    private static func appendJSONMember(_ field: LogLineFields.Field, of fields: LogLineFields, to out: inout ContiguousArray<UInt8>) {
        fields.withBytes(field.key) { GoJSONString.append($0, to: &out) }
        out.append(UInt8(ascii: ":"))
        if field.isNumber {
            GoNumberFormat.appendJSON(field.number, to: &out)
        } else {
            fields.withBytes(field.value) { GoJSONString.append($0, to: &out) }
        }
    }

    /// Appends Alloy's stacktrace text: `Type: Value` and `\n  at function (module|file:line:column)` per frame.
    static func appendStacktrace(of exception: FaroException, to out: inout ContiguousArray<UInt8>) {
        out.append(contentsOf: exception.type.utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: exception.value.utf8)
        for frame in exception.stacktrace?.frames ?? [] {
            out.append(contentsOf: "\n  at ".utf8)
            out.append(contentsOf: frame.function.utf8)
            out.append(contentsOf: " (".utf8)
            if !frame.module.isEmpty {
                out.append(contentsOf: frame.module.utf8)
                out.append(UInt8(ascii: "|"))
            }
            out.append(contentsOf: frame.filename.utf8)
            out.append(UInt8(ascii: ":"))
            GoNumberFormat.appendDecimal(frame.lineno, to: &out)
            out.append(UInt8(ascii: ":"))
            GoNumberFormat.appendDecimal(frame.colno, to: &out)
            out.append(UInt8(ascii: ")"))
        }
    }
}
