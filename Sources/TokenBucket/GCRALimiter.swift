import Synchronization

/// The generic cell rate algorithm: the decisions of `TokenBucketLimiter` kept in one atomic word,
/// lock-free.
///
/// The word is the theoretical arrival time (TAT): when the bucket would be full again. With an
/// emission interval `T` of `1 / rate` (whole nanoseconds) the bucket holds
/// `burst - max(0, TAT - now) / T` tokens, so taking `n` tokens moves the TAT to
/// `max(TAT, now) + n·T`, and is allowed when that is at most `burst·T` after now. Each decision
/// is one load and one compare-and-swap (and, when it succeeds, a store of its time for `cancel`).
///
/// It decides as `TokenBucketLimiter` does, event for event, for rates whose interval is a whole
/// number of nanoseconds (50/s, 100/s, 1000/s; others round the interval to the nanosecond), and
/// for a clock that does not go back (a monotonic one; `TokenBucketLimiter` counts a step back as
/// no time passed, the TAT as time owed). Rate 0 lets the burst through once; an infinite rate
/// lets everything through.
///
/// Decisions and reservations also record when the latest of them acts (x/time/rate's
/// `lastEvent`), so that `cancel` gives back what `TokenBucketLimiter` gives back; reservations
/// and cancellations take a lock of their own for it, decisions do not.
///
/// A change of rate or burst keeps the tokens there are at that moment, and the decisions made
/// meanwhile (it rewrites the TAT by compare-and-swap; changes take a lock among themselves). While
/// a change is under way the word holds a marker that makes decisions wait for its end, so that no
/// decision applies one limit to a TAT of the other; one made at the same moment as a change may
/// still use the old limit. A bucket whose span (burst times
/// interval) passes a quarter of `Int64`'s nanoseconds, 73 years, holds what 73 years refill
/// (`effectiveBurst`), so that no sum on the way to a decision overflows; a faster rate set later
/// gives it back the burst asked for.
public final class GCRALimiter: Sendable {
    /// The theoretical arrival time, in nanoseconds of the clock; `Int64.min` before any event.
    /// For rate 0 it counts the tokens taken instead.
    private let theoreticalArrival = Atomic<Int64>(.min)
    /// The emission interval in nanoseconds: 0 for an infinite rate, `Int64.max` for rate 0.
    private let interval: Atomic<Int64>
    /// The burst.
    private let burst: Atomic<Int>
    /// The clock that the methods without `at:` read; a reservation's wait from now is
    /// `reservation.delay(from: limiter.clock.nanoseconds())`.
    public let clock: any RateLimiterClock
    /// Serializes changes of rate and burst, so that neither is lost; holds the burst asked for,
    /// which a later rate may let the bucket hold in full (`effectiveBurst`).
    private let changes: Mutex<Int>
    /// When the latest event that took tokens acts (x/time/rate's `lastEvent`): the time of a
    /// decision, the time to act of a reservation. `cancel` counts the tokens reserved after a
    /// reservation from it.
    private let lastEvent = Atomic<Int64>(.min)
    /// Serializes reservations and cancellations, which read and write `lastEvent` around their
    /// step; decisions only store it after theirs, without the lock.
    private let reservations = Mutex(())

    /// The word while a change of rate or burst is under way. No TAT or count is ever this (counts
    /// saturate below it), and no decision can step from it (`nextArrival` overflows), so that the
    /// decisions' path needs no test for it until a decision is refused.
    private static var changing: Int64 { .max }

    /// The count of tokens taken at rate 0 once it would pass `Int64`'s range.
    private static var saturatedCount: Int64 { .max - 1 }

    /// The limit and the TAT, read together (`reading()`).
    private struct Reading {
        let interval: Int64
        let burst: Int
        let arrival: Int64
    }

    /// A limiter with a full bucket.
    public init(_ limit: RateLimit, clock: any RateLimiterClock = SystemRateLimiterClock()) {
        let interval = Self.interval(of: limit.rate)
        self.interval = Atomic(interval)
        burst = Atomic(Self.effectiveBurst(limit.burst, interval: interval))
        changes = Mutex(limit.burst)
        self.clock = clock
    }

