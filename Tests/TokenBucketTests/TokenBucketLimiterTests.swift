import Testing
import TokenBucket

/// `TokenBucketLimiter` against the cases of Go's `x/time/rate` tests (`rate_test.go`), with its
/// step `d` of 100 ms and times `t0` to `t9`.
@Suite struct TokenBucketLimiterTests {
    static let d: Int64 = 100_000_000
    static func t(_ steps: Int64) -> Int64 { 1_000_000_000_000 + steps * d }

    /// `run`: for each step, the tokens before, then whether `n` events are allowed.
    static func run(_ limiter: some ReservingLimiter, _ steps: [(time: Int64, tokens: Double, n: Int, ok: Bool)]) {
        for (index, step) in steps.enumerated() {
            #expect(limiter.tokens(at: step.time) == step.tokens, "step \(index): tokens")
            #expect(limiter.allow(step.n, at: step.time) == step.ok, "step \(index): allow \(step.n)")
        }
    }

    /// `runReserve`: a reservation of `n` at `time` acts at `act` (in steps of d) or is not OK.
    @discardableResult
    static func reserve(
        _ limiter: some ReservingLimiter, at time: Int64, _ n: Int, act: Int64, ok: Bool, maximumWait: Int64 = .max
    ) -> RateLimitReservation {
        let reservation = limiter.reserve(n, at: time, maximumWait: maximumWait)
        #expect(reservation.isOK == ok, "reserve \(n) at t\((time - t(0)) / d)")
        if ok {
            // Rounded to the nearest step, as Go's dFromDuration does.
            #expect((reservation.timeToAct - t(0) + d / 2) / d == (act - t(0)) / d, "acts at t\((act - t(0)) / d)")
        }
        return reservation
    }

    @Test func burst1() {
        Self.run(TokenBucketLimiter(RateLimit(rate: 10, burst: 1)), [
            (Self.t(0), 1, 1, true), (Self.t(0), 0, 1, false), (Self.t(0), 0, 1, false),
            (Self.t(1), 1, 1, true), (Self.t(1), 0, 1, false), (Self.t(1), 0, 1, false),
            (Self.t(2), 1, 2, false), (Self.t(2), 1, 1, true), (Self.t(2), 0, 1, false),
        ])
    }

    @Test func burst3() {
        Self.run(TokenBucketLimiter(RateLimit(rate: 10, burst: 3)), [
            (Self.t(0), 3, 2, true), (Self.t(0), 1, 2, false), (Self.t(0), 1, 1, true), (Self.t(0), 0, 1, false),
            (Self.t(1), 1, 4, false), (Self.t(2), 2, 1, true), (Self.t(3), 2, 1, true), (Self.t(4), 2, 1, true),
            (Self.t(4), 1, 1, true), (Self.t(4), 0, 1, false), (Self.t(4), 0, 1, false), (Self.t(9), 3, 3, true),
            (Self.t(9), 0, 0, true),
        ])
    }

    @Test func clockJumpingBackwards() {
        Self.run(TokenBucketLimiter(RateLimit(rate: 10, burst: 3)), [
            (Self.t(1), 3, 1, true), (Self.t(0), 2, 1, true), (Self.t(0), 1, 1, true), (Self.t(0), 0, 1, false),
            (Self.t(0), 0, 1, false), (Self.t(1), 1, 1, true), (Self.t(1), 0, 1, false), (Self.t(1), 0, 1, false),
            (Self.t(2), 1, 1, true), (Self.t(2), 0, 1, false), (Self.t(2), 0, 1, false),
        ])
    }

    @Test func reservations() {
        let simple = TokenBucketLimiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(simple, at: Self.t(0), 2, act: Self.t(0), ok: true)
        Self.reserve(simple, at: Self.t(0), 2, act: Self.t(2), ok: true)
        Self.reserve(simple, at: Self.t(3), 2, act: Self.t(4), ok: true)

        let mix = TokenBucketLimiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(mix, at: Self.t(0), 3, act: Self.t(1), ok: false)
        Self.reserve(mix, at: Self.t(0), 2, act: Self.t(0), ok: true)
        Self.run(mix, [(Self.t(1), 1, 2, false)])
        Self.reserve(mix, at: Self.t(1), 2, act: Self.t(2), ok: true)
        Self.run(mix, [(Self.t(1), -1, 1, false)])
        Self.run(mix, [(Self.t(3), 1, 1, true)])
    }

