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
/// Like Alloy, the encoder drops a line that Go cannot encode: in logfmt, one whose key would be
/// empty (a measurement value named `""` or `" "`, for which go-logfmt fails); in JSON, one with a
/// NaN or infinite measurement value (`json.Marshal` fails). `encode` counts such lines.
public struct FaroLogLineEncoder: Sendable {
    /// The line format.
    public let format: FaroLogFormat
    /// Extra stream labels, sorted by name; an empty value takes the line's value of the key of that name.
    public let extraLogLabels: [(name: String, value: String)]

    /// Scratch memory for the fields and the line being written; unique to this encoder (copy on write).
    private var storage = ByteStorage()
    private var meta = LogLineFields()
    /// Whether `meta` holds the payload's metadata fields. They are needed only by lines written as
    /// fields first (labels that read lines, keys that may repeat); the others use the rendering.
    private var hasMetaFields = false
    /// For JSON: the metadata members, in key order (`FaroMeta.addFieldsInKeyOrder`).
    private var metaMembers = JSONMemberWriter()
    /// For JSON: where each metadata member starts in the scratch memory, in key order, and where
    /// the last ends. Each is rendered once per payload with its separator (`,"key":"value"`), so
    /// that members adjacent in key order are copied as one run.
    private var renderedMetaStarts: [Int] = []
    /// For logfmt: the metadata fields rendered once per payload (` key=value`...).
    private var renderedMeta: Range<Int> = 0..<0
    /// The date and time of day of the last timestamp written, which the next line's timestamp
    /// copies when it is of the same second.
    private var clock = FaroTimestamp.ClockText()
    private var item = LogLineFields()
    /// For JSON: the members of a line built as fields first.
    private var itemMembers = JSONMemberWriter()
    private var scratchOrder: [Int] = []
    /// The values of the labels of the line being written, found before any is written.
    private var labelValues: [String?] = []
    /// Whether a label takes its value from the line, so that lines must be built as fields first.
    private let labelsReadLines: Bool
    /// The label set when no label reads the line: the same for every line.
    private let fixedLabels: ContiguousArray<UInt8>

    /// Creates an encoder; `extraLogLabels` is Alloy's option of that name.
    public init(format: FaroLogFormat = .logfmt, extraLogLabels: [String: String] = [:]) {
        self.format = format
        self.extraLogLabels = extraLogLabels.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { (name: $0.key, value: $0.value) }
        self.labelsReadLines = extraLogLabels.values.contains { $0.isEmpty }
        var fixedLabels = ContiguousArray<UInt8>()
        FaroLogLineEncoder.writeLabels(self.extraLogLabels, to: &fixedLabels) { _ in nil }
        self.fixedLabels = fixedLabels
    }

    /// Appends the lines of `payload` to `buffer` and records each in `lines` (both are appended to,
    /// not cleared). Returns how many items got no line because Alloy's encoder would fail on them
    /// (go-logfmt on an empty key, `json.Marshal` on a non-finite measurement value).
    @discardableResult
    public mutating func encode(
        _ payload: FaroPayload, into buffer: inout ContiguousArray<UInt8>, lines: inout [FaroLogLine]
    ) -> Int {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        var scratch = ByteWriter(storage)
        prepareMeta(payload.meta, in: &scratch)
        var dropped = 0
        dropped += encode(payload.logs, meta: payload.meta, scratch: &scratch, into: &buffer, lines: &lines)
        dropped += encode(payload.exceptions, meta: payload.meta, scratch: &scratch, into: &buffer, lines: &lines)
        dropped += encode(payload.measurements, meta: payload.meta, scratch: &scratch, into: &buffer, lines: &lines)
        dropped += encode(payload.events, meta: payload.meta, scratch: &scratch, into: &buffer, lines: &lines)
        return dropped
    }