    /// The longest span a bucket may have: a quarter of `Int64`'s nanoseconds (73 years), so that
    /// a TAT stays far from the end of the range.
    @usableFromInline
    static var maximumSpan: Int64 { Int64.max / 4 }

    /// `burst`, or the tokens `maximumSpan` refills at `interval` when that is fewer.
    @usableFromInline
    static func effectiveBurst(_ burst: Int, interval: Int64) -> Int {
        guard interval > 0, interval < .max else { return burst }
        return min(burst, Int(maximumSpan / interval))
    }

    /// The emission interval of `rate`, in whole nanoseconds (at least 1); NaN counts as rate 0.
    @usableFromInline
    static func interval(of rate: Double) -> Int64 {
        if rate >= .greatestFiniteMagnitude { return 0 }
        if rate <= 0 || rate.isNaN { return .max }
        let nanoseconds = (1e9 / rate).rounded()
        return nanoseconds >= Double(Int64.max) ? .max : max(1, Int64(nanoseconds))
    }

    /// The limit in force (its rate as the interval gives it).
    public var limit: RateLimit {
        changes.withLock { _ in RateLimit(rate: Self.rate(of: interval.load(ordering: .relaxed)), burst: burst.load(ordering: .relaxed)) }
    }

    /// The rate of an emission interval.
    private static func rate(of interval: Int64) -> Double {
        interval == 0 ? .infinity : interval == .max ? 0 : 1e9 / Double(interval)
    }

    /// The TAT, then the limit. While a change is under way (the word is `changing`) it waits for
    /// its end (the change holds the lock) and reads again. The limit may be newer than the TAT
    /// only if a change began after the TAT was read; a compare-and-swap from that TAT then fails,
    /// since a change replaces the word, and never writes back the TAT it found.
    @inline(__always)
    private func reading() -> Reading {
        while true {
            let arrival = theoreticalArrival.load(ordering: .acquiring)
            if arrival != Self.changing {
                return Reading(interval: interval.load(ordering: .relaxed), burst: burst.load(ordering: .relaxed), arrival: arrival)
            }
            waitForChange()
        }
    }

    /// Waits until the change under way has ended (it holds the lock). Out of line: rare, and
    /// kept off the decisions' path.
    @inline(never)
    private func waitForChange() {
        changes.withLock { _ in }
    }

    /// Whether `n` events may happen now, taking their tokens if so.
    public func allow(_ n: Int = 1) -> Bool {
        allow(n, at: clock.nanoseconds())
    }

    /// Whether `n` events may happen at `time`, taking their tokens if so.
    ///
    /// The TAT is read before the limit (see `reading()`); a TAT of `changing` refuses the step,
    /// and only then is it told from a refusal.
    public func allow(_ n: Int, at time: Int64) -> Bool {
        let current = theoreticalArrival.load(ordering: .acquiring)
        let interval = interval.load(ordering: .relaxed)
        if interval == 0 || interval == .max { return allowAgain(n, at: time) }
        let burst = burst.load(ordering: .relaxed)
        guard let next = Self.nextArrival(after: current, at: time, cost: n, interval: interval, burst: burst, maximumWait: 0)
        else { return current == Self.changing ? allowAgain(n, at: time) : false }
        if theoreticalArrival.compareExchange(
            expected: current, desired: next.arrival, successOrdering: .relaxed, failureOrdering: .relaxed
        ).exchanged {
            lastEvent.store(time, ordering: .relaxed)
            return true
        }
        return allowAgain(n, at: time)
    }

    /// `allow` after its first try was refused or lost a race, or for an infinite rate or rate 0:
    /// a reservation without wait, which waits out a change under way and decides from fresh
    /// readings. Out of line, so that the first try stays short.
    @inline(never)
    private func allowAgain(_ n: Int, at time: Int64) -> Bool {
        reserveRecording(n, at: time, maximumWait: 0).isOK
    }

