/// Drives a `JSONScanner` to fill the payload model with Go's `encoding/json` semantics:
/// `null` leaves a value as it is (and empties slices, maps and pointers), a repeated key
/// decodes again into what the earlier one filled, unknown members are checked and skipped,
/// and a value of the wrong type is an error.
struct FaroJSONReader {
    /// The scanner over the input.
    var scanner: JSONScanner
    /// The input as an array, when the caller passed one: `traces` then refer to it without copying.
    let storage: ContiguousArray<UInt8>?
    /// The most logs, exceptions, measurements and events allowed.
    let maxItems: Int
    /// How many of them were read so far.
    var itemCount = 0
    /// Recently made strings, so that repeated values (script URLs in stack frames, user agents)
    /// are shared rather than allocated and checked again, and the member order of each object
    /// type; from the caller's earlier payloads when it keeps them.
    var memory: FaroDecoderMemory
    /// Whether a map of the object being read took the members of a repeated key unordered: its
    /// order is restored once, when the object ends, so that a key repeated n times costs one
    /// sort, not n (which made such payloads quadratic).
    var mapsAwaitOrder = false
    /// The elements that shorter repeats of array keys cut off, for longer repeats to take up again.
    var cutOffElements = CutOffElements()
    /// The index in `exceptions` of the exception being read, whose stack frames are its own slice.
    var exceptionIndex = 0
    /// The content of the last string value with escapes, unescaped while it was scanned.
    var unescaped = ByteWriter(ByteStorage(capacity: 256))

    /// A reader over `scanner`; `storage` is the input when the caller passed an array, `memory`
    /// what earlier payloads left.
    init(scanner: JSONScanner, storage: ContiguousArray<UInt8>?, maxItems: Int, memory: FaroDecoderMemory = FaroDecoderMemory()) {
        self.scanner = scanner
        self.storage = storage
        self.maxItems = maxItems
        self.memory = memory
    }

    /// Fills `value` from an object, or leaves it for `null`.
    mutating func decodeObject<Object: JSONObjectDecodable>(into value: inout Object) throws(FaroDecodingError) {
        guard let byte = try scanner.peekUnlessNull() else { return }
        guard byte == UInt8(ascii: "{") else { throw try scanner.mismatch(expected: .object) }
        try scanner.beginObject()
        // The maps are the object's own fields: an enclosing object's wait is kept apart.
        let enclosingMapsAwaitOrder = mapsAwaitOrder
        mapsAwaitOrder = false
        defer { mapsAwaitOrder = enclosingMapsAwaitOrder }
        let names = Object.fieldNames
        // The field that came after each field (or first) when last seen in an object of this type:
        // objects of a type (items, stack frames) mostly have their members in the same order.
        let row = names.id * MemberPrediction.width
        if memory.predictedFields.count < row + MemberPrediction.width {
            // Room for the rows of every type at once, not one more row at a time.
            let count = max(row + MemberPrediction.width, 32 * MemberPrediction.width)
            memory.predictedFields.append(contentsOf: repeatElement(MemberPrediction.none, count: count - memory.predictedFields.count))
        }
        var first = true
        // 0 at the start, field + 1 after a field. A member that is skipped leaves it: the row tells
        // the next field read after each, past the members of the object that are not read (a
        // stack frame's `in_app`), so that the one after them is predicted too.
        var previous = 0
        while true {
            var predicted: Int?
            if previous < MemberPrediction.width, memory.predictedFields[row + previous] != MemberPrediction.none {
                predicted = Int(memory.predictedFields[row + previous])
            }
            let member = try scanner.nextMember(first: &first, predicting: predicted.map(names.predictedKey))
            let field: Int?
            var key: JSONString?
            switch member {
            case .end:
                if mapsAwaitOrder { value.restoreMapOrder() }
                return
            case .predicted:
                field = predicted
            case .key(let scanned):
                key = scanned
                field =
                    scanned.needsDecoding
                    ? decodedFieldIndex(of: scanned, in: names)
                    : names.index(of: UnsafeRawBufferPointer(rebasing: scanner.input[scanned.start..<scanned.end]))
                if let field, previous < MemberPrediction.width {
                    memory.predictedFields[row + previous] = UInt8(field)
                }
            }
            if let field { previous = field + 1 }
            do {
                if let field {
                    try value.decodeField(field, from: &self)
                } else {
                    try scanner.skipValue()
                }
            } catch {
                let name = field.map { names.names[$0].description } ?? key.map { scanner.string($0) } ?? ""
                throw error.within(.key(name))
            }
        }
    }

