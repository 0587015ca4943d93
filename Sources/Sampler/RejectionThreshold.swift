import W3CTraceContext

/// The 56-bit rejection threshold `T` of consistent probability sampling: of 2^56 randomness
/// values, how many are not sampled. A span is sampled when its randomness `R >= T`; the
/// sampling probability is `(2^56 - T) / 2^56`. It travels as the `th` sub-key of the `ot` entry
/// of `tracestate`: 14 lowercase hex digits with the trailing zeros removed (`0` for `T = 0`).
///
/// ```swift
/// let quarter = try RejectionThreshold(probability: 0.25, precision: 4)
/// quarter.th              // "c"
/// quarter.adjustedCount   // 4
/// ```
public struct RejectionThreshold: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The threshold, below 2^56.
    public let rawValue: UInt64

    /// 2^56: the number of randomness values, and the largest adjusted count.
    public static let maxAdjustedCount: UInt64 = 1 << 56

    /// The threshold 0: every span is sampled (`th:0`).
    public static let alwaysSample = RejectionThreshold(uncheckedRawValue: 0)

    /// The precision the specification recommends to SDKs: 4 hex digits.
    public static let defaultPrecision = 4

    /// The threshold `rawValue`, or `nil` if it is not below 2^56.
    public init?(rawValue: UInt64) {
        guard rawValue < RejectionThreshold.maxAdjustedCount else { return nil }
        self.rawValue = rawValue
    }

    init(uncheckedRawValue: UInt64) {
        self.rawValue = uncheckedRawValue
    }

    /// The threshold of `probability` (from 2^-56 to 1) at full precision:
    /// `2^56 - round(probability · 2^56)`, the product rounded half away from zero, as the
    /// OpenTelemetry Collector's `pkg/sampling` computes it (`ProbabilityToThreshold`).
    public init(probability: Double) throws(SamplerConfigurationError) {
        guard probability >= 0x1p-56, probability <= 1 else { throw .ratioOutOfRange(probability) }
        // The product is exact: a double times a power of two.
        let kept = UInt64((probability * 0x1p56).rounded(.toNearestOrAwayFromZero))
        self.rawValue = RejectionThreshold.maxAdjustedCount - kept
    }

    /// The threshold of `probability` (from 2^-56 to 1) rounded to `precision` (1 to 12)
    /// hex digits, by the algorithm of the specification ("Converting floating-point probability
    /// to threshold value"): with `probability = m · 2^e` (`0.5 <= m < 1`, as `frexp` gives
    /// them), the precision grows by `⌊-e / 4⌋` digits, for the leading `f` digits of small
    /// probabilities, and is kept within 1...12; the threshold is the fraction of
    /// `2 - probability + 2^(-1 - 4·digits)` (half of the last digit, in double arithmetic) cut to
    /// that many hex digits. A result of all zeros is `th:0`.
    public init(probability: Double, precision: Int) throws(SamplerConfigurationError) {
        guard probability >= 0x1p-56, probability <= 1 else { throw .ratioOutOfRange(probability) }
        guard (1...12).contains(precision) else { throw .precisionOutOfRange(precision) }
        guard probability < 1 else {
            self = .alwaysSample
            return
        }
        // `frexp`'s exponent (probability = m · 2^e, 0.5 <= m < 1) is `exponent + 1`; e <= 0 here.
        let frexpExponent = Int(probability.exponent) + 1
        let digits = max(1, min(12, precision + -frexpExponent / 4))
        var rejection = 2 - probability
        rejection += Double(sign: .plus, exponent: -1 - 4 * digits, significand: 1)
        // The 13 hex digits of the fraction of a double in [1, 2); all `f` if the sum reached 2.
        let fraction = rejection >= 2 ? (UInt64(1) << 52) - 1 : rejection.significandBitPattern
        self.rawValue = (fraction >> UInt64(52 - 4 * digits)) << UInt64(56 - 4 * digits)
    }

    /// The threshold of a `th` value: 1 to 14 lowercase hex digits, extended with trailing zeros
    /// to 14; `nil` for any other text.
    public init?(th: some StringProtocol) {
        var text = String(th)
        guard let value = text.withUTF8({ RejectionThreshold.parse($0) }) else { return nil }
        self.rawValue = value
    }

    /// The threshold written by `digits`, 1 to 14 lowercase hex digits, or `nil`.
    static func parse(_ digits: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard (1...14).contains(digits.count), let value = try? Hex.parse(UnsafeRawBufferPointer(digits), at: 0, count: digits.count).get() else { return nil }
        return value << UInt64(4 * (14 - digits.count))
    }

    /// The `th` value: 14 lowercase hex digits without their trailing zeros, `0` for zero.
    public var th: String {
        guard rawValue != 0 else { return "0" }
        var digits = 14
        while rawValue >> UInt64(4 * (14 - digits)) & 0x0F == 0 { digits -= 1 }
        return Hex.string(rawValue >> UInt64(4 * (14 - digits)), count: digits)
    }

    /// `th`.
    public var description: String { th }

    /// The sampling probability: `(2^56 - T) / 2^56`.
    public var probability: Double {
        Double(RejectionThreshold.maxAdjustedCount - rawValue) / Double(RejectionThreshold.maxAdjustedCount)
    }

    /// The adjusted count of a span sampled with this threshold, the number of spans it stands
    /// for: `2^56 / (2^56 - T)`, the inverse of the probability.
    public var adjustedCount: Double {
        Double(RejectionThreshold.maxAdjustedCount) / Double(RejectionThreshold.maxAdjustedCount - rawValue)
    }

    /// Whether a span of randomness `randomness` is sampled: `R >= T`.
    @inlinable
    public func samples(_ randomness: Randomness) -> Bool { randomness.rawValue >= rawValue }

    /// Orders thresholds as numbers: a greater threshold samples less.
    public static func < (lhs: RejectionThreshold, rhs: RejectionThreshold) -> Bool { lhs.rawValue < rhs.rawValue }
}