    /// The GCRA step: the theoretical arrival time after `cost` tokens taken at `time` from a bucket
    /// whose TAT is `current`, and the wait until they are there (0 or more); `nil` when `cost`
    /// exceeds the burst or the wait exceeds `maximumWait`.
    @inlinable
    static func nextArrival(
        after current: Int64, at time: Int64, cost n: Int, interval: Int64, burst: Int, maximumWait: Int64
    ) -> (arrival: Int64, wait: Int64)? {
        guard n <= burst else { return nil }
        var (cost, costOverflow) = Int64(n).multipliedReportingOverflow(by: interval)
        let (tolerance, toleranceOverflow) = Int64(burst).multipliedReportingOverflow(by: interval)
        // A negative cost gives tokens back (x/time/rate takes it): one past `Int64`'s nanoseconds
        // gives back more than any bucket holds, as `Int64.min` does.
        if _slowPath(costOverflow) && n < 0 { (cost, costOverflow) = (.min, false) }
        guard !costOverflow, !toleranceOverflow else { return nil }
        // The new TAT is `max(current, time) + cost`, taken as two arms rather than a `max`: the
        // branch is predicted (while events come faster than the rate, the TAT stays ahead), so
        // the compare-and-swap's new value is one addition after the TAT's load. A `max` compiled
        // to a conditional move put the compare on that path too: 4.2 against 3.4 ns a decision.
        if current > time {
            guard let next = arrival(current, plus: cost) else { return nil }
            let wait = wait(until: next, at: time, tolerance: tolerance)
            return wait > maximumWait ? nil : (next, wait)
        }
        // From a full bucket, the wait is the cost's span less the burst's.
        guard let next = arrival(time, plus: cost) else { return nil }
        let wait = wait(until: cost, at: 0, tolerance: tolerance)
        return wait > maximumWait ? nil : (next, wait)
    }

    /// The wait until tokens taken up to the TAT `next` are there at `time`: how far `next` lies
    /// past a full bucket's span (`tolerance`) after `time`, or 0. Saturating: a TAT given back far
    /// enough (a negative cost) lies more than `Int64.max` before `time`.
    @inlinable
    static func wait(until next: Int64, at time: Int64, tolerance: Int64) -> Int64 {
        max(0, TokenBucketLimiter.subtracting(tolerance, from: TokenBucketLimiter.subtracting(time, from: next)))
    }

    /// `start + cost`; past `Int64` below zero (tokens given back), `Int64.min`, a bucket as full
    /// as it gets; `nil` past it above.
    @inlinable
    static func arrival(_ start: Int64, plus cost: Int64) -> Int64? {
        let (sum, overflow) = start.addingReportingOverflow(cost)
        if _fastPath(!overflow) { return sum }
        return cost < 0 ? .min : nil
    }

    /// Reserves `n` events now: when they may happen, or not OK when `n` exceeds the burst or the
    /// wait would exceed `maximumWait` nanoseconds.
    public func reserve(_ n: Int = 1, maximumWait: Int64 = .max) -> RateLimitReservation {
        reserve(n, at: clock.nanoseconds(), maximumWait: maximumWait)
    }

    /// Reserves `n` events at `time`: when they may happen, or not OK when `n` exceeds the burst
    /// or the wait would exceed `maximumWait` nanoseconds.
    public func reserve(_ n: Int, at time: Int64, maximumWait: Int64 = .max) -> RateLimitReservation {
        reservations.withLock { _ in reserveRecording(n, at: time, maximumWait: maximumWait) }
    }