    /// The field an escaped key names, after unescaping it.
    private func decodedFieldIndex(of key: JSONString, in names: JSONFieldNames) -> Int? {
        var text = scanner.string(key)
        return text.withUTF8 { names.index(of: UnsafeRawBufferPointer($0)) }
    }

    /// Fills `value` from an object, creating it if needed, or sets it to `nil` for `null` (a Go pointer).
    mutating func decodeOptionalObject<Object: JSONObjectDecodable>(into value: inout Object?) throws(FaroDecodingError) {
        guard try scanner.peekUnlessNull() != nil else {
            value = nil
            return
        }
        var object = value ?? Object()
        try decodeObject(into: &object)
        value = object
    }

    /// Fills `array`, the Go slice `slice`, from a JSON array, or empties it for `null`. As Go does
    /// for a repeated key, the array's elements are decoded into the elements it already has, then
    /// into those that an earlier, shorter repeat cut off (see `CutOffElements`). Items count against
    /// the item limit when `countsItems`.
    mutating func decodeArray<Element: JSONObjectDecodable>(
        into array: inout [Element], slice: CutOffElements.Slice, countsItems: Bool = false
    ) throws(FaroDecodingError) {
        guard let byte = try scanner.peekUnlessNull() else {
            setAnew(&array, slice: slice)
            return
        }
        guard byte == UInt8(ascii: "[") else { throw try scanner.mismatch(expected: .array) }
        try scanner.beginArray()
        var cutOff = cutOffElements.isEmpty ? [] : cutOffElements.take(slice, as: Element.self)
        var first = true
        var index = 0
        while try scanner.nextElement(first: &first) {
            if countsItems {
                itemCount += 1
                if itemCount > maxItems { throw scanner.error(.tooManyItems(limit: maxItems), at: scanner.offset) }
            }
            if index == array.count {
                // Stack traces and item lists seldom hold one element: skip the first two regrowths.
                if array.isEmpty { array.reserveCapacity(4) }
                array.append(cutOff.popLast() ?? Element())
            }
            if slice == .exceptions { exceptionIndex = index }
            do {
                try decodeObject(into: &array[index])
            } catch {
                throw error.within(.index(index))
            }
            index += 1
        }
        if index == 0 {
            // `[]` sets a new empty slice.
            setAnew(&array, slice: slice)
            return
        }
        if index < array.count {
            cutOff.append(contentsOf: array[index...].reversed())
            array.removeSubrange(index...)
        }
        cutOffElements.keep(cutOff, of: slice)
    }

    /// Empties `array`, the Go slice `slice` set anew (nil for `null`, a new empty slice for `[]`):
    /// what earlier repeats cut off is gone with its backing array.
    private mutating func setAnew<Element>(_ array: inout [Element], slice: CutOffElements.Slice) {
        array = []
        cutOffElements.forget(slice)
    }

    /// The content of a scanned string, shared with an equal recent one where possible.
    @inline(__always)
    mutating func string(_ token: JSONString) -> String {
        if token.needsDecoding {
            if token.isUnescaped { return JSONScanner.string(checkedUTF8: unescaped[0..<unescaped.count], isASCII: false) }
            return scanner.string(token)
        }
        return memory.recentStrings.string(in: scanner.input, from: token.start, to: token.end, isASCII: token.isASCII)
    }

    /// Sets `value` from a string, or leaves it for `null`.
    mutating func decodeString(into value: inout String) throws(FaroDecodingError) {
        let byte = try scanner.peek()
        if byte == UInt8(ascii: "\"") {
            value = string(try scanner.scanString(unescapingInto: &unescaped))
        } else if byte == UInt8(ascii: "n") {
            _ = try scanner.consumeNull()
        } else {
            throw try scanner.mismatch(expected: .string)
        }
    }

    /// Sets `value` from a boolean, or leaves it for `null`.
    mutating func decodeBool(into value: inout Bool) throws(FaroDecodingError) {
        let byte = try scanner.peek()
        if byte == UInt8(ascii: "t") || byte == UInt8(ascii: "f") {
            value = try scanner.readBool()
        } else if byte == UInt8(ascii: "n") {
            _ = try scanner.consumeNull()
        } else {
            throw try scanner.mismatch(expected: .bool)
        }
    }

