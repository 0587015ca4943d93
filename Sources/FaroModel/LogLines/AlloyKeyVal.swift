// The fields of each item's line, in the order Alloy's `KeyVal()` methods produce them
// (`internal/component/faro/receiver/internal/payload/payload.go`).

/// A payload item that becomes one Alloy log line.
protocol AlloyLogItem {
    /// The line's `kind`.
    static var kind: FaroItemKind { get }
    /// The item's timestamp.
    var timestamp: FaroTimestamp { get }
    /// Whether two fields of the line can have the same key, so that Go's ordered-map rule must be applied.
    var mayRepeatKeys: Bool { get }
    /// Produces the item's fields, before the metadata's.
    func addFields(to sink: inout some LineFieldSink, in scratch: inout ByteWriter)
    /// Produces the fields of `addFields` in the byte order of their keys: the order of a JSON
    /// line's members (`encoding/json` sorts a map's keys), so that they need no sort. The fixed
    /// keys are written in order, and each map's keys, sorted and unique (`FaroMap`), sort together
    /// where their prefix does. Only for items whose keys do not repeat (`mayRepeatKeys`): the
    /// order decides which of two values of a key is kept.
    func addFieldsInKeyOrder(to sink: inout some LineFieldSink, in scratch: inout ByteWriter)
}

extension AlloyLogItem {
    var mayRepeatKeys: Bool { false }
}

extension FaroTraceContext {
    /// `traceID` and `spanID` (`TraceContext.KeyVal`).
    @inline(__always)
    func addFields(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add("traceID", value: traceID, in: &scratch)
        sink.add("spanID", value: spanID, in: &scratch)
    }
}

extension FaroLog: AlloyLogItem {
    static var kind: FaroItemKind { .log }

    @inline(__always)
    func addFields(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add(timestamp: timestamp, in: &scratch)
        sink.add("kind", literal: "log", in: &scratch)
        sink.add("message", value: message, in: &scratch)
        sink.add("level", value: level.rawValue, in: &scratch)
        sink.add("context_", attributes: context, in: &scratch)
        trace.addFields(to: &sink, in: &scratch)
    }

    /// `context_…` (in key order already), `kind`, `level`, `message`, `spanID`, `timestamp`, `traceID`.
    @inline(__always)
    func addFieldsInKeyOrder(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add("context_", attributes: context, in: &scratch)
        sink.add("kind", literal: "log", in: &scratch)
        sink.add("level", value: level.rawValue, in: &scratch)
        sink.add("message", value: message, in: &scratch)
        sink.add("spanID", value: trace.spanID, in: &scratch)
        sink.add(timestamp: timestamp, in: &scratch)
        sink.add("traceID", value: trace.traceID, in: &scratch)
    }
}

extension FaroException: AlloyLogItem {
    static var kind: FaroItemKind { .exception }

    @inline(__always)
    func addFields(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add(timestamp: timestamp, in: &scratch)
        sink.add("kind", literal: "exception", in: &scratch)
        sink.add("type", value: type, in: &scratch)
        sink.add("value", value: value, in: &scratch)
        sink.add(stacktraceOf: self, in: &scratch)
        addHashField(to: &sink, in: &scratch)
        sink.add("context_", attributes: context, in: &scratch)
        trace.addFields(to: &sink, in: &scratch)
    }

    /// `context_…`, `hash`, `kind`, `spanID`, `stacktrace`, `timestamp`, `traceID`, `type`, `value`.
    @inline(__always)
    func addFieldsInKeyOrder(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add("context_", attributes: context, in: &scratch)
        addHashField(to: &sink, in: &scratch)
        sink.add("kind", literal: "exception", in: &scratch)
        sink.add("spanID", value: trace.spanID, in: &scratch)
        sink.add(stacktraceOf: self, in: &scratch)
        sink.add(timestamp: timestamp, in: &scratch)
        sink.add("traceID", value: trace.traceID, in: &scratch)
        sink.add("type", value: type, in: &scratch)
        sink.add("value", value: value, in: &scratch)
    }