    /// Writes a line for each of `items`, whose payload has `meta`; returns how many were dropped.
    private mutating func encode<Item: AlloyLogItem>(
        _ items: [Item], meta: FaroMeta, scratch: inout ByteWriter, into buffer: inout ContiguousArray<UInt8>,
        lines: inout [FaroLogLine]
    ) -> Int {
        var itemStart = scratch.count
        var dropped = 0
        // Read in place through a span: `items[index]` would copy (retain and release) the whole item.
        let items = items.span
        for index in items.indices {
            scratch.count = itemStart
            let mayRepeatKeys = items[index].mayRepeatKeys
            let timestamp = items[index].timestamp
            if !mayRepeatKeys, !labelsReadLines {
                // The common case: the line is written as its fields come, with the metadata's rendering.
                let lineStart = scratch.count
                // What follows the line's own fields: the metadata's, in logfmt.
                let metaText: UnsafeRawBufferPointer
                switch format {
                case .logfmt:
                    var writer = LogfmtLineWriter(clock: clock)
                    items[index].addFields(to: &writer, in: &scratch)
                    clock = writer.clock
                    if writer.hasInvalidKey {
                        dropped += 1
                        continue
                    }
                    metaText = scratch[renderedMeta]
                case .json:
                    // Written in key order, the metadata's members merged in as the line goes: no sort.
                    let hasUnsupportedValue = metaMembers.members.withUnsafeBufferPointer { metaMembers in
                        renderedMetaStarts.withUnsafeBufferPointer { metaStarts in
                            var writer = JSONLineWriter(
                                lineStart: lineStart, metaMembers: metaMembers, metaStarts: metaStarts, clock: clock)
                            items[index].addFieldsInKeyOrder(to: &writer, in: &scratch)
                            writer.finishLine(in: &scratch)
                            clock = writer.clock
                            return writer.hasUnsupportedValue
                        }
                    }
                    if hasUnsupportedValue {
                        dropped += 1
                        continue
                    }
                    metaText = scratch[lineStart..<lineStart]
                }
                // The line (logfmt: the item's fields, then the metadata's) and the labels, copied in one reservation.
                let lineFirst = buffer.count
                let fields = scratch[lineStart..<scratch.count]
                fixedLabels.withUnsafeBytes { labels in
                    buffer.appendUnsafe(upTo: fields.count + metaText.count + labels.count) { line in
                        line.copyMemory(from: fields.baseAddress!, byteCount: fields.count)
                        (line + fields.count).copyMemory(from: metaText.baseAddress!, byteCount: metaText.count)
                        (line + fields.count + metaText.count).copyMemory(from: labels.baseAddress!, byteCount: labels.count)
                        return fields.count + metaText.count + labels.count
                    }
                }
                let labelFirst = buffer.count - fixedLabels.count
                lines.append(
                    FaroLogLine(
                        kind: Item.kind, index: index, timestamp: timestamp, line: lineFirst..<labelFirst,
                        labels: labelFirst..<buffer.count))
                continue
            }
            if !hasMetaFields {
                // Kept below the items' scratch memory from here on, for the rest of the payload.
                meta.addFields(to: &self.meta, in: &scratch)
                hasMetaFields = true
                itemStart = scratch.count
            }
            item.removeAll()
            items[index].addFields(to: &item, in: &scratch)
            dropped += emit(
                Item.kind, index, timestamp, mayRepeatKeys: mayRepeatKeys, scratch: &scratch, into: &buffer,
                lines: &lines)
        }
        scratch.count = itemStart
        return dropped
    }

    /// Renders the metadata fields shared by every line of a payload, once: logfmt straight from the
    /// model, JSON as members in key order. Their field list is built only when a line first needs
    /// it (see `hasMetaFields`).
    private mutating func prepareMeta(_ meta: FaroMeta, in scratch: inout ByteWriter) {
        self.meta.removeAll()
        hasMetaFields = false
        switch format {
        case .logfmt:
            let start = scratch.count
            var writer = LogfmtLineWriter(continuingLine: true)
            meta.addFields(to: &writer, in: &scratch)
            renderedMeta = start..<scratch.count
        case .json:
            metaMembers.removeAll()
            meta.addFieldsInKeyOrder(to: &metaMembers, in: &scratch)
            renderedMetaStarts.removeAll(keepingCapacity: true)
            if Self.lieSideBySide(metaMembers.members) {
                // Written side by side, as `addFieldsInKeyOrder` writes them: they are their own rendering.
                for member in metaMembers.members { renderedMetaStarts.append(member.bytes.lowerBound) }
                renderedMetaStarts.append(metaMembers.members.last?.bytes.upperBound ?? scratch.count)
                return
            }
            for member in metaMembers.members {
                renderedMetaStarts.append(scratch.count)
                scratch.appendCopy(of: member.bytes)
            }
            renderedMetaStarts.append(scratch.count)
        }
    }

