/// Writes a payload as Faro JSON, the way Alloy's Go structs marshal it (`json.Marshal` of
/// its `payload.Payload`): members in Alloy's field order, empty optional members omitted as
/// its `omitempty` tags say, map keys sorted, strings escaped as Go escapes them, timestamps
/// in RFC 3339 with nanoseconds and their offset, and `traces` as their compacted JSON.
///
/// `FaroPayloadDecoder` reads the output back to an equal payload. Like `json.Marshal`, it refuses
/// a timestamp whose offset is 24 hours or more (`timestampOutOfRange`), which Go's decoder and
/// `FaroPayloadDecoder` accept (up to `+24:60`).
///
/// ```swift
/// var json = ContiguousArray<UInt8>()
/// try FaroPayloadEncoder().encode(payload, into: &json)
/// ```
public struct FaroPayloadEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the JSON of `payload` to `buffer`; on error, `buffer` is left as it was.
    public func encode(_ payload: FaroPayload, into buffer: inout ContiguousArray<UInt8>) throws(FaroEncodingError) {
        let start = buffer.count
        var writer = JSONObjectWriter(buffer: buffer)
        buffer = []
        do {
            try write(payload, with: &writer)
        } catch {
            writer.buffer.removeSubrange(start...)
            buffer = writer.buffer
            throw error
        }
        buffer = writer.buffer
    }

    /// The JSON of `payload`.
    public func encode(_ payload: FaroPayload) throws(FaroEncodingError) -> ContiguousArray<UInt8> {
        var buffer = ContiguousArray<UInt8>()
        try encode(payload, into: &buffer)
        return buffer
    }

    /// Writes the payload object.
    private func write(_ payload: FaroPayload, with writer: inout JSONObjectWriter) throws(FaroEncodingError) {
        writer.open()
        try writer.array("exceptions", payload.exceptions) { (writer, exception) throws(FaroEncodingError) in
            try writer.object { (writer) throws(FaroEncodingError) in
                writer.string("type", exception.type)
                writer.string("value", exception.value)
                if let stacktrace = exception.stacktrace {
                    writer.object("stacktrace") { writer in
                        writer.array("frames", stacktrace.frames) { writer, frame in
                            writer.object { writer in
                                writer.string("function", frame.function)
                                writer.string("module", frame.module)
                                writer.string("filename", frame.filename)
                                writer.integer("lineno", frame.lineno)
                                writer.integer("colno", frame.colno)
                            }
                        }
                    }
                }
                try writer.timestamp(exception.timestamp)
                writer.trace(exception.trace)
                writer.attributes("context", exception.context)
            }
        }
        try writer.array("logs", payload.logs) { (writer, log) throws(FaroEncodingError) in
            try writer.object { (writer) throws(FaroEncodingError) in
                writer.string("message", log.message)
                writer.string("level", log.level.rawValue)
                writer.attributes("context", log.context)
                try writer.timestamp(log.timestamp)
                writer.trace(log.trace)
            }
        }
        try writer.array("measurements", payload.measurements) { (writer, measurement) throws(FaroEncodingError) in
            try writer.object { (writer) throws(FaroEncodingError) in
                writer.string("type", measurement.type)
                if !measurement.values.isEmpty {
                    try writer.object("values") { (writer) throws(FaroEncodingError) in
                        for value in measurement.values {
                            guard value.value.isFinite else { throw .nonFiniteMeasurementValue(name: value.key) }
                            writer.key(value.key)
                            GoNumberFormat.appendJSON(value.value, to: &writer.buffer)
                        }
                    }
                }
                try writer.timestamp(measurement.timestamp)
                writer.trace(measurement.trace)
                writer.attributes("context", measurement.context)
            }
        }
        try writer.array("events", payload.events) { (writer, event) throws(FaroEncodingError) in
            try writer.object { (writer) throws(FaroEncodingError) in
                writer.string("name", event.name, always: true)
                writer.string("domain", event.domain)
                writer.attributes("attributes", event.attributes)
                try writer.timestamp(event.timestamp)
                writer.trace(event.trace)
            }
        }
        writer.meta(payload.meta)
        if let traces = payload.traces {
            writer.key("traces")
            traces.withUnsafeBytes { JSONObjectWriter.appendCompacted($0, to: &writer.buffer) }
        }
        writer.close()
    }
}

/// Why a payload could not be written as Faro JSON; Go's `json.Marshal` fails on the same values.
public enum FaroEncodingError: Error, Sendable, Hashable {
    /// A measurement value is NaN or infinite, which JSON cannot hold.
    case nonFiniteMeasurementValue(name: String)
    /// A timestamp's year at its offset lies outside 0...9999, or its offset is 24 hours or more:
    /// RFC 3339 cannot hold either, and Go's `json.Marshal` fails on both.
    case timestampOutOfRange(FaroTimestamp)
}

/// Writes JSON objects member by member into a buffer, with commas where they belong.
struct JSONObjectWriter {
    /// The output.
    var buffer: ContiguousArray<UInt8>
    /// Whether the innermost open object or array has no member yet.
    private var empty = true

    init(buffer: ContiguousArray<UInt8>) { self.buffer = buffer }

    /// Opens an object as the next value.
    mutating func open() {
        buffer.append(UInt8(ascii: "{"))
        empty = true
    }

