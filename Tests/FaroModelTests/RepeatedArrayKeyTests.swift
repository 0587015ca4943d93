import Testing
import TestSupport

@testable import FaroModel

/// Repeated array keys against a model of Go's slices, transliterated from `encoding/json`'s
/// `array` (decode.go): random payloads repeat `logs` and `exceptions`, and inside them
/// `stacktrace` and `frames`, with arrays longer and shorter than before, `null` and `[]`.
@Suite struct RepeatedArrayKeyTests {
    /// A Go slice as `encoding/json` leaves it: its backing array as far as elements were ever
    /// written there (past that it is zeroed, whatever its capacity), and its length.
    struct GoSlice<Element> {
        /// The backing array, as far as elements were written.
        var backing: [Element] = []
        /// The slice's length.
        var length = 0

        /// What the slice holds.
        var elements: [Element] { Array(backing[..<length]) }

        /// `null`: the slice set to nil.
        mutating func setNil() {
            backing = []
            length = 0
        }

        /// An array of `count` elements, each decoded by `decode` into the element at its index.
        mutating func decode(count: Int, zero: () -> Element, _ decode: (inout Element) -> Void) {
            for index in 0..<count {
                // `Grow(1)` past the capacity happens only once the length reached it: nothing
                // past the length is lost by it, and new room is zeroed.
                if index == backing.count { backing.append(zero()) }
                if index >= length { length = index + 1 }  // SetLen(i + 1)
                decode(&backing[index])
            }
            if count < length { length = count }  // SetLen(i)
            if count == 0 { setNil() }  // MakeSlice(0, 0)
        }
    }

    /// An exception as Go holds it: the stack trace is a pointer to a struct with a slice.
    struct GoException {
        /// The exception's type.
        var type = ""
        /// The frames of the stack trace; `nil` while the pointer is nil.
        var frames: GoSlice<FaroStackFrame>?

        /// The exception as FaroModel decodes it.
        var model: FaroException {
            FaroException(type: type, stacktrace: frames.map { FaroStacktrace(frames: $0.elements) })
        }
    }

    /// A random lower-case letter, for a text member.
    static func letter(_ random: inout SplitMix64) -> String {
        String(UnicodeScalar(UInt8(ascii: "a") + UInt8(random.next() % 26)))
    }

    /// A random `frames` value, applied to `slice` as Go decodes it.
    static func frames(_ random: inout SplitMix64, into slice: inout GoSlice<FaroStackFrame>) -> String {
        array(&random, into: &slice, zero: { FaroStackFrame() }) { random, frame in
            var members: [String] = []
            if random.next() % 2 == 0 {
                frame.function = letter(&random)
                members.append(#""function":""# + frame.function + #"""#)
            }
            if random.next() % 2 == 0 {
                frame.lineno = Int(random.next() % 100)
                members.append(#""lineno":\#(frame.lineno)"#)
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    /// A random exception object (its type, and repeated `stacktrace` and `frames` members),
    /// applied to `exception` as Go decodes it.
    static func exception(_ random: inout SplitMix64, into exception: inout GoException) -> String {
        var members: [String] = []
        if random.next() % 2 == 0 {
            exception.type = letter(&random)
            members.append(#""type":""# + exception.type + #"""#)
        }
        for _ in 0..<random.next() % 3 {
            if random.next() % 4 == 0 {
                exception.frames = nil
                members.append(#""stacktrace":null"#)
                continue
            }
            // A nil pointer gets a new struct; a set one is decoded into.
            var frames = exception.frames ?? GoSlice()
            var stacktraceMembers: [String] = []
            for _ in 0..<random.next() % 3 { stacktraceMembers.append(#""frames":"# + Self.frames(&random, into: &frames)) }
            exception.frames = frames
            members.append(#""stacktrace":{"# + stacktraceMembers.joined(separator: ",") + "}")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A random `null` or array of up to five elements that `element` writes, applied to `slice`.
    static func array<Element>(
        _ random: inout SplitMix64, into slice: inout GoSlice<Element>, zero: () -> Element,
        element: (inout SplitMix64, inout Element) -> String
    ) -> String {
        if random.next() % 6 == 0 {
            slice.setNil()
            return "null"
        }
        var texts: [String] = []
        slice.decode(count: Int(random.next() % 6), zero: zero) { texts.append(element(&random, &$0)) }
        return "[" + texts.joined(separator: ",") + "]"
    }

    @Test func repeatedArrayKeysDecodeAsGoSlices() throws {
        var random = SplitMix64(state: 0x5117_CE5)
        for round in 0..<5_000 {
            var logs = GoSlice<FaroLog>()
            var exceptions = GoSlice<GoException>()
            var members: [String] = []
            for _ in 0..<1 + random.next() % 6 {
                if random.next() % 2 == 0 {
                    let value = Self.array(&random, into: &logs, zero: { FaroLog() }) { random, log in
                        var members: [String] = []
                        if random.next() % 2 == 0 {
                            log.message = Self.letter(&random)
                            members.append(#""message":""# + log.message + #"""#)
                        }
                        if random.next() % 2 == 0 {
                            log.level = FaroLogLevel(rawValue: Self.letter(&random))
                            members.append(#""level":""# + log.level.rawValue + #"""#)
                        }
                        return "{" + members.joined(separator: ",") + "}"
                    }
                    members.append(#""logs":"# + value)
                } else {
                    let value = Self.array(&random, into: &exceptions, zero: { GoException() }) { random, exception in
                        Self.exception(&random, into: &exception)
                    }
                    members.append(#""exceptions":"# + value)
                }
            }
            let json = "{" + members.joined(separator: ",") + "}"
            let payload = try FaroPayloadDecoder().decode(json)
            #expect(payload.logs == logs.elements, "round \(round): \(json)")
            #expect(payload.exceptions == exceptions.elements.map(\.model), "round \(round): \(json)")
        }
    }
}