    /// Whether each of `members` lies right after the one before: not when a key needed escaping,
    /// whose bytes as they are follow its member (see `JSONMemberWriter`).
    private static func lieSideBySide(_ members: [JSONMemberWriter.Member]) -> Bool {
        members.indices.dropFirst().allSatisfy { members[$0 - 1].bytes.upperBound == members[$0].bytes.lowerBound }
    }

    /// Writes the line of the item whose fields are in `item`, with the metadata's, and its labels,
    /// then copies them to `buffer`. Returns 1 if the line was dropped, else 0.
    private mutating func emit(
        _ kind: FaroItemKind, _ index: Int, _ timestamp: FaroTimestamp, mayRepeatKeys: Bool,
        scratch: inout ByteWriter, into buffer: inout ContiguousArray<UInt8>, lines: inout [FaroLogLine]
    ) -> Int {
        if mayRepeatKeys {
            item.append(contentsOf: meta)
            item.mergeRepeatedKeys(order: &scratchOrder, in: scratch)
        }
        let metaIncluded = mayRepeatKeys
        // Fields are read from the scratch memory while the line (or its members) are appended to
        // it: no moving meanwhile.
        scratch.reserve(item.formattedSizeBound)
        let lineFirst = buffer.count
        switch format {
        case .logfmt:
            let lineStart = scratch.count
            for (position, field) in item.fields.enumerated() {
                if position > 0 { scratch.append(UInt8(ascii: " ")) }
                if !FaroLogLineEncoder.appendLogfmt(field, from: scratch, to: &scratch) {
                    scratch.count = lineStart
                    return 1
                }
            }
            buffer.appendBytes(scratch[lineStart..<scratch.count])
            if !metaIncluded { buffer.appendBytes(scratch[renderedMeta]) }
        case .json:
            itemMembers.removeAll()
            for field in item.fields { itemMembers.add(rendering: field, in: &scratch) }
            if itemMembers.hasUnsupportedValue { return 1 }
            itemMembers.members.sortedOrder(into: &scratchOrder, in: scratch)
            appendJSONObject(order: scratchOrder, metaIncluded: metaIncluded, from: scratch, to: &buffer)
        }
        let labelFirst = buffer.count
        // Find the labels' values first: writing the labels may move the scratch memory they lie in.
        labelValues.removeAll(keepingCapacity: true)
        for label in extraLogLabels where label.value.isEmpty {
            let field = item.first(key: label.name, in: scratch) ?? (metaIncluded ? nil : meta.first(key: label.name, in: scratch))
            labelValues.append(field.map { FaroLogLineEncoder.text(of: $0, in: scratch) })
        }
        let labelStart = scratch.count
        var nextValue = labelValues.startIndex
        FaroLogLineEncoder.writeLabels(extraLogLabels, to: &scratch) { _ in
            defer { nextValue += 1 }
            return labelValues[nextValue]
        }
        buffer.appendBytes(scratch[labelStart..<scratch.count])
        lines.append(
            FaroLogLine(kind: kind, index: index, timestamp: timestamp, line: lineFirst..<labelFirst, labels: labelFirst..<buffer.count))
        return 0
    }

