import NIOCore
import NIOEmbedded
import ServerSupport
import Synchronization
import Testing

@Suite("ConnectionCap: the most connections a server holds open at once")
struct ConnectionCapTests {
    @Test("connections past the cap are closed when accepted, never passed on, and counted; a close makes room")
    func capsAndMakesRoom() throws {
        let reported = Atomic<Int>(0)
        let cap = ConnectionCap(maximum: 2) { reported.wrappingAdd(1, ordering: .relaxed) }
        let listener = EmbeddedChannel(handler: cap.makeServerChannelHandler())
        let connections = (0..<4).map { _ in EmbeddedChannel() }
        for connection in connections.prefix(3) { try listener.writeInbound(connection as any Channel) }
        let passed = [try listener.readInbound(as: (any Channel).self), try listener.readInbound(as: (any Channel).self)]
        #expect(passed.map { $0.map(ObjectIdentifier.init) } == [ObjectIdentifier(connections[0]), ObjectIdentifier(connections[1])])
        #expect(try listener.readInbound(as: (any Channel).self) == nil)
        // The third was closed by the cap: closing it again fails.
        #expect(throws: ChannelError.alreadyClosed) { try connections[2].close().wait() }
        #expect(cap.open == 2 && cap.refused == 1 && reported.load(ordering: .relaxed) == 1)

        try connections[0].close().wait()
        // The close is seen by the connection's event loop, which an embedded channel runs when told.
        connections[0].embeddedEventLoop.run()
        #expect(cap.open == 1)
        try listener.writeInbound(connections[3] as any Channel)
        #expect(try listener.readInbound(as: (any Channel).self).map(ObjectIdentifier.init) == ObjectIdentifier(connections[3]))
        #expect(cap.open == 2 && cap.refused == 1)
        for connection in [connections[1], connections[3]] {
            try connection.close().wait()
            connection.embeddedEventLoop.run()
        }
        #expect(cap.open == 0)
        _ = try listener.finish()
    }
}
