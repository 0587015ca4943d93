import NIOCore
import NIOEmbedded
import ServerSupport
import Testing

@Suite("ConnectionDeadlines: the idle and request timeouts of a server connection")
struct ConnectionDeadlinesTests {
    /// Idle timeout 10 s, request timeout 4 s: a request timeout shorter than the idle timeout
    /// tells the two apart.
    static func deadlines() -> ConnectionDeadlines {
        ConnectionDeadlines(idleTimeout: .seconds(10), requestTimeout: .seconds(4), now: at(0))
    }

    /// The deadline `seconds` after an origin.
    static func at(_ seconds: Int64) -> NIODeadline {
        .uptimeNanoseconds(1_000_000_000_000 + UInt64(seconds) * 1_000_000_000)
    }

    @Test("between requests only the idle timeout applies, also when the read that ended a request completes")
    func keepAlive() {
        var deadlines = Self.deadlines()
        deadlines.opened(at: Self.at(0))
        #expect(deadlines.requestStarted(at: Self.at(0)) == Self.at(4))
        deadlines.requestEnded()
        // The read that carried the whole request completes after its end: no next request yet.
        #expect(deadlines.read(at: Self.at(0)) == nil)
        #expect(deadlines.next == Self.at(10))
        #expect(deadlines.expiry(at: Self.at(9), waitingOnServer: false) == nil)
        #expect(deadlines.expiry(at: Self.at(10), waitingOnServer: false) == .idle)
    }

    @Test("bytes read between requests start the request clock, and a head arriving later keeps it")
    func trickledHead() {
        var deadlines = Self.deadlines()
        deadlines.opened(at: Self.at(0))
        // Part of a head at 1 s: NIO's decoder passes nothing on yet.
        #expect(deadlines.read(at: Self.at(1)) == Self.at(5))
        // More of it, each read within the idle timeout: the deadline stays.
        #expect(deadlines.read(at: Self.at(2)) == nil)
        #expect(deadlines.read(at: Self.at(3)) == nil)
        #expect(deadlines.requestStarted(at: Self.at(3)) == Self.at(5))
        #expect(deadlines.next == Self.at(5))
        #expect(deadlines.expiry(at: Self.at(4), waitingOnServer: false) == nil)
        #expect(deadlines.expiry(at: Self.at(5), waitingOnServer: false) == .request)
    }

    @Test("a request that ends in time clears its deadline; the next one's first bytes start a new one")
    func successiveRequests() {
        var deadlines = Self.deadlines()
        deadlines.opened(at: Self.at(0))
        #expect(deadlines.read(at: Self.at(1)) == Self.at(5))
        #expect(deadlines.requestStarted(at: Self.at(1)) == Self.at(5))
        deadlines.requestEnded()
        #expect(deadlines.read(at: Self.at(2)) == nil)
        #expect(deadlines.expiry(at: Self.at(6), waitingOnServer: false) == nil)
        #expect(deadlines.read(at: Self.at(8)) == Self.at(12))
        #expect(deadlines.expiry(at: Self.at(12), waitingOnServer: false) == .request)
    }

    @Test("time spent waiting on the server is not idle time, and idle time counts again from its answer")
    func waitingOnServer() {
        var deadlines = Self.deadlines()
        deadlines.opened(at: Self.at(0))
        _ = deadlines.requestStarted(at: Self.at(0))
        deadlines.requestEnded()
        #expect(deadlines.expiry(at: Self.at(10), waitingOnServer: true) == nil)
        #expect(deadlines.next == Self.at(20))
        deadlines.serverFinished(at: Self.at(15))
        #expect(deadlines.next == Self.at(25))
        #expect(deadlines.expiry(at: Self.at(24), waitingOnServer: false) == nil)
        #expect(deadlines.expiry(at: Self.at(25), waitingOnServer: false) == .idle)
    }

    @Test("the timer moves only to an earlier deadline, fires once, and a cancelled one does not fire")
    func timer() {
        let loop = EmbeddedEventLoop()
        let origin = loop.now
        var deadlines = ConnectionDeadlines(idleTimeout: .seconds(10), requestTimeout: .seconds(4), now: origin)
        var fired: [TimeAmount] = []
        let record = { fired.append(loop.now - origin) }
        deadlines.check(by: origin + .seconds(10), on: loop, record)
        deadlines.check(by: origin + .seconds(20), on: loop, record)
        deadlines.check(by: origin + .seconds(4), on: loop, record)
        loop.advanceTime(by: .seconds(30))
        #expect(fired == [.seconds(4)])
        deadlines.timerFired()
        deadlines.check(by: loop.now + .seconds(1), on: loop, record)
        deadlines.cancel()
        loop.advanceTime(by: .seconds(5))
        #expect(fired == [.seconds(4)])
        try? loop.syncShutdownGracefully()
    }
}