    /// `hash`: the XXH3-64 of the exception's value, in decimal.
    @inline(__always)
    private func addHashField(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add("hash", in: &scratch) { GoNumberFormat.appendDecimal(XXH3.hash64(value), to: &$0) }
    }

    /// What begins each frame inside a quoted value: the line break escaped, as go-logfmt and
    /// `encoding/json` both escape it.
    static var escapedFrameStart: StaticString { "\\n  at " }

    /// Alloy's stacktrace text: `Type: Value` and `\n  at function (module|file:line:column)` per frame.
    ///
    /// `appendText` writes each string of the model, and `frameStart` begins each frame: as they
    /// are by default, or as a format escapes them inside a quoted value, so that the text is
    /// written once in its final form.
    @inline(__always)
    func appendStacktrace(
        to out: inout ByteWriter, frameStart: StaticString = "\n  at ",
        appendText: (inout ByteWriter, String) -> Void = { $0.appendUTF8($1) }
    ) {
        appendText(&out, type)
        out.appendStatic(": ")
        appendText(&out, value)
        // Read in place through a span: iterating the array would copy (retain and release) each frame.
        guard let frames = stacktrace?.frames.span else { return }
        // The frame whose file name was written last, and where its text lies: frames of one script
        // bundle repeat it, and its text is then copied rather than written again.
        var fileFrame = -1
        var fileText = 0..<0
        for index in frames.indices {
            out.appendStatic(frameStart)
            appendText(&out, frames[index].function)
            out.appendStatic(" (")
            if !frames[index].module.isEmpty {
                appendText(&out, frames[index].module)
                out.append(UInt8(ascii: "|"))
            }
            if fileFrame >= 0 && frames[index].filename == frames[fileFrame].filename {
                out.appendCopy(of: fileText)
            } else {
                let start = out.count
                appendText(&out, frames[index].filename)
                fileFrame = index
                fileText = start..<out.count
            }
            // `:line:column)` in one reservation of room: two numbers of at most 20 bytes and three bytes.
            out.appendUnsafe(upTo: 43) { start in
                start.storeBytes(of: UInt8(ascii: ":"), as: UInt8.self)
                var count = 1 &+ GoNumberFormat.writeDecimal(frames[index].lineno, at: start + 1)
                start.storeBytes(of: UInt8(ascii: ":"), toByteOffset: count, as: UInt8.self)
                count &+= 1
                count &+= GoNumberFormat.writeDecimal(frames[index].colno, at: start + count)
                start.storeBytes(of: UInt8(ascii: ")"), toByteOffset: count, as: UInt8.self)
                return count &+ 1
            }
        }
    }
}

extension FaroMeasurement: AlloyLogItem {
    static var kind: FaroItemKind { .measurement }

    func addFields(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add(timestamp: timestamp, in: &scratch)
        sink.add("kind", literal: "measurement", in: &scratch)
        sink.add("type", value: type, in: &scratch)
        // Read in place through a span: iterating the map would copy (retain and release) each name.
        let values = values.elements.span
        for index in values.indices {
            sink.add(values[index].key, fixed6: values[index].value, in: &scratch)
        }
        trace.addFields(to: &sink, in: &scratch)
        sink.add("context_", attributes: context, in: &scratch)
        for index in values.indices { sink.add("value_", values[index].key, number: values[index].value, in: &scratch) }
    }