    /// `TestCancel`'s cases, on the port and on `GCRALimiter`, which keeps Go's `lastEvent` in a
    /// word beside its TAT.
    @Test(arguments: [true, false])
    func cancellations(gcra: Bool) {
        func limiter(_ limit: RateLimit) -> any ReservingLimiter {
            gcra ? GCRALimiter(limit) : TokenBucketLimiter(limit)
        }
        let last = limiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(last, at: Self.t(0), 2, act: Self.t(0), ok: true)
        last.cancel(Self.reserve(last, at: Self.t(0), 2, act: Self.t(2), ok: true), at: Self.t(1))
        Self.reserve(last, at: Self.t(1), 2, act: Self.t(2), ok: true)

        let tooLate = limiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(tooLate, at: Self.t(0), 2, act: Self.t(0), ok: true)
        tooLate.cancel(Self.reserve(tooLate, at: Self.t(0), 2, act: Self.t(2), ok: true), at: Self.t(3))
        Self.reserve(tooLate, at: Self.t(3), 2, act: Self.t(4), ok: true)

        let zero = limiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(zero, at: Self.t(0), 2, act: Self.t(0), ok: true)
        let first = Self.reserve(zero, at: Self.t(0), 1, act: Self.t(1), ok: true)
        Self.reserve(zero, at: Self.t(0), 1, act: Self.t(2), ok: true)
        zero.cancel(first, at: Self.t(0))
        Self.reserve(zero, at: Self.t(0), 1, act: Self.t(3), ok: true)

        let one = limiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(one, at: Self.t(0), 2, act: Self.t(0), ok: true)
        let two = Self.reserve(one, at: Self.t(0), 2, act: Self.t(2), ok: true)
        Self.reserve(one, at: Self.t(0), 1, act: Self.t(3), ok: true)
        one.cancel(two, at: Self.t(2))
        Self.reserve(one, at: Self.t(2), 2, act: Self.t(4), ok: true)

        let multi = limiter(RateLimit(rate: 10, burst: 4))
        Self.reserve(multi, at: Self.t(0), 4, act: Self.t(0), ok: true)
        let a = Self.reserve(multi, at: Self.t(0), 3, act: Self.t(3), ok: true)
        Self.reserve(multi, at: Self.t(0), 1, act: Self.t(4), ok: true)
        let c = Self.reserve(multi, at: Self.t(0), 1, act: Self.t(5), ok: true)
        multi.cancel(c, at: Self.t(1))
        multi.cancel(a, at: Self.t(1))
        Self.reserve(multi, at: Self.t(1), 3, act: Self.t(5), ok: true)

        let invalid = limiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(invalid, at: Self.t(0), 2, act: Self.t(0), ok: true)
        invalid.cancel(Self.reserve(invalid, at: Self.t(0), 3, act: Self.t(3), ok: false), at: Self.t(0))
        Self.reserve(invalid, at: Self.t(0), 2, act: Self.t(2), ok: true)
    }

    @Test func changesAtRunTime() {
        // TestReserveSetLimit and TestReserveSetBurst: reservations made before a change still hold.
        let rate = TokenBucketLimiter(RateLimit(rate: 5, burst: 2))
        Self.reserve(rate, at: Self.t(0), 2, act: Self.t(0), ok: true)
        Self.reserve(rate, at: Self.t(0), 2, act: Self.t(4), ok: true)
        rate.setRate(10, at: Self.t(2))
        Self.reserve(rate, at: Self.t(2), 1, act: Self.t(4), ok: true)

        let burst = TokenBucketLimiter(RateLimit(rate: 5, burst: 2))
        Self.reserve(burst, at: Self.t(0), 2, act: Self.t(0), ok: true)
        Self.reserve(burst, at: Self.t(0), 2, act: Self.t(4), ok: true)
        burst.setBurst(4, at: Self.t(3))
        Self.reserve(burst, at: Self.t(0), 4, act: Self.t(9), ok: true)
    }

    @Test func maximumWait() {
        // TestReserveMax.
        let limiter = TokenBucketLimiter(RateLimit(rate: 10, burst: 2))
        Self.reserve(limiter, at: Self.t(0), 2, act: Self.t(0), ok: true, maximumWait: Self.d)
        Self.reserve(limiter, at: Self.t(0), 1, act: Self.t(1), ok: true, maximumWait: Self.d)
        Self.reserve(limiter, at: Self.t(0), 1, act: Self.t(2), ok: false, maximumWait: Self.d)
    }

