import Synchronization

/// A token bucket with the semantics of Go's `golang.org/x/time/rate.Limiter` (v0.15, which Alloy's
/// `faro.receiver` uses), step for step: tokens accumulate at `rate` a second up to `burst`; an
/// event takes tokens if there are enough; a reservation takes them ahead and says how long to
/// wait; a clock that goes back counts as no time passed; rate and burst change at run time.
///
/// Times are nanoseconds of the limiter's clock; the methods without `at:` read the clock. The
/// state is guarded by a `Mutex`: this is the exact port; `GCRALimiter` decides the same in one
/// atomic word.
///
/// ```swift
/// let limiter = TokenBucketLimiter(.alloyDefault)
/// if !limiter.allow() { return .tooManyRequests }
/// ```
public final class TokenBucketLimiter: Sendable {
    /// What `x/time/rate` keeps under its mutex.
    struct State {
        var limit: RateLimit
        var tokens: Double
        /// When `tokens` was last brought up to date; `never` before the first event.
        var last: Int64
        /// The latest time of an event that took tokens, past or future.
        var lastEvent: Int64
    }

    /// The reading `last` has before any event: as old as Go's zero `time.Time`.
    static let never = Int64.min

    private let state: Mutex<State>
    /// The clock that the methods without `at:` read; a reservation's wait from now (`Delay`) is
    /// `reservation.delay(from: limiter.clock.nanoseconds())`.
    public let clock: any RateLimiterClock

    /// A limiter with a full bucket (`rate.NewLimiter`).
    public init(_ limit: RateLimit, clock: any RateLimiterClock = SystemRateLimiterClock()) {
        state = Mutex(State(limit: limit, tokens: Double(limit.burst), last: Self.never, lastEvent: Self.never))
        self.clock = clock
    }

    /// The limit in force.
    public var limit: RateLimit { state.withLock { $0.limit } }

    /// Whether `n` events may happen now, taking their tokens if so (`AllowN`).
    public func allow(_ n: Int = 1) -> Bool {
        allow(n, at: clock.nanoseconds())
    }

    /// Whether `n` events may happen at `time`, taking their tokens if so (`AllowN`).
    public func allow(_ n: Int, at time: Int64) -> Bool {
        reserve(n, at: time, maximumWait: 0).isOK
    }

    /// Reserves `n` events now (`ReserveN`): the reservation says when they may happen, or is not
    /// OK when `n` exceeds the burst or the wait would exceed `maximumWait` nanoseconds.
    public func reserve(_ n: Int = 1, maximumWait: Int64 = .max) -> RateLimitReservation {
        reserve(n, at: clock.nanoseconds(), maximumWait: maximumWait)
    }

    /// Reserves `n` events at `time` (`reserveN`).
    public func reserve(_ n: Int, at time: Int64, maximumWait: Int64 = .max) -> RateLimitReservation {
        state.withLock { state in
            if state.limit.isInfinite {
                // Go leaves such a reservation's limit at zero: cancelled after a change to a finite
                // rate, it gives back all its tokens, none counted as reserved after it.
                return RateLimitReservation(isOK: true, tokens: n, timeToAct: time, rate: 0)
            }
            let tokens = Self.advance(state, to: time) - Double(n)
            let wait = tokens < 0 ? state.limit.nanoseconds(toAccumulate: -tokens) : 0
            guard n <= state.limit.burst, wait <= maximumWait else {
                return RateLimitReservation(isOK: false, tokens: 0, timeToAct: 0, rate: state.limit.rate)
            }
            let timeToAct = Self.adding(wait, to: time)
            state.last = time
            state.tokens = tokens
            state.lastEvent = timeToAct
            return RateLimitReservation(isOK: true, tokens: n, timeToAct: timeToAct, rate: state.limit.rate)
        }
    }

    /// The tokens there are at `time`, without taking any (`TokensAt`).
    public func tokens(at time: Int64) -> Double {
        state.withLock { Self.advance($0, to: time) }
    }

    /// The tokens there are now (`Tokens`).
    public var tokens: Double { tokens(at: clock.nanoseconds()) }

    /// Changes the rate from now on (`SetLimit`); tokens accumulated so far are kept.
    public func setRate(_ rate: Double) {
        setRate(rate, at: clock.nanoseconds())
    }

    /// Changes the burst from now on (`SetBurst`).
    public func setBurst(_ burst: Int) {
        setBurst(burst, at: clock.nanoseconds())
    }

    /// Gives back now the tokens of a reservation whose events will not happen (`Cancel`), as far
    /// as later reservations allow.
    public func cancel(_ reservation: RateLimitReservation) {
        cancel(reservation, at: clock.nanoseconds())
    }