    /// Sets `value` from an integer that fits in 64 bits, or leaves it for `null`; a fraction or
    /// an exponent is out of range, as for Go's `strconv.ParseInt`.
    mutating func decodeInt(into value: inout Int) throws(FaroDecodingError) {
        let byte = try scanner.peek()
        if byte == UInt8(ascii: "n") {
            _ = try scanner.consumeNull()
            return
        }
        guard JSONScanner.kind(of: byte) == .number else { throw try scanner.mismatch(expected: .number) }
        if let parsed = scanner.scanShortInteger() {
            value = parsed
            return
        }
        let start = scanner.offset
        guard let parsed = GoNumberFormat.parseInt64(try scanner.scanNumber()) else {
            throw scanner.error(.numberOutOfRange, at: start)
        }
        value = Int(parsed)
    }

    /// A float64 from the next value: the number, or 0 for `null` (what Go stores in a map entry).
    mutating func decodeDouble() throws(FaroDecodingError) -> Double {
        let byte = try scanner.peek()
        if byte == UInt8(ascii: "n") {
            _ = try scanner.consumeNull()
            return 0
        }
        guard JSONScanner.kind(of: byte) == .number else { throw try scanner.mismatch(expected: .number) }
        let start = scanner.offset
        guard let parsed = GoNumberFormat.parseDouble(try scanner.scanNumber()) else {
            throw scanner.error(.numberOutOfRange, at: start)
        }
        return parsed
    }

    /// Sets `value` from an RFC 3339 string, or leaves it for `null`. Like Go's
    /// `time.Time.UnmarshalJSON`, it reads the raw bytes between the quotes: escapes are not decoded.
    mutating func decodeTimestamp(into value: inout FaroTimestamp) throws(FaroDecodingError) {
        let byte = try scanner.peek()
        if byte == UInt8(ascii: "n") {
            _ = try scanner.consumeNull()
            return
        }
        guard byte == UInt8(ascii: "\"") else { throw try scanner.mismatch(expected: .string) }
        let start = scanner.offset
        let text = try scanner.scanString()
        guard let parsed = FaroTimestamp.parseRFC3339(UnsafeRawBufferPointer(rebasing: scanner.input[text.start..<text.end]))
        else { throw scanner.error(.invalidTimestamp, at: start) }
        value = parsed
    }

    /// Merges the members of an object into `map` (a later key replaces an earlier one), or empties
    /// it for `null`. `decodeValue` reads one member's value.
    mutating func decodeMap<Value>(
        into map: inout FaroMap<Value>, _ decodeValue: (inout FaroJSONReader) throws(FaroDecodingError) -> Value
    ) throws(FaroDecodingError) {
        guard let byte = try scanner.peekUnlessNull() else {
            map = FaroMap()
            return
        }
        guard byte == UInt8(ascii: "{") else { throw try scanner.mismatch(expected: .object) }
        try scanner.beginObject()
        var first = true
        // Members merge into what an earlier member of the same name filled, as in Go: then `String`s are compared.
        let merging = !map.isEmpty
        // Members wait on the stack while their keys are read in place, and then fill an array of the
        // right size in key order; members past what the stack holds, or with escaped keys, go the slow way.
        try withUnsafeTemporaryAllocation(of: MemberKeyOrder.Key.self, capacity: 32) {
            (keys) throws(FaroDecodingError) in
            try withUnsafeTemporaryAllocation(of: FaroMap<Value>.Element.self, capacity: 32) {
                (waiting) throws(FaroDecodingError) in
                let members = waiting.baseAddress!
                var order = MemberKeyOrder(keys)
                var waitingCount = 0
                defer { members.deinitialize(count: waitingCount) }
                while let keyToken = try scanner.nextMember(first: &first) {
                    let key = string(keyToken)
                    let value: Value
                    do throws(FaroDecodingError) {
                        value = try decodeValue(&self)
                    } catch {
                        throw error.within(.key(key))
                    }
                    order.append(keyToken, in: scanner.input)
                    if !merging, order.isUsable {
                        (members + waitingCount).initialize(to: FaroMap.Element(key: key, value: value))
                        waitingCount += 1
                        continue
                    }
                    if waitingCount > 0 {
                        map.reserveCapacity(2 * waitingCount)
                        for index in 0..<waitingCount { map.appendUnordered((members + index).move()) }
                        waitingCount = 0
                    }
                    map.appendUnordered(FaroMap.Element(key: key, value: value))
                }
                if merging {
                    // A repeated key: ordered with the object's other maps when it ends.
                    mapsAwaitOrder = true
                    return
                }
                if !order.isUsable {
                    map.restoreOrder()
                    return
                }
                if !order.isInOrder { order.sort(in: scanner.input) }
                // Keys are unique now; the members of earlier duplicate keys are left, then dropped.
                var elements: [FaroMap<Value>.Element] = []
                elements.reserveCapacity(order.count)
                var moved: UInt64 = 0
                for index in 0..<order.count {
                    let member = order.member(at: index)
                    elements.append((members + member).move())
                    moved |= 1 << member
                }
                for member in 0..<waitingCount where moved & 1 << member == 0 { (members + member).deinitialize(count: 1) }
                waitingCount = 0
                map = FaroMap(orderedElements: elements)
            }
        }
    }

