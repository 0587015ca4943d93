/// Finds the tenant of an API key, comparing key bytes in constant time.
///
/// Keys are grouped by their `hashValue`, whose seed is random for each process, so that where a
/// lookup goes tells nothing about a key; within a group each candidate is compared byte for byte
/// without an early exit, so that the time of a comparison does not tell how many bytes matched.
public struct APIKeyDirectory: Sendable {
    /// A configured key and the index of its tenant.
    private struct Entry: Sendable {
        let key: [UInt8]
        let tenant: Int
    }

    private var groups: [Int: [Entry]] = [:]

    /// A directory without keys.
    public init() {}

    /// Whether no key is configured.
    public var isEmpty: Bool { groups.isEmpty }

    /// Adds `key` for the tenant at `tenant`; false if the key is already someone's.
    public mutating func add(_ key: String, tenant: Int) -> Bool {
        guard self.tenant(of: key) == nil else { return false }
        groups[key.hashValue, default: []].append(Entry(key: Array(key.utf8), tenant: tenant))
        return true
    }

    /// The index of the tenant whose key is `key`, if any.
    public func tenant(of key: String) -> Int? {
        guard let candidates = groups[key.hashValue] else { return nil }
        var found: Int? = nil
        for candidate in candidates where APIKeyDirectory.constantTimeEquals(candidate.key, key.utf8) {
            found = candidate.tenant
        }
        return found
    }

    /// Whether `a` and `b` hold the same bytes, in time that depends only on their lengths.
    package static func constantTimeEquals(_ a: [UInt8], _ b: String.UTF8View) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
