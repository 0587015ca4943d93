import Testing

/// The trace context a callback carried, read as the specification writes it (independently of
/// the module under test): exactly one `traceparent` of version `00` with nonzero ids, and one
/// `tracestate` whose members are joined by commas without spaces, in order.
struct PropagatedContext {
    /// The trace id, 32 lowercase hex digits.
    let traceID: String
    /// The parent id, 16 lowercase hex digits.
    let parentID: String
    /// The flags.
    let flags: UInt8
    /// The `tracestate` members, in order.
    let members: [(key: String, value: String)]

    /// The context of `callback`; fails unless it has exactly one valid version `00` `traceparent`
    /// and one well-formed `tracestate`.
    init(_ callback: ReceivedCallback) throws {
        let traceparents = callback.headers["traceparent"]
        try #require(traceparents.count == 1, "\(traceparents)")
        let match = try #require(traceparents[0].wholeMatch(of: #/00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/#))
        traceID = String(match.output.1)
        parentID = String(match.output.2)
        flags = try #require(UInt8(match.output.3, radix: 16))
        try #require(traceID != String(repeating: "0", count: 32) && parentID != String(repeating: "0", count: 16))
        // The service writes one field, its members joined by commas without spaces.
        let tracestates = callback.headers["tracestate"]
        try #require(tracestates.count == 1, "\(tracestates)")
        members = try tracestates[0].split(separator: ",", omittingEmptySubsequences: false).map { member in
            let equals = try #require(member.firstIndex(of: "="), "\(tracestates[0])")
            try #require(equals != member.startIndex, "\(tracestates[0])")
            return (String(member[..<equals]), String(member[member.index(after: equals)...]))
        }
    }

    /// The keys of the members, in order.
    var keys: [String] { members.map(\.key) }

    /// The value of `key`, or `nil`.
    func value(_ key: String) -> String? { members.first { $0.key == key }?.value }

    /// Whether the list starts with the service's own entry (`swiftrum`, the parent id) and has
    /// no other entry of that key.
    var startsWithOwnEntry: Bool {
        members.first?.key == "swiftrum" && members.first?.value == parentID
            && keys.filter { $0 == "swiftrum" }.count == 1
    }
}
