/// Keeps or drops whole RUM sessions at a ratio, deterministically from the session id, so that
/// every item of a session gets the same decision on every collector replica and in every
/// process, with no shared state.
///
/// The decision hashes the session id's UTF-8 bytes with 64-bit FNV-1a (offset basis
/// `0xcbf29ce484222325`, prime `0x100000001b3`), mixes the result with MurmurHash3's 64-bit
/// finalizer `fmix64` (`h ^= h >> 33; h &*= 0xff51afd7ed558ccd; h ^= h >> 33;
/// h &*= 0xc4ceb9fe1a85ec53; h ^= h >> 33`), and keeps the session when that is below
/// `round(ratio · 2^64)` (ties to even, the bound of `TraceIDRatioBasedSampler`). A session kept at
/// one ratio is kept at every higher ratio.
///
/// ```swift
/// let sessions = try SessionSampler(ratio: 0.25)
/// guard sessions.shouldSample(sessionID: payload.meta.session.id) else { return }
/// ```
public struct SessionSampler: Sendable, CustomStringConvertible {
    /// The ratio of sessions kept, from 0 to 1.
    public let ratio: Double
    /// `round(ratio · 2^64)`: 2^64 for ratio 1, which keeps every session.
    public let bound: UInt128

    /// A sampler that keeps `ratio` (0 to 1) of the sessions.
    public init(ratio: Double) throws(SamplerConfigurationError) {
        self.ratio = ratio
        self.bound = try TraceIDRatioBasedSampler.bound(ratio: ratio)
    }

    /// Whether the session `sessionID` is kept.
    @inlinable
    public func shouldSample(sessionID: some StringProtocol) -> Bool {
        UInt128(SessionSampler.hash(sessionID: sessionID)) < bound
    }

    /// The session hash: `fmix64(fnv1a64(UTF-8 bytes of sessionID))`.
    @inlinable
    public static func hash(sessionID: some StringProtocol) -> UInt64 {
        let utf8 = sessionID.utf8
        return utf8.withContiguousStorageIfAvailable { hash(utf8: $0) } ?? hash(utf8: utf8)
    }

    /// `fmix64(fnv1a64(bytes))`.
    @inlinable
    static func hash(utf8 bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// `SessionSampler{RATIO}`.
    public var description: String { "SessionSampler{\(ratio)}" }
}