    /// `context_…`, `kind`, `spanID`, `timestamp`, `traceID`, `type` and `value_…`, with each value's
    /// `%f` text where its name sorts among them. Called only when no name can repeat another key
    /// (`mayRepeatKeys`): then no name begins with `context_` or `value_`, so that a name sorts before
    /// all the keys of such a prefix or after all of them, as it sorts against the prefix.
    @inline(__always)
    func addFieldsInKeyOrder(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        // Read in place through a span: iterating the map would copy (retain and release) each name.
        let values = values.elements.span
        var next = values.indices.lowerBound
        // Writes the `%f` texts of the values, in name order, whose names sort before `key`; all
        // those left when there is no `key`.
        func addValues(before key: StaticString?) {
            while next < values.indices.upperBound {
                if let key {
                    let keyBytes = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
                    guard scratch.withUTF8(of: values[next].key, { _, name in name.bytesPrecede(keyBytes) }) else { return }
                }
                sink.add(values[next].key, fixed6: values[next].value, in: &scratch)
                next += 1
            }
        }
        addValues(before: "context_")
        sink.add("context_", attributes: context, in: &scratch)
        addValues(before: "kind")
        sink.add("kind", literal: "measurement", in: &scratch)
        addValues(before: "spanID")
        sink.add("spanID", value: trace.spanID, in: &scratch)
        addValues(before: "timestamp")
        sink.add(timestamp: timestamp, in: &scratch)
        addValues(before: "traceID")
        sink.add("traceID", value: trace.traceID, in: &scratch)
        addValues(before: "type")
        sink.add("type", value: type, in: &scratch)
        addValues(before: "value_")
        for index in values.indices { sink.add("value_", values[index].key, number: values[index].value, in: &scratch) }
        addValues(before: nil)
    }

    /// Whether a value's name can equal another key of the line: a fixed key, a `context_`,
    /// `value_` or metadata key.
    var mayRepeatKeys: Bool {
        values.contains { FaroMeasurement.mayRepeat(name: $0.key) }
    }

    /// Whether a value named `name` can repeat another key of the line.
    private static func mayRepeat(name: String) -> Bool {
        func starts(_ prefix: StaticString) -> Bool {
            name.utf8.starts(with: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        }
        switch name.utf8.first {
        case UInt8(ascii: "t"): return name == "timestamp" || name == "type" || name == "traceID"
        case UInt8(ascii: "k"): return name == "kind"
        case UInt8(ascii: "s"): return name == "spanID" || starts("sdk_") || starts("session_")
        case UInt8(ascii: "c"): return starts("context_")
        case UInt8(ascii: "v"): return starts("value_") || starts("view_")
        case UInt8(ascii: "a"): return starts("app_")
        case UInt8(ascii: "u"): return starts("user_")
        case UInt8(ascii: "p"): return starts("page_")
        case UInt8(ascii: "b"): return starts("browser_")
        default: return false
        }
    }
}

extension FaroEvent: AlloyLogItem {
    static var kind: FaroItemKind { .event }

    @inline(__always)
    func addFields(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add(timestamp: timestamp, in: &scratch)
        sink.add("kind", literal: "event", in: &scratch)
        sink.add("event_name", value: name, in: &scratch)
        sink.add("event_domain", value: domain, in: &scratch)
        sink.add("event_data_", attributes: attributes, in: &scratch)
        trace.addFields(to: &sink, in: &scratch)
    }