    /// A reservation as `reserve` makes it, its time to act stored as `lastEvent` once it has taken
    /// its tokens; as x/time/rate, neither a refusal nor an event at an infinite rate is recorded.
    /// `reserve` holds the `reservations` lock around it; a decision (`allowAgain`) does not, and
    /// its time to act is its time (it does not wait).
    private func reserveRecording(_ n: Int, at time: Int64, maximumWait: Int64) -> RateLimitReservation {
        while true {
            let reading = reading()
            let rate = Self.rate(of: reading.interval)
            let refused = RateLimitReservation(isOK: false, tokens: 0, timeToAct: 0, rate: rate)
            // Go leaves a reservation at an infinite rate with a limit of zero: cancelled after a
            // change to a finite rate, it gives back all its tokens.
            if reading.interval == 0 { return RateLimitReservation(isOK: true, tokens: n, timeToAct: time, rate: 0) }
            guard n <= reading.burst else { return refused }
            let desired: Int64
            let timeToAct: Int64
            if reading.interval == .max {
                // Rate 0: the word counts the tokens taken, which come back only by cancelling.
                let used = reading.arrival == .min ? 0 : reading.arrival
                let (total, overflow) = used.addingReportingOverflow(Int64(n))
                let beyondBurst = overflow || total > Int64(reading.burst)
                // Waiting forever: granted only to who will wait that long, as x/time/rate does.
                if beyondBurst && maximumWait != .max { return refused }
                // Tokens given back (`n` below 0) fill the bucket up to its burst, no further.
                desired = overflow ? Self.saturatedCount : max(0, min(total, Self.saturatedCount))
                timeToAct = beyondBurst ? .max : time
            } else {
                guard
                    let next = Self.nextArrival(
                        after: reading.arrival, at: time, cost: n, interval: reading.interval, burst: reading.burst,
                        maximumWait: maximumWait)
                else { return refused }
                desired = next.arrival
                timeToAct = TokenBucketLimiter.adding(next.wait, to: time)
            }
            if theoreticalArrival.compareExchange(
                expected: reading.arrival, desired: desired, successOrdering: .relaxed, failureOrdering: .relaxed
            ).exchanged {
                lastEvent.store(timeToAct, ordering: .relaxed)
                return RateLimitReservation(isOK: true, tokens: n, timeToAct: timeToAct, rate: rate)
            }
        }
    }

    /// Gives back now the tokens of a reservation whose events will not happen (`Cancel`), as far
    /// as later reservations allow.
    public func cancel(_ reservation: RateLimitReservation) {
        cancel(reservation, at: clock.nanoseconds())
    }

    /// Gives back, at `time`, the tokens of a reservation whose events will not happen (`CancelAt`),
    /// as far as later reservations allow: nothing once its time has passed, and its tokens minus
    /// those reserved to act after it, counted from when the latest event acts, as
    /// `TokenBucketLimiter` does. The tokens given back move the TAT back by compare-and-swap, up
    /// to a full bucket.
    public func cancel(_ reservation: RateLimitReservation, at time: Int64) {
        guard reservation.isOK, reservation.tokens != 0, reservation.timeToAct >= time else { return }
        reservations.withLock { _ in
            let lastEvent = lastEvent.load(ordering: .relaxed)
            let restore = reservation.tokensToRestore(lastEvent: lastEvent)
            if restore <= 0 { return }
            while true {
                let reading = reading()
                if reading.interval == 0 { return }
                let tokens = Self.tokens(at: time, arrival: reading.arrival, interval: reading.interval, burst: reading.burst)
                if tokens >= Double(reading.burst) { break }
                let desired = Self.arrival(
                    leaving: min(tokens + restore, Double(reading.burst)), at: time, interval: reading.interval,
                    burst: reading.burst)
                if desired == reading.arrival
                    || theoreticalArrival.compareExchange(
                        expected: reading.arrival, desired: desired, successOrdering: .relaxed, failureOrdering: .relaxed
                    ).exchanged
                {
                    break
                }
            }
            // Stored only when it moves, so that a decision's store meanwhile is not overwritten.
            let moved = reservation.lastEvent(afterCancelling: lastEvent, at: time)
            if moved != lastEvent { self.lastEvent.store(moved, ordering: .relaxed) }
        }
    }

    /// The tokens there are at `time`, without taking any.
    public func tokens(at time: Int64) -> Double {
        let reading = reading()
        return Self.tokens(at: time, arrival: reading.arrival, interval: reading.interval, burst: reading.burst)
    }

    /// The tokens there are now, without taking any.
    public var tokens: Double { tokens(at: clock.nanoseconds()) }