    @Test func zeroAndInfiniteRates() {
        // TestZeroLimit and TestSetAfterZeroLimit: rate 0 lets the burst through, then nothing,
        // until the rate changes.
        let zero = TokenBucketLimiter(RateLimit(rate: 0, burst: 1))
        #expect(zero.allow(1, at: Self.t(0)))
        #expect(!zero.allow(1, at: Self.t(9)))
        zero.setRate(10, at: Self.t(9))
        #expect(!zero.allow(1, at: Self.t(9)))
        #expect(zero.allow(1, at: Self.t(10)))
        // A reservation at rate 0 never comes due.
        let never = TokenBucketLimiter(RateLimit(rate: 0, burst: 1))
        #expect(never.allow(1, at: Self.t(0)))
        #expect(never.reserve(1, at: Self.t(1)).delay(from: Self.t(1)) == .max)
        // rate.Inf: everything passes, whatever the burst.
        let infinite = TokenBucketLimiter(RateLimit(rate: .infinity, burst: 0))
        for step in 0..<100 { #expect(infinite.allow(1_000, at: Self.t(Int64(step)))) }
        #expect(RateLimit.every(.milliseconds(100), burst: 1).rate == 10)
        #expect(RateLimit.every(.zero, burst: 1).rate == .infinity)
        // TestLimiter_noTruncationErrors.
        #expect(TokenBucketLimiter(RateLimit(rate: 0.7692307692307693, burst: 1)).allow())
    }

    /// TestLongRunningQPS: over 5 simulated seconds at 2 ms steps, rate 100 and burst 100 admit
    /// burst + rate × time, within one, and never more.
    @Test func longRunAdmitsTheRate() {
        let clock = ManualRateLimiterClock(nanoseconds: Self.t(0))
        let limiter = TokenBucketLimiter(RateLimit(rate: 100, burst: 100), clock: clock)
        var admitted = 0
        let end = Self.t(0) + 5_000_000_000
        while clock.nanoseconds() < end {
            if limiter.allow() { admitted += 1 }
            clock.advance(by: .milliseconds(2))
        }
        let ideal = 100 + 100 * Double(clock.nanoseconds() - Self.t(0)) / 1e9
        #expect(admitted <= Int(ideal + 1) && admitted >= Int(0.999 * ideal), "\(admitted) for \(ideal)")
    }

    /// Two threads taking tokens at once take no more than the bucket holds.
    @Test func concurrentEventsTakeTheBurstOnce() async {
        let limiter = TokenBucketLimiter(RateLimit(rate: 0, burst: 1_000))
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<1_000).reduce(0) { count, _ in count + (limiter.allow(1, at: 0) ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 1_000)
    }

    /// An infinite rate changed at the instant of the last update does not leave NaN tokens
    /// (`0 * .infinity`), which let every later event through: it decides as Go's `rate.Inf`
    /// (the largest finite double) does.
    @Test func infiniteRateChangedAtTheSameInstant() {
        let decisions = [Double.infinity, .greatestFiniteMagnitude].map { rate in
            let limiter = TokenBucketLimiter(RateLimit(rate: rate, burst: 1))
            limiter.setBurst(5, at: 1_000)
            limiter.setRate(10, at: 1_000)
            #expect(!limiter.tokens(at: 1_000).isNaN)
            return (0..<1_000).filter { _ in limiter.allow(1, at: 1_000) }.count
        }
        #expect(decisions[0] == decisions[1] && decisions[0] < 10, "\(decisions)")
    }

    /// A reservation made at an infinite rate, cancelled after a change to a finite one, gives back
    /// its tokens as Go's does (its limit left at zero), whatever was reserved after it; it gave
    /// back none when later reservations existed (their tokens counted at an infinite rate). On the
    /// port and on `GCRALimiter`.
    @Test(arguments: [true, false])
    func cancellingAReservationOfAnInfiniteRate(gcra: Bool) {
        let limit = RateLimit(rate: .infinity, burst: 10)
        let limiter: any ReservingLimiter = gcra ? GCRALimiter(limit) : TokenBucketLimiter(limit)
        let reservation = limiter.reserve(1, at: Self.t(0), maximumWait: .max)
        limiter.setRate(10, at: Self.t(0))
        Self.reserve(limiter, at: Self.t(0), 10, act: Self.t(0), ok: true)
        Self.reserve(limiter, at: Self.t(0), 1, act: Self.t(1), ok: true)
        limiter.cancel(reservation, at: Self.t(0))
        #expect(limiter.tokens(at: Self.t(0)) == 0)
    }

    /// Cancelling a reservation of many tokens at a slow rate, whose tokens take longer than
    /// `Int64`'s nanoseconds to accumulate, gives them back instead of trapping on the conversion.
    @Test func cancellingAtASlowRateDoesNotTrap() {
        for (rate, tokens) in [(1e-12, 10), (1.0 / 3600, 3_000_000)] {
            let limiter = TokenBucketLimiter(RateLimit(rate: rate, burst: tokens))
            let reservation = limiter.reserve(tokens, at: Self.t(0))
            #expect(reservation.isOK && limiter.tokens(at: Self.t(0)) == 0)
            limiter.cancel(reservation, at: Self.t(0))
            #expect(limiter.tokens(at: Self.t(0)) == Double(tokens))
            // Nothing reserved after it to keep: a later cancellation gives back what it took.
            let again = limiter.reserve(1, at: Self.t(0))
            limiter.cancel(again, at: Self.t(0))
            #expect(limiter.tokens(at: Self.t(0)) == Double(tokens))
        }
    }
}

/// What the tests ask of both limiters, so that Go's cases run on each.
protocol ReservingLimiter {
    func allow(_ n: Int, at time: Int64) -> Bool
    func reserve(_ n: Int, at time: Int64, maximumWait: Int64) -> RateLimitReservation
    func cancel(_ reservation: RateLimitReservation, at time: Int64)
    func tokens(at time: Int64) -> Double
    func setRate(_ rate: Double, at time: Int64)
}

extension TokenBucketLimiter: ReservingLimiter {}
extension GCRALimiter: ReservingLimiter {}