    /// Changes the rate from `time` on (`SetLimitAt`); tokens accumulated so far are kept.
    public func setRate(_ rate: Double, at time: Int64) {
        state.withLock { state in
            state.tokens = Self.advance(state, to: time)
            state.last = time
            state.limit.rate = rate
        }
    }

    /// Changes the burst from `time` on (`SetBurstAt`).
    public func setBurst(_ burst: Int, at time: Int64) {
        state.withLock { state in
            state.tokens = Self.advance(state, to: time)
            state.last = time
            state.limit.burst = burst
        }
    }

    /// Gives back, at `time`, the tokens of a reservation whose events will not happen (`CancelAt`),
    /// as far as later reservations allow.
    public func cancel(_ reservation: RateLimitReservation, at time: Int64) {
        guard reservation.isOK else { return }
        state.withLock { state in
            if state.limit.isInfinite || reservation.tokens == 0 || reservation.timeToAct < time { return }
            let restore = reservation.tokensToRestore(lastEvent: state.lastEvent)
            if restore <= 0 { return }
            state.tokens = min(Self.advance(state, to: time) + restore, Double(state.limit.burst))
            state.last = time
            state.lastEvent = reservation.lastEvent(afterCancelling: state.lastEvent, at: time)
        }
    }

    /// The tokens at `time` (`advance`): what accumulated since `last` (none if `time` is
    /// earlier), capped at the burst.
    static func advance(_ state: State, to time: Int64) -> Double {
        let last = min(state.last, time)
        let elapsed = subtracting(last, from: time)
        return min(state.tokens + state.limit.tokens(accumulatedIn: elapsed), Double(state.limit.burst))
    }

    /// `time - earlier` in nanoseconds, saturating as Go's `Time.Sub` does.
    @inlinable
    package static func subtracting(_ earlier: Int64, from time: Int64) -> Int64 {
        let (difference, overflow) = time.subtractingReportingOverflow(earlier)
        if _slowPath(overflow) { return earlier < 0 ? .max : .min }
        return difference
    }

    /// `time + duration` in nanoseconds, saturating.
    @inlinable
    package static func adding(_ duration: Int64, to time: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(duration)
        if overflow { return duration > 0 ? .max : .min }
        return sum
    }
}

/// Events reserved ahead (`rate.Reservation`): whether they may happen, and when.
public struct RateLimitReservation: Sendable, Hashable {
    /// Whether the events were granted: `false` when they exceed the burst or the allowed wait.
    public let isOK: Bool
    /// How many tokens the reservation took.
    public let tokens: Int
    /// When the events may happen, in nanoseconds of the limiter's clock.
    public let timeToAct: Int64
    /// The rate when the reservation was made (for cancelling it); 0 when it was infinite, as Go
    /// leaves it.
    @usableFromInline let rate: Double

    /// A reservation.
    @usableFromInline
    init(isOK: Bool, tokens: Int, timeToAct: Int64, rate: Double) {
        self.isOK = isOK
        self.tokens = tokens
        self.timeToAct = timeToAct
        self.rate = rate
    }

    /// The tokens cancelling gives back (`CancelAt`'s `restoreTokens`): those taken, less those
    /// reserved to act after this reservation, counted from `lastEvent`, when the latest event acts.
    /// Zero or less gives back nothing.
    func tokensToRestore(lastEvent: Int64) -> Double {
        let reservedSince = RateLimit(rate: rate, burst: 0)
            .tokens(accumulatedIn: TokenBucketLimiter.subtracting(timeToAct, from: lastEvent))
        return Double(tokens) - reservedSince
    }

    /// When the latest event acts once this reservation is cancelled at `time`: as x/time/rate
    /// moves it, back by this reservation's tokens when it was the latest and that is not before
    /// `time`; else `lastEvent` as it was.
    func lastEvent(afterCancelling lastEvent: Int64, at time: Int64) -> Int64 {
        guard timeToAct == lastEvent else { return lastEvent }
        let previous = TokenBucketLimiter.adding(
            RateLimit(rate: rate, burst: 0).nanoseconds(toAccumulate: -Double(tokens)), to: timeToAct)
        return previous >= time ? previous : lastEvent
    }

    /// How long to wait from `time` (`DelayFrom`): 0 if the time has come, `Int64.max` if not OK
    /// or never (a rate of zero).
    public func delay(from time: Int64) -> Int64 {
        guard isOK, timeToAct != .max else { return .max }
        return max(0, TokenBucketLimiter.subtracting(time, from: timeToAct))
    }
}