    /// Appends the item's members, taken in `order` (their key order), and the metadata's to
    /// `buffer` as one JSON object, keys sorted byte by byte: the metadata members that sort
    /// between two item members are found by binary search and copied as one run.
    private func appendJSONObject(
        order: [Int], metaIncluded: Bool, from scratch: ByteWriter, to buffer: inout ContiguousArray<UInt8>
    ) {
        let metaCount = metaIncluded ? 0 : metaMembers.members.count
        let metaLength = metaIncluded ? 0 : renderedMetaStarts[metaCount] - renderedMetaStarts[0]
        let length = itemMembers.members.reduce(0) { $0 + $1.bytes.count } + metaLength + 2
        buffer.appendUnsafe(upTo: length) { object in
            var end = object
            // Copies `range` of the scratch memory to the end of the object.
            func copy(_ range: Range<Int>) {
                end.copyMemory(from: scratch.base + range.lowerBound, byteCount: range.count)
                end += range.count
            }
            itemMembers.members.withUnsafeBufferPointer { members in
                metaMembers.members.withUnsafeBufferPointer { metaMembers in
                    renderedMetaStarts.withUnsafeBufferPointer { metaStarts in
                        var metaPosition = 0
                        for index in order {
                            // The metadata members before this one: those whose keys it does not precede.
                            // Members that sort next to each other (a map's keys) usually have none between them.
                            var low = metaPosition
                            var high = metaCount
                            if low < high, members[index].keyPrecedes(metaMembers[low], in: scratch) {
                                high = low
                            }
                            while low < high {
                                let middle = (low + high) >> 1
                                if members[index].keyPrecedes(metaMembers[middle], in: scratch) {
                                    high = middle
                                } else {
                                    low = middle + 1
                                }
                            }
                            if low > metaPosition {
                                copy(metaStarts[metaPosition]..<metaStarts[low])
                                metaPosition = low
                            }
                            copy(members[index].bytes)
                        }
                        if metaPosition < metaCount { copy(metaStarts[metaPosition]..<metaStarts[metaCount]) }
                    }
                }
            }
            // Every member was written after a comma; the first comma becomes the opening brace.
            if end == object {
                end.storeBytes(of: UInt8(ascii: "{"), as: UInt8.self)
                end += 1
            } else {
                object.storeBytes(of: UInt8(ascii: "{"), as: UInt8.self)
            }
            end.storeBytes(of: UInt8(ascii: "}"), as: UInt8.self)
            end += 1
            return end - object
        }
    }

    /// Writes a stream label set: `extra_log_labels`, sorted by name; an empty value takes
    /// `lineValue(name)` (called once per such label, in order), and the label is left out when
    /// that is `nil`.
    private static func writeLabels(
        _ labels: [(name: String, value: String)], to out: inout some ByteOutput, lineValue: (String) -> String?
    ) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for label in labels {
            guard let value = label.value.isEmpty ? lineValue(label.name) : label.value else { continue }
            if !first { out.appendStatic(", ") }
            first = false
            out.appendUTF8(label.name)
            out.append(UInt8(ascii: "="))
            GoQuote.append(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A field's value as Go's `fmt.Sprint` writes it.
    private static func text(of field: LogLineFields.Field, in scratch: ByteWriter) -> String {
        guard field.isNumber else { return String(decoding: scratch[field.value], as: UTF8.self) }
        var text = ContiguousArray<UInt8>()
        GoNumberFormat.appendShortest(field.number, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `key=value` of a field whose bytes lie in `source`; `false` if the key is empty once cleaned.
    @inline(__always)
    private static func appendLogfmt(_ field: LogLineFields.Field, from source: ByteWriter, to out: inout ByteWriter) -> Bool {
        let fixedEnd = field.key.lowerBound + field.fixedKeyLength
        out.appendBytes(source[field.key.lowerBound..<fixedEnd])
        guard Logfmt.appendKey(source[fixedEnd..<field.key.upperBound], to: &out) || fixedEnd > field.key.lowerBound else {
            return false
        }
        out.append(UInt8(ascii: "="))
        if field.isNumber {
            GoNumberFormat.appendShortest(field.number, to: &out)
        } else {
            Logfmt.appendValue(out[field.value], to: &out)
        }
        return true
    }
}