    /// `event_data_…`, `event_domain`, `event_name`, `kind`, `spanID`, `timestamp`, `traceID`.
    @inline(__always)
    func addFieldsInKeyOrder(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add("event_data_", attributes: attributes, in: &scratch)
        sink.add("event_domain", value: domain, in: &scratch)
        sink.add("event_name", value: name, in: &scratch)
        sink.add("kind", literal: "event", in: &scratch)
        sink.add("spanID", value: trace.spanID, in: &scratch)
        sink.add(timestamp: timestamp, in: &scratch)
        sink.add("traceID", value: trace.traceID, in: &scratch)
    }
}

extension FaroMeta {
    /// The metadata fields every line ends with (`Meta.KeyVal`).
    func addFields(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add("sdk_name", value: sdk.name, in: &scratch)
        sink.add("sdk_version", value: sdk.version, in: &scratch)
        addIntegrationsField(to: &sink, in: &scratch)
        sink.add("app_name", value: app.name, in: &scratch)
        sink.add("app_namespace", value: app.namespace, in: &scratch)
        sink.add("app_release", value: app.release, in: &scratch)
        sink.add("app_version", value: app.version, in: &scratch)
        sink.add("app_environment", value: app.environment, in: &scratch)
        sink.add("user_email", value: user.email, in: &scratch)
        sink.add("user_id", value: user.id, in: &scratch)
        sink.add("user_username", value: user.username, in: &scratch)
        sink.add("user_attr_", attributes: user.attributes, in: &scratch)
        sink.add("session_id", value: session.id, in: &scratch)
        sink.add("session_attr_", attributes: session.attributes, in: &scratch)
        sink.add("page_id", value: page.id, in: &scratch)
        sink.add("page_url", value: page.url, in: &scratch)
        sink.add("page_attr_", attributes: page.attributes, in: &scratch)
        sink.add("browser_name", value: browser.name, in: &scratch)
        sink.add("browser_version", value: browser.version, in: &scratch)
        sink.add("browser_os", value: browser.os, in: &scratch)
        sink.add("browser_mobile", value: browser.mobile ? "true" : "false", in: &scratch)
        sink.add("browser_userAgent", value: browser.userAgent, in: &scratch)
        sink.add("browser_language", value: browser.language, in: &scratch)
        sink.add("browser_viewportWidth", value: browser.viewportWidth, in: &scratch)
        sink.add("browser_viewportHeight", value: browser.viewportHeight, in: &scratch)
        sink.add("view_name", value: view.name, in: &scratch)
    }

    /// The fields of `addFields` in the byte order of their keys, the order of a JSON line's
    /// members (`encoding/json` sorts a map's keys), so that they need no sort. Each attribute map
    /// is in key order already, and its keys sort together where its prefix does: `page_attr_…`
    /// before `page_id`, `session_attr_…` before `session_id`, `user_attr_…` before `user_email`.
    func addFieldsInKeyOrder(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        sink.add("app_environment", value: app.environment, in: &scratch)
        sink.add("app_name", value: app.name, in: &scratch)
        sink.add("app_namespace", value: app.namespace, in: &scratch)
        sink.add("app_release", value: app.release, in: &scratch)
        sink.add("app_version", value: app.version, in: &scratch)
        sink.add("browser_language", value: browser.language, in: &scratch)
        sink.add("browser_mobile", value: browser.mobile ? "true" : "false", in: &scratch)
        sink.add("browser_name", value: browser.name, in: &scratch)
        sink.add("browser_os", value: browser.os, in: &scratch)
        sink.add("browser_userAgent", value: browser.userAgent, in: &scratch)
        sink.add("browser_version", value: browser.version, in: &scratch)
        sink.add("browser_viewportHeight", value: browser.viewportHeight, in: &scratch)
        sink.add("browser_viewportWidth", value: browser.viewportWidth, in: &scratch)
        sink.add("page_attr_", attributes: page.attributes, in: &scratch)
        sink.add("page_id", value: page.id, in: &scratch)
        sink.add("page_url", value: page.url, in: &scratch)
        addIntegrationsField(to: &sink, in: &scratch)
        sink.add("sdk_name", value: sdk.name, in: &scratch)
        sink.add("sdk_version", value: sdk.version, in: &scratch)
        sink.add("session_attr_", attributes: session.attributes, in: &scratch)
        sink.add("session_id", value: session.id, in: &scratch)
        sink.add("user_attr_", attributes: user.attributes, in: &scratch)
        sink.add("user_email", value: user.email, in: &scratch)
        sink.add("user_id", value: user.id, in: &scratch)
        sink.add("user_username", value: user.username, in: &scratch)
        sink.add("view_name", value: view.name, in: &scratch)
    }

    /// `sdk_integrations`: each integration's `name:version`, joined by commas; none when there are none.
    private func addIntegrationsField(to sink: inout some LineFieldSink, in scratch: inout ByteWriter) {
        guard !sdk.integrations.isEmpty else { return }
        sink.add("sdk_integrations", in: &scratch) { out in
            for (position, integration) in sdk.integrations.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                out.appendUTF8(integration.name)
                out.append(UInt8(ascii: ":"))
                out.appendUTF8(integration.version)
            }
        }
    }
}
