import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ports on 127.0.0.1 for the servers that tests start.
public enum LoopbackPort {
    /// The ports `free()` has handed out in this process.
    private static let handedOut = Mutex(Set<Int>())

    /// The first port of the kernel's ephemeral range (`ip_local_port_range`), which it gives to
    /// `bind` on port 0 and to outgoing connections; 32768 if it cannot be read.
    private static let ephemeralStart: Int = {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
            let first = text.split(whereSeparator: \.isWhitespace).first, let port = Int(first)
        else { return 32768 }
        return port
    }()

    /// A free port on 127.0.0.1 for a server that a test starts, below the kernel's ephemeral
    /// range, and that no earlier call in this process returned.
    ///
    /// A port the server does not bind at once must stay free until it does. The kernel's own pick
    /// (`bind` on port 0) would not: the same pick may go to another test's listener that binds
    /// port 0 meanwhile, or be the source port of an outgoing connection, and a server restarted
    /// on its port after a kill would then find someone else's there. Below the ephemeral range
    /// the kernel assigns no port by itself, and each is handed out once.
    public static func free() throws -> Int {
        let low = 10_000
        let high = ephemeralStart
        // A machine whose ephemeral range leaves no room below it: the kernel's pick.
        guard high - low >= 1_000 else {
            guard let port = boundPort(0) else { throw OracleError("cannot bind a loopback port") }
            return port
        }
        var candidate = Int.random(in: low..<high)
        for _ in 0..<(high - low) {
            candidate = candidate + 1 < high ? candidate + 1 : low
            guard handedOut.withLock({ $0.insert(candidate).inserted }), boundPort(candidate) != nil else { continue }
            return candidate
        }
        throw OracleError("no free loopback port from \(low) to \(high)")
    }

    /// Binds a socket to 127.0.0.1:`port` (with `SO_REUSEADDR`, as servers bind; port 0 for the
    /// kernel's pick), closes it, and returns the port it was bound to; nil if it could not be.
    private static func boundPort(_ port: Int) -> Int? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var reuse: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.address(port)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = Self.address(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// The socket address 127.0.0.1:`port`.
    static func address(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