    /// Merges a string-to-string object into `map`; `null` members store "", as Go stores the zero value.
    mutating func decodeAttributes(into map: inout FaroAttributes) throws(FaroDecodingError) {
        try decodeMap(into: &map) { (reader: inout FaroJSONReader) throws(FaroDecodingError) -> String in
            var value = ""
            try reader.decodeString(into: &value)
            return value
        }
    }

    /// Keeps the `traces` object's bytes after checking them, or sets `nil` for `null`. Strings in it
    /// whose ill-formed UTF-8 or lone surrogates `.replace` let through are rewritten with U+FFFD, so
    /// that every string of a payload is well-formed, as in its other members.
    mutating func decodeTraces(into value: inout FaroTraces?) throws(FaroDecodingError) {
        guard let byte = try scanner.peekUnlessNull() else {
            value = nil
            return
        }
        guard byte == UInt8(ascii: "{") else { throw try scanner.mismatch(expected: .object) }
        let start = scanner.offset
        let replacedBefore = scanner.replacedStringCount
        try scanner.skipValue()
        let range = start..<scanner.offset
        if scanner.replacedStringCount != replacedBefore {
            let repaired = repairedStrings(in: range)
            value = FaroTraces(storage: repaired, range: repaired.indices)
        } else if let storage {
            value = FaroTraces(storage: storage, range: range)
        } else {
            value = FaroTraces(storage: ContiguousArray(scanner.input[range]), range: 0..<range.count)
        }
    }

    /// The well-formed JSON at `range` with every string that holds replaced text written again, escaped.
    private func repairedStrings(in range: Range<Int>) -> ContiguousArray<UInt8> {
        var strings = JSONScanner(
            scanner.input, maxNestingDepth: scanner.maxNestingDepth, maxStringBytes: .max, invalidUTF8: .replace)
        strings.offset = range.lowerBound
        var repaired = ContiguousArray<UInt8>()
        var copiedUpTo = range.lowerBound
        while strings.offset < range.upperBound {
            guard strings.input[strings.offset] == UInt8(ascii: "\"") else {
                strings.offset += 1
                continue
            }
            // The bytes are well-formed JSON: a quote outside a string starts one.
            guard let text = try? strings.scanString() else { break }
            if text.needsDecoding {
                repaired.appendBytes(UnsafeRawBufferPointer(rebasing: strings.input[copiedUpTo..<text.start - 1]))
                GoJSONString.append(strings.string(text), to: &repaired)
                copiedUpTo = text.end + 1
            }
        }
        repaired.appendBytes(UnsafeRawBufferPointer(rebasing: strings.input[copiedUpTo..<range.upperBound]))
        return repaired
    }
}

/// A model type that a JSON object fills member by member, as Go fills a struct.
protocol JSONObjectDecodable {
    /// The empty value, Go's zero value.
    init()
    /// The members it reads.
    static var fieldNames: JSONFieldNames { get }
    /// Reads the member `field` (an index into `fieldNames`).
    mutating func decodeField(_ field: Int, from reader: inout FaroJSONReader) throws(FaroDecodingError)
    /// Restores the order of the object's maps (`FaroMap.restoreOrder()`) once it is read, after
    /// a repeated key merged members into one of them unordered.
    mutating func restoreMapOrder()
}

extension JSONObjectDecodable {
    /// An object without maps has nothing to order.
    mutating func restoreMapOrder() {}
}

/// The predictions of the next member of an object: a row per object type, with the field
/// expected first and after each of the first fifteen fields.
enum MemberPrediction {
    /// The entries in a row.
    static let width = 16
    /// No field seen yet.
    static let none: UInt8 = 0xFF
}