    /// Closes the innermost object.
    mutating func close() {
        buffer.append(UInt8(ascii: "}"))
        empty = false
    }

    /// Writes a member's key and colon.
    mutating func key(_ name: String) {
        separate()
        GoJSONString.append(name, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
    }

    /// Writes a comma before every member or element but the first.
    private mutating func separate() {
        if !empty { buffer.append(UInt8(ascii: ",")) }
        empty = false
    }

    /// Writes an object member, or an array element when `name` is `nil`, filled by `body`.
    mutating func object<E: Error>(_ name: String? = nil, _ body: (inout JSONObjectWriter) throws(E) -> Void) throws(E) {
        if let name { key(name) } else { separate() }
        open()
        try body(&self)
        close()
    }

    /// Writes an array member unless `elements` is empty (`omitempty`).
    mutating func array<Element, E: Error>(
        _ name: String, _ elements: [Element], _ body: (inout JSONObjectWriter, Element) throws(E) -> Void
    ) throws(E) {
        if elements.isEmpty { return }
        key(name)
        buffer.append(UInt8(ascii: "["))
        empty = true
        for element in elements { try body(&self, element) }
        buffer.append(UInt8(ascii: "]"))
        empty = false
    }

    /// Writes a string member, unless it is empty and not `always` (`omitempty`).
    mutating func string(_ name: String, _ value: String, always: Bool = false) {
        if value.isEmpty && !always { return }
        key(name)
        GoJSONString.append(value, to: &buffer)
    }

    /// Writes an integer member unless it is zero (`omitempty`).
    mutating func integer(_ name: String, _ value: Int) {
        if value == 0 { return }
        key(name)
        GoNumberFormat.appendDecimal(value, to: &buffer)
    }

    /// Writes a string map member unless it is empty (`omitempty`).
    mutating func attributes(_ name: String, _ map: FaroAttributes) {
        if map.isEmpty { return }
        object(name) { writer in
            for attribute in map { writer.string(attribute.key, attribute.value, always: true) }
        }
    }

    /// Writes `timestamp` (never omitted: Go's `omitempty` does not apply to structs).
    mutating func timestamp(_ value: FaroTimestamp) throws(FaroEncodingError) {
        let local = value.secondsSince1970 + Int64(value.utcOffsetSeconds)
        // 0000-01-01T00:00:00 and 10000-01-01T00:00:00, in seconds since 1970; an offset's hours
        // below 24 (Go's `appendStrictRFC3339`).
        guard local >= -62_167_219_200, local < 253_402_300_800, abs(Int(value.utcOffsetSeconds)) / 3600 < 24 else {
            throw .timestampOutOfRange(value)
        }
        key("timestamp")
        buffer.append(UInt8(ascii: "\""))
        value.appendRFC3339(to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes the `trace` member, both ids always.
    mutating func trace(_ trace: FaroTraceContext) {
        object("trace") { writer in
            writer.string("trace_id", trace.traceID, always: true)
            writer.string("span_id", trace.spanID, always: true)
        }
    }

    /// Writes the `meta` member and all its parts.
    mutating func meta(_ meta: FaroMeta) {
        object("meta") { writer in
            writer.object("sdk") { writer in
                writer.string("name", meta.sdk.name)
                writer.string("version", meta.sdk.version)
                writer.array("integrations", meta.sdk.integrations) { writer, integration in
                    writer.object { writer in
                        writer.string("name", integration.name)
                        writer.string("version", integration.version)
                    }
                }
            }
            writer.object("app") { writer in
                writer.string("name", meta.app.name)
                writer.string("namespace", meta.app.namespace)
                writer.string("release", meta.app.release)
                writer.string("version", meta.app.version)
                writer.string("environment", meta.app.environment)
            }
            writer.object("user") { writer in
                writer.string("email", meta.user.email)
                writer.string("id", meta.user.id)
                writer.string("username", meta.user.username)
                writer.attributes("attributes", meta.user.attributes)
            }
            writer.object("session") { writer in
                writer.string("id", meta.session.id)
                writer.attributes("attributes", meta.session.attributes)
            }
            writer.object("page") { writer in
                writer.string("id", meta.page.id)
                writer.string("url", meta.page.url)
                writer.attributes("attributes", meta.page.attributes)
            }
            writer.object("browser") { writer in
                writer.string("name", meta.browser.name)
                writer.string("version", meta.browser.version)
                writer.string("os", meta.browser.os)
                if meta.browser.mobile {
                    writer.key("mobile")
                    writer.buffer.append(contentsOf: "true".utf8)
                }
                writer.string("userAgent", meta.browser.userAgent)
                writer.string("language", meta.browser.language)
                writer.string("viewportWidth", meta.browser.viewportWidth)
                writer.string("viewportHeight", meta.browser.viewportHeight)
            }
            writer.object("view") { writer in writer.string("name", meta.view.name) }
        }
    }

    /// Appends well-formed JSON without the whitespace between tokens, as Go compacts a `Marshaler`'s output.
    static func appendCompacted(_ json: UnsafeRawBufferPointer, to out: inout ContiguousArray<UInt8>) {
        var inString = false
        var escaped = false
        for byte in json {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                out.append(byte)
            } else {
                switch byte {
                case 0x20, 0x0A, 0x0D, 0x09: continue
                case UInt8(ascii: "\""): inString = true
                default: break
                }
                out.append(byte)
            }
        }
    }
}