    /// The tokens at `time` of a bucket whose TAT is `arrival`.
    private static func tokens(at time: Int64, arrival: Int64, interval: Int64, burst: Int) -> Double {
        let burst = Double(burst)
        if interval == 0 { return burst }
        if interval == .max { return burst - Double(arrival == .min ? 0 : arrival) }
        if arrival == .min { return burst }
        return burst - Double(max(0, TokenBucketLimiter.subtracting(time, from: arrival))) / Double(interval)
    }

    /// Changes the rate from now on, keeping the tokens there are now.
    public func setRate(_ rate: Double) {
        setRate(rate, at: clock.nanoseconds())
    }

    /// Changes the burst from now on, keeping the tokens there are now (up to the new burst).
    public func setBurst(_ burst: Int) {
        setBurst(burst, at: clock.nanoseconds())
    }

    /// Changes the rate from `time` on, keeping the tokens there are at `time`.
    public func setRate(_ rate: Double, at time: Int64) {
        change(at: time, interval: Self.interval(of: rate), burst: nil)
    }

    /// Changes the burst from `time` on, keeping the tokens there are at `time` (up to the new burst).
    public func setBurst(_ burst: Int, at time: Int64) {
        change(at: time, interval: nil, burst: burst)
    }

    /// Applies a new interval or burst, rewriting the TAT so that the tokens at `time` stay the
    /// same. The word is taken by compare-and-swap (so that a decision taken meanwhile is counted,
    /// not overwritten) and holds `changing` until the new limit and TAT are in place, so that no
    /// decision reads the new limit with the old TAT or the reverse.
    private func change(at time: Int64, interval newInterval: Int64?, burst newBurst: Int?) {
        changes.withLock { requestedBurst in
            var current = theoreticalArrival.load(ordering: .relaxed)
            while true {
                let (exchanged, original) = theoreticalArrival.compareExchange(
                    expected: current, desired: Self.changing, successOrdering: .acquiringAndReleasing, failureOrdering: .relaxed)
                if exchanged { break }
                current = original
            }
            let oldInterval = interval.load(ordering: .relaxed)
            let oldBurst = burst.load(ordering: .relaxed)
            let interval = newInterval ?? oldInterval
            requestedBurst = newBurst ?? requestedBurst
            let burst = Self.effectiveBurst(requestedBurst, interval: interval)
            self.interval.store(interval, ordering: .relaxed)
            self.burst.store(burst, ordering: .relaxed)
            let tokens = min(Self.tokens(at: time, arrival: current, interval: oldInterval, burst: oldBurst), Double(burst))
            var desired = Self.arrival(leaving: tokens, at: time, interval: interval, burst: burst)
            // A decision that read `current` before the change must not find it again after.
            if desired == current { desired = Self.otherForm(of: current, interval: interval) }
            theoreticalArrival.store(desired, ordering: .releasing)
        }
    }

    /// The same state as the word `arrival` under `interval`, written differently where it has a
    /// second form: a full bucket's `.min` as `.min + 1` (any TAT long past), and no token taken at
    /// rate 0 as `0` or `.min`. Other words are returned as they are.
    private static func otherForm(of arrival: Int64, interval: Int64) -> Int64 {
        if interval == .max { return arrival == .min ? 0 : arrival == 0 ? .min : arrival }
        return arrival == .min ? .min + 1 : arrival
    }

    /// The TAT that leaves `tokens` in a bucket of `burst` at `time` (or the count taken, for rate 0).
    private static func arrival(leaving tokens: Double, at time: Int64, interval: Int64, burst: Int) -> Int64 {
        if interval == 0 { return .min }
        if interval == .max {
            let taken = (Double(burst) - tokens).rounded(.up)
            return taken >= Double(saturatedCount) ? saturatedCount : Int64(taken)
        }
        // At most the bucket's span: within `maximumSpan`.
        let debt = (Double(burst) - tokens) * Double(interval)
        if debt <= 0 { return .min }
        return TokenBucketLimiter.adding(Int64(min(debt, Double(maximumSpan)).rounded()), to: time)
    }
}
